//! Attachments: what may be sent is decided by the file's bytes (content sniffing), never by its name
//! or the browser's Content-Type, and it must fit the size limit.

use sapa_protocol::limits::{ATTACHMENT_MAX_BYTES, FILE_NAME_MAX};
use sapa_protocol::{validate, ClientId, FieldError};

use crate::error::ApiError;

/// Where the core takes the file: its livechat image or document endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Image,
    Document,
}

impl Kind {
    /// The core route segment (`/livechat/messages/{image|document}`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Document => "document",
        }
    }
}

/// Types a visitor may send, each with infer's check of its bytes. Only these checks are linked into the
/// bundle: `infer::get` would bring every matcher the crate has (about 11 KB of the edge).
type Matcher = fn(&[u8]) -> bool;
const ALLOWED: [(&str, Kind, Matcher); 8] = [
    ("image/png", Kind::Image, infer::image::is_png),
    ("image/jpeg", Kind::Image, infer::image::is_jpeg),
    ("image/gif", Kind::Image, infer::image::is_gif),
    ("image/webp", Kind::Image, infer::image::is_webp),
    ("application/pdf", Kind::Document, infer::archive::is_pdf),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Kind::Document, infer::doc::is_docx),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Kind::Document, infer::doc::is_xlsx),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", Kind::Document, infer::doc::is_pptx),
];

/// A file the visitor uploaded, checked.
#[derive(Clone, Debug)]
pub struct Upload {
    pub client_id: ClientId,
    pub caption: String,
    pub file_name: String,
    /// The sniffed type, which is what the core is told.
    pub mime: &'static str,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// Checks the form's fields and the file's bytes: the type is sniffed from them, never taken from the name.
pub fn check(
    client_id: Option<String>,
    caption: Option<String>,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Upload, ApiError> {
    let client_id = client_id.ok_or_else(|| FieldError::new("client_id", "is required"))?;
    validate::client_id("client_id", &client_id)?;
    let caption = caption.unwrap_or_default();
    if !caption.is_empty() {
        validate::message_text("text", &caption)?;
    }
    if bytes.is_empty() {
        return Err(FieldError::new("file", "must not be empty").into());
    }
    if bytes.len() > ATTACHMENT_MAX_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let (mime, kind) = sniff(&bytes).ok_or(ApiError::UnsupportedMedia)?;
    Ok(Upload { client_id: ClientId(client_id), caption, file_name: clean_name(file_name, mime), mime, kind, bytes })
}

/// The allowed type the bytes really are, if any.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, Kind)> {
    ALLOWED.iter().find(|(_, _, is)| is(bytes)).map(|(mime, kind, _)| (*mime, *kind))
}

/// A safe display name: no path, no control or direction-changing characters, bounded, never blank.
fn clean_name(name: &str, mime: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let shown = |c: &char| !c.is_control() && !validate::is_bidi_control(*c);
    let cleaned: String = base.chars().filter(shown).take(FILE_NAME_MAX).collect();
    // Invisible characters at the ends go too, so a zero-width space cannot hide a leading dot.
    let cleaned = cleaned.trim_matches(validate::is_invisible).to_owned();
    if validate::is_blank(&cleaned) || cleaned.starts_with('.') {
        format!("attachment.{}", mime.rsplit('/').next().unwrap_or("bin").rsplit('.').next().unwrap_or("bin"))
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
    const ID: &str = "2b1b8f3e-8a0e-4b1c-9d55-7c1f0f6a9e21";

    #[test]
    fn the_widget_offers_the_types_the_edge_takes() {
        let edge: Vec<&str> = ALLOWED.iter().map(|(mime, _, _)| *mime).collect();
        let widget: Vec<&str> = sapa_protocol::limits::ATTACHMENT_TYPES.iter().map(|(mime, _)| *mime).collect();
        assert_eq!(edge, widget);
    }

    #[test]
    fn sniffing_decides_not_the_name() {
        assert_eq!(sniff(PNG), Some(("image/png", Kind::Image)));
        assert_eq!(sniff(PDF), Some(("application/pdf", Kind::Document)));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None, "executables are refused");
        // An HTML page renamed to .png is still refused.
        let disguised = check(Some(ID.into()), None, "cat.png", b"<!doctype html><svg onload=alert(1)>".to_vec());
        assert!(matches!(disguised, Err(ApiError::UnsupportedMedia)));
        let real = check(Some(ID.into()), Some("my receipt".into()), "scan.pdf.exe", PNG.to_vec()).unwrap();
        assert_eq!((real.mime, real.kind), ("image/png", Kind::Image));
    }

    #[test]
    fn limits_and_fields() {
        assert!(matches!(check(Some(ID.into()), None, "a.png", vec![]), Err(ApiError::InvalidField(_))));
        let mut huge = PNG.to_vec();
        huge.resize(ATTACHMENT_MAX_BYTES + 1, 0);
        assert!(matches!(check(Some(ID.into()), None, "a.png", huge), Err(ApiError::PayloadTooLarge)));
        assert!(matches!(check(None, None, "a.png", PNG.to_vec()), Err(ApiError::InvalidField(_))));
        let long_caption = "x".repeat(4001);
        assert!(matches!(
            check(Some(ID.into()), Some(long_caption), "a.png", PNG.to_vec()),
            Err(ApiError::InvalidField(_))
        ));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\me\\receipt.png", "image/png"), "receipt.png");
        assert_eq!(clean_name("../../etc/passwd", "application/pdf"), "passwd");
        assert_eq!(clean_name(".htaccess", "image/png"), "attachment.png");
        assert_eq!(clean_name("", "application/pdf"), "attachment.pdf");
        assert_eq!(clean_name("a\u{0}b\nc.png", "image/png"), "abc.png");
    }

    #[test]
    fn bidi_override_cannot_disguise_a_file_name() {
        // Shown as "invoiceexe.pdf" if the override stayed in.
        assert_eq!(clean_name("invoice\u{202E}fdp.exe", "application/pdf"), "invoicefdp.exe");
        assert_eq!(clean_name("a\u{202A}\u{202B}\u{202C}\u{202D}b.png", "image/png"), "ab.png");
        assert_eq!(clean_name("\u{2066}x\u{2067}y\u{2068}z\u{2069}.png", "image/png"), "xyz.png");
        assert_eq!(clean_name("r\u{200E}e\u{200F}p\u{61C}.pdf", "application/pdf"), "rep.pdf");
        // Through `check`, too.
        let up = check(Some(ID.into()), None, "photo\u{202E}gnp.exe", PNG.to_vec()).unwrap();
        assert_eq!(up.file_name, "photognp.exe");
        // Arabic and other right-to-left names themselves are kept.
        assert_eq!(clean_name("فاتورة.pdf", "application/pdf"), "فاتورة.pdf");
    }

    #[test]
    fn a_name_of_only_bidi_or_invisible_characters_falls_back() {
        assert_eq!(clean_name("\u{202E}\u{2066}\u{200F}", "image/png"), "attachment.png");
        assert_eq!(clean_name("\u{200B}\u{FEFF}", "application/pdf"), "attachment.pdf");
        assert_eq!(clean_name("dir/\u{202E}", "image/png"), "attachment.png");
        // A zero-width prefix does not smuggle a dot file past the check.
        assert_eq!(clean_name("\u{200B}.htaccess", "image/png"), "attachment.png");
        assert_eq!(clean_name("\u{202E}.htaccess", "image/png"), "attachment.png");
    }

    #[test]
    fn zero_width_caption_is_refused_as_blank() {
        let err = check(Some(ID.into()), Some("\u{200B}\u{200D}".into()), "a.png", PNG.to_vec()).unwrap_err();
        assert!(matches!(err, ApiError::InvalidField(f) if f.field == "text" && f.message == "must not be empty"));
        assert!(check(Some(ID.into()), None, "a.png", PNG.to_vec()).is_ok());
    }
}
