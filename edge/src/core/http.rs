//! What every platform client shares: the transport seam (a real `fetch` at the rim, anything in native
//! tests), retries with backoff and jitter, and the mapping of a core's answers to errors the edge can act on.
//!
//! Every call that the core cannot deduplicate is sent once; calls that carry a `client_request_id`
//! (and reads) are retried, because the core answers a repeated id with the first result.

use sapa_protocol::backoff::Backoff;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Attempts for a retryable call, and the time they may take together.
pub const MAX_ATTEMPTS: u32 = 3;
pub const RETRY_BUDGET_MS: u64 = 8_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
}

/// A request relative to the core's base URL; the transport adds the base and the key.
#[derive(Clone, Debug)]
pub struct CoreRequest {
    pub method: Method,
    /// Path and query under the API base, e.g. `/messages?conversation_id=c1`.
    pub path: String,
    pub body: Option<Body>,
}

#[derive(Clone, Debug)]
pub enum Body {
    Json(String),
    /// Text fields and one file part named `file`.
    Multipart {
        fields: Vec<(&'static str, String)>,
        file: FilePart,
    },
}

#[derive(Clone)]
pub struct FilePart {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FilePart({:?}, {}, {} bytes)", self.name, self.mime, self.bytes.len())
    }
}

impl CoreRequest {
    pub fn get(path: String) -> Self {
        Self { method: Method::Get, path, body: None }
    }

    pub fn post_json<T: serde::Serialize>(path: &str, body: &T) -> Self {
        let body = serde_json::to_string(body).expect("request bodies serialize");
        Self { method: Method::Post, path: path.to_owned(), body: Some(Body::Json(body)) }
    }

    pub fn put_json<T: serde::Serialize>(path: String, body: &T) -> Self {
        let body = serde_json::to_string(body).expect("request bodies serialize");
        Self { method: Method::Put, path, body: Some(Body::Json(body)) }
    }

    pub fn post_multipart(path: String, fields: Vec<(&'static str, String)>, file: FilePart) -> Self {
        Self { method: Method::Post, path, body: Some(Body::Multipart { fields, file }) }
    }
}

#[derive(Clone, Debug)]
pub struct CoreResponse {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

/// Whether a call may be sent again after a failure that might have reached the core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// A read, or a write with a `client_request_id`.
    Safe,
    /// A write the core cannot deduplicate: one attempt.
    Never,
}

/// The seam between the client's logic and the network.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one request with the key attached; `Err` is a network failure or timeout.
    async fn send(&self, request: &CoreRequest) -> Result<CoreResponse, String>;
    async fn sleep(&self, ms: u64);
    fn now_ms(&self) -> u64;
    /// A random number in [0, 1) for jitter.
    fn random(&self) -> f64;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreError {
    /// Network failure, timeout or 5xx, after the retries allowed.
    Unavailable(String),
    /// 429 that did not clear within the retry budget.
    RateLimited {
        retry_after_s: u64,
    },
    /// 401/403: the key is wrong, revoked, lacks a scope or this IP is not allowed. A configuration fault.
    Auth {
        status: u16,
        message: String,
        required_scope: Option<String>,
    },
    NotFound(String),
    /// Another 4xx: the edge sent something the core refused.
    Rejected {
        status: u16,
        message: String,
    },
    /// A 2xx the edge could not read.
    Decode(String),
}

impl std::fmt::Display for CoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unavailable(why) => write!(f, "core unavailable: {why}"),
            Self::RateLimited { retry_after_s } => write!(f, "core rate limited, retry after {retry_after_s}s"),
            Self::Auth { status, message, required_scope } => {
                write!(f, "core refused the key ({status}): {message}")?;
                match required_scope {
                    Some(scope) => write!(f, "; missing scope {scope}"),
                    None => Ok(()),
                }
            }
            Self::NotFound(message) => write!(f, "core: not found: {message}"),
            Self::Rejected { status, message } => write!(f, "core rejected the request ({status}): {message}"),
            Self::Decode(why) => write!(f, "core answer unreadable: {why}"),
        }
    }
}

/// The core's documented error body. Only these fields are ever logged, never a whole body.
#[derive(Deserialize, Default)]
struct CoreErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    required_scope: Option<String>,
}

pub struct CoreClient<T: Transport> {
    pub(crate) transport: T,
}

impl<T: Transport> CoreClient<T> {
    pub fn new(transport: T) -> Self {
        Self { transport }
    }

    /// Sends `request`, retrying as `retry` allows, and decodes a 2xx body as `R`.
    pub async fn call<R: DeserializeOwned>(&self, request: CoreRequest, retry: Retry) -> Result<R, CoreError> {
        let started = self.transport.now_ms();
        let attempts = if retry == Retry::Safe { MAX_ATTEMPTS } else { 1 };
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.transport.send(&request).await {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    let body = if resp.body.trim().is_empty() { "null" } else { &resp.body };
                    return serde_json::from_str(body).map_err(|e| CoreError::Decode(e.to_string()));
                }
                Ok(resp) => classify(&resp, self.transport.now_ms()),
                Err(network) => CoreError::Unavailable(network),
            };
            let wait_ms = match &failure {
                CoreError::Unavailable(_) => CORE_RETRY.delay_ms(attempt.saturating_sub(1), self.transport.random()),
                CoreError::RateLimited { retry_after_s } => retry_after_s * 1000,
                _ => return Err(failure),
            };
            let spent = self.transport.now_ms().saturating_sub(started);
            if attempt >= attempts || spent + wait_ms > RETRY_BUDGET_MS {
                return Err(failure);
            }
            self.transport.sleep(wait_ms).await;
        }
    }
}

/// Retries of a failed core call: about 250 ms, 500 ms, 1 s … up to 4 s, within the call's budget.
pub const CORE_RETRY: Backoff = Backoff { first_ms: 250, max_ms: 4_000 };

/// `Retry-After` as seconds or as an HTTP date; a missing or unreadable one counts as one second.
pub fn retry_after_s(value: Option<&str>, now_ms: u64) -> u64 {
    let Some(value) = value.map(str::trim) else { return 1 };
    if let Ok(seconds) = value.parse::<u64>() {
        return seconds;
    }
    match httpdate::parse_http_date(value) {
        Ok(at) => {
            let at_s = at.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            at_s.saturating_sub(now_ms / 1000).max(1)
        }
        Err(_) => 1,
    }
}

fn classify(resp: &CoreResponse, now_ms: u64) -> CoreError {
    let body: CoreErrorBody = serde_json::from_str(&resp.body).unwrap_or_default();
    match resp.status {
        429 => CoreError::RateLimited { retry_after_s: retry_after_s(resp.retry_after.as_deref(), now_ms) },
        401 | 403 => CoreError::Auth { status: resp.status, message: body.error, required_scope: body.required_scope },
        404 => CoreError::NotFound(body.error),
        s if s >= 500 => CoreError::Unavailable(format!("status {s}")),
        s => CoreError::Rejected { status: s, message: body.error },
    }
}

/// Percent-encodes a query value.
pub fn q(value: &str) -> String {
    urlencoding::encode(value).into_owned()
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
