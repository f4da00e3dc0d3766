//! `SessionLedger`: one Durable Object per session being opened, named by the session's scoped core id. It
//! keeps what the core has made for the session (contact, conversation) so a retry reuses it, and lets one
//! attempt at a time through. Records are deleted two days after the first attempt: the core's own
//! idempotency window is 24 hours.

use serde::{Deserialize, Serialize};
use worker::{console_error, durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result, State, Stub};

use crate::error::ApiError;
use crate::routes::sessions::{Ledger, SessionRecord};

pub const LEDGER: &str = "SESSIONS";

/// An attempt holds the session this long at most (two core calls within their retry budgets, and some).
const LEASE_MS: f64 = 25_000.0;
const KEEP_MS: i64 = 48 * 60 * 60 * 1000;

#[durable_object]
pub struct SessionLedger {
    state: State,
}

#[derive(Serialize, Deserialize)]
struct Begun {
    busy: bool,
    record: SessionRecord,
}

impl DurableObject for SessionLedger {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let storage = self.state.storage();
        let now = worker::Date::now().as_millis() as f64;
        match req.path().as_str() {
            // Storage calls in one event run without other events in between, so two attempts never both
            // find the session free.
            "/begin" => {
                let lease: Option<f64> = storage.get("lease").await.ok().flatten();
                let busy = lease.is_some_and(|at| now - at < LEASE_MS);
                if !busy {
                    storage.put("lease", now).await?;
                }
                if storage.get_alarm().await?.is_none() {
                    storage.set_alarm(KEEP_MS).await?;
                }
                let record = storage.get("record").await.ok().flatten().unwrap_or_default();
                Response::from_json(&Begun { busy, record })
            }
            "/record" => {
                let record: SessionRecord = req.json().await?;
                storage.put("record", record).await?;
                Response::ok("recorded")
            }
            "/end" => {
                storage.delete("lease").await?;
                Response::ok("ended")
            }
            _ => Response::error("no such ledger route", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.state.storage().delete_all().await?;
        Response::ok("forgotten")
    }
}

/// The routes' [`Ledger`], backed by the Durable Object. Without the binding (a deployment that has not
/// added it) nothing is recorded and sessions work as the core alone allows.
pub struct DurableLedger<'a>(pub &'a Env);

impl DurableLedger<'_> {
    fn stub(&self, key: &str) -> Option<Stub> {
        let stub = self.0.durable_object(LEDGER).and_then(|ns| ns.id_from_name(key)?.get_stub());
        stub.inspect_err(|e| console_error!("session ledger unavailable: {e}")).ok()
    }

    async fn call(&self, key: &str, path: &str, body: Option<String>) -> Option<Response> {
        let stub = self.stub(key)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(body.map(Into::into));
        let req = Request::new_with_init(&format!("https://ledger{path}"), &init).ok()?;
        stub.fetch_with_request(req).await.inspect_err(|e| console_error!("session ledger {path}: {e}")).ok()
    }
}

impl Ledger for DurableLedger<'_> {
    async fn begin(&self, key: &str) -> std::result::Result<SessionRecord, ApiError> {
        let Some(mut resp) = self.call(key, "/begin", None).await else {
            return Ok(SessionRecord::default());
        };
        let begun: Begun = resp.json().await.map_err(|e| ApiError::internal(format!("ledger answer: {e}")))?;
        if begun.busy {
            return Err(ApiError::SessionBusy);
        }
        Ok(begun.record)
    }

    async fn record(&self, key: &str, record: &SessionRecord) {
        let body = serde_json::to_string(record).expect("records serialize");
        self.call(key, "/record", Some(body)).await;
    }

    async fn end(&self, key: &str) {
        self.call(key, "/end", None).await;
    }
}
