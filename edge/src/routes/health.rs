//! `GET /health`: liveness and whether the edge is configured, without revealing any configuration.

use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    pub ok: bool,
    pub version: &'static str,
    pub sites: usize,
    pub core_configured: bool,
}

pub fn health(sites: usize, core_configured: bool) -> Health {
    Health { ok: sites > 0 && core_configured, version: env!("CARGO_PKG_VERSION"), sites, core_configured }
}
