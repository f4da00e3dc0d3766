//! `SyncPoller`: the one Durable Object that runs delta sync: the real-time path when the edge has no webhook
//! secret, and with one a slow sweep that finds what lost webhooks never brought. Hubs tell it which
//! conversations have a visitor connected; its alarm reads what changed and hands each watched
//! conversation's news to its hub, which keeps only what is new.

use std::cell::RefCell;

use worker::{console_error, durable_object, DurableObject, Env, Request, Response, Result, State};

use super::hubs;
use super::poll_store::SqlPollStore;
use crate::core::{Changes, PollState};
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
    store: RefCell<SqlPollStore>,
    poll: RefCell<PollState>,
}

impl SyncPoller {
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

    fn unwatch(&self, conversation: &str) {
        self.poll.borrow_mut().stop_watching(&mut *self.store.borrow_mut(), conversation);
    }
}

impl DurableObject for SyncPoller {
    fn new(state: State, env: Env) -> Self {
        let store = SqlPollStore::open(state.storage().sql());
        let poll = PollState::restore(&store);
        Self { state, env, store: RefCell::new(store), poll: RefCell::new(poll) }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let conversation = req.headers().get(hubs::CONVERSATION_HEADER)?.unwrap_or_default();
        match req.path().as_str() {
            "/watch" if !conversation.is_empty() => {
                let now_ms = worker::Date::now().as_millis() as i64;
                self.poll.borrow_mut().start_watching(&mut *self.store.borrow_mut(), &conversation, now_ms);
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
        self.poll.borrow_mut().take_tick(&mut *self.store.borrow_mut(), state, &deliveries);
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
