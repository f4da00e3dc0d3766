//! The simulator's test controls over real loopback sockets: request log, injected faults, throttling,
//! the per-key rate limit, the after-commit drop, and signed webhook delivery with its switches.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use relasi_sim::webhooks::sign;
use relasi_sim::{ApiKey, Endpoint, Sim, SimConfig};
use serde_json::{json, Value};
use tokio::sync::Mutex;

mod common;
use common::serve;

const KEY: &str = "ru_test_ctl.controls-secret-part";

async fn start(endpoints: Vec<Endpoint>, rate: u32) -> (Sim, String, reqwest::Client) {
    let keys = vec![ApiKey::parse_spec(KEY).unwrap()];
    let sim = Sim::new(SimConfig { endpoints, rate_per_s: rate, ..SimConfig::new(keys) });
    let base = serve(sim.router()).await;
    (sim, base, reqwest::Client::new())
}

async fn api(
    client: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, HeaderMap, Value) {
    let url = format!("{base}/api/public/v1{path}");
    let req = match method {
        "POST" => {
            client.post(url).header("Content-Type", "application/json").body(body.unwrap_or(Value::Null).to_string())
        }
        _ => client.get(url),
    };
    let resp = req.header("Authorization", format!("Bearer {KEY}")).send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    let bytes = resp.bytes().await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn admin(client: &reqwest::Client, base: &str, path: &str, body: Value) {
    let resp = client
        .post(format!("{base}/__sim{path}"))
        .body(body.to_string())
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
}

#[tokio::test]
async fn request_log_and_injected_failures() {
    let (sim, base, client) = start(vec![], 1000).await;
    admin(&client, &base, "/faults", json!({"path": "/contacts", "method": "POST", "fail_next": 2, "status": 503}))
        .await;
    for expected in [503, 503, 201] {
        assert_eq!(api(&client, &base, "POST", "/contacts", Some(json!({"name": "Ayu"}))).await.0, expected);
    }
    assert_eq!(sim.store.lock().await.contacts.len(), 1, "failed calls stored nothing");
    let log: Value =
        serde_json::from_slice(&client.get(format!("{base}/__sim/log")).send().await.unwrap().bytes().await.unwrap())
            .unwrap();
    let statuses: Vec<u64> = log.as_array().unwrap().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [503, 503, 201]);
    assert_eq!(log[0]["path"], "/contacts");
    assert_eq!(log[0]["key_id"], "ctl");
    assert!(!log.to_string().contains("controls-secret-part"), "the log never holds a key's secret");

    admin(&client, &base, "/faults", json!({"throttle_for_s": 3})).await;
    let (status, headers, _) = api(&client, &base, "GET", "/me", None).await;
    assert_eq!(status, 429);
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3).contains(&retry), "{retry}");
    client.delete(format!("{base}/__sim/faults")).send().await.unwrap();
    assert_eq!(api(&client, &base, "GET", "/me", None).await.0, 200);
}

#[tokio::test]
async fn injected_delay_slows_only_matching_calls() {
    let (_sim, base, client) = start(vec![], 1000).await;
    admin(&client, &base, "/faults", json!({"path": "/channels", "delay_ms": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(api(&client, &base, "GET", "/channels", None).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    let started = std::time::Instant::now();
    assert_eq!(api(&client, &base, "GET", "/me", None).await.0, 200);
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn rate_limit_per_key() {
    let (_sim, base, client) = start(vec![], 5).await;
    let mut limited = None;
    for _ in 0..20 {
        let (status, headers, _) = api(&client, &base, "GET", "/me", None).await;
        if status == 429 {
            limited = Some(headers["retry-after"].to_str().unwrap().to_owned());
            break;
        }
    }
    let retry: u64 = limited.expect("a burst over 5/s is limited").parse().unwrap();
    assert!(retry >= 1);
}

#[tokio::test]
async fn dropped_connection_after_commit_and_idempotent_retry() {
    let (sim, base, client) = start(vec![], 1000).await;
    let (_, _, contact) = api(&client, &base, "POST", "/contacts", Some(json!({"name": "Siti"}))).await;
    let open = json!({"client_request_id": "c1", "channel_id": "ch_livechat", "customer_id": contact["id"]});
    let (_, _, conv) = api(&client, &base, "POST", "/livechat/conversations", Some(open)).await;
    admin(&client, &base, "/faults", json!({"path": "/livechat/messages", "drop_after_commit": 1})).await;
    let msg = json!({"client_request_id": "m1", "conversation_id": conv["id"], "text": "hello"});
    let first = client
        .post(format!("{base}/api/public/v1/livechat/messages"))
        .header("Authorization", format!("Bearer {KEY}"))
        .header("Content-Type", "application/json")
        .body(msg.to_string())
        .send()
        .await;
    let broke = match first {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(broke, "the caller sees a broken connection");
    assert_eq!(sim.store.lock().await.messages.len(), 1, "but the write happened");
    let (status, _, again) = api(&client, &base, "POST", "/livechat/messages", Some(msg)).await;
    assert_eq!((status, again["text"].as_str()), (200, Some("hello")));
    assert_eq!(sim.store.lock().await.messages.len(), 1, "the retry created nothing");
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    fail_first: Arc<Mutex<u32>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.got.lock().await.push((headers, body));
    let mut fail = r.fail_first.lock().await;
    if *fail > 0 {
        *fail -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::NO_CONTENT
}

async fn wait_for(r: &Receiver, n: usize) -> Vec<(HeaderMap, Bytes)> {
    for _ in 0..100 {
        if r.got.lock().await.len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    r.got.lock().await.clone()
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_switchable() {
    let receiver = Receiver::default();
    *receiver.fail_first.lock().await = 1;
    let hook_url = serve(Router::new().route("/hook", post(receive)).with_state(receiver.clone())).await;
    let endpoint = Endpoint::parse_spec(&format!("{hook_url}/hook,whsec_test,contact.created")).unwrap();
    let (sim, base, client) = start(vec![endpoint], 1000).await;

    api(&client, &base, "POST", "/contacts", Some(json!({"name": "Dewi"}))).await;
    let got = wait_for(&receiver, 2).await;
    assert_eq!(got.len(), 2, "one failed attempt, one retry");
    let (headers, body) = &got[1];
    let id = headers["x-relasi-webhook-id"].to_str().unwrap();
    assert_eq!(headers["x-relasi-event"], "contact.created");
    let ts = time::OffsetDateTime::parse(
        headers["x-relasi-timestamp"].to_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(headers["x-relasi-signature"].to_str().unwrap(), sign("whsec_test", id, ts.unix_timestamp(), body));
    let event: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        (event["id"].as_str(), event["type"].as_str(), event["api_version"].as_str()),
        (Some(id), Some("contact.created"), Some("2026-06-01"))
    );
    assert_eq!(event["data"]["name"], "Dewi");
    assert_eq!(got[0].0["x-relasi-webhook-id"], got[1].0["x-relasi-webhook-id"], "a retry keeps its id");

    // Pause, emit two, reverse and duplicate, resume: both arrive twice, newest first.
    admin(&client, &base, "/webhooks", json!({"paused": true})).await;
    for name in ["First", "Second"] {
        api(&client, &base, "POST", "/contacts", Some(json!({"name": name}))).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.got.lock().await.len(), 2, "nothing delivered while paused");
    admin(&client, &base, "/webhooks", json!({"reverse": true, "duplicate": true})).await;
    let got = wait_for(&receiver, 6).await;
    let names: Vec<String> = got[2..]
        .iter()
        .map(|(_, b)| serde_json::from_slice::<Value>(b).unwrap()["data"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Second", "Second", "First", "First"]);
    // Other event types are filtered out for this endpoint.
    assert!(sim.webhooks.attempts.lock().await.len() >= 6);
}

async fn webhook_view(client: &reqwest::Client, base: &str) -> Value {
    serde_json::from_slice(&client.get(format!("{base}/__sim/webhooks")).send().await.unwrap().bytes().await.unwrap())
        .unwrap()
}

/// Polls until `n` deliveries have been given up on.
async fn wait_given_up(client: &reqwest::Client, base: &str, n: usize) -> Value {
    for _ in 0..100 {
        let view = webhook_view(client, base).await;
        if view["given_up"].as_array().unwrap().len() >= n {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} deliveries given up: {}", webhook_view(client, base).await);
}

#[tokio::test]
async fn webhooks_can_be_given_up_on() {
    let receiver = Receiver::default();
    *receiver.fail_first.lock().await = u32::MAX;
    let hook_url = serve(Router::new().route("/hook", post(receive)).with_state(receiver.clone())).await;
    let endpoint = Endpoint::parse_spec(&format!("{hook_url}/hook,whsec_test,contact.created")).unwrap();
    let (_sim, base, client) = start(vec![endpoint], 1000).await;
    assert_eq!(webhook_view(&client, &base).await["schedule"], json!({"attempts": 6, "first_retry_ms": 500}));

    // No attempts: dropped unsent, and listed as lost.
    admin(&client, &base, "/webhooks", json!({"attempts": 0})).await;
    api(&client, &base, "POST", "/contacts", Some(json!({"name": "Lost"}))).await;
    let view = wait_given_up(&client, &base, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(receiver.got.lock().await.is_empty(), "nothing reached the endpoint");
    assert_eq!(view["attempts"], json!([]));
    assert_eq!(view["schedule"], json!({"attempts": 0, "first_retry_ms": 500}), "the unset field keeps its default");

    // Two attempts against an endpoint that always fails: exactly two, then given up.
    admin(&client, &base, "/webhooks", json!({"attempts": 2, "first_retry_ms": 100})).await;
    api(&client, &base, "POST", "/contacts", Some(json!({"name": "Tried"}))).await;
    let view = wait_given_up(&client, &base, 2).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let got = receiver.got.lock().await.clone();
    assert_eq!(got.len(), 2);
    let id = got[0].0["x-relasi-webhook-id"].to_str().unwrap().to_owned();
    assert_eq!(got[1].0["x-relasi-webhook-id"], id.as_str());
    assert_eq!(webhook_view(&client, &base).await["attempts"], json!([[id, 500], [id, 500]]));
    assert_eq!(view["given_up"][1], id.as_str());

    // An old-style post leaves the schedule to the default again.
    admin(&client, &base, "/webhooks", json!({"paused": false})).await;
    assert_eq!(webhook_view(&client, &base).await["schedule"], json!({"attempts": 6, "first_retry_ms": 500}));
}

#[tokio::test]
async fn webhook_schedule_default_comes_from_the_config() {
    let keys = vec![ApiKey::parse_spec(KEY).unwrap()];
    let webhook_schedule = relasi_sim::Schedule { attempts: 1, first_retry_ms: 20 };
    let sim = Sim::new(SimConfig { webhook_schedule, ..SimConfig::new(keys) });
    let base = serve(sim.router()).await;
    let client = reqwest::Client::new();
    assert_eq!(webhook_view(&client, &base).await["schedule"], json!({"attempts": 1, "first_retry_ms": 20}));
    admin(&client, &base, "/webhooks", json!({"first_retry_ms": 5})).await;
    assert_eq!(webhook_view(&client, &base).await["schedule"], json!({"attempts": 1, "first_retry_ms": 5}));
}
