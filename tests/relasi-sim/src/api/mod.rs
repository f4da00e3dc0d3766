//! The public API under `/api/public/v1`.

mod contacts;
mod conversations;
mod livechat;
pub mod media;
pub mod messages;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::Page;
use crate::store::APP_ID;
use crate::Sim;

pub fn router() -> Router<Sim> {
    Router::new()
        .route("/me", get(me))
        .route("/channels", get(channels))
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/merge", post(contacts::merge))
        .route("/contacts/{id}", get(contacts::show).put(contacts::update))
        .route("/conversations", get(conversations::list))
        .route("/messages", get(messages::list))
        .route("/messages/text", post(messages::send_text))
        .route("/messages/location", post(media::send_location))
        .route(
            "/messages/{kind}",
            post(media::send_outbound).layer(DefaultBodyLimit::max(media::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route(
            "/livechat/messages/{kind}",
            post(media::send_inbound).layer(DefaultBodyLimit::max(media::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/livechat/conversations", post(livechat::open_conversation))
        .route("/livechat/messages", post(livechat::add_message))
}

async fn me(caller: Caller) -> Json<Value> {
    let key = caller.0;
    Json(json!({
        "app_id": APP_ID,
        "key_id": key.id,
        "name": format!("Simulator key {}", key.id),
        "public_id": format!("pk_{}", key.id),
        "mode": key.mode,
        "scopes": key.scopes,
        "created_at": "2026-01-01T00:00:00Z",
    }))
}

async fn channels(caller: Caller, State(sim): State<Sim>, Query(q): Query<PageQuery>) -> ApiResult<Json<Value>> {
    caller.require("channels:read")?;
    let (page, per_page) = q.checked()?;
    let store = sim.store.lock().await;
    Ok(Json(json!(Page::of(&store.channels, page, per_page))))
}

/// `page` and `per_page` as documented: page >= 1 (default 1), per_page 1..=500.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
    per_page: Option<String>,
}

pub const DEFAULT_PER_PAGE: usize = 20;

impl PageQuery {
    pub fn checked(&self) -> ApiResult<(usize, usize)> {
        let page = parse_bounded("page", self.page.as_deref(), 1, usize::MAX, 1)?;
        let per_page = parse_bounded("per_page", self.per_page.as_deref(), 1, 500, DEFAULT_PER_PAGE)?;
        Ok((page, per_page))
    }
}

fn parse_bounded(name: &str, raw: Option<&str>, min: usize, max: usize, default: usize) -> ApiResult<usize> {
    match raw {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| ApiError::Unprocessable(format!("{name} must be an integer between {min} and {max}"))),
    }
}

/// Parses a JSON body, answering the platform's error shape rather than the framework's.
pub fn json_body<T: DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("Invalid JSON body: {e}")))
}

/// Checks a text field's length in characters.
pub fn check_len(field: &str, value: &str, min: usize, max: usize) -> ApiResult<()> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::Unprocessable(format!("The {field} must be between {min} and {max} characters.")));
    }
    Ok(())
}

/// `client_request_id` is required on every write that takes one.
pub fn check_request_id(id: &str) -> ApiResult<()> {
    check_len("client_request_id", id, 1, 255)
}
