//! The Custom Channel Webhook URL: what the edge POSTs visitor messages to.
//!
//! Checks in order: the API token (401), the body as JSON (400), `channelId` belongs to the token (403),
//! then the documented field rules (400). A call is checked whole before anything is stored, so a 400
//! never leaves half a call behind. Success is `200 {}` (the documents show only the status).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::store::{now_ms, Message, Profile};
use super::{error, RioSim};

/// "Max 50 characters" for both a Custom ID `contactId` and an event's `mId`.
pub const ID_MAX: usize = 50;
pub const EVENT_TYPES: [&str; 3] = ["message", "message_echo", "message_status"];
pub const MESSAGE_TYPES: [&str; 4] = ["text", "attachment", "location", "quick_reply"];

/// The Custom ID character set: "A-Z, a-z, 0-9, _, =, +, / and @ are allowed" (so no `-`).
pub fn valid_contact_id(id: &str) -> bool {
    let len = id.chars().count();
    (1..=ID_MAX).contains(&len) && id.chars().all(|c| c.is_ascii_alphanumeric() || "_=+/@".contains(c))
}

/// One checked event.
#[derive(Debug)]
pub struct Event {
    pub kind: String,
    pub m_id: String,
    pub timestamp: i64,
    pub message: Option<Value>,
    pub status: Option<Value>,
}

/// A checked webhook call.
#[derive(Debug)]
pub struct Call {
    pub channel_id: String,
    pub contact_id: String,
    pub profile: Option<Profile>,
    pub events: Vec<Event>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    Bad(String),
    WrongChannel,
}

/// Applies the field rules to a parsed body on behalf of the channel `token_channel`.
pub fn check(body: &Value, token_channel: &str) -> Result<Call, Rejection> {
    let bad = |why: String| Rejection::Bad(why);
    if !body.is_object() {
        return Err(bad("body must be a JSON object".into()));
    }
    let channel_id = body["channelId"].as_str().ok_or_else(|| bad("channelId is required".into()))?;
    if channel_id != token_channel {
        return Err(Rejection::WrongChannel);
    }
    let contact_id = body["contactId"].as_str().ok_or_else(|| bad("contactId is required".into()))?;
    if !valid_contact_id(contact_id) {
        return Err(bad(format!("contactId must be 1 to {ID_MAX} characters of A-Z, a-z, 0-9, _, =, +, / and @")));
    }
    let profile = match &body["contact"] {
        Value::Null => None,
        v @ Value::Object(_) => Some(Profile::from_json(v)),
        _ => return Err(bad("contact must be an object".into())),
    };
    let raw_events = body["events"].as_array().ok_or_else(|| bad("events must be an array".into()))?;
    if raw_events.is_empty() {
        return Err(bad("events must not be empty".into()));
    }
    let events = raw_events.iter().enumerate().map(|(i, e)| check_event(i, e)).collect::<Result<_, _>>()?;
    Ok(Call { channel_id: channel_id.to_owned(), contact_id: contact_id.to_owned(), profile, events })
}

fn check_event(i: usize, e: &Value) -> Result<Event, Rejection> {
    let bad = |field: &str, rule: &str| Rejection::Bad(format!("events[{i}].{field} {rule}"));
    let kind = e["type"]
        .as_str()
        .filter(|t| EVENT_TYPES.contains(t))
        .ok_or_else(|| bad("type", "must be one of message, message_echo, message_status"))?;
    let m_id = e["mId"].as_str().filter(|m| !m.is_empty()).ok_or_else(|| bad("mId", "is required"))?;
    if m_id.chars().count() > ID_MAX {
        return Err(bad("mId", "must be at most 50 characters"));
    }
    let timestamp =
        e["timestamp"].as_i64().filter(|t| *t >= 0).ok_or_else(|| bad("timestamp", "must be epoch milliseconds"))?;
    let message = if kind == "message_status" {
        None
    } else {
        let m = e.get("message").filter(|m| m.is_object()).ok_or_else(|| bad("message", "is required"))?;
        let mtype = m["type"]
            .as_str()
            .filter(|t| MESSAGE_TYPES.contains(t))
            .ok_or_else(|| bad("message.type", "must be one of text, attachment, location, quick_reply"))?;
        if mtype == "text" && m["text"].as_str().is_none_or(str::is_empty) {
            return Err(bad("message.text", "must be a non-empty string"));
        }
        Some(m.clone())
    };
    let status = e.get("status").cloned();
    Ok(Event { kind: kind.to_owned(), m_id: m_id.to_owned(), timestamp, message, status })
}

/// What the inbox shows for a message: its text, or a short label for other types.
pub fn display_text(message: &Value) -> String {
    let text = message["text"].as_str().unwrap_or_default();
    match message["type"].as_str().unwrap_or_default() {
        "text" => text.to_owned(),
        "attachment" => {
            let kind = message["attachment"]["type"].as_str().unwrap_or("file");
            let url = message["attachment"]["url"].as_str().or(message["url"].as_str()).unwrap_or_default();
            format!("[{kind} attachment] {url}").trim_end().to_owned()
        }
        "quick_reply" if !text.is_empty() => text.to_owned(),
        other => format!("[{other}]"),
    }
}

pub async fn webhook(State(sim): State<RioSim>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(channel) = sim.channel_for(&headers).cloned() else {
        let why = if headers.contains_key(axum::http::header::AUTHORIZATION) {
            "Invalid API token"
        } else {
            "Missing Authorization: Bearer <API token>"
        };
        return error(StatusCode::UNAUTHORIZED, why);
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("body is not JSON: {e}")),
    };
    let call = match check(&body, &channel.id) {
        Ok(call) => call,
        Err(Rejection::Bad(why)) => return error(StatusCode::BAD_REQUEST, &why),
        Err(Rejection::WrongChannel) => {
            return error(StatusCode::FORBIDDEN, "channelId does not belong to this API token")
        }
    };
    let dedupe = sim.switches.lock().await.dedupe_mid;
    store_call(&sim, call, dedupe).await;
    (StatusCode::OK, Json(json!({}))).into_response()
}

/// Stores the call's messages; receipts update the outgoing message they name. With `dedupe`, an `mId`
/// already stored on the channel is dropped (still answered 200), otherwise it is stored again.
async fn store_call(sim: &RioSim, call: Call, dedupe: bool) {
    let mut store = sim.store.lock().await;
    let (channel, contact) = (call.channel_id.as_str(), call.contact_id.as_str());
    let carries_message = call.events.iter().any(|e| e.message.is_some());
    if carries_message {
        store.touch(channel, contact, call.profile);
    }
    for event in call.events {
        let Some(message) = event.message else {
            let value = match &event.status {
                Some(Value::Object(o)) => o.get("value").and_then(Value::as_str).unwrap_or("unknown").to_owned(),
                Some(Value::String(s)) => s.clone(),
                _ => "unknown".to_owned(),
            };
            store.receipt(channel, contact, &event.m_id, &value);
            continue;
        };
        if dedupe && store.has_mid(channel, &event.m_id) {
            continue;
        }
        let direction = if event.kind == "message_echo" { "echo" } else { "incoming" };
        let message = Message {
            id: 0,
            direction,
            kind: message["type"].as_str().unwrap_or_default().to_owned(),
            text: display_text(&message),
            m_id: Some(event.m_id),
            status: "received".into(),
            timestamp: if event.timestamp > 0 { event.timestamp } else { now_ms() },
            attempts: None,
            last_error: None,
            duplicate: None,
            receipt: None,
            raw: Some(message),
        };
        store.push(channel, contact, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_id_rules() {
        assert!(valid_contact_id("v_0123456789abcdef0123456789abcdef"));
        assert!(valid_contact_id("+60177872890"));
        assert!(valid_contact_id("a/b+c=d@e_f"));
        assert!(!valid_contact_id(""));
        assert!(!valid_contact_id("has-dash"));
        assert!(!valid_contact_id(&"x".repeat(51)));
        assert!(valid_contact_id(&"x".repeat(50)));
    }

    #[test]
    fn field_rules() {
        let ok = json!({"channelId": "c", "contactId": "v_1",
            "events": [{"type": "message", "mId": "w_1", "timestamp": 1, "message": {"type": "text", "text": "hi"}}]});
        assert_eq!(check(&ok, "c").unwrap().events.len(), 1);
        assert_eq!(check(&ok, "other").unwrap_err(), Rejection::WrongChannel);
        let mut float_ts = ok.clone();
        float_ts["events"][0]["timestamp"] = json!(1.5);
        assert!(matches!(check(&float_ts, "c"), Err(Rejection::Bad(w)) if w.contains("timestamp")));
        let mut empty_text = ok.clone();
        empty_text["events"][0]["message"]["text"] = json!("");
        assert!(matches!(check(&empty_text, "c"), Err(Rejection::Bad(w)) if w.contains("message.text")));
        let mut video = ok.clone();
        video["events"][0]["message"]["type"] = json!("video");
        assert!(matches!(check(&video, "c"), Err(Rejection::Bad(w)) if w.contains("message.type")));
        let status = json!({"channelId": "c", "contactId": "v_1",
            "events": [{"type": "message_status", "mId": "a_1", "timestamp": 1, "status": {"value": "read"}}]});
        assert!(check(&status, "c").unwrap().events[0].message.is_none(), "receipts carry no message");
    }

    #[test]
    fn labels_for_other_types() {
        let pic = json!({"type": "attachment", "attachment": {"type": "image", "url": "https://x/y.png"}});
        assert_eq!(display_text(&pic), "[image attachment] https://x/y.png");
        assert_eq!(display_text(&json!({"type": "location"})), "[location]");
    }
}
