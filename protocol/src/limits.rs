//! Limits shared by the widget (to warn early) and the edge (to enforce). Lengths are in characters
//! (Unicode scalar values), as the core counts them.

/// A message's text: at least one non-blank character, at most this many.
pub const MESSAGE_TEXT_MAX: usize = 4000;
/// A visitor's display name.
pub const NAME_MAX: usize = 200;
/// A visitor's email address.
pub const EMAIL_MAX: usize = 200;
/// A page URL recorded with the contact or conversation.
pub const PAGE_URL_MAX: usize = 2000;
/// A BCP 47 locale tag such as `id-ID`.
pub const LOCALE_MAX: usize = 35;
/// Idempotency ids are UUIDs; leave room for other well-formed ids but nothing large.
pub const CLIENT_ID_MIN: usize = 8;
pub const CLIENT_ID_MAX: usize = 64;
/// Site ids are short slugs.
pub const SITE_ID_MAX: usize = 64;
/// Any JSON request body.
pub const JSON_BODY_MAX_BYTES: usize = 64 * 1024;
/// Messages answered by one history request.
pub const HISTORY_PAGE_MAX: usize = 100;
/// The widget shows the counter once the text is this close to the limit.
pub const COUNTER_THRESHOLD: usize = MESSAGE_TEXT_MAX - 500;
/// An attachment's bytes.
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// An attachment's file name, in characters.
pub const FILE_NAME_MAX: usize = 200;
