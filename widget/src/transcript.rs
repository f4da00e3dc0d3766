//! The conversation as a plain-text file the visitor can keep: one line per message with its time and
//! author, attachments as their addresses.

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
        let who = if m.is_visitor() { t.you.to_owned() } else { m.author.name.clone().unwrap_or_else(|| t.agent.to_owned()) };
        out.push_str(&format!("[{when}] {who}: {}\n", m.text));
        if let Some(file) = &m.attachment {
            out.push_str(&format!("    {} <{}>\n", file.name, file.url));
        }
    }
    out
}

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, text: &str) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&JsValue::from_str(text)), &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}
