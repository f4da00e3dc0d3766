//! Every failure a route can answer, each with one HTTP status and one stable code.
//! The `detail` of internal failures goes to the log, never into a response body.

use sapa_protocol::{ErrorBody, ErrorCode, FieldError};

use crate::core::http::CoreError;

#[derive(Debug)]
pub enum ApiError {
    InvalidJson(String),
    InvalidField(FieldError),
    PayloadTooLarge,
    UnknownSite,
    OriginNotAllowed,
    TokenMissing,
    TokenInvalid,
    TokenExpired,
    TokenWrongSite,
    TokenWrongConversation,
    IdentityRequired,
    IdentityInvalid,
    /// A `user_hash` for a site without an identity secret: its configuration must change.
    IdentityNotConfigured,
    UnsupportedMedia,
    /// The site's core platform does not take this.
    NotSupported,
    RateLimited {
        retry_after_s: u64,
    },
    CoreUnavailable {
        detail: String,
    },
    /// The core refused the key; `detail` names the status and missing scope, never the key.
    CoreMisconfigured {
        detail: String,
    },
    WebhookSignatureInvalid,
    WebhookExpired,
    WebhooksNotConfigured,
    UpgradeRequired,
    /// The core's answer to a write was not the caller's record; `detail` (logged) says how it differed.
    IdempotencyConflict {
        detail: String,
    },
    /// Another request is opening this session right now.
    SessionBusy,
    /// Another request is sending this message right now (a core that cannot find a write again).
    WriteBusy,
    NotFound,
    MethodNotAllowed,
    /// A fault of the edge or its configuration; `detail` is logged only.
    Internal {
        detail: String,
    },
}

impl ApiError {
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::Internal { detail: detail.into() }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::InvalidJson(_) | Self::InvalidField(_) => 400,
            Self::PayloadTooLarge => 413,
            Self::UnknownSite | Self::NotFound => 404,
            Self::OriginNotAllowed => 403,
            Self::TokenMissing | Self::TokenInvalid | Self::TokenExpired => 401,
            Self::IdentityRequired | Self::IdentityInvalid => 401,
            Self::IdentityNotConfigured => 400,
            Self::TokenWrongSite | Self::TokenWrongConversation => 403,
            Self::WebhookSignatureInvalid | Self::WebhookExpired => 401,
            Self::WebhooksNotConfigured => 404,
            Self::UpgradeRequired => 426,
            Self::UnsupportedMedia => 415,
            Self::NotSupported => 422,
            Self::RateLimited { .. } => 429,
            Self::IdempotencyConflict { .. } => 409,
            Self::SessionBusy | Self::WriteBusy => 503,
            Self::CoreUnavailable { .. } => 503,
            Self::CoreMisconfigured { .. } => 502,
            Self::MethodNotAllowed => 405,
            Self::Internal { .. } => 500,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidJson(_) => ErrorCode::InvalidJson,
            Self::InvalidField(_) => ErrorCode::InvalidField,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnknownSite => ErrorCode::UnknownSite,
            Self::OriginNotAllowed => ErrorCode::OriginNotAllowed,
            Self::TokenMissing => ErrorCode::TokenMissing,
            Self::TokenInvalid => ErrorCode::TokenInvalid,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::TokenWrongSite => ErrorCode::TokenWrongSite,
            Self::TokenWrongConversation => ErrorCode::TokenWrongConversation,
            Self::WebhookSignatureInvalid => ErrorCode::WebhookSignatureInvalid,
            Self::WebhookExpired => ErrorCode::WebhookExpired,
            Self::WebhooksNotConfigured => ErrorCode::WebhooksNotConfigured,
            Self::UpgradeRequired => ErrorCode::UpgradeRequired,
            Self::IdentityRequired => ErrorCode::IdentityRequired,
            Self::IdentityInvalid => ErrorCode::IdentityInvalid,
            Self::IdentityNotConfigured => ErrorCode::IdentityNotConfigured,
            Self::UnsupportedMedia => ErrorCode::UnsupportedMedia,
            Self::NotSupported => ErrorCode::NotSupported,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::CoreUnavailable { .. } => ErrorCode::CoreUnavailable,
            Self::CoreMisconfigured { .. } => ErrorCode::CoreMisconfigured,
            Self::IdempotencyConflict { .. } => ErrorCode::IdempotencyConflict,
            Self::SessionBusy => ErrorCode::SessionBusy,
            Self::WriteBusy => ErrorCode::WriteBusy,
            Self::NotFound => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The body a client sees: a fixed sentence per code, plus the field for validation errors.
    pub fn body(&self) -> ErrorBody {
        let message = match self {
            Self::InvalidJson(why) => {
                return ErrorBody::new(self.code(), format!("The request body is not valid: {why}"))
            }
            Self::InvalidField(e) => return e.clone().into(),
            Self::PayloadTooLarge => "The request body is too large.",
            Self::UnknownSite => "No site with this id is configured.",
            Self::OriginNotAllowed => "This page's origin is not allowed to use this site's chat.",
            Self::TokenMissing => "A session token is required.",
            Self::TokenInvalid => "The session token is not valid.",
            Self::TokenExpired => "The session token has expired; start a new session.",
            Self::TokenWrongSite => "This session belongs to another site.",
            Self::TokenWrongConversation => "This session belongs to another conversation.",
            Self::WebhookSignatureInvalid => "The webhook signature is missing or does not verify.",
            Self::WebhookExpired => "The webhook timestamp is more than 300 seconds from now.",
            Self::WebhooksNotConfigured => "This edge has no webhook secret configured.",
            Self::UpgradeRequired => "This route takes WebSocket upgrades only.",
            Self::IdentityRequired => "This site's chat needs a signed-in user (user_id and user_hash).",
            Self::IdentityInvalid => "user_hash does not match user_id.",
            Self::IdentityNotConfigured => "This site has no identity secret, so user_hash cannot be checked.",
            Self::UnsupportedMedia => "This kind of file cannot be sent. Images, PDFs and office documents can.",
            Self::NotSupported => "The site's chat platform does not take this.",
            Self::RateLimited { .. } => "Too many requests; retry later.",
            Self::CoreUnavailable { .. } => "The chat service is unavailable right now; retry shortly.",
            Self::CoreMisconfigured { .. } => "The chat service is not configured correctly.",
            Self::IdempotencyConflict { .. } => {
                "The chat service answered with a record that is not this conversation's; nothing was sent."
            }
            Self::SessionBusy => "This chat is being started by another request; retry in a moment.",
            Self::WriteBusy => "This message is being sent by another request; retry in a moment.",
            Self::NotFound => "No such route.",
            Self::MethodNotAllowed => "This route does not take this method.",
            Self::Internal { .. } => "Something went wrong at the edge.",
        };
        ErrorBody::new(self.code(), message)
    }

    /// What goes to the log for this error, if anything beyond the code.
    pub fn log_detail(&self) -> Option<&str> {
        match self {
            Self::CoreUnavailable { detail }
            | Self::CoreMisconfigured { detail }
            | Self::IdempotencyConflict { detail }
            | Self::Internal { detail } => Some(detail),
            _ => None,
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::InvalidField(e)
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::RateLimited { retry_after_s } => Self::RateLimited { retry_after_s },
            CoreError::Unavailable(detail) => Self::CoreUnavailable { detail },
            auth @ CoreError::Auth { .. } => Self::CoreMisconfigured { detail: auth.to_string() },
            other => Self::Internal { detail: other.to_string() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_body() {
        let e = ApiError::internal("core said: key ru_live_x.secret rejected");
        let body = serde_json::to_string(&e.body()).unwrap();
        assert!(!body.contains("ru_live"));
        assert_eq!(e.status(), 500);
        assert_eq!(e.log_detail(), Some("core said: key ru_live_x.secret rejected"));
    }

    #[test]
    fn a_refused_key_is_a_502_naming_the_scope_in_the_log_only() {
        let e = ApiError::from(CoreError::Auth {
            status: 403,
            message: "Insufficient scope".into(),
            required_scope: Some("messages:write".into()),
        });
        assert_eq!((e.status(), e.code()), (502, ErrorCode::CoreMisconfigured));
        assert!(e.log_detail().unwrap().contains("messages:write"));
        assert!(!serde_json::to_string(&e.body()).unwrap().contains("messages:write"));
    }

    #[test]
    fn field_errors_name_the_field() {
        let e = ApiError::from(FieldError::new("text", "must not be empty"));
        assert_eq!(e.status(), 400);
        assert_eq!(e.body().error.field.as_deref(), Some("text"));
    }
}
