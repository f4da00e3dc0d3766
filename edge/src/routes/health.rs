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
    /// Sites on respond.io: how many have both channel secrets set (never which, or the secrets' names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondio: Option<Channels>,
}

#[derive(Serialize)]
pub struct Channels {
    pub configured: usize,
    pub ready: usize,
}

#[derive(Serialize)]
pub struct CoreHealth {
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    pub scopes: Vec<String>,
    pub missing_scopes: Vec<&'static str>,
}

pub fn health(
    sites: usize,
    core_configured: bool,
    webhooks: bool,
    me: Option<Result<Me, ()>>,
    respondio: Option<Channels>,
) -> Health {
    let core = me.map(|me| match me {
        Ok(me) => {
            CoreHealth { reachable: true, missing_scopes: me.missing_scopes(), mode: Some(me.mode), scopes: me.scopes }
        }
        Err(()) => CoreHealth { reachable: false, mode: None, scopes: vec![], missing_scopes: vec![] },
    });
    let core_ok = core.as_ref().is_none_or(|c| c.reachable && c.missing_scopes.is_empty());
    let realtime = if webhooks { "webhooks" } else { "polling" };
    Health {
        ok: sites > 0 && core_configured && core_ok && respondio.as_ref().is_none_or(|c| c.ready == c.configured),
        version: env!("CARGO_PKG_VERSION"),
        sites,
        core_configured,
        realtime,
        core,
        respondio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_respondio_site_without_its_secrets_makes_the_edge_not_ok_and_says_how_many() {
        let channels = |ready| Some(Channels { configured: 2, ready });
        assert!(health(3, true, true, None, channels(2)).ok);
        let short = health(3, true, true, None, channels(1));
        assert!(!short.ok);
        let json = serde_json::to_string(&short).unwrap();
        assert!(json.contains(r#""respondio":{"configured":2,"ready":1}"#), "{json}");
        assert!(!serde_json::to_string(&health(1, true, true, None, None)).unwrap().contains("respondio"));
    }
}
