//! The respond.io Custom Channel simulator over loopback sockets: the webhook's auth and field rules,
//! storage and duplicates, the rate limit, injected faults, and agent replies against a stand-in edge.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use relasi_sim::respondio::{Channel, ReplyPolicy, RioConfig, RioSim};
use serde_json::{json, Value};
use tokio::sync::Mutex;

mod common;
use common::serve;

const CH: &str = "ch_main";
const TOKEN: &str = "rio_tok_main";
const OTHER_CH: &str = "ch_other";
const OTHER_TOKEN: &str = "rio_tok_other";

/// A contactId using every special character the Custom ID rule allows.
const ODD_ID: &str = "v_a/b+c=d@e";

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

/// A simulator with two channels whose replies go to `api_base`.
async fn start_with(api_base: &str, rate: u32, policy: ReplyPolicy) -> (RioSim, String, reqwest::Client) {
    let channels = vec![
        Channel::parse_spec(&format!("{CH},{TOKEN},{api_base}")).unwrap(),
        Channel::parse_spec(&format!("{OTHER_CH},{OTHER_TOKEN},{api_base}")).unwrap(),
    ];
    let sim = RioSim::new(RioConfig { rate_per_s: rate, reply_policy: policy, ..RioConfig::new(channels) });
    let base = serve(sim.router()).await;
    (sim, base, reqwest::Client::new())
}

async fn start() -> (RioSim, String, reqwest::Client) {
    start_with("http://127.0.0.1:9", 1000, ReplyPolicy::default()).await
}

fn text_call(channel: &str, contact: &str, m_id: &str, text: &str) -> Value {
    json!({"channelId": channel, "contactId": contact,
        "events": [{"type": "message", "mId": m_id, "timestamp": 1_780_000_000_000_i64,
                    "message": {"type": "text", "text": text}}]})
}

/// POSTs `body` to the webhook with `token` (if any); answers status, headers and JSON body.
async fn hook(client: &reqwest::Client, base: &str, token: Option<&str>, body: &Value) -> (u16, HeaderMap, Value) {
    let mut req = client
        .post(format!("{base}/custom/channel/webhook/"))
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        req = req.header("Authorization", format!("Bearer {token}"));
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    (status, headers, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

async fn get(client: &reqwest::Client, base: &str, path: &str) -> (u16, Value) {
    let resp = client.get(format!("{base}{path}")).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

async fn control(client: &reqwest::Client, base: &str, path: &str, body: Value) -> (u16, Value) {
    let resp = client
        .post(format!("{base}/__sim{path}"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

/// The stored thread of `contact` on CH (percent-encoding the id, as a caller must).
async fn thread(client: &reqwest::Client, base: &str, contact: &str) -> Vec<Value> {
    let encoded = contact.replace('/', "%2F").replace('+', "%2B").replace('=', "%3D").replace('@', "%40");
    let (status, body) = get(client, base, &format!("/__sim/contacts/{encoded}/messages?channelId={CH}")).await;
    assert_eq!(status, 200, "{body}");
    body["messages"].as_array().unwrap().clone()
}

#[tokio::test]
async fn auth_is_the_channel_token() {
    let (sim, base, client) = start().await;
    let call = text_call(CH, "v_1", "w_1", "hi");
    let (status, _, body) = hook(&client, &base, None, &call).await;
    assert_eq!(status, 401);
    assert_eq!(body["status"], 401);
    assert!(body["message"].as_str().unwrap().contains("Authorization"));
    assert_eq!(hook(&client, &base, Some("rio_tok_wrong"), &call).await.0, 401);
    // A valid token, but for another channel than the body names.
    let (status, _, body) = hook(&client, &base, Some(OTHER_TOKEN), &call).await;
    assert_eq!((status, body["status"].clone()), (403, json!(403)));
    assert!(sim.store.lock().await.contacts.is_empty(), "rejected calls store nothing");
    // The path without the trailing slash is the same endpoint.
    let resp = client
        .post(format!("{base}/custom/channel/webhook"))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .body(call.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn field_rules_answer_400() {
    let (sim, base, client) = start().await;
    let long = "v".repeat(51);
    let cases = [
        (text_call(CH, &long, "w_1", "hi"), "contactId"),
        (text_call(CH, "v-1", "w_1", "hi"), "contactId"),
        (text_call(CH, "v_1", "w_1", ""), "message.text"),
        (json!({"channelId": CH, "contactId": "v_1", "events": []}), "events"),
        (
            json!({"channelId": CH, "contactId": "v_1", "events": [{"type": "message", "timestamp": 1,
            "message": {"type": "text", "text": "hi"}}]}),
            "mId",
        ),
        (
            json!({"channelId": CH, "contactId": "v_1", "events": [{"type": "message", "mId": "w_1",
            "timestamp": "1", "message": {"type": "text", "text": "hi"}}]}),
            "timestamp",
        ),
        (
            json!({"channelId": CH, "contactId": "v_1", "events": [{"type": "typing", "mId": "w_1",
            "timestamp": 1}]}),
            "type",
        ),
    ];
    for (call, field) in cases {
        let (status, _, body) = hook(&client, &base, Some(TOKEN), &call).await;
        assert_eq!(status, 400, "{call}");
        assert_eq!(body["status"], 400);
        assert!(body["message"].as_str().unwrap().contains(field), "{field}: {body}");
    }
    let (status, _, _) = hook(&client, &base, Some(TOKEN), &text_call(CH, &"v".repeat(50), "w_1", "hi")).await;
    assert_eq!(status, 200, "50 characters is the documented maximum, not over it");
    assert_eq!(sim.store.lock().await.contacts.len(), 1);
}

#[tokio::test]
async fn a_message_is_stored_on_its_contact() {
    let (_sim, base, client) = start().await;
    let mut call = text_call(CH, ODD_ID, "w_0001", "Halo, <b>ada</b> orang?");
    call["contact"] = json!({"firstName": "Ayu", "lastName": "Lestari", "email": "ayu@example.test", "language": "id"});
    let (status, _, body) = hook(&client, &base, Some(TOKEN), &call).await;
    assert_eq!((status, body), (200, json!({})));

    let (_, contacts) = get(&client, &base, "/__sim/contacts").await;
    assert_eq!(contacts.as_array().unwrap().len(), 1);
    assert_eq!(contacts[0]["contactId"], ODD_ID);
    assert_eq!(contacts[0]["channelId"], CH);
    assert_eq!(contacts[0]["profile"]["firstName"], "Ayu");
    assert_eq!(contacts[0]["messages"], 1);

    let messages = thread(&client, &base, ODD_ID).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["direction"], "incoming");
    assert_eq!(messages[0]["text"], "Halo, <b>ada</b> orang?");
    assert_eq!(messages[0]["mId"], "w_0001");
    assert_eq!(messages[0]["timestamp"], 1_780_000_000_000_i64);
    // A raw `/` in the path reaches the same contact.
    let (status, raw) = get(&client, &base, &format!("/__sim/contacts/{ODD_ID}/messages")).await;
    assert_eq!((status, raw["messages"][0]["mId"].clone()), (200, json!("w_0001")));

    // The inbox shows it, escaped.
    let page = client.get(format!("{base}/inbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("&lt;b&gt;ada&lt;/b&gt;") && !page.contains("<b>ada</b>"));
    assert!(page.contains("w_0001") && page.contains("Ayu Lestari"));
    let no_follow = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let root = no_follow.get(format!("{base}/")).send().await.unwrap();
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/inbox");
}

#[tokio::test]
async fn duplicate_mids_are_stored_again_unless_deduped() {
    let (_sim, base, client) = start().await;
    for _ in 0..2 {
        assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_dup", "w_same", "once")).await.0, 200);
    }
    assert_eq!(thread(&client, &base, "v_dup").await.len(), 2, "by default a repeated mId is a second message");

    let (status, switches) = control(&client, &base, "/switches", json!({"dedupe_mid": true})).await;
    assert_eq!(status, 200);
    assert_eq!(switches, json!({"dedupe_mid": true, "outbound_auth": "bearer", "duplicate_replies": false}));
    for _ in 0..2 {
        assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_dup2", "w_other", "once")).await.0, 200);
    }
    assert_eq!(thread(&client, &base, "v_dup2").await.len(), 1, "dedupe_mid drops the repeat");
    assert_eq!(control(&client, &base, "/switches", json!({"dedupe": true})).await.0, 400, "typos are refused");

    assert_eq!(control(&client, &base, "/reset", json!({})).await.0, 204);
    let (_, contacts) = get(&client, &base, "/__sim/contacts").await;
    assert_eq!(contacts, json!([]));
    assert_eq!(get(&client, &base, "/__sim/switches").await.1["dedupe_mid"], false);
}

#[tokio::test]
async fn the_rate_limit_is_per_channel() {
    let (_sim, base, client) = start_with("http://127.0.0.1:9", 2, ReplyPolicy::default()).await;
    let mut statuses = vec![];
    let mut retry_after = None;
    for i in 0..3 {
        let (status, headers, body) =
            hook(&client, &base, Some(TOKEN), &text_call(CH, "v_1", &format!("w_{i}"), "x")).await;
        if status == 429 {
            retry_after = headers.get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(body["status"], 429);
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(retry_after.as_deref(), Some("1"));
    // Another channel has its own bucket.
    assert_eq!(hook(&client, &base, Some(OTHER_TOKEN), &text_call(OTHER_CH, "v_1", "w_x", "x")).await.0, 200);

    let (_, log) = get(&client, &base, "/__sim/log").await;
    let seen: Vec<(u64, Value)> =
        log.as_array().unwrap().iter().map(|e| (e["status"].as_u64().unwrap(), e["key_id"].clone())).collect();
    assert_eq!(seen, [(200, json!(CH)), (200, json!(CH)), (429, json!(CH)), (200, json!(OTHER_CH))]);
    assert_eq!(log[0]["path"], "/custom/channel/webhook/");
}

#[tokio::test]
async fn injected_faults_then_recovery() {
    let (sim, base, client) = start().await;
    let (status, _) = control(&client, &base, "/faults", json!({"fail_next": 1, "status": 500})).await;
    assert_eq!(status, 201);
    let call = text_call(CH, "v_f", "w_1", "retry me");
    let (status, _, body) = hook(&client, &base, Some(TOKEN), &call).await;
    assert_eq!((status, body["status"].clone()), (500, json!(500)));
    assert!(sim.store.lock().await.contacts.is_empty(), "a fault before the handler stores nothing");
    assert_eq!(hook(&client, &base, Some(TOKEN), &call).await.0, 200);
    assert_eq!(thread(&client, &base, "v_f").await.len(), 1);

    // Stored, then answered 500: a retry of the same mId makes a second copy (dedupe is off).
    control(&client, &base, "/faults", json!({"fail_after_commit": 1})).await;
    assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_f", "w_2", "committed")).await.0, 500);
    assert_eq!(thread(&client, &base, "v_f").await.len(), 2, "the after-commit failure kept the message");

    // A held call: the caller's own timeout fires, and nothing is stored.
    control(&client, &base, "/faults", json!({"timeout_next": 1})).await;
    let quick = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    let held = quick
        .post(format!("{base}/custom/channel/webhook/"))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .body(text_call(CH, "v_f", "w_3", "held").to_string())
        .send()
        .await;
    assert!(held.unwrap_err().is_timeout());
    assert_eq!(thread(&client, &base, "v_f").await.len(), 2);
    assert_eq!(hook(&client, &base, Some(TOKEN), &text_call(CH, "v_f", "w_3", "again")).await.0, 200);

    control(&client, &base, "/faults", json!({"fail_next": 5, "status": 503})).await;
    assert_eq!(hook(&client, &base, Some(TOKEN), &call).await.0, 503);
    assert_eq!(client.delete(format!("{base}/__sim/faults")).send().await.unwrap().status(), 204);
    assert_eq!(hook(&client, &base, Some(TOKEN), &call).await.0, 200, "cleared faults stop failing");
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
