//! The chat's live connection: one stream socket while there is a session, reconnected with backoff and
//! jitter, resumed from the last cursor so nothing is missed or repeated, closed while the device is
//! offline and reopened the moment it is back. Replaces polling: an idle visitor costs one heartbeat a
//! minute or so, answered at the edge without waking anything.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::backoff::Backoff;
use sapa_protocol::stream::{Frame, CLOSE_FORBIDDEN, CLOSE_SESSION_ENDED, PING, PONG};

use crate::chat::Chat;
use crate::hooks::use_tab_leader::use_tab_leader;
use crate::socket::Socket;

/// How often a live socket is checked: a ping goes out, and a socket that did not answer the last one
/// is replaced (a half-open connection otherwise looks fine until the first reply is lost).
pub const HEARTBEAT: Duration = Duration::from_secs(25);
/// Reconnects after 0.5 s, 1 s, 2 s … up to 30 s.
const RECONNECT: Backoff = Backoff { first_ms: 500, max_ms: 30_000 };

/// What the visitor is told about the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// No session yet (nothing to listen to).
    Idle,
    Connecting,
    Live,
    /// The device is offline; the socket reopens when it is back.
    Offline,
}

/// The socket and its bookkeeping. `generation` tells a current socket's callbacks from a replaced one's.
#[derive(Default)]
pub struct Link {
    socket: Option<Socket>,
    generation: u64,
    attempt: u32,
    awaiting_pong: bool,
    retry: Option<TimeoutHandle>,
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

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
    /// Starts listening: the heartbeat, the online/offline events, and the socket if there is a session.
    pub(crate) fn listen(self) {
        set_interval(move || self.heartbeat(), HEARTBEAT);
        let _ = window_event_listener(leptos::ev::online, move |_| {
            self.link.update_value(|l| l.attempt = 0);
            self.go_live();
            self.flush();
        });
        let _ = window_event_listener(leptos::ev::offline, move |_| self.drop_socket(Connection::Offline));
        // The socket opens once this tab holds the stream for the site's tabs.
        let site = self.site_id();
        let tabs = use_tab_leader(&format!("sapa:{site}"), move |text| self.apply_frame(&text));
        self.tabs.set_value(Some(tabs));
        Effect::new(move |_| {
            if tabs.leader.get() {
                self.go_live();
            }
        });
        self.adopt_from_other_tabs(&site);
    }

    /// Opens the socket unless one is open, the device is offline, there is no session, or another tab holds
    /// the stream (this one then hears it through the channel).
    pub(crate) fn go_live(self) {
        if !online() {
            return self.connection.set(Connection::Offline);
        }
        let leads = self.tabs.with_value(|t| t.is_some_and(|t| t.leader.get_untracked()));
        if !leads || self.refusal.get_untracked().is_some() {
            return;
        }
        let Some(session) = self.saved.with_untracked(|s| s.session.clone()) else {
            return self.connection.set(Connection::Idle);
        };
        if self.link.with_value(|l| l.socket.is_some()) {
            return;
        }
        let cursor = self.saved.with_untracked(|s| s.thread.cursor.clone());
        let url = stream_url(&self.api_base(), session.conversation_id.as_str(), cursor.as_deref());
        let generation = self.link.with_value(|l| l.generation) + 1;
        // Close events are handled after the handler returns: handling one drops the socket (and the handler).
        let opened = Socket::open(
            &url,
            session.token.as_str(),
            move |text| self.on_frame(generation, &text),
            move |code| spawn_local(async move { self.on_closed(generation, code) }),
        );
        self.link.update_value(|l| {
            if let Some(retry) = l.retry.take() {
                retry.clear();
            }
            l.generation = generation;
            l.awaiting_pong = false;
            l.socket = opened.ok();
        });
        if self.link.with_value(|l| l.socket.is_some()) {
            self.connection.set(Connection::Connecting);
        } else {
            self.retry_later();
        }
    }

    fn on_frame(self, generation: u64, text: &str) {
        if self.link.with_value(|l| l.generation != generation) {
            return;
        }
        self.link.update_value(|l| l.awaiting_pong = false);
        if text == PONG {
            return;
        }
        self.tabs.with_value(|t| t.iter().for_each(|t| t.share(text)));
        self.apply_frame(text);
    }

    /// One event from the stream, heard on this tab's socket or passed on by the tab that holds it.
    pub(crate) fn apply_frame(self, text: &str) {
        let Some(event) = crate::json::from_str::<Frame>(text).ok().and_then(Frame::into_event) else {
            return;
        };
        let applied = self.saved.try_update(|s| crate::stream_state::apply(s, event)).unwrap_or_default();
        if let Some(news) = applied.news {
            self.emit("message", message_detail(&news));
            self.alert();
            if !self.open.get_untracked() {
                self.unread.update(|n| *n += applied.fresh);
                if news.author.kind == sapa_protocol::AuthorKind::Agent {
                    let author = news.author.name.clone().unwrap_or_else(|| self.t().agent.to_owned());
                    let text = news.attachment.map_or(news.text, |a| a.name);
                    self.preview.set(Some((author, text)));
                }
            }
        }
        if applied.ready {
            self.link.update_value(|l| l.attempt = 0);
            self.connection.set(Connection::Live);
            self.resolved(crate::notice::Cause::Offline);
            // Anything written while the connection was down goes out now.
            self.flush();
        }
    }

    fn on_closed(self, generation: u64, code: u16) {
        if self.link.with_value(|l| l.generation != generation) {
            return;
        }
        self.link.update_value(|l| l.socket = None);
        match code {
            // The session is over (expired, revoked): the next message starts a new one.
            CLOSE_SESSION_ENDED => {
                self.saved.update(|s| {
                    s.session = None;
                    s.thread.cursor = None;
                });
                self.connection.set(Connection::Idle);
            }
            // This page may not use this conversation: retrying cannot help.
            CLOSE_FORBIDDEN => self.connection.set(Connection::Idle),
            _ => self.retry_later(),
        }
    }

    /// Tries again after 0.5 s, 1 s, 2 s … up to 30 s, each with jitter so a fleet of widgets that lost
    /// the edge together does not return together.
    fn retry_later(self) {
        let attempt = self.link.with_value(|l| l.attempt);
        let delay = RECONNECT.delay_ms(attempt, js_sys::Math::random());
        let handle = set_timeout_with_handle(
            move || {
                self.link.update_value(|l| l.retry = None);
                self.go_live();
            },
            Duration::from_millis(delay),
        )
        .ok();
        self.link.update_value(|l| {
            l.attempt += 1;
            if let Some(old) = std::mem::replace(&mut l.retry, handle) {
                old.clear();
            }
        });
        self.connection.set(if online() { Connection::Connecting } else { Connection::Offline });
    }

    pub(crate) fn drop_socket(self, now: Connection) {
        self.link.update_value(|l| {
            l.socket = None;
            l.generation += 1;
        });
        self.connection.set(now);
    }

    fn heartbeat(self) {
        let dead = self.link.with_value(|l| l.socket.is_some() && l.awaiting_pong);
        if dead {
            self.drop_socket(Connection::Connecting);
            return self.go_live();
        }
        self.link.update_value(|l| {
            if let Some(socket) = &l.socket {
                socket.send(PING);
                l.awaiting_pong = true;
            }
        });
        if self.saved.with_untracked(|s| s.thread.outbox().next().is_some()) {
            self.flush();
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
