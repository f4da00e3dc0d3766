//! The simulator's public API, driven in-process through its router: the documented auth, scope,
//! pagination and validation rules, and the assumed livechat contract's idempotency.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use relasi_sim::{ApiKey, Sim, SimConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

const KEY: &str = "ru_test_t1.all-scopes";
const READ_ONLY: &str = "ru_test_t2.read-only";

fn sim() -> Sim {
    let keys = vec![
        ApiKey::parse_spec(KEY).unwrap(),
        ApiKey::parse_spec(&format!("{READ_ONLY}:messages:read,conversations:read")).unwrap(),
    ];
    Sim::new(SimConfig { rate_per_s: 1000, ..SimConfig::new(keys) })
}

async fn call(sim: &Sim, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(format!("/api/public/v1{path}"));
    if let Some(key) = key {
        req = req.header("Authorization", format!("Bearer {key}"));
    }
    let req = match body {
        Some(b) => req.header("Content-Type", "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = sim.router().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn auth_as_documented() {
    let s = sim();
    let (st, body) = call(&s, Method::GET, "/me", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(body["error"].is_string());
    assert_eq!(call(&s, Method::GET, "/me", Some("not-a-key"), None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&s, Method::GET, "/me", Some("ru_test_t1.wrong-secret"), None).await.0, StatusCode::UNAUTHORIZED);
    let (st, me) = call(&s, Method::GET, "/me", Some(KEY), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((me["key_id"].as_str(), me["mode"].as_str()), (Some("t1"), Some("test")));

    let (st, body) = call(&s, Method::POST, "/contacts", Some(READ_ONLY), Some(json!({"name": "x"}))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({"error": "Insufficient scope", "required_scope": "customers:write"}));
}

#[tokio::test]
async fn livechat_flow_is_idempotent_and_paginated() {
    let s = sim();
    let (st, contact) =
        call(&s, Method::POST, "/contacts", Some(KEY), Some(json!({"name": "Siti", "lead_source": "livechat"}))).await;
    assert_eq!(st, StatusCode::CREATED);
    let open = json!({"client_request_id": "conv-req-1", "channel_id": "ch_livechat", "customer_id": contact["id"]});
    let (st, conv) = call(&s, Method::POST, "/livechat/conversations", Some(KEY), Some(open.clone())).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!((conv["channel"].as_str(), conv["status"].as_str()), (Some("livechat"), Some("open")));
    let (_, again) = call(&s, Method::POST, "/livechat/conversations", Some(KEY), Some(open)).await;
    assert_eq!(again["id"], conv["id"]);

    for i in 0..3 {
        let msg =
            json!({"client_request_id": format!("m-{i}"), "conversation_id": conv["id"], "text": format!("text {i}")});
        assert_eq!(
            call(&s, Method::POST, "/livechat/messages", Some(KEY), Some(msg.clone())).await.0,
            StatusCode::CREATED
        );
        // The retry returns the first result and stores nothing new.
        let (st, replay) = call(&s, Method::POST, "/livechat/messages", Some(KEY), Some(msg)).await;
        assert_eq!((st, replay["text"].as_str()), (StatusCode::OK, Some(format!("text {i}").as_str())));
    }
    let path = format!("/messages?conversation_id={}&per_page=2&page=1", conv["id"].as_str().unwrap());
    let (_, page) = call(&s, Method::GET, &path, Some(READ_ONLY), None).await;
    let keys: Vec<&str> = page.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert_eq!(
        (page["total"].as_u64(), page["last_page"].as_u64(), page["has_next"].as_bool()),
        (Some(3), Some(2), Some(true))
    );
    assert_eq!(page["data"][0]["text"], "text 2", "newest first");
    assert_eq!(page["data"][0]["direction"], "in");
    assert_eq!(page["data"][0]["sender"]["type"], "customer");

    let session = page["data"][0]["message_session_id"].as_str().unwrap().to_owned();
    let (_, by_session) =
        call(&s, Method::GET, &format!("/messages?message_session_id={session}"), Some(KEY), None).await;
    assert_eq!(by_session["total"], 3);
    let (_, none) = call(&s, Method::GET, "/messages?message_session_id=ms_other", Some(KEY), None).await;
    assert_eq!(none["total"], 0);
    let (_, channels) = call(&s, Method::GET, "/channels", Some(KEY), None).await;
    assert_eq!(channels["data"][0]["type"], "livechat");
    assert_eq!(call(&s, Method::GET, "/channels", Some(READ_ONLY), None).await.0, StatusCode::FORBIDDEN);

    let bad = format!("/messages?conversation_id={}&per_page=501", conv["id"].as_str().unwrap());
    assert_eq!(call(&s, Method::GET, &bad, Some(KEY), None).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn limits_are_enforced_and_nothing_is_stored() {
    let s = sim();
    let (_, contact) = call(&s, Method::POST, "/contacts", Some(KEY), Some(json!({"name": "Budi"}))).await;
    let (_, conv) = call(
        &s,
        Method::POST,
        "/livechat/conversations",
        Some(KEY),
        Some(json!({"client_request_id": "c", "channel_id": "ch_livechat", "customer_id": contact["id"]})),
    )
    .await;
    let long = "x".repeat(4001);
    for text in ["", long.as_str()] {
        let body = json!({"client_request_id": "t", "conversation_id": conv["id"], "text": text});
        assert_eq!(
            call(&s, Method::POST, "/messages/text", Some(KEY), Some(body)).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        call(&s, Method::POST, "/contacts", Some(KEY), Some(json!({"name": "n".repeat(201)}))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        call(&s, Method::POST, "/contacts", Some(KEY), Some(json!({}))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, msgs) = call(&s, Method::GET, "/messages", Some(KEY), None).await;
    assert_eq!(msgs["total"], 0);
    let (_, contacts) = call(&s, Method::GET, "/contacts", Some(KEY), None).await;
    assert_eq!(contacts["total"], 1);
}
