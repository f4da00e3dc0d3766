//! `POST /webhooks/relasi`: `sapa_edge::webhook::verify` on fuzzed signature headers and body, and
//! `sapa_edge::webhook::route` on the body.
//!
//! Input: `<webhook-id>\n<webhook-timestamp>\n<webhook-signature>\n<body…>`. A header line that is not UTF-8
//! (or missing) is an absent header. The endpoint secret is the core's documented test secret, so the
//! documented test vector (a seed) verifies at `NOW`.
//!
//! Properties:
//! - verify never panics and refuses only with `WebhookSignatureInvalid` or `WebhookExpired`; `WebhookExpired`
//!   exactly when the timestamp parses and is more than `TOLERANCE_S` from the clock;
//! - a delivery it accepts has all three headers, a fresh timestamp, is refused by another secret and accepted
//!   with the right secret as the previous one (rotation);
//! - for any id, timestamp that parses and body, a signature computed here from the documented scheme
//!   (`v1=base64(HMAC-SHA256("<id>.<unix seconds>.<body>"))`, after whatever else the header says) verifies
//!   across the whole tolerance window and not one second beyond it; another secret refuses it; rotation
//!   accepts it; changing a byte of the body or the id breaks it;
//! - route never panics, fails only as `InvalidJson`, and what it routes agrees with the body (its `type`,
//!   its conversation id), keeps the conversion's promises (http(s) attachment URLs only; a client id only on
//!   a visitor's message whose core id the edge made for that same conversation; names only on agents') and
//!   survives the JSON trip to the conversation hub.
#![no_main]

use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sapa_edge::config::Secret;
use sapa_edge::convert::rfc3339_ms;
use sapa_edge::error::ApiError;
use sapa_edge::realtime::{HubCall, Input};
use sapa_edge::scope::{IdScope, Kind};
use sapa_edge::webhook::{self, Signed, TOLERANCE_S};
use sapa_protocol::AuthorKind;
use sha2::Sha256;

static SECRET: LazyLock<Secret> = LazyLock::new(|| Secret::new("test_secret".into()));
static OTHER: LazyLock<Secret> = LazyLock::new(|| Secret::new("fuzz-other-secret".into()));
/// The edge's idempotency-id scope (keyed by the session secret; see edge/src/scope.rs).
static IDS: LazyLock<IdScope> = LazyLock::new(|| IdScope::new(&Secret::new("fuzz-session-secret".into())));

/// The documented test vector's delivery time.
const NOW: i64 = 1_782_295_200;

#[derive(Debug, PartialEq)]
enum Outcome {
    Ok,
    Invalid,
    Expired,
}

fn verify(headers: &Signed<'_>, body: &[u8], now: i64, secret: &Secret, previous: Option<&Secret>) -> Outcome {
    match webhook::verify(headers, body, now, secret, previous) {
        Ok(()) => Outcome::Ok,
        Err(ApiError::WebhookSignatureInvalid) => Outcome::Invalid,
        Err(ApiError::WebhookExpired) => Outcome::Expired,
        Err(other) => panic!("webhook::verify refused with an unexpected error: {other:?}"),
    }
}

/// The signature the core documents, computed without the edge's code.
fn documented_signature(id: &str, sent_s: i64, body: &[u8], secret: &Secret) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).unwrap();
    mac.update(format!("{id}.{sent_s}.").as_bytes());
    mac.update(body);
    B64.encode(mac.finalize().into_bytes())
}

fn line(part: Option<&[u8]>) -> Option<&str> {
    part.and_then(|p| std::str::from_utf8(p).ok())
}

fn fuzzed_headers(headers: &Signed<'_>, body: &[u8]) {
    let sent_s = headers.timestamp.and_then(rfc3339_ms).map(|ms| ms.div_euclid(1000));
    let answer = verify(headers, body, NOW, &SECRET, None);
    match answer {
        Outcome::Expired => {
            let sent_s = sent_s.expect("expired, but the timestamp does not parse");
            assert!((NOW - sent_s).abs() > TOLERANCE_S, "expired at {sent_s}, within the tolerance of {NOW}");
            assert!(headers.webhook_id.is_some() && headers.signature.is_some(), "expired without all headers");
        }
        Outcome::Ok => {
            assert!(headers.webhook_id.is_some() && headers.signature.is_some());
            let sent_s = sent_s.expect("accepted, but the timestamp does not parse");
            assert!((NOW - sent_s).abs() <= TOLERANCE_S, "accepted a stale delivery");
            assert_eq!(verify(headers, body, NOW, &OTHER, None), Outcome::Invalid, "another secret accepted it");
            assert_eq!(verify(headers, body, NOW, &OTHER, Some(&SECRET)), Outcome::Ok, "rotation");
        }
        Outcome::Invalid => {
            if let (Some(_), Some(_), Some(sent_s)) = (headers.webhook_id, headers.signature, sent_s) {
                assert!((NOW - sent_s).abs() <= TOLERANCE_S, "a stale delivery was not called expired");
            }
        }
    }
}

fn documented_scheme(id: &str, timestamp: &str, signature: Option<&str>, body: &[u8]) {
    let Some(sent_s) = rfc3339_ms(timestamp).map(|ms| ms.div_euclid(1000)) else { return };
    let good = documented_signature(id, sent_s, body, &SECRET);
    // Whatever else the header carries (other secrets' signatures during a rotation), ours is among them.
    let header = match signature {
        Some(s) => format!("{s} v1={good}"),
        None => format!("v1={good}"),
    };
    let signed = Signed { webhook_id: Some(id), timestamp: Some(timestamp), signature: Some(&header) };
    for skew in [-TOLERANCE_S, -1, 0, 1, TOLERANCE_S] {
        assert_eq!(verify(&signed, body, sent_s + skew, &SECRET, None), Outcome::Ok, "a correct signature, {skew}s off");
    }
    for skew in [-TOLERANCE_S - 1, TOLERANCE_S + 1] {
        assert_eq!(verify(&signed, body, sent_s + skew, &SECRET, None), Outcome::Expired, "{skew}s off");
    }
    assert_eq!(verify(&signed, body, sent_s, &OTHER, Some(&SECRET)), Outcome::Ok, "rotation");

    let only = format!("v1={good}");
    let alone = Signed { signature: Some(&only), ..signed };
    assert_eq!(verify(&alone, body, sent_s, &OTHER, None), Outcome::Invalid, "another secret accepted it");
    if !body.is_empty() {
        let mut tampered = body.to_vec();
        let at = body.len() / 2;
        tampered[at] ^= 0x01;
        assert_eq!(verify(&alone, &tampered, sent_s, &SECRET, None), Outcome::Invalid, "body byte {at} changed");
    }
    let other_id = format!("{id}x");
    let moved = Signed { webhook_id: Some(&other_id), ..alone };
    assert_eq!(verify(&moved, body, sent_s, &SECRET, None), Outcome::Invalid, "another delivery id");
}

fn routed(body: &[u8]) {
    let result = webhook::route(body, &IDS);
    let (conversation, input) = match result {
        Ok(Some(routed)) => routed,
        Ok(None) => return,
        Err(ApiError::InvalidJson(_)) => return,
        Err(other) => panic!("webhook::route failed with an unexpected error: {other:?}"),
    };
    // What was routed agrees with what the body says, read independently.
    // serde skips the strings of fields it ignores without checking their UTF-8 (harmless: nothing reads
    // them), where a `Value` would refuse the body; read it lossily so only those strings change.
    let value: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(body)).expect("routed a body that is not JSON");
    let kind = value["type"].as_str().expect("routed a body without a string type");
    match &input {
        Input::Message { message } => {
            assert!(matches!(kind, "message.created" | "message.updated"), "a message from type {kind:?}");
            assert_eq!(value["data"]["conversation_id"].as_str(), Some(conversation.as_str()));
            assert_eq!(value["data"]["id"].as_str(), Some(message.id.as_str()));
            if let Some(attachment) = &message.attachment {
                assert!(
                    attachment.url.starts_with("https://") || attachment.url.starts_with("http://"),
                    "an attachment URL that is not http(s): {:?}",
                    attachment.url
                );
            }
            if let Some(client_id) = &message.client_id {
                assert_eq!(message.author.kind, AuthorKind::Visitor, "a client id on another's message");
                // Only an id this edge made for this very conversation gives the visitor's id back.
                let core_id = value["data"]["client_request_id"].as_str().expect("a client id from nowhere");
                assert!(
                    [Kind::Message, Kind::File].iter().any(|&k| IDS.write(k, &conversation, client_id) == core_id),
                    "client id {client_id:?} recovered from {core_id:?}, not made for conversation {conversation:?}"
                );
            }
            if message.author.name.is_some() || message.author.avatar_url.is_some() {
                assert_eq!(message.author.kind, AuthorKind::Agent, "a name on a non-agent message");
            }
        }
        Input::Conversation { .. } => {
            assert_eq!(kind, "conversation.status_changed");
            assert_eq!(value["data"]["id"].as_str(), Some(conversation.as_str()));
        }
    }
    // The edge hands this to the conversation's hub as JSON.
    let call = HubCall { delivery: Some("evt".into()), site: None, inputs: vec![input] };
    let json = serde_json::to_vec(&call).expect("a hub call serializes");
    let back: HubCall = serde_json::from_slice(&json).expect("a hub call deserializes");
    assert_eq!(back, call, "the hub would not see what was routed");
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |b| *b == b'\n');
    let (id, timestamp, signature) = (line(parts.next()), line(parts.next()), line(parts.next()));
    let body = parts.next().unwrap_or_default();
    let headers = Signed { webhook_id: id, timestamp, signature };

    fuzzed_headers(&headers, body);
    if let (Some(id), Some(timestamp)) = (id, timestamp) {
        documented_scheme(id, timestamp, signature, body);
    }
    routed(body);
});
