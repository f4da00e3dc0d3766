//! The respond.io simulator's agent replies, against a stand-in for the edge's `<API Base URL>/message`: the
//! reply and its recorded mId, retries on 5xx only, the switches, an unreachable edge, the inbox form.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use relasi_sim::respondio::{ReplyPolicy, RioSim};
use serde_json::{json, Value};
use tokio::sync::Mutex;

mod common;
mod rio;
use common::serve;
use rio::*;

/// What the stand-in edge saw on `/message`: the Authorization and Content-Type headers and the body.
type Seen = Arc<Mutex<Vec<(Option<String>, Option<String>, Value)>>>;

/// A stand-in for the edge's `<API Base URL>/message`: answers from `script` in order, then 200 with a
/// fresh `mId`.
#[derive(Clone, Default)]
struct Edge {
    seen: Seen,
    script: Arc<Mutex<VecDeque<(u16, Value)>>>,
}

async fn edge_message(State(edge): State<Edge>, headers: HeaderMap, body: Bytes) -> axum::response::Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let n = {
        let mut seen = edge.seen.lock().await;
        seen.push((header("authorization"), header("content-type"), body));
        seen.len()
    };
    let (status, body) = edge.script.lock().await.pop_front().unwrap_or((200, json!({"mId": format!("a_{n}")})));
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

/// Starts a stand-in edge; answers it and the API Base URL a channel should be configured with.
async fn edge() -> (Edge, String) {
    let edge = Edge::default();
    let router =
        Router::new().route("/core/respondio/site/secret/message", post(edge_message)).with_state(edge.clone());
    let base = serve(router).await;
    (edge, format!("{base}/core/respondio/site/secret"))
}

/// A simulator wired to a stand-in edge, with one contact (`v_r`) on CH.
async fn with_edge() -> (Edge, RioSim, String, reqwest::Client) {
    let (edge, api_base) = edge().await;
    let (sim, base, client) = start_with(&api_base, 1000, ReplyPolicy::default()).await;
    assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_r", "w_1", "hello?")).await.0, 200);
    (edge, sim, base, client)
}

async fn agent_reply(client: &reqwest::Client, base: &str, text: &str) -> Value {
    let (status, body) =
        control(client, base, "/reply", json!({"channelId": CH, "contactId": "v_r", "text": text})).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_reply_is_delivered_and_records_the_mid() {
    let (edge, _sim, base, client) = with_edge().await;
    let reply = agent_reply(&client, &base, "Selamat pagi!").await;
    assert_eq!(
        (reply["status"].clone(), reply["mId"].clone(), reply["attempts"].clone()),
        (json!("sent"), json!("a_1"), json!(1))
    );

    let seen = edge.seen.lock().await.clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(seen[0].1.as_deref(), Some("application/json"));
    assert_eq!(
        seen[0].2,
        json!({"channelId": CH, "contactId": "v_r", "message": {"type": "text", "text": "Selamat pagi!"}})
    );

    let messages = thread(&client, &base, "v_r").await;
    let out = &messages[1];
    assert_eq!(
        (out["direction"].clone(), out["status"].clone(), out["mId"].clone()),
        (json!("outgoing"), json!("sent"), json!("a_1"))
    );

    // A receipt for that mId lands on the message.
    let receipt = json!({"channelId": CH, "contactId": "v_r",
        "events": [{"type": "message_status", "mId": "a_1", "timestamp": 1, "status": {"value": "read"}}]});
    assert_eq!(hook(&client, &base, Some(TOKEN), &receipt).await.0, 200);
    assert_eq!(thread(&client, &base, "v_r").await[1]["receipt"], "read");

    let (status, _) =
        control(&client, &base, "/reply", json!({"channelId": CH, "contactId": "v_nobody", "text": "x"})).await;
    assert_eq!(status, 404, "replies go to known contacts only");
}

#[tokio::test]
async fn a_5xx_is_retried_with_the_same_body() {
    let (edge, _sim, base, client) = with_edge().await;
    edge.script.lock().await.push_back((500, json!({"error": "boom"})));
    let reply = agent_reply(&client, &base, "second time lucky").await;
    assert_eq!((reply["status"].clone(), reply["attempts"].clone()), (json!("sent"), json!(2)));
    assert_eq!(reply["mId"], "a_2");
    let seen = edge.seen.lock().await.clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].2, seen[1].2, "a retry repeats the body");
}

#[tokio::test]
async fn a_4xx_fails_without_retry() {
    let (edge, _sim, base, client) = with_edge().await;
    edge.script.lock().await.push_back((401, json!({"error": "bad token"})));
    let reply = agent_reply(&client, &base, "nope").await;
    assert_eq!((reply["status"].clone(), reply["attempts"].clone()), (json!("failed"), json!(1)));
    assert!(reply["lastError"].as_str().unwrap().contains("401"), "{reply}");
    assert_eq!(reply["mId"], Value::Null);
    assert_eq!(edge.seen.lock().await.len(), 1);
    assert_eq!(thread(&client, &base, "v_r").await[1]["status"], "failed");
}

#[tokio::test]
async fn switches_drop_the_header_and_duplicate_replies() {
    let (edge, _sim, base, client) = with_edge().await;
    control(&client, &base, "/switches", json!({"outbound_auth": "none", "duplicate_replies": true})).await;
    let reply = agent_reply(&client, &base, "twice").await;
    let seen = edge.seen.lock().await.clone();
    assert_eq!(seen.len(), 2, "duplicate_replies delivers the reply twice");
    assert!(seen.iter().all(|(auth, _, _)| auth.is_none()), "outbound_auth none sends no Authorization");
    assert_eq!(seen[0].2, seen[1].2);
    assert_eq!((reply["mId"].clone(), reply["duplicate"]["mId"].clone()), (json!("a_1"), json!("a_2")));
}

#[tokio::test]
async fn an_unreachable_edge_is_tried_three_times() {
    // Bind then drop a listener, so the port is closed; short backoff keeps the test quick.
    let (listener, dead) = common::listener().await;
    drop(listener);
    let policy = ReplyPolicy { timeout: Duration::from_secs(1), backoff: vec![Duration::from_millis(10); 2] };
    let (_sim, base, client) = start_with(&dead, 1000, policy).await;
    assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_r", "w_1", "hi")).await.0, 200);
    let reply = agent_reply(&client, &base, "anyone?").await;
    assert_eq!((reply["status"].clone(), reply["attempts"].clone()), (json!("failed"), json!(3)));
    assert!(reply["lastError"].as_str().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn the_inbox_form_sends_a_reply() {
    let (edge, _sim, base, client) = with_edge().await;
    let no_follow = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = no_follow
        .post(format!("{base}/inbox/reply"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("channel_id={CH}&contact_id=v_r&text=from%20the%20form"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection());
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/inbox#contact-"));
    assert_eq!(edge.seen.lock().await[0].2["message"]["text"], "from the form");
    let page = client.get(format!("{base}/inbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("from the form") && page.contains("a_1"));
}
