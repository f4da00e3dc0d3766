//! Error answers in the platform's documented shape: `{"error": "..."}` (plus `required_scope`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    Unauthorized(&'static str),
    Forbidden { scope: &'static str },
    IpNotAllowed,
    TooLarge(String),
    NotFound(&'static str),
    BadRequest(String),
    Unprocessable(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::Unauthorized(why) => (StatusCode::UNAUTHORIZED, json!({ "error": why })),
            Self::Forbidden { scope } => {
                (StatusCode::FORBIDDEN, json!({ "error": "Insufficient scope", "required_scope": scope }))
            }
            Self::IpNotAllowed => (StatusCode::FORBIDDEN, json!({ "error": "IP address not allowed for this key" })),
            Self::TooLarge(why) => (StatusCode::PAYLOAD_TOO_LARGE, json!({ "error": why })),
            Self::NotFound(what) => (StatusCode::NOT_FOUND, json!({ "error": format!("{what} not found") })),
            Self::BadRequest(why) => (StatusCode::BAD_REQUEST, json!({ "error": why })),
            Self::Unprocessable(why) => (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": why })),
        };
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
