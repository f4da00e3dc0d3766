//! The conversation as a plain-text file the visitor can keep: one line per message with its time and
//! author, attachments as their addresses.

use sapa_protocol::{AuthorKind, Rating};
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::Strings;
use crate::thread::ChatMessage;

/// The transcript's text.
pub fn text(title: &str, messages: &[ChatMessage], t: &Strings) -> String {
    let mut out = format!("{title}\n\n");
    for m in messages {
        let when: String = js_sys::Date::new(&JsValue::from_f64(m.created_at as f64))
            .to_locale_string(t.tag, &JsValue::UNDEFINED)
            .into();
        match (m.author.kind, &m.rated) {
            // The visitor's rating, in their words, as they saw it.
            (_, Some(_)) => out.push_str(&format!("[{when}] {}: {}\n", t.you, shown_text(m, t))),
            // A line from the system has no speaker.
            (AuthorKind::System, None) => out.push_str(&format!("[{when}] {}\n", m.text)),
            _ => {
                let who = if m.is_visitor() {
                    t.you.to_owned()
                } else {
                    m.author.name.clone().unwrap_or_else(|| t.agent.to_owned())
                };
                out.push_str(&format!("[{when}] {who}: {}\n", m.text));
            }
        }
        if let Some(file) = &m.attachment {
            out.push_str(&format!("    {} <{}>\n", file.name, file.url));
        }
    }
    out
}

/// A message's text as the visitor sees it: their own rating in their language, anything else as written.
pub fn shown_text(m: &ChatMessage, t: &Strings) -> String {
    let Some(rated) = &m.rated else { return m.text.clone() };
    let verdict = if rated.rating == Rating::Good { t.rate_good } else { t.rate_bad };
    match &rated.comment {
        Some(comment) => format!("{} {verdict}\n“{comment}”", t.you_rated),
        None => format!("{} {verdict}", t.you_rated),
    }
}

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, text: &str) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&JsValue::from_str(text)), &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}
