//! What the respond.io simulator's tests share: two channels, and calls to its webhook and controls.
#![allow(dead_code)] // each test file uses its own share of these

use axum::http::HeaderMap;
use relasi_sim::respondio::{Channel, ReplyPolicy, RioConfig, RioSim};
use serde_json::{json, Value};

use super::common::serve;

pub const CH: &str = "ch_main";
pub const TOKEN: &str = "rio_tok_main";
pub const OTHER_CH: &str = "ch_other";
pub const OTHER_TOKEN: &str = "rio_tok_other";

/// A contactId using every special character the Custom ID rule allows.
pub const ODD_ID: &str = "v_a/b+c=d@e";

/// A simulator with two channels whose replies go to `api_base`.
pub async fn start_with(api_base: &str, rate: u32, policy: ReplyPolicy) -> (RioSim, String, reqwest::Client) {
    let channels = vec![
        Channel::parse_spec(&format!("{CH},{TOKEN},{api_base}")).unwrap(),
        Channel::parse_spec(&format!("{OTHER_CH},{OTHER_TOKEN},{api_base}")).unwrap(),
    ];
    let sim = RioSim::new(RioConfig { rate_per_s: rate, reply_policy: policy, ..RioConfig::new(channels) });
    let base = serve(sim.router()).await;
    (sim, base, reqwest::Client::new())
}

pub async fn start() -> (RioSim, String, reqwest::Client) {
    start_with("http://127.0.0.1:9", 1000, ReplyPolicy::default()).await
}

pub fn text_call(channel: &str, contact: &str, m_id: &str, text: &str) -> Value {
    json!({"channelId": channel, "contactId": contact,
        "events": [{"type": "message", "mId": m_id, "timestamp": 1_780_000_000_000_i64,
                    "message": {"type": "text", "text": text}}]})
}

/// POSTs `body` to the webhook with `token` (if any); answers status, headers and JSON body.
pub async fn hook(client: &reqwest::Client, base: &str, token: Option<&str>, body: &Value) -> (u16, HeaderMap, Value) {
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

pub async fn get(client: &reqwest::Client, base: &str, path: &str) -> (u16, Value) {
    let resp = client.get(format!("{base}{path}")).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
}

pub async fn control(client: &reqwest::Client, base: &str, path: &str, body: Value) -> (u16, Value) {
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
pub async fn thread(client: &reqwest::Client, base: &str, contact: &str) -> Vec<Value> {
    let encoded = contact.replace('/', "%2F").replace('+', "%2B").replace('=', "%3D").replace('@', "%40");
    let (status, body) = get(client, base, &format!("/__sim/contacts/{encoded}/messages?channelId={CH}")).await;
    assert_eq!(status, 200, "{body}");
    body["messages"].as_array().unwrap().clone()
}
