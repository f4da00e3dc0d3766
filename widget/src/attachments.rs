//! Files checked before they are uploaded: a file the edge would refuse is refused here, before a byte
//! goes out. The edge still checks every upload's bytes; this only spares the visitor a long wait.

use sapa_protocol::limits::{attachment_allowed, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES};

use crate::i18n::Strings;

/// Why `file` cannot be sent, in the visitor's words, or `None` if it may go.
pub fn refusal(file: &web_sys::File, t: &'static Strings) -> Option<&'static str> {
    if file.size() > ATTACHMENT_MAX_BYTES as f64 {
        return Some(t.file_too_big);
    }
    (!attachment_allowed(&file.type_(), &file.name())).then_some(t.file_type)
}

/// The file picker's `accept` list: every allowed type and extension.
pub fn accept() -> String {
    let mut list: Vec<String> = Vec::new();
    for (mime, extensions) in ATTACHMENT_TYPES {
        list.push(mime.to_owned());
        list.extend(extensions.iter().map(|e| format!(".{e}")));
    }
    list.join(",")
}
