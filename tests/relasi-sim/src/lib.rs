//! relasi-sim: a local stand-in for the Relasi.U public API (`shared/core-api/relasi.md`).
//!
//! Documented behaviour is followed exactly (auth, scopes, pagination envelope, limits, webhook signing);
//! the assumed livechat inbound endpoints are implemented as the contract states them. Everything lives in
//! memory (the binary's `--state` keeps a copy on disk, see `persist`). Off the public API, `/__sim/...`
//! holds the request log, fault injection and webhook switches.
//!
//! `respondio` is a second simulator in the same crate (binary `respondio-sim`): a respond.io Custom Channel.

pub mod admin;
pub mod api;
pub mod auth;
pub mod cli;
pub mod error;
pub mod guard;
pub mod inbox;
pub mod model;
pub mod page;
pub mod persist;
pub mod respondio;
pub mod store;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use tokio::sync::Mutex;

pub use auth::{ApiKey, KEY_SCOPES};
pub use store::Store;
pub use webhooks::{Endpoint, Schedule};

/// The platform's documented rate: about 60 requests per second per key.
pub const DEFAULT_RATE_PER_S: u32 = 60;

/// How a simulator instance is set up.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub keys: Vec<ApiKey>,
    pub endpoints: Vec<Endpoint>,
    /// Requests per second per key.
    pub rate_per_s: u32,
    /// The address callers reach the simulator at, for media and avatar URLs.
    pub public_url: String,
    /// Webhook retries when the runtime switches leave them unset.
    pub webhook_schedule: Schedule,
}

impl SimConfig {
    pub fn new(keys: Vec<ApiKey>) -> Self {
        Self {
            keys,
            endpoints: vec![],
            rate_per_s: DEFAULT_RATE_PER_S,
            public_url: "http://127.0.0.1:8081".into(),
            webhook_schedule: Schedule::default(),
        }
    }
}

/// Shared state of one simulator instance.
#[derive(Clone)]
pub struct Sim {
    pub public_url: Arc<String>,
    pub store: Arc<Mutex<Store>>,
    pub keys: Arc<Vec<ApiKey>>,
    pub log: Arc<Mutex<std::collections::VecDeque<guard::LogEntry>>>,
    pub faults: Arc<Mutex<guard::Faults>>,
    pub limiter: Arc<guard::Limiter>,
    pub webhooks: webhooks::Webhooks,
}

impl Sim {
    /// Must be called inside a Tokio runtime (webhook delivery runs as a task).
    pub fn new(config: SimConfig) -> Self {
        Self::with_store(config, Store::new())
    }

    /// A simulator that starts from an existing workspace (one loaded from `--state`).
    pub fn with_store(config: SimConfig, store: Store) -> Self {
        Self {
            public_url: Arc::new(config.public_url.trim_end_matches('/').to_owned()),
            store: Arc::new(Mutex::new(store)),
            keys: Arc::new(config.keys),
            log: Arc::default(),
            faults: Arc::default(),
            limiter: Arc::new(guard::Limiter::per_second(config.rate_per_s)),
            webhooks: webhooks::Webhooks::start(config.endpoints, config.webhook_schedule),
        }
    }

    /// The whole HTTP surface: the public API under `/api/public/v1`, the agent inbox under `/inbox`,
    /// and the test controls under `/__sim`.
    pub fn router(&self) -> Router {
        let api = api::router().layer(axum::middleware::from_fn_with_state(self.clone(), guard::guard));
        Router::new()
            .nest("/api/public/v1", api)
            .merge(inbox::router())
            .route("/media/{id}/{name}", axum::routing::get(api::media::serve))
            .route("/avatars/{id}", axum::routing::get(inbox::avatar))
            .nest("/__sim", admin::router())
            .with_state(self.clone())
    }
}

/// Ctrl-C, or SIGTERM (what `scripts/dev.sh` and the test harness send): when either simulator stops.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

/// Runs a server until [`shutdown_signal`], then tells it to stop (`stop`, which its graceful shutdown
/// awaits) and gives in-flight calls `drain` to finish: a held call (`timeout_next`) does not delay exit.
pub async fn serve_until_signal<F>(
    server: F,
    stop: tokio::sync::oneshot::Sender<()>,
    drain: std::time::Duration,
) -> std::io::Result<()>
where
    F: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
{
    let mut server = tokio::spawn(server);
    tokio::select! {
        _ = shutdown_signal() => {
            let _ = stop.send(());
            let _ = tokio::time::timeout(drain, &mut server).await;
            Ok(())
        }
        done = &mut server => done.expect("server task"),
    }
}
