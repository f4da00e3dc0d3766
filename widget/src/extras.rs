//! The site's contact attributes (`Sapa('setAttributes', …)`) and the visitor's rating. Both are kept in
//! the saved state until the edge confirms them, so a reload or an offline moment loses neither. One effect
//! sends them whenever something waits and there is a session (the widget never opens one just for them):
//! at once, after a reconnect, or shortly after a failure that may pass.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::{ClientId, ContactAttributes, RateConversation, Rating, Validate};
use wasm_bindgen::{JsCast, JsValue};

use crate::chat::Chat;
use crate::ids::new_client_id;
use crate::notice::Cause;

/// How soon a failure that may pass is tried again.
const AGAIN_AFTER: Duration = Duration::from_secs(5);

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
            return Err(format!("unknown attribute \"{key}\" (known: {})", ContactAttributes::FIELDS.join(", ")));
        };
        *slot = Some(text.ok_or_else(|| format!("{key} must be a string"))?);
    }
    attributes.validate().map_err(|e| format!("{}: {}", e.field, e.message))?;
    Ok(attributes)
}

impl Chat {
    /// Remembers the attributes (on top of any not yet sent); the effect sends them.
    pub fn set_attributes(self, attributes: ContactAttributes) {
        self.saved.update(|s| {
            attributes.write_over(s.attributes.get_or_insert_with(ContactAttributes::default).slots_mut());
        });
    }

    /// The visitor rated the resolved conversation: the rating gets its idempotency id now.
    pub fn rate(self, rating: Rating, comment: String) {
        let comment = Some(comment.trim().to_owned()).filter(|c| !sapa_protocol::validate::is_blank(c));
        let request = RateConversation { client_id: ClientId(new_client_id()), rating, comment };
        self.saved.update(|s| s.rating = Some((request, false)));
    }

    /// Starts the one effect that sends what waits. One request of each kind is in flight at a time; a
    /// failure that may pass is tried again after a reconnect or [`AGAIN_AFTER`], one that cannot is dropped
    /// (with a notice for a rating, a console line for attributes).
    pub(crate) fn send_extras_when_ready(self) {
        let waiting = Memo::new(move |_| {
            self.saved.with(|s| {
                let token = s.session.as_ref().map(|s| s.token.clone());
                (token, s.attributes.clone(), s.rating.clone().filter(|(_, sent)| !sent).map(|(r, _)| r))
            })
        });
        let in_flight = StoredValue::new((false, false));
        let again = Trigger::new();
        Effect::new(move |_| {
            again.track();
            // A reconnect is the next chance after a failure that may pass.
            self.connection.track();
            let (Some(token), attributes, rating) = waiting.get() else { return };
            if self.refusal.get_untracked().is_some() {
                return;
            }
            let retry = move || set_timeout(move || again.notify(), AGAIN_AFTER);
            if let Some(attributes) = attributes.filter(|_| !in_flight.get_value().0) {
                in_flight.update_value(|f| f.0 = true);
                let (api, token) = (self.api(), token.clone());
                spawn_local(async move {
                    let result = api.set_attributes(&token, &attributes).await;
                    in_flight.update_value(|f| f.0 = false);
                    match result {
                        Err(f) if f.is_retryable() => retry(),
                        result => {
                            if let Err(f) = result {
                                web_sys::console::warn_1(&format!("Sapa: setAttributes was refused: {f}").into());
                            }
                            // Only what was sent is cleared: attributes set meanwhile stay for the next try.
                            self.saved.update(|s| s.attributes = s.attributes.take().filter(|a| *a != attributes));
                        }
                    }
                });
            }
            if let Some(rating) = rating.filter(|_| !in_flight.get_value().1) {
                in_flight.update_value(|f| f.1 = true);
                let api = self.api();
                spawn_local(async move {
                    let result = api.rate(&token, &rating).await;
                    in_flight.update_value(|f| f.1 = false);
                    match result {
                        Ok(sent) => {
                            self.saved.update(|s| {
                                if !s.answers_to(&token) {
                                    return; // the chat was reset or replaced meanwhile
                                }
                                let id = sent.message.id.clone();
                                s.thread.merge(vec![sent.message]);
                                s.thread.mark_rated(&id, &rating);
                                s.rating = Some((rating, true));
                            });
                            self.resolved(Cause::Rating);
                        }
                        Err(f) if self.refused(&f) => {}
                        Err(f) if f.is_retryable() => {
                            self.tell(Cause::Offline, self.t().not_connected);
                            retry();
                        }
                        Err(_) => {
                            self.saved.update(|s| s.rating = None);
                            self.tell(Cause::Rating, self.t().not_sent);
                        }
                    }
                });
            }
        });
    }
}
