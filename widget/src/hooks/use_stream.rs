//! One WebSocket kept open: reconnected with backoff and jitter, replaced when it stops answering the
//! heartbeat, closed while the device is offline and reopened the moment it is back. The hook knows nothing of
//! what the socket carries: frames go to `on_frame`, a close goes to `on_closed` (which says whether to try
//! again), and each new attempt asks `reconnect` to call [`UseStream::connect`] with a fresh address.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::backoff::Backoff;
use sapa_protocol::stream::{PING, PONG};

use crate::socket::Socket;

/// How often an open socket is checked: a ping goes out, and a socket that did not answer the last one is
/// replaced (a half-open connection otherwise looks fine until the first reply is lost).
pub const HEARTBEAT: Duration = Duration::from_secs(25);
/// Reconnects after 0.5 s, 1 s, 2 s … up to 30 s.
const RECONNECT: Backoff = Backoff { first_ms: 500, max_ms: 30_000 };

/// What the visitor is told about the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Nothing to listen to (no session, or this page may not).
    Idle,
    Connecting,
    /// Open and caught up ([`UseStream::ready`]).
    Live,
    /// The device is offline; the socket reopens when it is back.
    Offline,
}

/// The socket and its bookkeeping. `generation` tells a current socket's callbacks from a replaced one's.
#[derive(Default)]
struct Link {
    socket: Option<Socket>,
    generation: u64,
    attempt: u32,
    awaiting_pong: bool,
    retry: Option<TimeoutHandle>,
}

/// The stream's handle: connect, close, and say when the other side has caught the widget up.
#[derive(Clone, Copy)]
pub struct UseStream {
    link: StoredValue<Link, LocalStorage>,
    state: RwSignal<Connection>,
    on_frame: Callback<String>,
    on_closed: Callback<u16, bool>,
    reconnect: Callback<()>,
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Keeps `state` in step with the socket. `on_frame` gets every frame but the heartbeat's answers;
/// `on_closed(code)` answers whether to try again; `reconnect` is called for each new attempt.
pub fn use_stream(
    state: RwSignal<Connection>,
    on_frame: Callback<String>,
    on_closed: Callback<u16, bool>,
    reconnect: Callback<()>,
) -> UseStream {
    let stream = UseStream { link: StoredValue::new_local(Link::default()), state, on_frame, on_closed, reconnect };
    set_interval(move || stream.heartbeat(), HEARTBEAT);
    let _ = window_event_listener(leptos::ev::online, move |_| {
        stream.link.update_value(|l| l.attempt = 0);
        stream.reconnect.run(());
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| stream.close(Connection::Offline));
    stream
}

impl UseStream {
    /// Opens `url` (the token offered as a subprotocol) unless a socket is open or the device is offline.
    pub fn connect(self, url: &str, token: &str) {
        if !online() {
            return self.state.set(Connection::Offline);
        }
        if self.link.with_value(|l| l.socket.is_some()) {
            return;
        }
        let generation = self.link.with_value(|l| l.generation) + 1;
        // Close events are handled after the handler returns: handling one drops the socket (and the handler).
        let opened = Socket::open(
            url,
            token,
            move |text| self.heard(generation, text),
            move |code| spawn_local(async move { self.closed(generation, code) }),
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
            self.state.set(Connection::Connecting);
        } else {
            self.retry_later();
        }
    }

    /// The other side caught the widget up: the stream is live, and the next failure starts the backoff over.
    pub fn ready(self) {
        self.link.update_value(|l| l.attempt = 0);
        self.state.set(Connection::Live);
    }

    /// Drops the socket (its callbacks can no longer report) and says why.
    pub fn close(self, now: Connection) {
        self.link.update_value(|l| {
            l.socket = None;
            l.generation += 1;
        });
        self.state.set(now);
    }

    fn heard(self, generation: u64, text: String) {
        if self.link.with_value(|l| l.generation != generation) {
            return;
        }
        self.link.update_value(|l| l.awaiting_pong = false);
        if text != PONG {
            self.on_frame.run(text);
        }
    }

    fn closed(self, generation: u64, code: u16) {
        if self.link.with_value(|l| l.generation != generation) {
            return;
        }
        self.link.update_value(|l| l.socket = None);
        if self.on_closed.run(code) {
            self.retry_later();
        }
    }

    /// Tries again after the backoff, with jitter so a fleet of widgets that lost the edge together does not
    /// return together.
    fn retry_later(self) {
        let attempt = self.link.with_value(|l| l.attempt);
        let delay = RECONNECT.delay_ms(attempt, js_sys::Math::random());
        let handle = set_timeout_with_handle(
            move || {
                self.link.update_value(|l| l.retry = None);
                self.reconnect.run(());
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
        self.state.set(if online() { Connection::Connecting } else { Connection::Offline });
    }

    fn heartbeat(self) {
        if self.link.with_value(|l| l.socket.is_some() && l.awaiting_pong) {
            self.close(Connection::Connecting);
            return self.reconnect.run(());
        }
        self.link.update_value(|l| {
            if let Some(socket) = &l.socket {
                socket.send(PING);
                l.awaiting_pong = true;
            }
        });
    }
}
