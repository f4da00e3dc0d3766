//! The respond.io Custom Channel simulator over loopback sockets: the webhook's auth and field rules,
//! storage and duplicates, the rate limit and injected faults (agent replies: respondio_replies.rs).

use std::time::Duration;

use relasi_sim::respondio::ReplyPolicy;
use serde_json::{json, Value};

mod common;
mod rio;
use rio::*;

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
