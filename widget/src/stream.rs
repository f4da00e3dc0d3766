//! The stream (`parts::Conversation`): one socket (`hooks/use_stream.rs`) while there is a session and this tab
//! leads its site's tabs, resumed from the last cursor so nothing is missed or repeated, and what else waits for
//! a session (the attributes and the rating, `extras.rs`). Replaces polling: an idle visitor costs one
//! heartbeat a minute or so, answered at the edge without waking anything.

use leptos::prelude::*;
use sapa_protocol::stream::{Frame, CLOSE_FORBIDDEN, CLOSE_SESSION_ENDED};

use crate::chat::Chat;
use crate::hooks::use_stream::{use_stream, Connection};
use crate::state::part;
use crate::stream_state::Applied;

/// `http(s)://edge` → `ws(s)://edge/v1/stream?conversation=…&cursor=…`.
pub fn stream_url(api_base: &str, conversation: &str, cursor: Option<&str>) -> String {
    let base = api_base.trim_end_matches('/');
    let base = match base.split_once("://") {
        Some(("https", rest)) => format!("wss://{rest}"),
        Some((_, rest)) => format!("ws://{rest}"),
        None => base.to_owned(),
    };
    let encode = |v: &str| String::from(js_sys::encode_uri_component(v));
    let mut url = format!("{base}/v1/stream?conversation={}", encode(conversation));
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(&encode(cursor));
    }
    url
}

impl Chat {
    /// The part's entry: the first time, makes the socket's hook and starts sending what waits for a session;
    /// then applies the frames other tabs passed on, in order, and opens the socket if this tab should.
    pub(crate) fn run_stream_part(self) {
        if self.live.with_value(|l| l.stream.is_none()) {
            let owner = self.live.with_value(|l| l.owner.clone()).unwrap_or_default();
            owner.with(|| {
                let stream = use_stream(
                    self.connection,
                    Callback::new(move |text: String| {
                        self.tabs.with_value(|t| t.iter().for_each(|t| t.share(&text)));
                        self.apply_frame(&text);
                    }),
                    Callback::new(move |code| self.on_closed(code)),
                    Callback::new(move |()| self.connect()),
                );
                self.live.update_value(|l| l.stream = Some(stream));
                self.send_extras_when_ready();
            });
        }
        let heard = self.live.try_update_value(|l| std::mem::take(&mut l.heard)).unwrap_or_default();
        heard.iter().for_each(|text| self.apply_frame(text));
        self.connect();
    }

    /// Opens the socket unless one is open, the device is offline, there is no session, or another tab holds
    /// the stream (this one then hears it through the channel).
    fn connect(self) {
        let Some(stream) =
            self.live.with_value(|l| l.stream).filter(|_| self.leads() && !self.notices.refused_for_good())
        else {
            return;
        };
        let Some(session) = self.saved.get_untracked(part::SESSION) else {
            return self.connection.set(Connection::Idle);
        };
        let cursor = self.saved.get_untracked(part::CURSOR);
        stream.connect(
            &stream_url(&self.site.api_base(), session.conversation_id.as_str(), cursor.as_deref()),
            session.token.as_str(),
        );
    }

    /// One event from the stream, heard on this tab's socket or passed on by the tab that holds it.
    fn apply_frame(self, text: &str) {
        let Some(event) = crate::json::from_str::<Frame>(text).ok().and_then(Frame::into_event) else {
            return;
        };
        let mut applied = Applied::default();
        // Only an event that changes the conversation's messages wakes the views that show them.
        self.saved.maybe_update(part::THREAD, |t| {
            applied = crate::stream_state::apply(t, event);
            applied.messages_changed
        });
        if let Some(cursor) = applied.cursor.take() {
            self.saved.set(part::CURSOR, Some(cursor));
        }
        if let Some(status) = applied.status.filter(|s| self.saved.get_untracked(part::STATUS) != Some(*s)) {
            self.saved.set(part::STATUS, Some(status));
        }
        if let Some(news) = applied.news {
            self.emit("message", message_detail(&news));
            self.alerts.alert();
            let agent = self.site.t().agent;
            self.shown.arrived(applied.fresh, move || {
                (news.author.kind == sapa_protocol::AuthorKind::Agent).then(|| {
                    let author = news.author.name.unwrap_or_else(|| agent.to_owned());
                    (author, news.attachment.map_or(news.text, |a| a.name))
                })
            });
        }
        if applied.ready {
            self.live.with_value(|l| l.stream.iter().for_each(|s| s.ready()));
            self.notices.resolved(crate::notice::Cause::Offline);
            // Anything written while the connection was down goes out now.
            self.flush();
        }
    }

    /// The socket closed: answers whether to try again.
    fn on_closed(self, code: u16) -> bool {
        match code {
            // The session is over (expired, revoked): the next message starts a new one.
            CLOSE_SESSION_ENDED => {
                self.saved.set(part::CURSOR, None);
                self.saved.set(part::SESSION, None);
                self.connection.set(Connection::Idle);
                false
            }
            // This page may not use this conversation: retrying cannot help.
            CLOSE_FORBIDDEN => {
                self.connection.set(Connection::Idle);
                false
            }
            _ => true,
        }
    }
}

/// `{text, author}` for the page's `message` listeners.
fn message_detail(message: &sapa_protocol::Message) -> wasm_bindgen::JsValue {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"text".into(), &message.text.as_str().into());
    let author = message.author.name.as_deref().map_or(wasm_bindgen::JsValue::NULL, Into::into);
    let _ = js_sys::Reflect::set(&detail, &"author".into(), &author);
    detail.into()
}
