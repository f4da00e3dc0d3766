//! Opening a visitor session: the first message's companion call.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, ConversationId, SessionToken, SiteId};
use crate::validate::{self, optional, FieldError, Validate};

/// `POST /v1/sessions`: finds or creates the visitor's contact and opens a livechat conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// The site the widget is embedded for.
    pub site_id: SiteId,
    /// Made by the widget when the visitor first starts a chat and kept until it succeeds, so a retried
    /// request opens the same conversation instead of a second one.
    pub client_id: ClientId,
    /// The visitor's name, from the pre-chat form or the site's identify call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The visitor's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The page the chat was started on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The visitor's language, as a BCP 47 tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The page that linked to the site (`document.referrer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The site's own id for a signed-in user; trusted only with a matching `user_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Hex `HMAC-SHA256(user_id, site identity secret)`, computed by the site owner's server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_hash: Option<String>,
}

impl Validate for CreateSession {
    fn validate(&self) -> Result<(), FieldError> {
        validate::site_id("site_id", self.site_id.as_str())?;
        validate::client_id("client_id", self.client_id.as_str())?;
        optional(self.name.as_deref(), |v| validate::name("name", v))?;
        optional(self.email.as_deref(), |v| validate::email("email", v))?;
        optional(self.page_url.as_deref(), |v| validate::page_url("page_url", v))?;
        optional(self.referrer.as_deref(), |v| validate::page_url("referrer", v))?;
        optional(self.locale.as_deref(), |v| validate::locale("locale", v))?;
        optional(self.user_id.as_deref(), |v| validate::user_id("user_id", v))?;
        optional(self.user_hash.as_deref(), |v| validate::hex_digest("user_hash", v))?;
        if self.user_hash.is_some() && self.user_id.is_none() {
            return Err(FieldError::new("user_id", "is required with user_hash"));
        }
        Ok(())
    }
}

/// The answer to `POST /v1/sessions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCreated {
    /// Sent as `Authorization: Bearer <token>` on every later call.
    pub token: SessionToken,
    /// When the token stops working, in UNIX seconds.
    pub expires_at: i64,
    /// The conversation the token is bound to.
    pub conversation_id: ConversationId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateSession {
        CreateSession {
            site_id: "demo".into(),
            client_id: "0d4c8a8e-5a0b-4c55-9a57-3bcb5b4c2f10".into(),
            name: Some("Siti".into()),
            email: None,
            page_url: Some("https://shop.example/pricing".into()),
            locale: Some("id-ID".into()),
            referrer: None,
            user_id: None,
            user_hash: None,
        }
    }

    #[test]
    fn valid_request_passes() {
        assert_eq!(request().validate(), Ok(()));
    }

    #[test]
    fn each_field_is_checked() {
        let mut r = request();
        r.email = Some("nope".into());
        assert_eq!(r.validate().unwrap_err().field, "email");
        let mut r = request();
        r.client_id = "x".into();
        assert_eq!(r.validate().unwrap_err().field, "client_id");
        let mut r = request();
        r.page_url = Some("ftp://x".into());
        assert_eq!(r.validate().unwrap_err().field, "page_url");
    }

    #[test]
    fn zero_width_name_is_refused_as_blank() {
        for n in ["\u{200B}", "\u{200D}\u{200C}", "\u{3164}", " \u{FEFF} "] {
            let r = CreateSession { name: Some(n.into()), ..request() };
            let err = r.validate().unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("name", "must not be empty"), "{n:?}");
        }
    }

    #[test]
    fn unicode_line_separators_break_a_single_line_name() {
        for n in ["Siti\u{2028}Rahma", "Siti\u{2029}Rahma", "Siti\u{85}Rahma"] {
            let r = CreateSession { name: Some(n.into()), ..request() };
            let err = r.validate().unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("name", "must be a single line"), "{n:?}");
        }
    }

    #[test]
    fn identity_fields() {
        let mut r = request();
        r.user_id = Some("user-42".into());
        r.user_hash = Some("a".repeat(64));
        assert_eq!(r.validate(), Ok(()));
        r.user_hash = Some("not-hex".into());
        assert_eq!(r.validate().unwrap_err().field, "user_hash");
        let mut r = request();
        r.user_hash = Some("a".repeat(64));
        assert_eq!(r.validate().unwrap_err().field, "user_id");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let json = r#"{"site_id":"demo","client_id":"0d4c8a8e-5a0b","conversation_id":"steal"}"#;
        let err = serde_json::from_str::<CreateSession>(json).unwrap_err();
        assert!(err.to_string().contains("unknown field"));
    }

    #[test]
    fn optional_fields_may_be_absent() {
        let r: CreateSession = serde_json::from_str(r#"{"site_id":"demo","client_id":"0d4c8a8e-5a0b"}"#).unwrap();
        assert!(r.name.is_none() && r.email.is_none());
    }
}
