//! The edge's configuration: sites (a JSON var), the core's address, and secrets.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret value (core key, session secret). `Debug` and `Display` never print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The only way to read the value; call it where the value is used, nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// One site that embeds the widget. Configured in the `SITES` var, keyed by site id.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SiteConfig {
    /// Shown in the widget's header.
    pub name: String,
    /// Page origins allowed to use this site's chat, e.g. `https://shop.example`.
    pub origins: Vec<String>,
    /// The core's livechat channel for this site; discovered from `GET /channels` when absent.
    #[serde(default)]
    pub channel_id: Option<String>,
}

pub type Sites = HashMap<String, SiteConfig>;

impl SiteConfig {
    /// A request may use this site when its `Origin` is on the list. Requests without an `Origin`
    /// (same-origin GETs, non-browser clients) are judged by their session token alone.
    pub fn allows_origin(&self, origin: Option<&str>) -> bool {
        match origin {
            None => true,
            Some(o) => self.origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(o)),
        }
    }
}

/// Whether any configured site allows this origin (for preflights, which carry no site id).
pub fn any_site_allows(sites: &Sites, origin: &str) -> bool {
    sites.values().any(|s| s.allows_origin(Some(origin)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites() -> Sites {
        serde_json::from_str(r#"{"demo":{"name":"Demo","origins":["https://shop.example"]}}"#).unwrap()
    }

    #[test]
    fn origin_lock() {
        let s = sites();
        let demo = &s["demo"];
        assert!(demo.allows_origin(Some("https://shop.example")));
        assert!(demo.allows_origin(Some("HTTPS://SHOP.EXAMPLE")));
        assert!(!demo.allows_origin(Some("https://evil.example")));
        assert!(!demo.allows_origin(Some("https://shop.example.evil.example")));
        assert!(demo.allows_origin(None));
        assert!(any_site_allows(&s, "https://shop.example"));
        assert!(!any_site_allows(&s, "null"));
        assert!(demo.channel_id.is_none());
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("ru_live_abc.verysecret".into());
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "ru_live_abc.verysecret");
    }
}
