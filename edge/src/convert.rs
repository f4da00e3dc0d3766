//! Core messages into the widget's shape.

use sapa_protocol::{Author, AuthorKind, ClientId, Message, MessageId, MessageStatus};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::core::types;

/// RFC 3339 to UNIX milliseconds; `None` when the core sent something else.
pub fn rfc3339_ms(value: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(value, &Rfc3339).ok()?;
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

pub fn message(m: types::Message) -> Message {
    let inbound = m.direction == "in";
    let kind = match (inbound, m.sender.kind.as_str()) {
        (true, _) | (_, "customer") => AuthorKind::Visitor,
        (false, "system") => AuthorKind::System,
        _ => AuthorKind::Agent,
    };
    let status = match m.status.as_str() {
        "queued" | "sent" => MessageStatus::Sent,
        "delivered" => MessageStatus::Delivered,
        "read" => MessageStatus::Read,
        "failed" => MessageStatus::Failed,
        _ => MessageStatus::Unknown,
    };
    let (name, avatar_url) = match kind {
        AuthorKind::Agent => (m.sender.name, m.sender.avatar_url),
        _ => (None, None),
    };
    Message {
        id: MessageId(m.id),
        // Only the visitor's own ids: they let the widget match its pending messages.
        client_id: if inbound { m.client_request_id.map(ClientId) } else { None },
        author: Author { kind, name, avatar_url },
        text: m.text.unwrap_or_default(),
        created_at: rfc3339_ms(&m.created_at).unwrap_or(0),
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(json: &str) -> types::Message {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn inbound_visitor_message() {
        let m = message(core(
            r#"{"id":"m1","direction":"in","text":"hello","sender":{"type":"customer","name":"Siti"},
                "status":"delivered","client_request_id":"cid-12345678","created_at":"2026-06-24T10:00:00.250Z",
                "app_id":"a","extra":{"nested":true}}"#,
        ));
        assert_eq!(m.author.kind, AuthorKind::Visitor);
        assert_eq!(m.author.name, None);
        assert_eq!(m.client_id, Some(ClientId("cid-12345678".into())));
        assert_eq!(m.created_at, 1_782_295_200_250);
        assert_eq!(m.status, MessageStatus::Delivered);
    }

    #[test]
    fn outbound_agent_and_system_messages() {
        let agent = message(core(
            r#"{"id":"m2","direction":"out","text":"hi!","sender":{"type":"agent","name":"Ayu"},"status":"queued",
                "client_request_id":"agent-side-id","created_at":"2026-06-24T10:00:01+07:00"}"#,
        ));
        assert_eq!(agent.author.kind, AuthorKind::Agent);
        assert_eq!(agent.author.name.as_deref(), Some("Ayu"));
        assert_eq!(agent.client_id, None);
        assert_eq!(agent.status, MessageStatus::Sent);
        assert_eq!(agent.created_at, 1_782_270_001_000);
        let system = message(core(r#"{"id":"m3","direction":"out","sender":{"type":"system"},"created_at":"x","status":"new_state"}"#));
        assert_eq!(system.author.kind, AuthorKind::System);
        assert_eq!(system.text, "");
        assert_eq!(system.status, MessageStatus::Unknown);
    }
}
