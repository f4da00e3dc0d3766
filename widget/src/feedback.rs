//! The site's contact attributes (`Sapa('setAttributes', …)`) and the visitor's rating. Both are kept in
//! the saved state until the edge confirms them, so a reload or an offline moment loses neither; they go out
//! once there is a session (the widget never opens one just for them).

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::{ClientId, ContactAttributes, RateConversation, Rating, Validate};
use wasm_bindgen::{JsCast, JsValue};

use crate::chat::Chat;
use crate::ids::new_client_id;
use crate::notice::Cause;

/// Reads `Sapa('setAttributes', {...})`'s object field by field. An unknown field, a value that is not a
/// string, or a value the edge would refuse is a message for the site owner's console, and nothing is sent.
pub fn attributes_from_js(value: &JsValue) -> Result<ContactAttributes, String> {
    if !value.is_object() {
        return Err("setAttributes takes an object".into());
    }
    let mut attributes = ContactAttributes::default();
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()) {
        let text = js_sys::Reflect::get(value, &JsValue::from_str(&key)).ok().and_then(|v| v.as_string());
        let Some(slot) = attributes.field_mut(&key) else {
            return Err(format!("unknown attribute {key:?} (known: {})", ContactAttributes::FIELDS.join(", ")));
        };
        *slot = Some(text.ok_or_else(|| format!("{key} must be a string"))?);
    }
    attributes.validate().map_err(|e| format!("{}: {}", e.field, e.message))?;
    Ok(attributes)
}

impl Chat {
    /// Remembers the attributes (on top of any not yet sent) and sends them if there is a session.
    pub fn set_attributes(self, attributes: ContactAttributes) {
        self.saved.update(|s| {
            attributes.write_over(s.attributes.get_or_insert_with(ContactAttributes::default).slots_mut());
        });
        self.send_extras();
    }

    /// The visitor rated the resolved conversation: the rating gets its idempotency id now.
    pub fn rate(self, rating: Rating, comment: String) {
        let comment = Some(comment.trim().to_owned()).filter(|c| !sapa_protocol::validate::is_blank(c));
        let request = RateConversation { client_id: ClientId(new_client_id()), rating, comment };
        self.saved.update(|s| s.rating = Some((request, false)));
        self.send_extras();
    }

    /// Sends what is waiting, if there is a session. A failure that may pass leaves it for the next try (the
    /// next flush, reconnect or page load); one that cannot is dropped, with a notice for a rating.
    pub(crate) fn send_extras(self) {
        let Some(token) = self.saved.with_untracked(|s| s.session.as_ref().map(|s| s.token.clone())) else {
            return;
        };
        let api = self.api();
        if let Some(attributes) = self.saved.with_untracked(|s| s.attributes.clone()) {
            let api = api.clone();
            let token = token.clone();
            spawn_local(async move {
                match api.set_attributes(&token, &attributes).await {
                    Err(f) if f.is_retryable() => {}
                    result => {
                        if let Err(f) = result {
                            web_sys::console::warn_1(&format!("Sapa: setAttributes was refused: {f:?}").into());
                        }
                        // Only what was sent is cleared: attributes set meanwhile stay for the next try.
                        self.saved.update(|s| s.attributes = s.attributes.take().filter(|a| *a != attributes));
                    }
                }
            });
        }
        if let Some((rating, false)) = self.saved.with_untracked(|s| s.rating.clone()) {
            spawn_local(async move {
                match api.rate(&token, &rating).await {
                    Ok(sent) => {
                        self.saved.update(|s| {
                            let id = sent.message.id.clone();
                            s.thread.merge(vec![sent.message]);
                            s.thread.mark_rated(&id, &rating);
                            s.rating = Some((rating, true));
                        });
                        self.resolved(Cause::Rating);
                    }
                    Err(f) if self.refused(&f) => {}
                    Err(f) if f.is_retryable() => self.tell(Cause::Offline, self.t().not_connected),
                    Err(_) => {
                        self.saved.update(|s| s.rating = None);
                        self.tell(Cause::Rating, self.t().not_sent);
                    }
                }
            });
        }
    }
}
