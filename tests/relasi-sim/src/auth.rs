//! Bearer-key authentication and scopes, as documented: `ru_live_<id>.<secret>` / `ru_test_<id>.<secret>`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::Sim;

/// Every scope the platform documents.
pub const KEY_SCOPES: [&str; 9] = [
    "messages:read",
    "messages:write",
    "conversations:read",
    "conversations:write",
    "customers:read",
    "customers:write",
    "channels:read",
    "webhooks:read",
    "webhooks:manage",
];

#[derive(Clone, Debug)]
pub struct ApiKey {
    /// The whole `ru_..._<id>.<secret>` string.
    full: String,
    pub id: String,
    pub mode: &'static str,
    pub scopes: Vec<String>,
    /// When not empty, only these caller addresses may use the key.
    pub allowed_ips: Vec<std::net::IpAddr>,
}

impl ApiKey {
    /// `KEY`, `KEY:scope,scope`, optionally followed by `@ip|ip` (an IP allowlist). A key without a scope
    /// list gets every scope.
    pub fn parse_spec(spec: &str) -> Result<Self, String> {
        let (spec, allowed_ips) = match spec.rsplit_once('@') {
            Some((rest, ips)) => {
                let ips = ips.split('|').map(|ip| ip.parse().map_err(|_| format!("bad IP {ip:?} in key spec")));
                (rest, ips.collect::<Result<Vec<_>, _>>()?)
            }
            None => (spec, vec![]),
        };
        let (key, scopes) = match spec.split_once(':') {
            Some((k, s)) => (k, s.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()),
            None => (spec, KEY_SCOPES.iter().map(|s| s.to_string()).collect()),
        };
        let (mode, id) = parse_key(key).ok_or_else(|| format!("malformed key {key:?}: want ru_live_<id>.<secret>"))?;
        Ok(Self { full: key.to_owned(), id: id.to_owned(), mode, scopes, allowed_ips })
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Splits a well-formed key into its mode and key id.
fn parse_key(key: &str) -> Option<(&'static str, &str)> {
    let (mode, rest) = if let Some(rest) = key.strip_prefix("ru_live_") {
        ("live", rest)
    } else {
        ("test", key.strip_prefix("ru_test_")?)
    };
    let (id, secret) = rest.split_once('.')?;
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (ok(id) && ok(secret)).then_some((mode, id))
}

/// The key id of a well-formed `Authorization: Bearer` key, for logs and rate limits (never the secret).
pub fn key_id_of(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    parse_key(value.strip_prefix("Bearer ")?).map(|(_, id)| id.to_owned())
}

/// The authenticated caller of a public API route.
pub struct Caller(pub ApiKey);

impl Caller {
    pub fn require(&self, scope: &'static str) -> Result<(), ApiError> {
        if self.0.has_scope(scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden { scope })
        }
    }
}

impl FromRequestParts<Sim> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sim: &Sim) -> Result<Self, Self::Rejection> {
        let header =
            parts.headers.get(axum::http::header::AUTHORIZATION).ok_or(ApiError::Unauthorized("Missing API key"))?;
        let key = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .filter(|k| parse_key(k).is_some())
            .ok_or(ApiError::Unauthorized("Malformed API key"))?;
        // Compare whole keys: a known id with a wrong secret is as unknown as any other key.
        let key = sim.keys.iter().find(|k| k.full == key).cloned().ok_or(ApiError::Unauthorized("Invalid API key"))?;
        if !key.allowed_ips.is_empty() {
            let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
            if !peer.is_some_and(|ip| key.allowed_ips.contains(&ip)) {
                return Err(ApiError::IpNotAllowed);
            }
        }
        Ok(Caller(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shapes() {
        assert_eq!(parse_key("ru_live_abc.def"), Some(("live", "abc")));
        assert_eq!(parse_key("ru_test_abc.def"), Some(("test", "abc")));
        assert_eq!(parse_key("ru_prod_abc.def"), None);
        assert_eq!(parse_key("ru_live_abc"), None);
        assert_eq!(parse_key("ru_live_.def"), None);
    }

    #[test]
    fn scope_lists() {
        let k = ApiKey::parse_spec("ru_test_a.b:messages:read").unwrap_or_else(|e| panic!("{e}"));
        // "messages:read" contains a colon itself, so the spec splits at the first one: key, then scopes.
        assert!(k.has_scope("messages:read"));
        assert!(!k.has_scope("messages:write"));
        let fenced = ApiKey::parse_spec("ru_test_a.b:messages:read@127.0.0.1|10.0.0.2").unwrap();
        assert_eq!(fenced.allowed_ips.len(), 2);
        assert!(fenced.has_scope("messages:read"));
        assert!(ApiKey::parse_spec("ru_test_a.b@not-an-ip").is_err());
        let all = ApiKey::parse_spec("ru_test_a.b").unwrap();
        assert!(KEY_SCOPES.iter().all(|s| all.has_scope(s)));
    }
}
