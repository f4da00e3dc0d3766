//! `ConversationHub`: the Durable Object for one conversation. It holds the visitor's sockets with the
//! hibernation API (so an idle conversation costs nothing), answers heartbeats without waking, keeps the
//! event log, and closes sockets whose session has ended.

use std::cell::{Cell, RefCell};

use sapa_protocol::stream::{self, PING, PONG, SUBPROTOCOL};
use sapa_protocol::{ErrorCode, StreamEvent};
use worker::{
    console_error, console_warn, durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, WebSocketRequestResponsePair,
};

use super::core_reads::SharedReads;
use super::hub_store::SqlHubStore;
use super::hubs::{self, SocketAuth};
use crate::config::Sites;
use crate::core::{Profile, Realtime};
use crate::realtime::claims::{self, Claim};
use crate::realtime::hub::{self as logic, CatchUp, HubStore};
use crate::realtime::{HubAnswer, HubCall, Outcome};

/// Sockets' sessions are checked again at least this often (a rotated secret or a removed site ends them).
const RECHECK_MS: i64 = 60 * 60 * 1000;

#[durable_object]
pub struct ConversationHub {
    state: State,
    env: Env,
    store: RefCell<SqlHubStore>,
    reads: SharedReads,
    /// `SITES`, read once: the configuration only changes with a deploy, which starts new objects.
    sites: Sites,
    /// Whether the conversation's platform pushes (see `pushed`), once its site is known: a hub's site
    /// never changes.
    pushing: Cell<Option<bool>>,
}

fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// A new name for the hub's numbering: cursors from before it are recognised as not ours.
fn new_epoch() -> String {
    format!("{:x}{:04x}", now_ms(), (js_sys::Math::random() * 65536.0) as u32)
}

fn json<T: serde::Serialize>(value: &T) -> Result<Response> {
    Response::from_json(value)
}

impl ConversationHub {
    fn webhooks(&self) -> bool {
        super::env::webhooks_on(&self.env)
    }

    /// Whether the conversation's platform pushes every reply to the edge and gives no history back: then
    /// this hub's log is its whole record, kept in full, and the core is never read.
    fn pushed(&self) -> bool {
        if let Some(known) = self.pushing.get() {
            return known;
        }
        let Some(site) = self.store.borrow().meta().site else { return false };
        let pushed =
            self.sites.get(&site).is_some_and(|s| crate::core::capabilities(s.core).realtime == Realtime::Push);
        self.pushing.set(Some(pushed));
        pushed
    }

    /// Whether the log is complete while no widget is connected (webhooks, or a pushing platform).
    fn reported(&self) -> bool {
        self.webhooks() || self.pushed()
    }

    /// Sockets that are open (a closing one may still be listed during its close event).
    fn sockets(&self) -> Vec<WebSocket> {
        self.state.get_websockets().into_iter().filter(|ws| ws.as_ref().ready_state() == 1).collect()
    }

    fn send(ws: &WebSocket, event: &StreamEvent) {
        if let Err(e) = ws.send_with_str(serde_json::to_string(event).expect("events serialize")) {
            console_error!("hub send failed: {e}");
        }
    }

    /// Pushes events to every socket whose session is still valid; expired ones are closed instead.
    fn broadcast(&self, events: &[StreamEvent]) {
        if events.is_empty() {
            return;
        }
        let now_s = now_ms() / 1000;
        for ws in self.sockets() {
            match attachment(&ws) {
                Some(auth) if auth.exp > now_s => events.iter().for_each(|e| Self::send(&ws, e)),
                _ => close(&ws, ErrorCode::TokenExpired),
            }
        }
    }

    fn conversation(&self) -> Option<String> {
        self.store.borrow().get("conversation")
    }

    async fn ingest(&self, call: HubCall) -> Result<Response> {
        let webhooks = self.webhooks();
        let (outcome, events) = {
            let mut store = self.store.borrow_mut();
            logic::apply_call(&mut *store, call, |s| self.sites.contains_key(s), webhooks, now_ms())
        };
        if self.pushed() {
            logic::keep_everything(&mut *self.store.borrow_mut());
        }
        self.broadcast(&events);
        json(&HubAnswer { outcome, connected: self.sockets().len() })
    }

    async fn accept_visitor(&self, req: Request) -> Result<Response> {
        let header = |name: &str| req.headers().get(name).ok().flatten();
        let (site, conversation) =
            (header(hubs::SITE_HEADER).unwrap_or_default(), header(hubs::CONVERSATION_HEADER).unwrap_or_default());
        let auth: SocketAuth = serde_json::from_str(&header(hubs::SOCKET_HEADER).unwrap_or_default())?;
        let owner = header(hubs::OWNER_HEADER);
        let offered_ours = header(hubs::SUBPROTOCOL_HEADER).is_some();
        let cursor = crate::query::param(&req.inner().url(), "cursor");
        logic::register(&mut *self.store.borrow_mut(), &site, false, self.webhooks());
        let pushed = self.pushed();
        if pushed {
            logic::keep_everything(&mut *self.store.borrow_mut());
        }
        let owned = || logic::owned_by(&self.store.borrow().meta(), owner.as_deref());
        let pair = WebSocketPair::new()?;
        // A token from a session that does not own this hub names an earlier conversation with the same id
        // (checked again after the core read, during which a new owner may have claimed the hub).
        let events =
            if owned() { self.catch_up(&conversation, cursor.as_deref()).await } else { Err(ErrorCode::TokenInvalid) };
        let events = events.and_then(|events| if owned() { Ok(events) } else { Err(ErrorCode::TokenInvalid) });
        self.state.accept_web_socket(&pair.server);
        match events {
            Ok(events) => {
                pair.server.serialize_attachment(serde_json::to_string(&auth)?)?;
                events.iter().for_each(|e| Self::send(&pair.server, e));
                // On every accept, not only the first: the last other socket may have closed (and unwatched)
                // while this one waited for the core. Watching twice is harmless.
                if !pushed {
                    hubs::watch(&self.env, &conversation, true).await;
                }
                self.schedule_recheck(auth.exp).await?;
            }
            Err(code) => close(&pair.server, code),
        }
        let resp = Response::from_websocket(pair.client)?;
        if offered_ours {
            resp.headers().set("Sec-WebSocket-Protocol", SUBPROTOCOL)?;
        }
        Ok(resp)
    }

    /// What a connecting widget is sent. The core is read first (one read shared by a burst of upgrades), so
    /// whatever the webhooks missed is logged and pushed to every widget; then the widget gets the log after
    /// its cursor, or the core's whole list when the log does not reach back that far.
    async fn catch_up(
        &self,
        conversation: &str,
        cursor: Option<&str>,
    ) -> std::result::Result<Vec<StreamEvent>, ErrorCode> {
        if self.pushed() {
            return Ok(logic::catch_up_from_log(&*self.store.borrow(), cursor));
        }
        let site = self.store.borrow().meta().site.unwrap_or_default();
        let mut from = {
            let store = self.store.borrow();
            match logic::catch_up(&*store, cursor) {
                CatchUp::Log(_) => logic::reconcile_from(&store.meta()),
                CatchUp::Core { .. } => None,
            }
        };
        loop {
            let found = match self.reads.read(&self.env, &self.sites, &site, conversation, from, now_ms()).await {
                Ok(found) => found,
                // The core is down: a widget the log can serve is served from it (the next connect or the
                // sweep reconciles); only one that needs the core's list is told to come back later.
                Err(code) => {
                    return match logic::catch_up(&*self.store.borrow(), cursor) {
                        CatchUp::Log(events) => Ok(events),
                        CatchUp::Core { .. } => Err(code),
                    }
                }
            };
            let (messages, reached) = &*found;
            let fresh = logic::reconciled(&mut *self.store.borrow_mut(), messages.clone(), *reached);
            self.broadcast(&fresh);
            let mut store = self.store.borrow_mut();
            match logic::catch_up(&*store, cursor) {
                CatchUp::Log(events) => return Ok(events),
                CatchUp::Core { since, known_up_to } if from.is_none() => {
                    let (events, others) = logic::after_core(&mut *store, since, known_up_to, messages.clone());
                    drop(store);
                    self.broadcast(&others);
                    return Ok(events);
                }
                // The log turned out not to reach back: read the whole list.
                CatchUp::Core { .. } => from = None,
            }
        }
    }

    async fn schedule_recheck(&self, exp_s: i64) -> Result<()> {
        let at = (exp_s * 1000).min(now_ms() + RECHECK_MS);
        let storage = self.state.storage();
        if storage.get_alarm().await?.is_none_or(|current| current > at) {
            storage.set_alarm(worker::ScheduledTime::new(js_sys::Date::new(&(at as f64).into()))).await?;
        }
        Ok(())
    }
}

fn events_of(messages: Vec<sapa_protocol::Message>) -> Vec<StreamEvent> {
    messages.into_iter().map(|message| StreamEvent::Message { cursor: None, message }).collect()
}

/// The session a socket was opened with (kept as JSON text, so no second serde backend is needed).
fn attachment(ws: &WebSocket) -> Option<SocketAuth> {
    let text: String = ws.deserialize_attachment().ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Ends a socket with the close code that tells the widget what to do, and the error code as the reason.
fn close(ws: &WebSocket, code: ErrorCode) {
    let _ = ws.close(Some(stream::close_code(code)), Some(code.as_str()));
}

impl DurableObject for ConversationHub {
    fn new(state: State, env: Env) -> Self {
        let mut store = SqlHubStore::open(state.storage().sql());
        let mut meta = store.meta();
        if meta.epoch.is_empty() {
            meta.epoch = new_epoch();
            store.set_meta(&meta);
        }
        // Heartbeats are answered by the runtime without waking the object.
        if let Ok(pair) = WebSocketRequestResponsePair::new(PING, PONG) {
            state.set_websocket_auto_response(&pair);
        }
        let sites = super::env::sites(&env);
        Self { state, env, store: RefCell::new(store), reads: SharedReads::default(), sites, pushing: Cell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let conversation = req.headers().get(hubs::CONVERSATION_HEADER)?.unwrap_or_default();
        if !conversation.is_empty() && self.conversation().is_none() {
            self.store.borrow().set("conversation", &conversation);
        }
        match req.path().as_str() {
            "/connect" => self.accept_visitor(req).await,
            "/ingest" => self.ingest(super::http::internal_json(&mut req).await?).await,
            "/register" => {
                let body: hubs::Register = super::http::internal_json(&mut req).await?;
                let wiped = body
                    .owner
                    .as_deref()
                    .is_some_and(|owner| logic::claim(&mut *self.store.borrow_mut(), owner, new_epoch()));
                if wiped {
                    console_warn!("a new session was given a conversation id this hub knew: its old log is gone");
                    self.sockets().iter().for_each(|ws| close(ws, ErrorCode::TokenInvalid));
                    self.reads.forget();
                }
                logic::register(&mut *self.store.borrow_mut(), &body.site, true, self.webhooks());
                if let Some(profile) = body.profile {
                    claims::introduce(&mut *self.store.borrow_mut(), profile);
                }
                if self.pushed() {
                    logic::keep_everything(&mut *self.store.borrow_mut());
                }
                json(&HubAnswer { outcome: Outcome::Applied, connected: self.sockets().len() })
            }
            "/claim" => {
                let client_id: String = super::http::internal_json(&mut req).await?;
                // Answered as message events, as `/thread` is (see `hubs::claim`); 409 while another holds it.
                match claims::claim(&mut *self.store.borrow_mut(), &client_id, now_ms()) {
                    Claim::Recorded(message) => json(&events_of(vec![*message])),
                    Claim::Yours(introduce) => {
                        let resp = json(&events_of(Vec::new()))?;
                        let Profile { name, email } = introduce.unwrap_or_default();
                        for (header, value) in [(hubs::NAME_HEADER, name), (hubs::EMAIL_HEADER, email)] {
                            if let Some(value) = value {
                                resp.headers().set(header, &urlencoding::encode(&value))?;
                            }
                        }
                        Ok(resp)
                    }
                    Claim::Busy => Response::error("busy", 409),
                }
            }
            "/release" => {
                let client_id: String = super::http::internal_json(&mut req).await?;
                claims::release(&mut *self.store.borrow_mut(), &client_id);
                json(&())
            }
            "/thread" => json(&events_of(logic::thread(&*self.store.borrow()))),
            _ => Response::error("no such hub route", 404),
        }
    }

    async fn websocket_message(&self, _ws: WebSocket, _message: WebSocketIncomingMessage) -> Result<()> {
        // The widget only sends heartbeats, which never reach here; anything else is ignored.
        Ok(())
    }

    async fn websocket_close(&self, ws: WebSocket, _code: usize, _reason: String, _clean: bool) -> Result<()> {
        // Complete the closing handshake (the runtime may have done so already).
        let _ = ws.close(Some(1000), Some("bye"));
        if self.sockets().iter().all(|other| *other == ws) {
            logic::all_left(&mut *self.store.borrow_mut(), self.reported());
            if let Some(conversation) = self.conversation().filter(|_| !self.pushed()) {
                hubs::watch(&self.env, &conversation, false).await;
            }
        }
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        <Self as DurableObject>::websocket_close(self, ws, 1011, String::new(), false).await
    }

    /// Checks every socket's session again: expired, rotated-out or removed-site sessions are closed.
    async fn alarm(&self) -> Result<Response> {
        // One context (its secrets and keys) for every socket; only the origin differs between them.
        let mut ctx = super::env::context(&self.env, self.sites.clone(), None);
        let mut next_exp = None;
        for ws in self.sockets() {
            let Some(auth) = attachment(&ws) else {
                close(&ws, ErrorCode::TokenInvalid);
                continue;
            };
            let verdict = match &mut ctx {
                Ok(ctx) => {
                    ctx.origin = auth.origin.clone();
                    ctx.authenticate(Some(auth.token.as_str())).map_err(|e| e.code())
                }
                Err(e) => Err(e.code()),
            };
            match verdict {
                Ok(_) => next_exp = Some(next_exp.map_or(auth.exp, |n: i64| n.min(auth.exp))),
                Err(code) => close(&ws, code),
            }
        }
        if let Some(exp) = next_exp {
            self.schedule_recheck(exp).await?;
        }
        Response::ok("checked")
    }
}
