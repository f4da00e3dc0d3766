//! `POST /webhooks/relasi`: the core's signed deliveries, checked exactly as the core documents them, and
//! turned into the conversation events the hubs understand.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::config::Secret;
use crate::core::relasi::convert;
use crate::core::relasi::types;
use crate::error::ApiError;
use crate::realtime::{HubCall, Input};
use crate::scope::IdScope;
use sapa_protocol::ConversationStatus;

/// Deliveries further than this from the edge's clock, either way, are refused.
pub const TOLERANCE_S: i64 = 300;
/// The largest delivery the edge reads; a message object is far smaller.
pub const BODY_MAX_BYTES: usize = 256 * 1024;

/// The headers a delivery is signed with.
const ID_HEADER: &str = "X-Relasi-Webhook-Id";
const TIMESTAMP_HEADER: &str = "X-Relasi-Timestamp";
const SIGNATURE_HEADER: &str = "X-Relasi-Signature";

/// A delivery checked and routed: the conversation, and the call for its hub (the delivery id drops repeats).
/// `None` for events the widget has no use for.
pub fn receive(
    header: impl Fn(&str) -> Option<String>,
    body: &[u8],
    now_s: i64,
    secret: &Secret,
    previous: Option<&Secret>,
    ids: impl FnOnce() -> Result<IdScope, ApiError>,
) -> Result<Option<(String, HubCall)>, ApiError> {
    let (id, timestamp, signature) = (header(ID_HEADER), header(TIMESTAMP_HEADER), header(SIGNATURE_HEADER));
    let signed = Signed { webhook_id: id.as_deref(), timestamp: timestamp.as_deref(), signature: signature.as_deref() };
    verify(&signed, body, now_s, secret, previous)?;
    Ok(route(body, &ids()?)?
        .map(|(conversation, input)| (conversation, HubCall { delivery: id, site: None, inputs: vec![input] })))
}

/// The signature headers of one delivery, as received.
pub struct Signed<'a> {
    pub webhook_id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Checks a delivery against the endpoint's secret (and the previous one, during a rotation): the timestamp
/// first, then `v1=<base64 HMAC-SHA256("<id>.<unix seconds>.<raw body>")>` in constant time.
pub fn verify(
    headers: &Signed<'_>,
    body: &[u8],
    now_s: i64,
    secret: &Secret,
    previous: Option<&Secret>,
) -> Result<(), ApiError> {
    let (Some(id), Some(timestamp), Some(signature)) = (headers.webhook_id, headers.timestamp, headers.signature)
    else {
        return Err(ApiError::WebhookSignatureInvalid);
    };
    let sent_s = convert::rfc3339_ms(timestamp).ok_or(ApiError::WebhookSignatureInvalid)?.div_euclid(1000);
    if (now_s - sent_s).abs() > TOLERANCE_S {
        return Err(ApiError::WebhookExpired);
    }
    // A header may carry several space-separated signatures (one per secret during a rotation).
    let candidates: Vec<Vec<u8>> = signature
        .split([' ', ','])
        .filter_map(|s| s.trim().strip_prefix("v1="))
        .filter_map(|s| B64.decode(s).ok())
        .collect();
    let matches = |secret: &Secret| {
        candidates.iter().any(|candidate| {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
            mac.update(format!("{id}.{sent_s}.").as_bytes());
            mac.update(body);
            mac.verify_slice(candidate).is_ok()
        })
    };
    if matches(secret) || previous.is_some_and(matches) {
        Ok(())
    } else {
        Err(ApiError::WebhookSignatureInvalid)
    }
}

/// The envelope read twice: first for its type (skipping the data), then with the data's own type, so no
/// generic JSON value is ever built.
#[derive(Deserialize)]
struct Kind {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

/// A verified delivery, routed: the conversation it belongs to and what it says. Events the widget has no
/// use for (contacts, conversation.created) come back as `None`.
pub fn route(body: &[u8], ids: &IdScope) -> Result<Option<(String, Input)>, ApiError> {
    let invalid = |e: serde_json::Error| ApiError::InvalidJson(e.to_string());
    let Kind { kind } = serde_json::from_slice(body).map_err(invalid)?;
    Ok(match kind.as_str() {
        "message.created" | "message.updated" => {
            let Envelope::<types::Message> { data: message } = serde_json::from_slice(body).map_err(invalid)?;
            let Some(conversation) = message.conversation_id.clone() else {
                return Ok(None);
            };
            Some((conversation, Input::Message { message: convert::message(message, ids) }))
        }
        "conversation.status_changed" => {
            let Envelope::<types::Conversation> { data: c } = serde_json::from_slice(body).map_err(invalid)?;
            let at_ms = convert::rfc3339_ms(&c.updated_at).unwrap_or(0);
            Some((c.id, Input::Conversation { status: ConversationStatus::from_core(&c.status), at_ms }))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> IdScope {
        IdScope::new(&Secret::new("s".into()))
    }

    const VECTOR_BODY: &[u8] = br#"{"id":"evt_0b9c","type":"message.created"}"#;
    const VECTOR_AT: i64 = 1_782_295_200;

    fn headers<'a>(id: &'a str, at: &'a str, signature: &'a str) -> Signed<'a> {
        Signed { webhook_id: Some(id), timestamp: Some(at), signature: Some(signature) }
    }

    #[test]
    fn the_documented_test_vector_verifies() {
        let secret = Secret::new("test_secret".into());
        let signed = headers("evt_0b9c", "2026-06-24T10:00:00Z", "v1=eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E=");
        assert!(verify(&signed, VECTOR_BODY, VECTOR_AT, &secret, None).is_ok());
        assert!(verify(&signed, VECTOR_BODY, VECTOR_AT + 300, &secret, None).is_ok());
        assert!(verify(&signed, VECTOR_BODY, VECTOR_AT - 300, &secret, None).is_ok());
    }

    #[test]
    fn anything_changed_fails() {
        let secret = Secret::new("test_secret".into());
        let good = "v1=eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E=";
        let at = "2026-06-24T10:00:00Z";
        let cases: [(Signed, &[u8]); 5] = [
            (headers("evt_0b9d", at, good), VECTOR_BODY),
            (headers("evt_0b9c", at, good), br#"{"id":"evt_0b9c","type":"message.created" }"#),
            (headers("evt_0b9c", at, "v1=AAAA"), VECTOR_BODY),
            (headers("evt_0b9c", at, "eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E="), VECTOR_BODY),
            (Signed { signature: None, ..headers("evt_0b9c", at, good) }, VECTOR_BODY),
        ];
        for (signed, body) in cases {
            assert!(matches!(verify(&signed, body, VECTOR_AT, &secret, None), Err(ApiError::WebhookSignatureInvalid)));
        }
        let other = Secret::new("other".into());
        let signed = headers("evt_0b9c", at, good);
        assert!(verify(&signed, VECTOR_BODY, VECTOR_AT, &other, None).is_err());
        // During a rotation the previous secret still verifies.
        assert!(verify(&signed, VECTOR_BODY, VECTOR_AT, &other, Some(&secret)).is_ok());
    }

    #[test]
    fn stale_or_future_deliveries_are_refused_before_the_signature_is_checked() {
        let secret = Secret::new("test_secret".into());
        let signed = headers("evt_0b9c", "2026-06-24T10:00:00Z", "v1=eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E=");
        for now in [VECTOR_AT + 301, VECTOR_AT - 301, VECTOR_AT + 86_400] {
            assert!(matches!(verify(&signed, VECTOR_BODY, now, &secret, None), Err(ApiError::WebhookExpired)));
        }
        let garbled = headers("evt_0b9c", "yesterday", "v1=eWae9R67QGPC98a26mL6DjhI0V3bPEn9oXK9AdLuY5E=");
        assert!(matches!(
            verify(&garbled, VECTOR_BODY, VECTOR_AT, &secret, None),
            Err(ApiError::WebhookSignatureInvalid)
        ));
    }

    #[test]
    fn routes_messages_and_status_changes_to_their_conversation() {
        let created = br#"{"id":"evt_1","type":"message.created","data":{"id":"m1","conversation_id":"cv_9",
            "direction":"out","text":"hi","sender":{"type":"agent","name":"Ayu"},"status":"sent",
            "created_at":"2026-06-24T10:00:00Z","future_field":1}}"#;
        let (conversation, input) = route(created, &ids()).unwrap().unwrap();
        assert_eq!(conversation, "cv_9");
        let Input::Message { message } = input else { panic!("a message") };
        assert_eq!(message.author.name.as_deref(), Some("Ayu"));

        let status = br#"{"id":"evt_2","type":"conversation.status_changed","data":{"id":"cv_9","status":"resolved",
            "updated_at":"2026-06-24T10:00:01Z"}}"#;
        let (conversation, input) = route(status, &ids()).unwrap().unwrap();
        assert_eq!(conversation, "cv_9");
        assert_eq!(input, Input::Conversation { status: ConversationStatus::Resolved, at_ms: 1_782_295_201_000 });

        assert!(route(br#"{"id":"evt_3","type":"contact.created","data":{"id":"ct_1"}}"#, &ids()).unwrap().is_none());
        assert!(route(b"not json", &ids()).is_err());
        assert!(route(br#"{"id":"evt_4","type":"message.created","data":{"no":"id"}}"#, &ids()).is_err());
    }
}
