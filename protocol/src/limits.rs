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

/// The file types a visitor may send, by MIME type and the extensions a file picker knows them by. The edge
/// checks each upload's bytes against these types (`edge/src/attachments.rs`); the widget refuses others
/// before a byte is uploaded.
pub const ATTACHMENT_TYPES: [(&str, &[&str]); 8] = [
    ("image/png", &["png"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    ("application/pdf", &["pdf"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
];

/// Whether a file with this MIME type (as the browser guessed it, possibly empty) and name may be offered
/// for upload: its type or its extension is one of these. The edge has the last word (it reads the bytes).
pub fn attachment_allowed(mime: &str, name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    ATTACHMENT_TYPES.iter().any(|(m, exts)| m.eq_ignore_ascii_case(mime) || exts.contains(&extension.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_types_by_mime_or_extension() {
        assert!(attachment_allowed("image/png", "screenshot"));
        assert!(attachment_allowed("", "Report.PDF"));
        assert!(attachment_allowed("application/octet-stream", "photo.jpeg"));
        assert!(!attachment_allowed("application/msword", "old.doc"));
        assert!(!attachment_allowed("application/x-msdownload", "setup.exe"));
        assert!(!attachment_allowed("", "no-extension"));
    }
}
