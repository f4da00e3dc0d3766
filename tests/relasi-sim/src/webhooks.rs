//! Signed webhook delivery, as documented: at least once, retried with backoff, signed over
//! `<webhook id>.<unix seconds>.<raw body>` with HMAC-SHA256. Switches for tests: pause, duplicate, reverse,
//! and the retry schedule, down to giving up at once, so tests can lose deliveries on purpose.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{mpsc, Mutex};

use crate::store::APP_ID;

pub const API_VERSION: &str = "2026-06-01";
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// `v1=<base64 HMAC-SHA256(secret, "<id>.<unix seconds>.<body>")>`.
pub fn sign(secret: &str, webhook_id: &str, unix_s: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{webhook_id}.{unix_s}.").as_bytes());
    mac.update(body);
    format!("v1={}", B64.encode(mac.finalize().into_bytes()))
}

/// An endpoint configured at start: `--webhook URL,SECRET[,event|event...]` (no events or `*`: all).
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub url: String,
    secret: String,
    events: Vec<String>,
}

impl Endpoint {
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ',');
        let url = parts.next().filter(|u| u.starts_with("http")).ok_or("webhook URL must be http(s)")?;
        let secret = parts.next().filter(|s| !s.is_empty()).ok_or("webhook needs URL,SECRET")?;
        let events = parts.next().map(|e| e.split('|').map(str::to_owned).collect()).unwrap_or_default();
        Ok(Self { url: url.to_owned(), secret: secret.to_owned(), events })
    }

    fn wants(&self, event: &str) -> bool {
        self.events.is_empty() || self.events.iter().any(|e| e == "*" || e == event)
    }
}

/// How hard one delivery is tried: `attempts` sends (0: dropped unsent), the first retry after
/// `first_retry_ms`, doubling after that. Then it is given up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub attempts: u32,
    pub first_retry_ms: u64,
}

impl Default for Schedule {
    /// About 16 s of retries before giving up.
    fn default() -> Self {
        Self { attempts: 6, first_retry_ms: 500 }
    }
}

/// Test switches (`POST /__sim/webhooks`). Each post replaces them all; a missing field is off, or for
/// the schedule the command-line default.
#[derive(Clone, Copy, Debug, Default, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Switches {
    /// Hold deliveries until resumed.
    pub paused: bool,
    /// Deliver every event twice.
    pub duplicate: bool,
    /// Deliver what was held in reverse order when resumed.
    pub reverse: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_retry_ms: Option<u64>,
}

impl Switches {
    /// The schedule these switches give, over the command-line `defaults`.
    pub fn schedule(&self, defaults: Schedule) -> Schedule {
        Schedule {
            attempts: self.attempts.unwrap_or(defaults.attempts),
            first_retry_ms: self.first_retry_ms.unwrap_or(defaults.first_retry_ms),
        }
    }
}

type Attempts = Arc<Mutex<Vec<(String, u16)>>>;
type GivenUp = Arc<Mutex<Vec<String>>>;

#[derive(Clone, Debug)]
struct Delivery {
    endpoint: Endpoint,
    id: String,
    event: String,
    body: Vec<u8>,
}

#[derive(Clone)]
pub struct Webhooks {
    endpoints: Arc<Vec<Endpoint>>,
    tx: mpsc::UnboundedSender<Delivery>,
    pub switches: Arc<Mutex<Switches>>,
    /// The schedule when the switches leave it unset (`--webhook-attempts`, `--webhook-first-retry-ms`).
    pub defaults: Schedule,
    /// Attempts made (id, status or 0 for a network failure), for tests and the admin view.
    pub attempts: Attempts,
    /// Event ids of deliveries given up on (one entry per endpoint and copy), so tests can see a loss.
    pub given_up: GivenUp,
}

impl Webhooks {
    /// Starts the delivery task. Must be called inside a Tokio runtime.
    pub fn start(endpoints: Vec<Endpoint>, defaults: Schedule) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let hooks = Self {
            endpoints: Arc::new(endpoints),
            tx,
            switches: Arc::default(),
            defaults,
            attempts: Arc::default(),
            given_up: Arc::default(),
        };
        tokio::spawn(dispatch(rx, hooks.switches.clone(), defaults, hooks.attempts.clone(), hooks.given_up.clone()));
        hooks
    }

    /// The schedule deliveries dispatched now get.
    pub async fn schedule(&self) -> Schedule {
        self.switches.lock().await.schedule(self.defaults)
    }

    /// Emits `event` with `data` to every endpoint that wants it.
    pub fn emit(&self, event: &str, data: impl Serialize) {
        let now = OffsetDateTime::now_utc();
        let id = format!("evt_{:032x}", rand::random::<u128>());
        let body = json!({
            "id": id, "type": event, "api_version": API_VERSION,
            "created_at": now.format(&Rfc3339).expect("format"), "app_id": APP_ID,
            "data": serde_json::to_value(data).unwrap_or(Value::Null),
        });
        let body = serde_json::to_vec(&body).expect("serialize");
        for endpoint in self.endpoints.iter().filter(|e| e.wants(event)) {
            let _ = self.tx.send(Delivery {
                endpoint: endpoint.clone(),
                id: id.clone(),
                event: event.to_owned(),
                body: body.clone(),
            });
        }
    }
}

async fn dispatch(
    mut rx: mpsc::UnboundedReceiver<Delivery>,
    switches: Arc<Mutex<Switches>>,
    defaults: Schedule,
    attempts: Attempts,
    given_up: GivenUp,
) {
    let client = reqwest::Client::builder().timeout(ATTEMPT_TIMEOUT).build().expect("http client");
    let mut held: Vec<Delivery> = Vec::new();
    loop {
        tokio::select! {
            got = rx.recv() => match got {
                Some(d) => held.push(d),
                None => return,
            },
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
        let sw = *switches.lock().await;
        if sw.paused || held.is_empty() {
            continue;
        }
        let schedule = sw.schedule(defaults);
        let mut batch = std::mem::take(&mut held);
        if sw.reverse {
            batch.reverse();
        }
        for d in batch {
            let copies = if sw.duplicate { 2 } else { 1 };
            for _ in 0..copies {
                tokio::spawn(deliver(client.clone(), d.clone(), schedule, attempts.clone(), given_up.clone()));
            }
            // A reversed batch is spaced out so the receiver sees that order; otherwise send at full speed.
            if sw.reverse {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

async fn deliver(client: reqwest::Client, d: Delivery, schedule: Schedule, attempts: Attempts, given_up: GivenUp) {
    let mut wait = Duration::from_millis(schedule.first_retry_ms);
    for attempt in 1..=schedule.attempts {
        let now = OffsetDateTime::now_utc();
        let signature = sign(&d.endpoint.secret, &d.id, now.unix_timestamp(), &d.body);
        let result = client
            .post(&d.endpoint.url)
            .header("Content-Type", "application/json")
            .header("X-Relasi-Webhook-Id", &d.id)
            .header("X-Relasi-Timestamp", now.format(&Rfc3339).expect("format"))
            .header("X-Relasi-Event", &d.event)
            .header("X-Relasi-Signature", signature)
            .body(d.body.clone())
            .send()
            .await;
        let status = result.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
        attempts.lock().await.push((d.id.clone(), status));
        if (200..300).contains(&status) {
            return;
        }
        if attempt < schedule.attempts {
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
        }
    }
    given_up.lock().await.push(d.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relasi_md_test_vector() {
        let body = br#"{"id":"evt_0b9c","type":"message.created"}"#;
        assert_eq!(
            sign("test_secret", "evt_0b9c", 1_782_295_200, body),
            "v1=eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E="
        );
    }

    #[test]
    fn switches_fall_back_to_the_defaults() {
        let defaults = Schedule { attempts: 4, first_retry_ms: 50 };
        let old: Switches = serde_json::from_str(r#"{"paused": true}"#).unwrap();
        assert_eq!(old.schedule(defaults), defaults);
        let some: Switches = serde_json::from_str(r#"{"attempts": 0}"#).unwrap();
        assert_eq!(some.schedule(defaults), Schedule { attempts: 0, first_retry_ms: 50 });
        assert!(serde_json::from_str::<Switches>(r#"{"attempt": 1}"#).is_err(), "typos are refused");
    }

    #[test]
    fn endpoint_specs() {
        let all = Endpoint::parse_spec("http://127.0.0.1:1/hook,s3cret").unwrap();
        assert!(all.wants("message.created") && all.wants("contact.updated"));
        let some = Endpoint::parse_spec("http://127.0.0.1:1/hook,s3cret,message.created|message.updated").unwrap();
        assert!(some.wants("message.updated") && !some.wants("contact.created"));
        assert!(Endpoint::parse_spec("ftp://x,s").is_err());
        assert!(Endpoint::parse_spec("http://x").is_err());
    }
}
