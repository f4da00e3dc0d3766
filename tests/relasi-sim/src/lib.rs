//! relasi-sim: a local stand-in for the Relasi.U public API (`shared/core-api/relasi.md`).
//!
//! Documented behaviour is followed exactly (auth, scopes, pagination envelope, limits); the assumed
//! livechat inbound endpoints are implemented as the contract states them. Everything lives in memory.

pub mod api;
pub mod auth;
pub mod error;
pub mod inbox;
pub mod model;
pub mod store;

use std::sync::Arc;

use axum::Router;
use tokio::sync::Mutex;

pub use auth::{ApiKey, KEY_SCOPES};
pub use store::Store;

/// Shared state of one simulator instance.
#[derive(Clone)]
pub struct Sim {
    pub store: Arc<Mutex<Store>>,
    pub keys: Arc<Vec<ApiKey>>,
}

impl Sim {
    pub fn new(keys: Vec<ApiKey>) -> Self {
        Self { store: Arc::new(Mutex::new(Store::new())), keys: Arc::new(keys) }
    }

    /// The whole HTTP surface: the public API under `/api/public/v1`, the agent inbox under `/inbox`.
    pub fn router(&self) -> Router {
        Router::new()
            .nest("/api/public/v1", api::router())
            .merge(inbox::router())
            .with_state(self.clone())
    }
}
