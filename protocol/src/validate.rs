//! Validation shared by the widget (early, friendly feedback) and the edge (the enforcement that counts).

use crate::error::{ErrorBody, ErrorCode};
use crate::limits;

/// A field that breaks a rule. Turns into an `invalid_field` error naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl From<FieldError> for ErrorBody {
    fn from(e: FieldError) -> Self {
        ErrorBody::new(ErrorCode::InvalidField, e.message).with_field(e.field)
    }
}

/// Implemented by every request body: checks every rule the edge enforces before anything is written.
pub trait Validate {
    fn validate(&self) -> Result<(), FieldError>;
}

/// Message text: not blank, at most [`limits::MESSAGE_TEXT_MAX`] characters, no control characters
/// other than line breaks and tabs.
pub fn message_text(field: &'static str, text: &str) -> Result<(), FieldError> {
    if is_blank(text) {
        return Err(FieldError::new(field, "must not be empty"));
    }
    bounded_text(field, text, limits::MESSAGE_TEXT_MAX)
}

/// Free text up to `max` characters, without control characters other than line breaks and tabs.
pub fn bounded_text(field: &'static str, text: &str, max: usize) -> Result<(), FieldError> {
    let count = text.chars().count();
    if count > max {
        return Err(FieldError::new(field, format!("must be at most {max} characters (got {count})")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    Ok(())
}

/// A display name: not blank, at most [`limits::NAME_MAX`] characters, a single line.
pub fn name(field: &'static str, name: &str) -> Result<(), FieldError> {
    if is_blank(name) {
        return Err(FieldError::new(field, "must not be empty"));
    }
    single_line(field, name)?;
    bounded_text(field, name, limits::NAME_MAX)
}

/// Refuses any line break, Unicode's included (U+0085, U+2028, U+2029, vertical tab, form feed).
pub fn single_line(field: &'static str, text: &str) -> Result<(), FieldError> {
    if text.contains(is_line_break) {
        return Err(FieldError::new(field, "must be a single line"));
    }
    Ok(())
}

/// Whether `c` ends a line anywhere text may be shown.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// True when nothing in `text` would show: it is empty, or only whitespace and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_invisible)
}

/// Whitespace, or a character that draws nothing (zero-width, joiners, direction marks, fillers).
/// A short hand-kept list rather than a Unicode table, to keep the widget small.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{AD}'
                | '\u{34F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// A character that changes the direction text is shown in (embeddings, overrides, isolates, marks),
/// which can make `invoice\u{202E}fdp.exe` read as `invoiceexe.pdf`.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// An email address of the plain `local@domain.tld` shape, at most [`limits::EMAIL_MAX`] characters.
pub fn email(field: &'static str, email: &str) -> Result<(), FieldError> {
    if email.chars().count() > limits::EMAIL_MAX {
        return Err(FieldError::new(field, format!("must be at most {} characters", limits::EMAIL_MAX)));
    }
    let shaped = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if shaped {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be an email address like name@example.com"))
    }
}

/// An idempotency id: 8..=64 characters of `[A-Za-z0-9_-]` (the widget makes UUIDs).
pub fn client_id(field: &'static str, id: &str) -> Result<(), FieldError> {
    let ok = (limits::CLIENT_ID_MIN..=limits::CLIENT_ID_MAX).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be 8 to 64 characters of letters, digits, '-' or '_'"))
    }
}

/// A site id: a short slug of lowercase letters, digits, '-' and '_'.
pub fn site_id(field: &'static str, id: &str) -> Result<(), FieldError> {
    let ok = !id.is_empty()
        && id.len() <= limits::SITE_ID_MAX
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be a site id of lowercase letters, digits, '-' or '_'"))
    }
}

/// An absolute http(s) URL, at most [`limits::PAGE_URL_MAX`] characters.
pub fn page_url(field: &'static str, url: &str) -> Result<(), FieldError> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(FieldError::new(field, "must be an http or https URL"));
    }
    if url.len() > limits::PAGE_URL_MAX || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(field, "must be a well-formed URL of at most 2000 characters"));
    }
    Ok(())
}

/// A BCP 47 language tag such as `en`, `id-ID` or `ar`.
pub fn locale(field: &'static str, tag: &str) -> Result<(), FieldError> {
    let ok = !tag.is_empty()
        && tag.len() <= limits::LOCALE_MAX
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !tag.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be a language tag such as en or id-ID"))
    }
}

/// A site's own user id: 1..=128 visible ASCII characters.
pub fn user_id(field: &'static str, id: &str) -> Result<(), FieldError> {
    let ok = (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be 1 to 128 visible ASCII characters"))
    }
}

/// A hex SHA-256 digest: 64 hex digits.
pub fn hex_digest(field: &'static str, value: &str) -> Result<(), FieldError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be 64 hex digits (HMAC-SHA256)"))
    }
}

/// Applies `check` to an optional field.
pub fn optional<T: ?Sized>(
    value: Option<&T>,
    check: impl FnOnce(&T) -> Result<(), FieldError>,
) -> Result<(), FieldError> {
    value.map_or(Ok(()), check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_limits() {
        assert!(message_text("text", "hello").is_ok());
        assert!(message_text("text", &"a".repeat(4000)).is_ok());
        // Characters, not bytes: 4000 multi-byte characters are fine.
        assert!(message_text("text", &"é".repeat(4000)).is_ok());
        let long = message_text("text", &"a".repeat(4001)).unwrap_err();
        assert_eq!(long.field, "text");
        assert!(long.message.contains("4000"));
        assert!(message_text("text", "").is_err());
        assert!(message_text("text", " \n\t ").is_err());
        assert!(message_text("text", "line one\nline two").is_ok());
        assert!(message_text("text", "bell\u{7}").is_err());
    }

    #[test]
    fn names_and_emails() {
        assert!(name("name", "Siti Rahma").is_ok());
        assert!(name("name", &"n".repeat(200)).is_ok());
        assert!(name("name", &"n".repeat(201)).is_err());
        assert!(name("name", "two\nlines").is_err());
        assert!(email("email", "siti@example.co.id").is_ok());
        for bad in ["", "siti", "siti@", "@example.com", "siti@example", "a b@example.com", "a@b@c.com"] {
            assert!(email("email", bad).is_err(), "{bad:?} should be rejected");
        }
        let local = "a".repeat(190);
        assert!(email("email", &format!("{local}@example.com")).is_err());
    }

    #[test]
    fn ids_urls_locales() {
        assert!(client_id("client_id", "5f0c7a1e-8f5b-4f3e-9b7a-2d1c0e9f8a7b").is_ok());
        assert!(client_id("client_id", "short").is_err());
        assert!(client_id("client_id", "has space in it").is_err());
        assert!(client_id("client_id", &"x".repeat(65)).is_err());
        assert!(site_id("site_id", "demo").is_ok());
        assert!(site_id("site_id", "Demo").is_err());
        assert!(site_id("site_id", "").is_err());
        assert!(page_url("page_url", "https://example.com/pricing?x=1").is_ok());
        assert!(page_url("page_url", "javascript:alert(1)").is_err());
        assert!(locale("locale", "id-ID").is_ok());
        assert!(locale("locale", "en_US").is_err());
    }

    /// Every character the blank rule must see through, alone and mixed with spaces.
    const INVISIBLE: [char; 27] = [
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2060}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}', '\u{2066}', '\u{2067}', '\u{2068}',
        '\u{2069}', '\u{FEFF}', '\u{180E}', '\u{61C}', '\u{AD}', '\u{34F}', '\u{115F}', '\u{1160}', '\u{3164}',
    ];

    #[test]
    fn invisible_only_text_is_blank() {
        for c in INVISIBLE.into_iter().chain(['\u{FFA0}', '\u{A0}', '\u{3000}', '\u{2028}', '\u{85}']) {
            let alone = c.to_string();
            assert!(is_blank(&alone), "{c:?} alone should be blank");
            assert!(is_blank(&format!(" {c} {c}\n")), "{c:?} with spaces should be blank");
        }
        assert!(is_blank(""));
        assert!(is_blank("\u{200B}\u{200D}\u{FEFF}\u{2060}"));
        assert!(!is_blank("a\u{200B}"));
        assert!(!is_blank("\u{200D}👍"));
        assert!(!is_blank("."));
    }

    #[test]
    fn message_of_zero_width_characters_is_refused_as_empty() {
        for text in ["\u{200B}", "\u{200B}\u{200C}\u{200D}", " \u{FEFF} ", "\u{2060}\n\u{3164}", "\u{AD}\u{34F}"] {
            let err = message_text("text", text).unwrap_err();
            assert_eq!(err.message, "must not be empty", "{text:?}");
        }
        assert!(message_text("text", "hi\u{200B}").is_ok());
        // A family emoji is joined with ZWJ; it is not blank.
        assert!(message_text("text", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}").is_ok());
    }

    #[test]
    fn name_of_zero_width_characters_is_refused_as_empty() {
        for n in ["\u{200B}", "\u{3164}\u{3164}", "\u{115F}", "\u{FFA0}", " \u{2066}\u{2069} "] {
            assert_eq!(name("name", n).unwrap_err().message, "must not be empty", "{n:?}");
        }
    }

    #[test]
    fn unicode_line_separators_break_a_single_line_name() {
        for n in ["two\u{2028}lines", "two\u{2029}lines", "two\u{85}lines", "two\u{0B}lines", "two\u{0C}lines", "a\rb"]
        {
            let err = name("name", n).unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("name", "must be a single line"), "{n:?}");
        }
        assert!(single_line("city", "Bandung").is_ok());
        assert!(single_line("city", "Band\u{2028}ung").is_err());
        assert!(name("name", "Siti\tRahma").is_ok(), "a tab is not a line break");
    }

    #[test]
    fn bidi_controls_are_known() {
        for c in
            ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}']
        {
            assert!(is_bidi_control(c), "{c:?}");
        }
        for c in ['\u{200E}', '\u{200F}', '\u{61C}'] {
            assert!(is_bidi_control(c), "{c:?}");
        }
        for c in ['a', '\u{200B}', '\u{200D}', '\u{2065}', '\u{2029}', 'ا'] {
            assert!(!is_bidi_control(c), "{c:?}");
        }
    }

    #[test]
    fn field_error_becomes_invalid_field() {
        let body: ErrorBody = FieldError::new("email", "bad").into();
        assert_eq!(body.error.code, ErrorCode::InvalidField);
        assert_eq!(body.error.field.as_deref(), Some("email"));
    }
}
