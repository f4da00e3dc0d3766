//! `SyncPoller`: the one Durable Object that runs delta sync: the real-time path when the edge has no webhook
//! secret, and with one a slow sweep that finds what lost webhooks never brought. Hubs tell it which
//! conversations have a visitor connected; its alarm reads what changed and hands each watched
//! conversation's news to its hub, which keeps only what is new.

use std::cell::RefCell;

use serde::Deserialize;
use worker::{console_error, durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};

use super::hubs;
use crate::core::{Changes, Delivery, PollState};
use crate::realtime::HubCall;

/// The pause between reads without webhooks, unless `POLL_INTERVAL_MS` says otherwise.
const DEFAULT_INTERVAL_MS: i64 = 1_000;
/// With webhooks the poller is a safety net for deliveries the core gave up on: one delta read for every
/// watched conversation this often, unless `SWEEP_INTERVAL_MS` says otherwise.
const DEFAULT_SWEEP_MS: i64 = 30_000;
const AFTER_FAILURE_MS: i64 = 5_000;

// fetch and alarm only: no sockets, so none of the WebSocket handlers are exported.
#[durable_object(alarm)]
pub struct SyncPoller {
    state: State,
    env: Env,
    sql: SqlStorage,
    poll: RefCell<PollState>,
}

#[derive(Deserialize)]
struct Watched {
    conversation: String,
    seen: Option<String>,
}

#[derive(Deserialize)]
struct Text {
    v: String,
}

impl SyncPoller {
    fn exec(&self, query: &str, args: Vec<worker::SqlStorageValue>) {
        if let Err(e) = self.sql.exec(query, args) {
            console_error!("poller sql failed: {e}");
        }
    }

    fn interval_ms(&self) -> i64 {
        let (var, default) = if super::env::webhooks_on(&self.env) {
            ("SWEEP_INTERVAL_MS", DEFAULT_SWEEP_MS)
        } else {
            ("POLL_INTERVAL_MS", DEFAULT_INTERVAL_MS)
        };
        self.env.var(var).ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(default)
    }

    async fn wake_in(&self, ms: i64) -> Result<()> {
        self.state.storage().set_alarm(ms).await
    }

    /// Stores the watermark and what was read for the conversations that were read this tick (the
    /// others' rows have not changed).
    fn save(&self, state: &PollState, read: &[Delivery]) {
        if let Some(w) = state.watermark_s {
            self.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('watermark', ?)", vec![w.to_string().into()]);
        }
        for delivery in read {
            if let Some(seen) = state.watched.get(&delivery.conversation) {
                self.exec(
                    "UPDATE watched SET seen = ? WHERE conversation = ?",
                    vec![seen.as_deref().into(), delivery.conversation.as_str().into()],
                );
            }
        }
    }

    fn unwatch(&self, conversation: &str) {
        self.poll.borrow_mut().unwatch(conversation);
        self.exec("DELETE FROM watched WHERE conversation = ?", vec![conversation.into()]);
    }
}

impl DurableObject for SyncPoller {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        let mut poll = PollState::default();
        for statement in [
            "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS watched (conversation TEXT PRIMARY KEY, seen TEXT)",
        ] {
            let _ = sql.exec(statement, None);
        }
        if let Ok(rows) = sql.exec("SELECT conversation, seen FROM watched", None).and_then(|c| c.to_array::<Watched>())
        {
            poll.watched = rows.into_iter().map(|r| (r.conversation, r.seen)).collect();
        }
        if let Ok(mut rows) =
            sql.exec("SELECT v FROM meta WHERE k = 'watermark'", None).and_then(|c| c.to_array::<Text>())
        {
            poll.watermark_s = rows.pop().and_then(|r| r.v.parse().ok());
        }
        Self { state, env, sql, poll: RefCell::new(poll) }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let conversation = req.headers().get(hubs::CONVERSATION_HEADER)?.unwrap_or_default();
        match req.path().as_str() {
            "/watch" if !conversation.is_empty() => {
                {
                    let mut poll = self.poll.borrow_mut();
                    // After a pause with nobody watched, start from now rather than page through everything
                    // that changed meanwhile: the hub read the core when the socket connected.
                    if poll.watched.is_empty() && poll.resume.is_none() {
                        poll.watermark_s = None;
                        self.exec("DELETE FROM meta WHERE k = 'watermark'", vec![]);
                    }
                    poll.watch_read_at(&conversation, worker::Date::now().as_millis() as i64);
                }
                self.exec(
                    "INSERT OR IGNORE INTO watched (conversation) VALUES (?)",
                    vec![conversation.as_str().into()],
                );
                if self.state.storage().get_alarm().await?.is_none() {
                    self.wake_in(self.interval_ms()).await?;
                }
                Response::ok("watching")
            }
            "/unwatch" if !conversation.is_empty() => {
                self.unwatch(&conversation);
                Response::ok("unwatched")
            }
            _ => Response::error("no such poller route", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let ctx = match super::env::context(&self.env, super::env::sites(&self.env), None) {
            Ok(ctx) => ctx,
            Err(e) => {
                console_error!("poller cannot reach the core: {}", e.log_detail().unwrap_or("?"));
                self.wake_in(AFTER_FAILURE_MS).await?;
                return Response::ok("unconfigured");
            }
        };
        // Work on a copy: watch and unwatch calls may arrive while the core is being read.
        let mut state = self.poll.borrow().clone();
        let result = ctx.changes().since(&mut state, ctx.now_s).await;
        let deliveries = match result {
            Ok(deliveries) => deliveries,
            Err(e) => {
                console_error!("delta sync failed: {e}");
                self.wake_in(AFTER_FAILURE_MS).await?;
                return Response::ok("retrying");
            }
        };
        {
            let mut live = self.poll.borrow_mut();
            live.watermark_s = state.watermark_s;
            live.recent = std::mem::take(&mut state.recent);
            live.resume = state.resume.take();
            for delivery in &deliveries {
                if let (Some(slot), Some(seen)) =
                    (live.watched.get_mut(&delivery.conversation), state.watched.remove(&delivery.conversation))
                {
                    *slot = seen;
                }
            }
            self.save(&live, &deliveries);
        }
        for delivery in deliveries {
            let call = HubCall { delivery: None, site: None, inputs: delivery.inputs };
            match hubs::ingest(&self.env, &delivery.conversation, &call).await {
                // Nobody is connected any more: stop reading this conversation.
                Ok(answer) if answer.connected == 0 => self.unwatch(&delivery.conversation),
                Ok(_) => {}
                Err(e) => console_error!("poller delivery failed: {}", e.log_detail().unwrap_or("?")),
            }
        }
        if !self.poll.borrow().watched.is_empty() {
            self.wake_in(self.interval_ms()).await?;
        }
        Response::ok("polled")
    }
}
