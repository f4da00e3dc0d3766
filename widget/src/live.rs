//! The chat's live connection: one stream socket (`hooks/use_stream.rs`) while there is a session and this
//! tab leads its site's tabs, resumed from the last cursor so nothing is missed or repeated. Replaces polling:
//! an idle visitor costs one heartbeat a minute or so, answered at the edge without waking anything.

use leptos::prelude::*;
use sapa_protocol::stream::{Frame, CLOSE_FORBIDDEN, CLOSE_SESSION_ENDED};

use crate::chat::Chat;
pub use crate::hooks::use_stream::Connection;
use crate::hooks::use_stream::{use_stream, HEARTBEAT};
use crate::hooks::use_tab_leader::use_tab_leader;
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
    /// Starts listening: the stream (opened once this tab leads), the site's tabs, and the outbox's retries.
    pub(crate) fn listen(self) {
        let stream = use_stream(
            self.connection,
            Callback::new(move |text: String| {
                self.tabs.with_value(|t| t.iter().for_each(|t| t.share(&text)));
                self.apply_frame(&text);
            }),
            Callback::new(move |code| self.on_closed(code)),
            Callback::new(move |()| self.go_live()),
        );
        self.stream.set_value(Some(stream));
        // Messages left in the outbox go out with the heartbeat, and the moment the device is back online.
        let retry_outbox = move || {
            if self.saved.with_untracked(part::THREAD, |t| t.outbox().next().is_some()) {
                self.flush();
            }
        };
        set_interval(retry_outbox, HEARTBEAT);
        let _ = window_event_listener(leptos::ev::online, move |_| self.flush());
        let site = self.site.id();
        let tabs = use_tab_leader(&format!("sapa:{site}"), move |text| self.apply_frame(&text));
        self.tabs.set_value(Some(tabs));
        // The stream follows the session and the lead: a session opened here or by another tab, or this tab
        // taking the lead, opens it (a session that ended leaves it idle).
        Effect::new(move |_| {
            self.saved.with(part::SESSION, |_| ());
            if tabs.leader.get() {
                self.go_live();
            }
        });
        self.adopt_from_other_tabs(&site);
    }

    /// Opens the socket unless one is open, the device is offline, there is no session, or another tab holds
    /// the stream (this one then hears it through the channel).
    pub(crate) fn go_live(self) {
        let leads = self.tabs.with_value(|t| t.is_some_and(|t| t.leader.get_untracked()));
        let Some(stream) = self.stream.get_value().filter(|_| leads && !self.notices.refused_for_good()) else {
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
    pub(crate) fn apply_frame(self, text: &str) {
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
            self.stream.with_value(|s| s.iter().for_each(|s| s.ready()));
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

    pub(crate) fn drop_socket(self, now: Connection) {
        match self.stream.get_value() {
            Some(stream) => stream.close(now),
            None => self.connection.set(now),
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
