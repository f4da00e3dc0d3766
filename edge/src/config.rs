//! The edge's configuration: sites (a JSON var), the core's address, and secrets.

use std::collections::HashMap;
use std::fmt;

use sapa_protocol::{BusinessHours, Capabilities, PrechatField, ReplyTime, SitePublic};
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
    /// Accent colour, `#rrggbb`.
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default)]
    pub greeting: Option<String>,
    /// Shown outside business hours.
    #[serde(default)]
    pub away_message: Option<String>,
    #[serde(default)]
    pub business_hours: Option<BusinessHours>,
    /// How soon agents usually answer: `minutes` (the default), `hours` or `day`.
    #[serde(default)]
    pub reply_time: ReplyTime,
    /// Pre-chat form fields (`name`, `email`), each optional or required.
    #[serde(default)]
    pub prechat: Vec<PrechatField>,
    /// Refuse every call from a visitor without a verified identity.
    #[serde(default)]
    pub require_identity: bool,
    /// The name of the Worker secret holding this site's identity secret (never the secret itself).
    #[serde(default)]
    pub identity_secret: Option<String>,
    /// The platform the site's conversations live on.
    #[serde(default)]
    pub core: CoreKind,
    /// The site's respond.io Custom Channel, for `core = "respondio"`.
    #[serde(default)]
    pub respondio: Option<RespondioChannel>,
}

/// Which platform a site runs on. A name this edge does not know leaves the site unusable (and says so),
/// rather than sending its visitors to another platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoreKind {
    #[default]
    Relasi,
    Respondio,
    #[serde(other)]
    Unknown,
}

/// A respond.io Custom Channel (Custom ID type), as its settings dialog shows it. Secrets are named, never
/// written here.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RespondioChannel {
    /// The channel's id.
    pub channel_id: String,
    /// The Worker secret holding the channel's API token.
    pub token_secret: String,
    /// The Worker secret holding the path secret in the API Base URL given to respond.io.
    pub path_secret: String,
    /// Where visitors' messages are posted (the channel's Webhook URL).
    #[serde(default = "default_respondio_webhook")]
    pub webhook_url: String,
}

/// respond.io's announced webhook host (assumed: see `shared/core-api/respondio.md`); set `webhook_url` to
/// what the channel's settings show.
fn default_respondio_webhook() -> String {
    "https://webhook.respond.io/custom/channel/webhook/".to_owned()
}

fn default_color() -> String {
    "#2f6df6".to_owned()
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

    /// What the widget may know about the site, with what its core can carry.
    pub fn public(&self, id: &str, now_s: i64, capabilities: Capabilities) -> SitePublic {
        SitePublic {
            id: id.to_owned(),
            name: self.name.clone(),
            color: self.color.clone(),
            greeting: self.greeting.clone(),
            away_message: self.away_message.clone(),
            open_now: self.business_hours.as_ref().is_none_or(|h| h.open_at(now_s)),
            reply_time: self.reply_time,
            prechat: self.prechat.clone(),
            require_identity: self.require_identity,
            capabilities,
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
        let public = demo.public("demo", 0, Capabilities::default());
        assert_eq!((public.color.as_str(), public.open_now, public.require_identity), ("#2f6df6", true, false));
    }

    #[test]
    fn public_settings_never_carry_the_identity_secret_name() {
        let s: Sites = serde_json::from_str(
            r#"{"shop":{"name":"Shop","origins":[],"identity_secret":"SHOP_IDENTITY_SECRET","require_identity":true}}"#,
        )
        .unwrap();
        let json = serde_json::to_string(&s["shop"].public("shop", 0, Capabilities::default())).unwrap();
        assert!(!json.contains("SHOP_IDENTITY_SECRET"));
        assert!(json.contains(r#""require_identity":true"#));
        assert!(json.contains(r#""reply_time":"minutes""#), "the default promise");
    }

    #[test]
    fn reply_time_is_one_of_three_promises() {
        let s: Sites = serde_json::from_str(r#"{"shop":{"name":"Shop","origins":[],"reply_time":"hours"}}"#).unwrap();
        assert_eq!(s["shop"].public("shop", 0, Capabilities::default()).reply_time, ReplyTime::Hours);
        let typo = serde_json::from_str::<Sites>(r#"{"shop":{"name":"Shop","origins":[],"reply_time":"soon"}}"#);
        assert!(typo.is_ok_and(|s| s["shop"].reply_time == ReplyTime::Unknown), "tolerated, shown as the default");
    }

    #[test]
    fn a_site_names_its_core_and_an_unknown_one_is_not_another() {
        let s: Sites = serde_json::from_str(
            r#"{"a":{"name":"A","origins":[]},
                "b":{"name":"B","origins":[],"core":"respondio",
                     "respondio":{"channel_id":"rio_channel_77","token_secret":"B_TOKEN","path_secret":"B_PATH"}},
                "c":{"name":"C","origins":[],"core":"zendesk"}}"#,
        )
        .unwrap();
        assert_eq!((s["a"].core, s["b"].core, s["c"].core), (CoreKind::Relasi, CoreKind::Respondio, CoreKind::Unknown));
        let channel = s["b"].respondio.as_ref().unwrap();
        assert_eq!(channel.webhook_url, "https://webhook.respond.io/custom/channel/webhook/");
        let public = serde_json::to_string(&s["b"].public("b", 0, Capabilities::default())).unwrap();
        assert!(
            !public.contains("B_TOKEN") && !public.contains("rio_channel_77"),
            "nothing of the channel is public: {public}"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("ru_live_abc.verysecret".into());
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "ru_live_abc.verysecret");
    }
}
