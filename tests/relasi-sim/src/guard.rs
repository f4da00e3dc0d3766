//! What stands in front of every public API call, in order: the request log, the per-key rate limit
//! (or a forced throttle), injected delays, failures and hangs, and the after-commit failure or connection
//! drop. The log, fault and limiter types are shared with the respond.io simulator (`crate::respondio`).

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::key_id_of;
use crate::Sim;

/// The request log keeps this many newest entries, so long benchmark runs cannot grow it without bound.
pub const LOG_CAP: usize = 100_000;

/// One line of the read-only request log (`GET /__sim/log`).
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub method: String,
    /// Path and query under `/api/public/v1` (the respond.io simulator logs the whole path).
    pub path: String,
    pub status: u16,
    /// The key id (never the secret part), when the key was well-formed; for respond.io, the channel id
    /// of a known API token.
    pub key_id: Option<String>,
}

/// A fault rule (`POST /__sim/faults`). `path` matches the start of the API path (e.g. `/livechat/messages`);
/// `method`, when given, must match too.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub path: Option<String>,
    pub method: Option<String>,
    /// Fail this many matching calls with `status` (default 500), before they reach the handler.
    #[serde(default)]
    pub fail_next: u32,
    pub status: Option<u16>,
    /// Delay every matching call by this many milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
    /// Let this many matching calls commit their write, then cut the connection instead of answering.
    #[serde(default)]
    pub drop_after_commit: u32,
    /// Answer every call with 429 for this many seconds.
    #[serde(default)]
    pub throttle_for_s: u64,
    /// Hold this many matching calls without reaching the handler, so the caller's timeout fires
    /// (after `HANG` they get a 504).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub timeout_next: u32,
    /// Let this many matching calls commit their write, then answer `status` (default 500) anyway.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fail_after_commit: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// How long a `timeout_next` call is held: far longer than any caller waits.
pub const HANG: Duration = Duration::from_secs(60);

/// What the fault rules decide for one call. Making it spends the rules' counters.
#[derive(Debug, Default)]
pub struct Plan {
    /// Seconds left of a forced throttle: answer 429 and nothing else.
    pub throttled_s: Option<u64>,
    pub delay_ms: u64,
    pub fail: Option<u16>,
    pub hang: bool,
    pub fail_after_commit: Option<u16>,
    pub drop_after_commit: bool,
}

#[derive(Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
    throttled_until: Option<Instant>,
}

impl Faults {
    pub fn add(&mut self, rule: FaultRule) {
        if rule.throttle_for_s > 0 {
            self.throttled_until = Some(Instant::now() + Duration::from_secs(rule.throttle_for_s));
        }
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The plan for one call to `method path`. A throttle wins without spending any counter; otherwise
    /// each matching rule spends at most one of its counters per call.
    pub fn plan(&mut self, method: &str, path: &str) -> Plan {
        let mut plan = Plan::default();
        if let Some(until) = self.throttled_until {
            let left = until.saturating_duration_since(Instant::now());
            if !left.is_zero() {
                plan.throttled_s = Some(left.as_secs_f64().ceil() as u64);
                return plan;
            }
        }
        for rule in self.matching(method, path) {
            plan.delay_ms = plan.delay_ms.max(rule.delay_ms);
            if plan.fail.is_none() && rule.fail_next > 0 {
                rule.fail_next -= 1;
                plan.fail = Some(rule.status.unwrap_or(500));
            } else if !plan.hang && rule.timeout_next > 0 {
                rule.timeout_next -= 1;
                plan.hang = true;
            } else if plan.fail_after_commit.is_none() && rule.fail_after_commit > 0 {
                rule.fail_after_commit -= 1;
                plan.fail_after_commit = Some(rule.status.unwrap_or(500));
            } else if !plan.drop_after_commit && rule.drop_after_commit > 0 {
                rule.drop_after_commit -= 1;
                plan.drop_after_commit = true;
            }
        }
        plan
    }

    fn matching(&mut self, method: &str, path: &str) -> impl Iterator<Item = &mut FaultRule> {
        let (method, path) = (method.to_owned(), path.to_owned());
        self.rules.iter_mut().filter(move |r| {
            r.path.as_deref().is_none_or(|p| path.starts_with(p))
                && r.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(&method))
        })
    }
}

/// Per-key request rate, as the platform documents (about 60 per second).
pub struct Limiter {
    inner: DefaultKeyedRateLimiter<String>,
}

impl Limiter {
    pub fn per_second(n: u32) -> Self {
        let quota = Quota::per_second(NonZeroU32::new(n.max(1)).expect("nonzero"));
        Self { inner: RateLimiter::keyed(quota) }
    }

    /// `Err(seconds to wait)` when the key is over its rate.
    pub fn check(&self, key_id: &str) -> Result<(), u64> {
        self.inner.check_key(&key_id.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

fn too_many(retry_after_s: u64) -> Response {
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, Json(json!({"error": "Too Many Requests"}))).into_response();
    resp.headers_mut().insert("Retry-After", HeaderValue::from(retry_after_s));
    resp
}

/// Appends to a request log, dropping the oldest entry past `LOG_CAP`.
pub fn record(log: &mut VecDeque<LogEntry>, entry: LogEntry) {
    if log.len() >= LOG_CAP {
        log.pop_front();
    }
    log.push_back(entry);
}

pub async fn guard(State(sim): State<Sim>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let path = path.strip_prefix("/api/public/v1").unwrap_or(&path).to_owned();
    let key_id = key_id_of(req.headers());

    let resp = decide(&sim, &method, &path, key_id.as_deref(), req, next).await;
    record(&mut *sim.log.lock().await, LogEntry { method, path, status: resp.status().as_u16(), key_id });
    resp
}

async fn decide(sim: &Sim, method: &str, path: &str, key_id: Option<&str>, req: Request, next: Next) -> Response {
    let plan = sim.faults.lock().await.plan(method, path);
    if let Some(left) = plan.throttled_s {
        return too_many(left);
    }
    if let Some(key_id) = key_id {
        if let Err(wait) = sim.limiter.check(key_id) {
            return too_many(wait);
        }
    }
    run(&plan, req, next, |status| (status, Json(json!({"error": "Injected fault"}))).into_response()).await
}

/// Carries out a plan around the handler: delay, then an injected failure or hang, then the handler, then
/// the after-commit failure or connection drop. `fault` shapes the error answer, since each simulated
/// platform has its own error body.
pub async fn run(plan: &Plan, req: Request, next: Next, fault: fn(StatusCode) -> Response) -> Response {
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    if let Some(status) = plan.fail {
        return fault(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
    if plan.hang {
        // A caller that gives up drops the connection, which cancels this sleep.
        tokio::time::sleep(HANG).await;
        return fault(StatusCode::GATEWAY_TIMEOUT);
    }
    let resp = next.run(req).await;
    if plan.drop_after_commit {
        // The write is committed; the caller sees the connection break instead of an answer.
        let broken = futures_util::stream::once(async {
            Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("connection dropped after commit"))
        });
        let (parts, _) = resp.into_parts();
        return Response::from_parts(parts, Body::from_stream(broken));
    }
    if let Some(status) = plan.fail_after_commit {
        // The write is committed, but the caller is told it failed, so a retry repeats it.
        return fault(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
    resp
}
