//! Every resource endpoint beyond the livechat basics, over a real socket: contacts search, update and
//! merge; conversation delta sync; media uploads and their served bytes; IP allowlists; and the inbox
//! actions that emit `message.updated` and `conversation.status_changed`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use relasi_sim::{ApiKey, Endpoint, Sim, SimConfig};
use serde_json::{json, Value};
use tokio::sync::Mutex;

mod common;
use common::serve;

const KEY: &str = "ru_test_res.resources-secret";
const FENCED: &str = "ru_test_fenced.only-from-elsewhere";

struct Env {
    base: String,
    client: reqwest::Client,
    events: Arc<Mutex<Vec<Value>>>,
}

async fn collect(State(events): State<Arc<Mutex<Vec<Value>>>>, body: Bytes) -> StatusCode {
    events.lock().await.push(serde_json::from_slice(&body).unwrap());
    StatusCode::OK
}

async fn start() -> Env {
    let events = Arc::new(Mutex::new(Vec::new()));
    let hook = serve(Router::new().route("/hook", post(collect)).with_state(events.clone())).await;
    let keys = vec![ApiKey::parse_spec(KEY).unwrap(), ApiKey::parse_spec(&format!("{FENCED}@10.255.255.1")).unwrap()];
    let endpoints = vec![Endpoint::parse_spec(&format!("{hook}/hook,secret")).unwrap()];
    // The listener comes first: the simulator's media and avatar URLs name its address.
    let (listener, base) = common::listener().await;
    let sim = Sim::new(SimConfig { endpoints, rate_per_s: 1000, public_url: base.clone(), ..SimConfig::new(keys) });
    common::serve_on(listener, sim.router());
    Env { base, client: reqwest::Client::new(), events }
}

impl Env {
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}/api/public/v1{path}", self.base);
        let req = match method {
            "POST" => self.client.post(url),
            "PUT" => self.client.put(url),
            _ => self.client.get(url),
        };
        let req = match body {
            Some(b) => req.header("Content-Type", "application/json").body(b.to_string()),
            None => req,
        };
        let resp = req.header("Authorization", format!("Bearer {KEY}")).send().await.unwrap();
        let status = resp.status().as_u16();
        (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
    }

    async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, &str, Vec<u8>)>) -> (u16, Value) {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, mime, bytes)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap(),
            );
        }
        let resp = self
            .client
            .post(format!("{}/api/public/v1{path}", self.base))
            .header("Authorization", format!("Bearer {KEY}"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null))
    }

    async fn conversation(&self) -> (String, String) {
        let (_, contact) =
            self.call("POST", "/contacts", Some(json!({"name": "Rina", "email": "rina@example.com"}))).await;
        let (_, conv) = self
            .call(
                "POST",
                "/livechat/conversations",
                Some(json!({"client_request_id": format!("c-{}", contact["id"]), "channel_id": "ch_livechat", "customer_id": contact["id"]})),
            )
            .await;
        (contact["id"].as_str().unwrap().to_owned(), conv["id"].as_str().unwrap().to_owned())
    }

    async fn events_of(&self, kind: &str) -> Vec<Value> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.events.lock().await.iter().filter(|e| e["type"] == kind).cloned().collect()
    }
}

#[tokio::test]
async fn contacts_search_update_merge() {
    let env = start().await;
    let (_, a) = env
        .call("POST", "/contacts", Some(json!({"name": "Ayu Lestari", "company": "Kopi Co", "lead_status": "new"})))
        .await;
    let (_, b) = env
        .call("POST", "/contacts", Some(json!({"name": "A. Lestari", "phone": "+62811", "lead_status": "won"})))
        .await;
    assert_eq!(env.call("POST", "/contacts", Some(json!({"name": "x", "lead_status": "maybe"}))).await.0, 422);
    let (_, found) = env.call("GET", "/contacts?search=kopi", None).await;
    assert_eq!(found["total"], 1);
    let (_, won) = env.call("GET", "/contacts?lead_status=won", None).await;
    assert_eq!(won["data"][0]["id"], b["id"]);

    let id = a["id"].as_str().unwrap();
    let (st, answer) =
        env.call("PUT", &format!("/contacts/{id}"), Some(json!({"name": "Ayu L.", "company": "Kopi Co"}))).await;
    assert_eq!((st, answer["message"].is_string()), (200, true));
    assert_eq!(env.call("GET", &format!("/contacts/{id}"), None).await.1["name"], "Ayu L.");
    assert_eq!(env.call("PUT", "/contacts/ct_missing", Some(json!({"name": "x"}))).await.0, 404);

    let merge = json!({"primary_id": a["id"], "secondary_id": b["id"]});
    assert_eq!(env.call("POST", "/contacts/merge", Some(merge)).await.0, 200);
    let (_, merged) = env.call("GET", &format!("/contacts/{id}"), None).await;
    assert_eq!(merged["phone"], "+62811", "empty fields filled from the secondary");
    assert_eq!(env.call("GET", &format!("/contacts/{}", b["id"].as_str().unwrap()), None).await.0, 404);
    assert!(env.events_of("contact.updated").await.len() >= 2);
}

#[tokio::test]
async fn conversations_delta_sync() {
    let env = start().await;
    let (_, first) = env.conversation().await;
    let (_, second) = env.conversation().await;
    let (_, all) = env.call("GET", "/conversations", None).await;
    assert_eq!(all["data"][0]["id"], second.as_str(), "newest activity first");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.call(
        "POST",
        "/messages/text",
        Some(json!({"client_request_id": "r1", "conversation_id": first, "text": "hi"})),
    )
    .await;
    let (_, changed) = env.call("GET", &format!("/conversations?last_updated_at={}", now + 1), None).await;
    let ids: Vec<&str> = changed["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first.as_str()]);
    assert_eq!(env.call("GET", "/conversations?last_updated_at=soon", None).await.0, 422);
}

#[tokio::test]
async fn media_uploads_are_stored_and_served() {
    let env = start().await;
    let (_, conv) = env.conversation().await;
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3];
    let fields = [("client_request_id", "img-1"), ("conversation_id", conv.as_str()), ("text", "my receipt")];
    let (st, msg) =
        env.upload("/livechat/messages/image", &fields, Some(("receipt.png", "image/png", png.clone()))).await;
    assert_eq!(st, 201, "{msg}");
    assert_eq!(
        (msg["type"].as_str(), msg["direction"].as_str(), msg["text"].as_str()),
        (Some("image"), Some("in"), Some("my receipt"))
    );
    assert_eq!(msg["media"]["size"], png.len());
    let served = env.client.get(msg["media"]["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);
    // The same id again: the first message, nothing new.
    let (st, again) =
        env.upload("/livechat/messages/image", &fields, Some(("receipt.png", "image/png", png.clone()))).await;
    assert_eq!((st, &again["id"]), (200, &msg["id"]));

    let pdf = [("client_request_id", "doc-1"), ("conversation_id", conv.as_str())];
    assert_eq!(env.upload("/livechat/messages/image", &pdf, Some(("a.pdf", "application/pdf", vec![1]))).await.0, 422);
    assert_eq!(
        env.upload("/livechat/messages/document", &pdf, Some(("a.pdf", "application/pdf", vec![1]))).await.0,
        201
    );
    assert_eq!(env.upload("/livechat/messages/document", &[("client_request_id", "x")], None).await.0, 422);
    assert_eq!(env.upload("/livechat/messages/video", &pdf, None).await.0, 404);

    let agent = [("client_request_id", "out-1"), ("conversation_id", conv.as_str()), ("from_user_id", "usr_ayu")];
    let (st, out) = env.upload("/messages/document", &agent, Some(("menu.pdf", "application/pdf", vec![9; 10]))).await;
    assert_eq!((st, out["direction"].as_str(), out["sender"]["name"].as_str()), (201, Some("out"), Some("Ayu")));
    let avatar = env.client.get(out["sender"]["avatar_url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(avatar.headers()["content-type"], "image/svg+xml");
    let loc = json!({"client_request_id": "loc-1", "conversation_id": conv, "latitude": -6.2, "longitude": 106.8, "name": "Shop"});
    assert_eq!(env.call("POST", "/messages/location", Some(loc)).await.0, 201);
    let (_, list) = env.call("GET", &format!("/messages?conversation_id={conv}"), None).await;
    assert_eq!(list["total"], 4);
}

#[tokio::test]
async fn ip_allowlist() {
    let env = start().await;
    let resp = env
        .client
        .get(format!("{}/api/public/v1/me", env.base))
        .header("Authorization", format!("Bearer {FENCED}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let body: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert!(body["error"].as_str().unwrap().contains("IP"));
    assert_eq!(env.call("GET", "/me", None).await.0, 200, "a key without an allowlist works from anywhere");
}

#[tokio::test]
async fn inbox_actions_emit_events() {
    let env = start().await;
    let (_, conv) = env.conversation().await;
    env.call(
        "POST",
        "/livechat/messages",
        Some(json!({"client_request_id": "v1", "conversation_id": conv, "text": "hello?"})),
    )
    .await;
    let page = env.client.get(format!("{}/inbox?c={conv}", env.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("hello?") && page.contains("Rina"));

    let form = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let post_form = |path: &str, body: String| {
        env.client
            .post(format!("{}{path}", env.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    post_form("/inbox/read", form(&[("conversation_id", &conv)])).await.unwrap();
    let updated = env.events_of("message.updated").await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["data"]["status"], "read");

    post_form("/inbox/status", form(&[("conversation_id", &conv), ("status", "resolved")])).await.unwrap();
    post_form("/inbox/status", form(&[("conversation_id", &conv), ("status", "open")])).await.unwrap();
    let changes: Vec<String> = env
        .events_of("conversation.status_changed")
        .await
        .iter()
        .map(|e| e["data"]["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(changes, ["resolved", "open"]);

    post_form("/inbox/reply", form(&[("conversation_id", &conv), ("agent", "usr_budi"), ("text", "On it")]))
        .await
        .unwrap();
    let created: Vec<Value> = env.events_of("message.created").await;
    let reply = created.iter().find(|e| e["data"]["text"] == "On it").expect("reply event");
    assert_eq!(reply["data"]["sender"]["name"], "Budi");
}
