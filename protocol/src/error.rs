//! The one error shape every edge route answers: `{"error": {"code", "message", "field"?}}`.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. Clients branch on these, never on the message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON, or not the JSON this route takes.
    InvalidJson,
    /// A field is missing, has the wrong shape, or breaks a limit; `field` names it.
    InvalidField,
    /// The body is larger than the route accepts.
    PayloadTooLarge,
    /// The site id is not configured at this edge.
    UnknownSite,
    /// The page's origin is not on the site's allowlist.
    OriginNotAllowed,
    /// No session token was sent.
    TokenMissing,
    /// The session token is malformed or its signature does not verify.
    TokenInvalid,
    /// The session token was valid once but has expired.
    TokenExpired,
    /// The session token belongs to another site than the page's.
    TokenWrongSite,
    /// A stream was opened for one conversation with another conversation's token.
    TokenWrongConversation,
    /// The site requires a verified identity (`user_id` + `user_hash`) and none was given.
    IdentityRequired,
    /// `user_hash` does not match `user_id` under the site's identity secret.
    IdentityInvalid,
    /// A `user_hash` was sent for a site that has no identity secret to check it with: the site's
    /// configuration must change (or the page must stop sending it). Retrying cannot help.
    IdentityNotConfigured,
    /// An attachment's content is not an allowed type (checked by its bytes, not its name or header).
    UnsupportedMedia,
    /// The site's core platform does not take this (files, contact attributes): retrying cannot help.
    NotSupported,
    /// Too many requests; retry after the `Retry-After` header.
    RateLimited,
    /// The core platform failed or could not be reached in time; safe to retry with the same ids.
    CoreUnavailable,
    /// The core refused the edge's key (revoked, missing scope, IP not allowed): an operator must fix it.
    CoreMisconfigured,
    /// A core webhook whose signature is missing or does not verify.
    WebhookSignatureInvalid,
    /// A core webhook sent more than 300 seconds from now (a replay, or a badly wrong clock).
    WebhookExpired,
    /// This edge has no webhook secret: it polls the core instead.
    WebhooksNotConfigured,
    /// `/v1/stream` takes WebSocket upgrades only.
    UpgradeRequired,
    /// The core answered a write with a record that is not the caller's (another conversation's, or another
    /// id's). Nothing was returned or pushed; sending the same write again will not help.
    IdempotencyConflict,
    /// A session with this client id is being opened by another request right now; retry shortly.
    SessionBusy,
    /// A message with this client id is being sent by another request right now; retry shortly.
    WriteBusy,
    /// No such route or resource.
    NotFound,
    /// The route exists but not for this method.
    MethodNotAllowed,
    /// Something failed inside the edge. Details are in the edge's logs, never in the response.
    Internal,
    /// A code this build does not know (a newer edge); treat as a generic failure.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidField => "invalid_field",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnknownSite => "unknown_site",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::TokenMissing => "token_missing",
            Self::TokenInvalid => "token_invalid",
            Self::TokenExpired => "token_expired",
            Self::TokenWrongSite => "token_wrong_site",
            Self::TokenWrongConversation => "token_wrong_conversation",
            Self::IdentityRequired => "identity_required",
            Self::IdentityInvalid => "identity_invalid",
            Self::IdentityNotConfigured => "identity_not_configured",
            Self::UnsupportedMedia => "unsupported_media",
            Self::NotSupported => "not_supported",
            Self::RateLimited => "rate_limited",
            Self::CoreUnavailable => "core_unavailable",
            Self::CoreMisconfigured => "core_misconfigured",
            Self::WebhookSignatureInvalid => "webhook_signature_invalid",
            Self::WebhookExpired => "webhook_expired",
            Self::WebhooksNotConfigured => "webhooks_not_configured",
            Self::UpgradeRequired => "upgrade_required",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::SessionBusy => "session_busy",
            Self::WriteBusy => "write_busy",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Internal => "internal",
            Self::Unknown => "unknown",
        }
    }

    /// Whether the same request, with the same idempotency ids, may succeed if sent again later.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::CoreUnavailable | Self::Internal | Self::SessionBusy | Self::WriteBusy)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// A sentence for people (developers, logs); never shown verbatim as the only UI.
    pub message: String,
    /// The offending field, for `invalid_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { error: ErrorDetail { code, message: message.into(), field: None } }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.error.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_shape_is_stable() {
        let body = ErrorBody::new(ErrorCode::InvalidField, "text is too long").with_field("text");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "invalid_field", "message": "text is too long", "field": "text"}})
        );
        let no_field = serde_json::to_value(ErrorBody::new(ErrorCode::NotFound, "no route")).unwrap();
        assert!(no_field["error"].get("field").is_none());
    }

    #[test]
    fn as_str_matches_serde_name() {
        for code in [
            ErrorCode::InvalidJson,
            ErrorCode::InvalidField,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnknownSite,
            ErrorCode::OriginNotAllowed,
            ErrorCode::TokenMissing,
            ErrorCode::TokenInvalid,
            ErrorCode::TokenExpired,
            ErrorCode::TokenWrongSite,
            ErrorCode::TokenWrongConversation,
            ErrorCode::IdentityRequired,
            ErrorCode::IdentityInvalid,
            ErrorCode::IdentityNotConfigured,
            ErrorCode::UnsupportedMedia,
            ErrorCode::NotSupported,
            ErrorCode::RateLimited,
            ErrorCode::CoreUnavailable,
            ErrorCode::CoreMisconfigured,
            ErrorCode::WebhookSignatureInvalid,
            ErrorCode::WebhookExpired,
            ErrorCode::WebhooksNotConfigured,
            ErrorCode::UpgradeRequired,
            ErrorCode::IdempotencyConflict,
            ErrorCode::SessionBusy,
            ErrorCode::WriteBusy,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Internal,
        ] {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn unknown_codes_from_a_newer_edge_are_tolerated() {
        let body: ErrorBody = serde_json::from_str(r#"{"error":{"code":"brand_new","message":"x"}}"#).unwrap();
        assert_eq!(body.error.code, ErrorCode::Unknown);
    }
}
