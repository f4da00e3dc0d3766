//! Every request body the edge parses, and its upload checks.
//!
//! Input, JSON mode (anything not starting with a zero byte): the body, parsed with `sapa_edge::body::object`
//! as each of `CreateSession`, `SendMessage`, `RateConversation` and `ContactAttributes`, then validated.
//! Input, upload mode (first byte zero): `\0<client_id>\n<caption>\n<file name>\n<file bytes…>` for
//! `sapa_edge::attachments::check`; a form field line that is not UTF-8 is an absent field.
//!
//! Properties, JSON: parsing and validating never panic; parsing refuses only as `InvalidJson`, takes only a
//! JSON object, and agrees with serde; a validation error names one of the type's own fields; what validates
//! keeps the rules restated here independently (limits in characters, no control characters, single lines,
//! id and URL shapes, `user_hash` only with `user_id`) and survives re-serialisation unchanged and valid.
//!
//! Properties, uploads: check never panics and refuses only as an invalid field, too large or unsupported;
//! what it accepts is the same bytes, of an allowed type that the bytes themselves sniff as (the name makes no
//! difference), under a display name that is never blank, a path, a dot file, or carrying control or
//! direction characters, and that is drawn from the name's last path component (or the fallback).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use sapa_edge::attachments::{self, Kind};
use sapa_edge::body::object;
use sapa_edge::error::ApiError;
use sapa_protocol::limits::{ATTACHMENT_MAX_BYTES, FILE_NAME_MAX};
use sapa_protocol::validate::is_invisible;
use sapa_protocol::{ContactAttributes, CreateSession, RateConversation, SendMessage, Validate};
use serde::de::DeserializeOwned;
use serde::Serialize;

// ---- the rules, restated -------------------------------------------------------------------------------

fn no_controls(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn single_line(s: &str) -> bool {
    !s.contains(['\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'])
}

fn text(s: &str, max: usize) -> bool {
    s.chars().count() <= max && no_controls(s)
}

fn shown(s: &str) -> bool {
    !s.trim().is_empty()
}

fn client_id(s: &str) -> bool {
    (8..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 2000
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn all<T: ?Sized>(value: Option<&T>, rule: impl Fn(&T) -> bool) -> bool {
    value.is_none_or(rule)
}

fn create_session(v: &CreateSession) {
    let site = v.site_id.as_str();
    assert!(!site.is_empty() && site.len() <= 64, "site_id {site:?}");
    assert!(site.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'), "site_id {site:?}");
    assert!(client_id(v.client_id.as_str()), "client_id {:?}", v.client_id);
    assert!(all(v.name.as_deref(), |n| shown(n) && single_line(n) && text(n, 200)), "name {:?}", v.name);
    assert!(
        all(v.email.as_deref(), |e| e.chars().count() <= 200
            && e.contains('@')
            && !e.chars().any(|c| c.is_whitespace() || c.is_control())),
        "email {:?}",
        v.email
    );
    assert!(all(v.page_url.as_deref(), url), "page_url {:?}", v.page_url);
    assert!(all(v.referrer.as_deref(), url), "referrer {:?}", v.referrer);
    assert!(
        all(v.locale.as_deref(), |l| !l.is_empty() && l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')),
        "locale {:?}",
        v.locale
    );
    assert!(all(v.user_id.as_deref(), |u| (1..=128).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_graphic())), "user_id {:?}", v.user_id);
    assert!(all(v.user_hash.as_deref(), |h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())), "user_hash {:?}", v.user_hash);
    assert!(v.user_hash.is_none() || v.user_id.is_some(), "user_hash without user_id");
}

fn send_message(v: &SendMessage) {
    assert!(client_id(v.client_id.as_str()), "client_id {:?}", v.client_id);
    assert!(shown(&v.text) && text(&v.text, 4000), "text {:?}", v.text);
    assert!(all(v.page_url.as_deref(), url), "page_url {:?}", v.page_url);
}

fn rate_conversation(v: &RateConversation) {
    assert!(client_id(v.client_id.as_str()), "client_id {:?}", v.client_id);
    assert!(all(v.comment.as_deref(), |c| text(c, 1000)), "comment {:?}", v.comment);
}

fn contact_attributes(v: &ContactAttributes) {
    let values = [&v.phone, &v.company, &v.job_title, &v.city, &v.country];
    assert!(values.iter().any(|v| v.is_some()), "no attribute set");
    for (value, max) in values.into_iter().zip([50, 200, 200, 100, 100]) {
        assert!(all(value.as_deref(), |s| single_line(s) && text(s, max)), "attribute {value:?}");
    }
}

// ---- JSON bodies -----------------------------------------------------------------------------------------

fn body<T>(bytes: &[u8], fields: &[&str], rules: fn(&T))
where
    T: DeserializeOwned + Serialize + Validate + PartialEq + Debug,
{
    let parsed = match object::<T>(bytes) {
        Ok(parsed) => parsed,
        Err(ApiError::InvalidJson(_)) => return,
        Err(other) => panic!("body::object refused with an unexpected error: {other:?}"),
    };
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("accepted a body serde_json cannot read");
    assert!(value.is_object(), "accepted a body that is not a JSON object: {value}");
    assert_eq!(serde_json::from_slice::<T>(bytes).ok().as_ref(), Some(&parsed), "body::object and serde disagree");

    match parsed.validate() {
        Err(e) => assert!(fields.contains(&e.field), "validation names {:?}, not a field of the body", e.field),
        Ok(()) => {
            rules(&parsed);
            let again = serde_json::to_vec(&parsed).expect("a body serializes");
            let back: T = object(&again).expect("a valid body, re-serialised, is refused");
            assert_eq!(back, parsed, "a valid body changes through JSON");
            assert!(back.validate().is_ok(), "a valid body, re-serialised, no longer validates");
        }
    }
}

// ---- uploads ---------------------------------------------------------------------------------------------

const ALLOWED: [&str; 8] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

fn direction_control(c: char) -> bool {
    matches!(c, '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `small`'s characters appear, in order, in `big`.
fn subsequence(small: &str, big: &str) -> bool {
    let mut big = big.chars();
    small.chars().all(|c| big.any(|b| b == c))
}

fn upload(data: &[u8]) {
    let mut parts = data.splitn(4, |b| *b == b'\n');
    let field = |p: Option<&[u8]>| p.and_then(|p| std::str::from_utf8(p).ok()).map(str::to_owned);
    let (client, caption) = (field(parts.next()), field(parts.next()));
    let name = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let bytes = parts.next().unwrap_or_default().to_vec();

    let result = attachments::check(client.clone(), caption.clone(), &name, bytes.clone());
    let sniffed = attachments::sniff(&bytes);
    let up = match result {
        Ok(up) => up,
        Err(ApiError::InvalidField(e)) => {
            assert!(matches!(e.field, "client_id" | "text" | "file"), "an upload error names {:?}", e.field);
            if e.field == "file" {
                assert!(bytes.is_empty(), "file refused as a field: {}", e.message);
            }
            return;
        }
        Err(ApiError::PayloadTooLarge) => return assert!(bytes.len() > ATTACHMENT_MAX_BYTES),
        Err(ApiError::UnsupportedMedia) => {
            return assert!(sniffed.is_none_or(|(mime, _)| !ALLOWED.contains(&mime)), "refused an allowed type {sniffed:?}");
        }
        Err(other) => panic!("attachments::check refused with an unexpected error: {other:?}"),
    };

    assert_eq!(up.bytes, bytes, "the upload's bytes changed");
    assert!(!bytes.is_empty() && bytes.len() <= ATTACHMENT_MAX_BYTES);
    assert_eq!(sniffed, Some((up.mime, up.kind)), "the type is not what the bytes sniff as");
    assert!(ALLOWED.contains(&up.mime), "an unlisted type {}", up.mime);
    assert_eq!(up.kind == Kind::Image, up.mime.starts_with("image/"), "{} as {:?}", up.mime, up.kind);
    assert_eq!(Some(up.client_id.as_str()), client.as_deref());
    assert!(client_id(up.client_id.as_str()), "accepted client_id {:?}", up.client_id);
    assert_eq!(up.caption, caption.clone().unwrap_or_default());
    assert!(up.caption.is_empty() || (shown(&up.caption) && text(&up.caption, 4000)), "caption {:?}", up.caption);

    // The display name.
    let shown_name = up.file_name.as_str();
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let fallback = shown_name.starts_with("attachment.") && !shown_name[11..].contains(['.', '/']);
    assert!(fallback || subsequence(shown_name, base), "{shown_name:?} is not drawn from {base:?}");
    assert!(!shown_name.is_empty() && shown_name.chars().count() <= FILE_NAME_MAX, "name {shown_name:?}");
    assert!(!shown_name.contains(['/', '\\']), "a path as a name: {shown_name:?}");
    assert!(!shown_name.starts_with('.'), "a dot file: {shown_name:?}");
    assert!(!shown_name.chars().any(|c| c.is_control() || direction_control(c)), "name {shown_name:?}");
    let (first, last) = (shown_name.chars().next().unwrap(), shown_name.chars().last().unwrap());
    assert!(!is_invisible(first) && !is_invisible(last), "invisible ends: {shown_name:?}");

    // The name decides nothing about the type.
    let renamed = attachments::check(client, caption, "renamed.exe", bytes).expect("another name refused");
    assert_eq!((renamed.mime, renamed.kind), (up.mime, up.kind));
}

fuzz_target!(|data: &[u8]| {
    if let Some(rest) = data.strip_prefix(b"\0") {
        return upload(rest);
    }
    body::<CreateSession>(
        data,
        &["site_id", "client_id", "name", "email", "page_url", "referrer", "locale", "user_id", "user_hash"],
        create_session,
    );
    body::<SendMessage>(data, &["client_id", "text", "page_url"], send_message);
    body::<RateConversation>(data, &["client_id", "comment", "rating"], rate_conversation);
    body::<ContactAttributes>(data, &["attributes", "phone", "company", "job_title", "city", "country"], contact_attributes);
});
