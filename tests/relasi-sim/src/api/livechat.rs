//! The assumed livechat inbound contract: a visitor's conversation and words arrive as inbound.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{check_len, check_request_id, json_body};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::Sender;
use crate::Sim;

#[derive(Debug, Deserialize)]
pub struct OpenConversation {
    client_request_id: String,
    channel_id: String,
    customer_id: String,
    page_url: Option<String>,
    locale: Option<String>,
}

pub async fn open_conversation(
    caller: Caller,
    State(sim): State<Sim>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require("conversations:write")?;
    let body: OpenConversation = json_body(&body)?;
    check_request_id(&body.client_request_id)?;
    let mut store = sim.store.lock().await;
    if let Some(first) = store.replay("livechat/conversations", &body.client_request_id) {
        return Ok((StatusCode::OK, Json(first)));
    }
    let is_livechat = store.channels.iter().any(|c| c.id == body.channel_id && c.channel_type == "livechat");
    if !is_livechat {
        return Err(ApiError::NotFound("Livechat channel"));
    }
    if store.contact(&body.customer_id).is_none() {
        return Err(ApiError::NotFound("Contact"));
    }
    let conversation = store.open_livechat(&body.channel_id, &body.customer_id, body.page_url, body.locale);
    let answer = json!(conversation);
    store.remember("livechat/conversations", &body.client_request_id, &answer);
    sim.webhooks.emit("conversation.created", &answer);
    Ok((StatusCode::CREATED, Json(answer)))
}

#[derive(Debug, Deserialize)]
pub struct InboundText {
    client_request_id: String,
    conversation_id: String,
    text: String,
    /// The page the visitor was on when writing (optional).
    #[serde(default)]
    page_url: Option<String>,
}

pub async fn add_message(caller: Caller, State(sim): State<Sim>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require("messages:write")?;
    let body: InboundText = json_body(&body)?;
    check_request_id(&body.client_request_id)?;
    check_len("text", &body.text, 1, 4000)?;
    let mut store = sim.store.lock().await;
    if let Some(first) = store.replay("livechat/messages", &body.client_request_id) {
        return Ok((StatusCode::OK, Json(first)));
    }
    let customer_id = match store.conversation(&body.conversation_id) {
        Some(c) if c.channel == "livechat" => c.customer_id.clone(),
        _ => return Err(ApiError::NotFound("Livechat conversation")),
    };
    let name = store.contact(&customer_id).map(|c| c.name.clone());
    let sender = Sender { kind: "customer".into(), id: Some(customer_id), name, avatar_url: None };
    if let Some(url) = &body.page_url {
        check_len("page_url", url, 1, 2000)?;
    }
    let message =
        store.add_message(&body.conversation_id, "in", body.text, sender, Some(body.client_request_id.clone()));
    let message = store.set_page_url(&message.id, body.page_url).unwrap_or(message);
    let answer = json!(message);
    store.remember("livechat/messages", &body.client_request_id, &answer);
    sim.webhooks.emit("message.created", &answer);
    Ok((StatusCode::CREATED, Json(answer)))
}
