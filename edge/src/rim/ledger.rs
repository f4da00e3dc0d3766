//! `SessionLedger`: one Durable Object per session being opened, named by the session's scoped core id. It
//! keeps the contact the core made for the session so a retry reuses it, and lets one
//! attempt at a time through. Records are deleted two days after the first attempt: the core's own
//! idempotency window is 24 hours.

use serde::{Deserialize, Serialize};
use worker::{
    console_error, durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result, State, Stub,
};

use crate::core::{Ledger, SessionRecord};
use crate::error::ApiError;

pub const LEDGER: &str = "SESSIONS";

/// An attempt holds the session this long at most: a channel lookup, an email search, a contact and a
/// conversation, each within its retry budget, and some. Only the attempt holding it may record or end it.
const LEASE_MS: f64 = 60_000.0;
const KEEP_MS: i64 = 48 * 60 * 60 * 1000;

// fetch and alarm only: no sockets, so none of the WebSocket handlers are exported.
#[durable_object(alarm)]
pub struct SessionLedger {
    state: State,
}

#[derive(Serialize, Deserialize)]
struct Begun {
    busy: bool,
    record: SessionRecord,
}

/// Who holds the session, since when.
#[derive(Serialize, Deserialize)]
struct Lease {
    at: f64,
    attempt: String,
}

#[derive(Serialize, Deserialize)]
struct Call {
    attempt: String,
    #[serde(default)]
    record: Option<SessionRecord>,
}

impl DurableObject for SessionLedger {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let storage = self.state.storage();
        let now = worker::Date::now().as_millis() as f64;
        let call: Call = super::http::internal_json(&mut req).await?;
        // A storage error is an error, never "free, nothing recorded": that could make a second contact.
        let lease: Option<Lease> = storage.get("lease").await?;
        let holds = lease.as_ref().is_some_and(|l| l.attempt == call.attempt);
        match req.path().as_str() {
            // Storage calls in one event run without other events in between, so two attempts never both
            // find the session free.
            "/begin" => {
                let busy = !holds && lease.is_some_and(|l| now - l.at < LEASE_MS);
                if !busy {
                    storage.put("lease", Lease { at: now, attempt: call.attempt }).await?;
                }
                if storage.get_alarm().await?.is_none() {
                    storage.set_alarm(KEEP_MS).await?;
                }
                let record = storage.get("record").await?.unwrap_or_default();
                Response::from_json(&Begun { busy, record })
            }
            // An attempt whose lease ran out and passed to another no longer writes.
            "/record" if holds => {
                storage.put("record", call.record.unwrap_or_default()).await?;
                Response::ok("recorded")
            }
            "/end" if holds => {
                storage.delete("lease").await?;
                Response::ok("ended")
            }
            "/record" | "/end" => Response::ok("not this attempt's"),
            _ => Response::error("no such ledger route", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.state.storage().delete_all().await?;
        Response::ok("forgotten")
    }
}

/// The routes' [`Ledger`], backed by the Durable Object, for one attempt. Without the binding (a deployment
/// that has not added it) nothing is recorded and sessions work as the core alone allows.
pub struct DurableLedger<'a> {
    env: &'a Env,
    attempt: String,
}

impl<'a> DurableLedger<'a> {
    pub fn new(env: &'a Env) -> Self {
        let attempt =
            format!("{:x}{:08x}", worker::Date::now().as_millis(), (js_sys::Math::random() * 4_294_967_296.0) as u64);
        Self { env, attempt }
    }
}

impl DurableLedger<'_> {
    fn stub(&self, key: &str) -> Option<Stub> {
        let stub = self.env.durable_object(LEDGER).and_then(|ns| ns.id_from_name(key)?.get_stub());
        stub.inspect_err(|e| console_error!("session ledger unavailable: {e}")).ok()
    }

    async fn call(&self, key: &str, path: &str, record: Option<&SessionRecord>) -> Option<Response> {
        let stub = self.stub(key)?;
        let body = serde_json::to_string(&Call { attempt: self.attempt.clone(), record: record.cloned() }).ok()?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(body.into()));
        let req = Request::new_with_init(&format!("https://ledger{path}"), &init).ok()?;
        stub.fetch_with_request(req).await.inspect_err(|e| console_error!("session ledger {path}: {e}")).ok()
    }
}

impl Ledger for DurableLedger<'_> {
    async fn begin(&self, key: &str) -> std::result::Result<SessionRecord, ApiError> {
        let Some(mut resp) = self.call(key, "/begin", None).await else {
            return Ok(SessionRecord::default());
        };
        if resp.status_code() != 200 {
            return Err(ApiError::internal(format!("ledger answered {}", resp.status_code())));
        }
        let begun: Begun = resp.json().await.map_err(|e| ApiError::internal(format!("ledger answer: {e}")))?;
        if begun.busy {
            return Err(ApiError::SessionBusy);
        }
        Ok(begun.record)
    }

    async fn record(&self, key: &str, record: &SessionRecord) {
        self.call(key, "/record", Some(record)).await;
    }

    async fn end(&self, key: &str) {
        self.call(key, "/end", None).await;
    }
}
