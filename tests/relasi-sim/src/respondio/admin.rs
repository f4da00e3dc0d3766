//! Test controls for the respond.io simulator, under `/__sim`. Errors here are `{"error": "..."}` like the
//! Relasi.U simulator's controls, not respond.io's shape: they are the test harness's API, not respond.io's.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::outbound::{reply, ReplyError, SwitchPatch, Switches};
use super::RioSim;
use crate::guard::FaultRule;

pub fn router() -> Router<RioSim> {
    Router::new()
        .route("/log", get(log).delete(clear_log))
        .route("/faults", post(add_fault).delete(clear_faults))
        .route("/switches", get(switches).post(set_switches))
        .route("/reply", post(send_reply))
        .route("/channels", get(channels))
        .route("/contacts", get(contacts))
        // A wildcard, so a contactId with a raw `/` works as well as a percent-encoded one.
        .route("/contacts/{*rest}", get(messages))
        .route("/reset", post(reset))
}

fn fail(status: StatusCode, why: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": why.to_string()}))).into_response()
}

/// Every webhook call so far, newest last: method, path, status, and the token's channel id.
async fn log(State(sim): State<RioSim>) -> Json<Value> {
    Json(json!(*sim.log.lock().await))
}

async fn clear_log(State(sim): State<RioSim>) -> StatusCode {
    sim.log.lock().await.clear();
    StatusCode::NO_CONTENT
}

async fn add_fault(State(sim): State<RioSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            sim.faults.lock().await.add(rule.clone());
            (StatusCode::CREATED, Json(json!(rule))).into_response()
        }
        Err(e) => fail(StatusCode::BAD_REQUEST, e),
    }
}

async fn clear_faults(State(sim): State<RioSim>) -> StatusCode {
    sim.faults.lock().await.clear();
    StatusCode::NO_CONTENT
}

async fn switches(State(sim): State<RioSim>) -> Json<Switches> {
    Json(*sim.switches.lock().await)
}

async fn set_switches(State(sim): State<RioSim>, body: Bytes) -> Response {
    match serde_json::from_slice::<SwitchPatch>(&body) {
        Ok(patch) => {
            let mut switches = sim.switches.lock().await;
            switches.apply(patch);
            Json(*switches).into_response()
        }
        Err(e) => fail(StatusCode::BAD_REQUEST, e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReplyBody {
    channel_id: String,
    contact_id: String,
    text: String,
}

/// An agent reply; answers when its deliveries have ended (seconds, if the edge is failing).
async fn send_reply(State(sim): State<RioSim>, body: Bytes) -> Response {
    let body: ReplyBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return fail(StatusCode::BAD_REQUEST, e),
    };
    match reply(&sim, &body.channel_id, &body.contact_id, &body.text).await {
        Ok(reply) => Json(json!(reply)).into_response(),
        Err(ReplyError::UnknownChannel) => fail(StatusCode::NOT_FOUND, "no such channel"),
        Err(ReplyError::UnknownContact) => fail(StatusCode::NOT_FOUND, "no such contact on this channel"),
        Err(ReplyError::EmptyText) => fail(StatusCode::BAD_REQUEST, "text must not be empty"),
    }
}

/// The configured channels, without their tokens.
async fn channels(State(sim): State<RioSim>) -> Json<Value> {
    let list: Vec<Value> = sim
        .channels
        .iter()
        .map(|c| json!({"channelId": c.id, "apiBaseUrl": c.api_base_url, "messageUrl": c.message_url()}))
        .collect();
    Json(json!(list))
}

#[derive(Deserialize)]
struct ChannelFilter {
    #[serde(rename = "channelId")]
    channel_id: Option<String>,
}

/// Contacts in order of first sight, each with its message count.
async fn contacts(State(sim): State<RioSim>, Query(q): Query<ChannelFilter>) -> Json<Value> {
    let store = sim.store.lock().await;
    let list: Vec<Value> = store
        .contacts
        .iter()
        .filter(|c| q.channel_id.as_deref().is_none_or(|id| id == c.channel_id))
        .map(|c| {
            let mut v = json!(c);
            v["messages"] = json!(c.messages.len());
            v
        })
        .collect();
    Json(json!(list))
}

/// `GET /__sim/contacts/{contactId}/messages[?channelId=...]`: the thread, oldest first. Without
/// `channelId`, a contactId known on more than one channel is a 409.
async fn messages(State(sim): State<RioSim>, Path(rest): Path<String>, Query(q): Query<ChannelFilter>) -> Response {
    let Some(contact_id) = rest.strip_suffix("/messages") else {
        return fail(StatusCode::NOT_FOUND, "expected /__sim/contacts/{contactId}/messages");
    };
    let store = sim.store.lock().await;
    let found: Vec<_> = store
        .contacts
        .iter()
        .filter(|c| c.contact_id == contact_id && q.channel_id.as_deref().is_none_or(|id| id == c.channel_id))
        .collect();
    match found.as_slice() {
        [] => fail(StatusCode::NOT_FOUND, format!("no contact {contact_id:?}")),
        [c] => Json(json!({"channelId": c.channel_id, "contactId": c.contact_id, "profile": c.profile,
            "messages": c.messages}))
        .into_response(),
        _ => fail(StatusCode::CONFLICT, "contactId is on several channels; add ?channelId="),
    }
}

/// Forgets contacts, the log, the faults and the switches (the rate limiter's buckets refill by themselves).
async fn reset(State(sim): State<RioSim>) -> StatusCode {
    *sim.store.lock().await = Default::default();
    sim.log.lock().await.clear();
    sim.faults.lock().await.clear();
    *sim.switches.lock().await = Switches::default();
    StatusCode::NO_CONTENT
}
