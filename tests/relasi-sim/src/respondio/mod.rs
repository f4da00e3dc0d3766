//! A local stand-in for a respond.io Custom Channel (`shared/core-api/respondio.md`), for the edge's
//! respond.io adapter. It plays both sides respond.io plays:
//! - the channel's Webhook URL (`POST /custom/channel/webhook/`), which the edge posts visitor messages to;
//! - the caller of `<API Base URL>/message`, which it POSTs an agent's reply to (from `/inbox` or
//!   `/__sim/reply`), with retries.
//!
//! Where the documents are silent the simulator takes the case that is harder for the edge (duplicate
//! `mId`s are stored again), with switches under `/__sim` for the other readings. It reuses the Relasi.U
//! simulator's request log, fault rules and rate limiter (`crate::guard`).

pub mod admin;
pub mod channel;
pub mod inbox;
pub mod outbound;
pub mod store;

use std::collections::VecDeque;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tokio::sync::Mutex;

use crate::guard::{self, Faults, Limiter, LogEntry};
pub use outbound::{ReplyPolicy, Switches};
pub use store::RioStore;

/// "The rate limit for a Custom Channel is set at 20 requests per second" (documented, second-hand).
pub const DEFAULT_RATE_PER_S: u32 = 20;

/// The channel used when none is configured: what `make dev`'s edge is set up with.
pub const DEV_CHANNEL: &str =
    "sapa_dev_channel,rio_test_token.local-development-only,http://127.0.0.1:8787/core/respondio/demo-rio/dev-path-secret";

/// A Custom Channel as respond.io shows it after setup: its id, its API token, and the API Base URL the
/// business entered (agent replies go to `<api_base_url>/message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub id: String,
    pub token: String,
    pub api_base_url: String,
}

impl Channel {
    /// `CHANNEL_ID,API_TOKEN,API_BASE_URL`.
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ',');
        let id = parts.next().filter(|s| !s.is_empty()).ok_or("channel needs CHANNEL_ID,API_TOKEN,API_BASE_URL")?;
        let token = parts.next().filter(|s| !s.is_empty()).ok_or("channel needs an API token")?;
        let base = parts
            .next()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .ok_or("channel API_BASE_URL must be http(s)")?;
        Ok(Self { id: id.to_owned(), token: token.to_owned(), api_base_url: base.trim_end_matches('/').to_owned() })
    }

    /// Where respond.io sends this channel's agent replies.
    pub fn message_url(&self) -> String {
        format!("{}/message", self.api_base_url)
    }
}

/// How a simulator instance is set up.
#[derive(Clone, Debug)]
pub struct RioConfig {
    pub channels: Vec<Channel>,
    /// Webhook requests per second per channel.
    pub rate_per_s: u32,
    pub reply_policy: ReplyPolicy,
}

impl RioConfig {
    pub fn new(channels: Vec<Channel>) -> Self {
        Self { channels, rate_per_s: DEFAULT_RATE_PER_S, reply_policy: ReplyPolicy::default() }
    }
}

/// Shared state of one respond.io simulator instance.
#[derive(Clone)]
pub struct RioSim {
    pub channels: Arc<Vec<Channel>>,
    pub store: Arc<Mutex<RioStore>>,
    pub log: Arc<Mutex<VecDeque<LogEntry>>>,
    pub faults: Arc<Mutex<Faults>>,
    pub limiter: Arc<Limiter>,
    pub switches: Arc<Mutex<Switches>>,
    pub reply_policy: ReplyPolicy,
    client: reqwest::Client,
}

impl RioSim {
    pub fn new(config: RioConfig) -> Self {
        let client = reqwest::Client::builder()
            // A redirect from the edge is a misconfiguration to see, not to follow.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            channels: Arc::new(config.channels),
            store: Arc::default(),
            log: Arc::default(),
            faults: Arc::default(),
            limiter: Arc::new(Limiter::per_second(config.rate_per_s)),
            switches: Arc::default(),
            reply_policy: config.reply_policy,
            client,
        }
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// The channel whose API token is the `Authorization: Bearer` value, if any.
    pub fn channel_for(&self, headers: &HeaderMap) -> Option<&Channel> {
        let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        self.channels.iter().find(|c| c.token == token.trim())
    }

    /// The webhook (both spellings), the agent inbox and the test controls under `/__sim`.
    pub fn router(&self) -> Router {
        let webhook = Router::new()
            .route("/custom/channel/webhook/", post(channel::webhook))
            .route("/custom/channel/webhook", post(channel::webhook))
            .layer(axum::middleware::from_fn_with_state(self.clone(), front));
        Router::new()
            .merge(webhook)
            .merge(inbox::router())
            .route("/", get(|| async { axum::response::Redirect::to("/inbox") }))
            .nest("/__sim", admin::router())
            .with_state(self.clone())
    }
}

/// respond.io's error body, as its Developer API documents it: `{message, status}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"message": message, "status": status.as_u16()}))).into_response()
}

fn injected(status: StatusCode) -> Response {
    error(status, "Injected fault")
}

/// In front of the webhook: the request log, a forced throttle, the per-channel rate limit, then the
/// fault rules. Requests without a known token are not rate limited; the handler answers them 401.
async fn front(State(sim): State<RioSim>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let channel_id = sim.channel_for(req.headers()).map(|c| c.id.clone());

    let plan = sim.faults.lock().await.plan(&method, &path);
    let resp = if let Some(left) = plan.throttled_s {
        too_many(left)
    } else if let Some(wait) = channel_id.as_deref().and_then(|id| sim.limiter.check(id).err()) {
        too_many(wait)
    } else {
        guard::run(&plan, req, next, injected).await
    };
    let entry = LogEntry { method, path, status: resp.status().as_u16(), key_id: channel_id };
    guard::record(&mut *sim.log.lock().await, entry);
    resp
}

fn too_many(retry_after_s: u64) -> Response {
    let mut resp = error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
    resp.headers_mut().insert("Retry-After", HeaderValue::from(retry_after_s.max(1)));
    resp
}
