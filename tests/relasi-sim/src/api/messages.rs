//! Reading messages and the agent-side (outbound) text send.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{check_len, check_request_id, json_body, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::{Page, Sender};
use crate::Sim;

/// The workspace's agents, for `from_user_id` attribution.
pub const AGENTS: [(&str, &str); 2] = [("usr_ayu", "Ayu"), ("usr_budi", "Budi")];

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    conversation_id: Option<String>,
    message_session_id: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

/// Messages newest first, optionally filtered by conversation or message session.
pub async fn list(caller: Caller, State(sim): State<Sim>, Query(q): Query<ListQuery>) -> ApiResult<Json<Value>> {
    caller.require("messages:read")?;
    let (page, per_page) = q.page.checked()?;
    let store = sim.store.lock().await;
    let mut list: Vec<_> = store
        .messages
        .iter()
        .filter(|m| q.conversation_id.as_deref().is_none_or(|c| m.conversation_id == c))
        .filter(|m| q.message_session_id.as_deref().is_none_or(|s| m.message_session_id == s))
        .cloned()
        .collect();
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
    Ok(Json(json!(Page::of(&list, page, per_page))))
}

#[derive(Debug, Deserialize)]
pub struct SendText {
    client_request_id: Option<String>,
    conversation_id: Option<String>,
    text: Option<String>,
    #[allow(dead_code)]
    reply_to_message_id: Option<String>,
    #[serde(default)]
    as_system: bool,
    from_user_id: Option<String>,
}

/// The sender of an outbound message: the key's creator unless `as_system` or `from_user_id` says otherwise.
/// Agents' avatars are served by the simulator under `public_url`.
pub fn outbound_sender(
    as_system: bool,
    from_user_id: Option<&str>,
    key_id: &str,
    public_url: &str,
) -> ApiResult<Sender> {
    if as_system {
        return Ok(Sender { kind: "system".into(), id: None, name: None, avatar_url: None });
    }
    let (id, name) = match from_user_id {
        Some(uid) => {
            let (id, name) = AGENTS.iter().find(|(id, _)| *id == uid).ok_or(ApiError::NotFound("User"))?;
            (id.to_string(), name.to_string())
        }
        None => (format!("usr_key_{key_id}"), "Workspace owner".to_string()),
    };
    let avatar_url = Some(format!("{public_url}/avatars/{id}.svg"));
    Ok(Sender { kind: "agent".into(), id: Some(id), name: Some(name), avatar_url })
}

pub async fn send_text(caller: Caller, State(sim): State<Sim>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require("messages:write")?;
    let body: SendText = json_body(&body)?;
    let required =
        |v: Option<String>, f: &str| v.ok_or_else(|| ApiError::Unprocessable(format!("The {f} field is required.")));
    let request_id = required(body.client_request_id, "client_request_id")?;
    let conversation_id = required(body.conversation_id, "conversation_id")?;
    let text = required(body.text, "text")?;
    check_request_id(&request_id)?;
    check_len("text", &text, 1, 4000)?;
    let sender = outbound_sender(body.as_system, body.from_user_id.as_deref(), &caller.0.id, &sim.public_url)?;

    let mut store = sim.store.lock().await;
    if let Some(first) = store.replay("messages/text", &request_id) {
        return Ok((StatusCode::OK, Json(first)));
    }
    if store.conversation(&conversation_id).is_none() {
        return Err(ApiError::NotFound("Conversation"));
    }
    let message = store.add_message(&conversation_id, "out", text, sender, Some(request_id.clone()));
    let answer = json!(message);
    store.remember("messages/text", &request_id, &answer);
    sim.webhooks.emit("message.created", &answer);
    Ok((StatusCode::CREATED, Json(answer)))
}
