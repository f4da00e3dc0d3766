//! `GET /health`: liveness and whether the edge is configured, without revealing any configuration.

use serde::Serialize;

use crate::core::relasi::me::Me;

#[derive(Serialize)]
pub struct Health {
    pub ok: bool,
    pub version: &'static str,
    pub sites: usize,
    pub core_configured: bool,
    /// How agents' replies reach the edge: `webhooks` (signed core deliveries) or `polling` (delta sync).
    pub realtime: &'static str,
    /// What the core says of the key: mode and scopes (never the key), and any scope the edge lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core: Option<CoreHealth>,
}

#[derive(Serialize)]
pub struct CoreHealth {
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    pub scopes: Vec<String>,
    pub missing_scopes: Vec<&'static str>,
}

pub fn health(sites: usize, core_configured: bool, webhooks: bool, me: Option<Result<Me, ()>>) -> Health {
    let core = me.map(|me| match me {
        Ok(me) => {
            CoreHealth { reachable: true, missing_scopes: me.missing_scopes(), mode: Some(me.mode), scopes: me.scopes }
        }
        Err(()) => CoreHealth { reachable: false, mode: None, scopes: vec![], missing_scopes: vec![] },
    });
    let core_ok = core.as_ref().is_none_or(|c| c.reachable && c.missing_scopes.is_empty());
    let realtime = if webhooks { "webhooks" } else { "polling" };
    Health {
        ok: sites > 0 && core_configured && core_ok,
        version: env!("CARGO_PKG_VERSION"),
        sites,
        core_configured,
        realtime,
        core,
    }
}
