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
use crate::state::part;

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
        self.saved.update(part::ATTRIBUTES, |a| {
            attributes.write_over(a.get_or_insert_with(ContactAttributes::default).slots_mut());
        });
    }

    /// The visitor rated the resolved conversation: the rating gets its idempotency id now.
    pub fn rate(self, rating: Rating, comment: String) {
        let comment = Some(comment.trim().to_owned()).filter(|c| !sapa_protocol::validate::is_blank(c));
        let request = RateConversation { client_id: ClientId(new_client_id()), rating, comment };
        self.saved.set(part::RATING, Some((request, false)));
    }

    /// Starts the one effect that sends what waits. One request of each kind is in flight at a time; a
    /// failure that may pass is tried again after a reconnect or [`AGAIN_AFTER`], one that cannot is dropped
    /// (with a notice for a rating, a console line for attributes).
    pub(crate) fn send_extras_when_ready(self) {
        let waiting = Memo::new(move |_| {
            let token = self.saved.with(part::SESSION, |s| s.as_ref().map(|s| s.token.clone()));
            let unsent = self.saved.with(part::RATING, |r| r.clone().filter(|(_, sent)| !sent).map(|(r, _)| r));
            (token, self.saved.get(part::ATTRIBUTES), unsent)
        });
        let in_flight = StoredValue::new((false, false));
        let again = Trigger::new();
        Effect::new(move |_| {
            again.track();
            // A reconnect is the next chance after a failure that may pass.
            self.connection.track();
            let (Some(token), attributes, rating) = waiting.get() else { return };
            if self.notices.refused_for_good() {
                return;
            }
            let retry = move || set_timeout(move || again.notify(), AGAIN_AFTER);
            if let Some(attributes) = attributes.filter(|_| !in_flight.get_value().0) {
                in_flight.update_value(|f| f.0 = true);
                let (api, token) = (self.site.api(), token.clone());
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
                            self.saved.update(part::ATTRIBUTES, |a| *a = a.take().filter(|a| *a != attributes));
                        }
                    }
                });
            }
            if let Some(rating) = rating.filter(|_| !in_flight.get_value().1) {
                in_flight.update_value(|f| f.1 = true);
                let api = self.site.api();
                spawn_local(async move {
                    let result = api.rate(&token, &rating).await;
                    in_flight.update_value(|f| f.1 = false);
                    match result {
                        Ok(sent) => {
                            // Unless the chat was reset or replaced meanwhile.
                            if self.saved.answers_to(&token) {
                                self.saved.update(part::THREAD, |t| {
                                    let id = sent.message.id.clone();
                                    t.merge(vec![sent.message]);
                                    t.mark_rated(&id, &rating);
                                });
                                self.saved.set(part::RATING, Some((rating, true)));
                            }
                            self.notices.resolved(Cause::Rating);
                        }
                        Err(f) if self.refused(&f) => {}
                        Err(f) if f.is_retryable() => {
                            self.notices.tell(Cause::Offline, self.site.t().not_connected);
                            retry();
                        }
                        Err(_) => {
                            self.saved.set(part::RATING, None);
                            self.notices.tell(Cause::Rating, self.site.t().not_sent);
                        }
                    }
                });
            }
        });
    }
}
