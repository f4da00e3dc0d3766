//! Core messages into the widget's shape.

use sapa_protocol::{Attachment, Author, AuthorKind, Message, MessageId, MessageStatus};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::core::relasi::types;
use crate::scope::IdScope;

/// RFC 3339 to UNIX milliseconds; `None` when the core sent something else.
pub fn rfc3339_ms(value: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(value, &Rfc3339).ok()?;
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The core's messages read for `conversation`, converted; any that name another conversation (or none) are
/// dropped, so a core answer can never put another visitor's words into this one's thread.
pub fn messages_of(conversation: &str, list: Vec<types::Message>, ids: &IdScope) -> Vec<Message> {
    list.into_iter().filter(|m| m.conversation_id.as_deref() == Some(conversation)).map(|m| message(m, ids)).collect()
}

/// One core message in the widget's shape. The visitor's client id is recovered from the scoped core id only
/// when it was made for this message's own conversation (see [`crate::scope`]).
pub fn message(m: types::Message, ids: &IdScope) -> Message {
    let inbound = m.direction == "in";
    let conversation = m.conversation_id.as_deref().unwrap_or_default();
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
        client_id: m
            .client_request_id
            .as_deref()
            .filter(|_| inbound)
            .and_then(|core_id| ids.visitor_client_id(conversation, core_id)),
        author: Author { kind, name, avatar_url },
        text: m.text.unwrap_or_default(),
        created_at: rfc3339_ms(&m.created_at).unwrap_or(0),
        status,
        attachment: m.media.and_then(attachment),
    }
}

/// Only files with an http(s) URL become attachments; anything else (a location, a malformed URL) is dropped
/// rather than handed to the browser.
fn attachment(media: types::Media) -> Option<Attachment> {
    let url = media.url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))?;
    Some(Attachment {
        name: media.name.unwrap_or_else(|| "attachment".into()),
        mime: media.mime.unwrap_or_else(|| "application/octet-stream".into()),
        size: media.size.unwrap_or(0),
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Kind;
    use sapa_protocol::ClientId;

    fn core(json: &str) -> types::Message {
        serde_json::from_str(json).unwrap()
    }

    fn ids() -> IdScope {
        IdScope::new(&crate::config::Secret::new("s".into()))
    }

    fn message(m: types::Message) -> Message {
        super::message(m, &ids())
    }

    #[test]
    fn inbound_visitor_message() {
        let core_id = ids().write(Kind::Message, "cv_1", &ClientId("cid-12345678".into()));
        let m = message(core(&format!(
            r#"{{"id":"m1","conversation_id":"cv_1","direction":"in","text":"hello","sender":{{"type":"customer","name":"Siti"}},
                "status":"delivered","client_request_id":"{core_id}","created_at":"2026-06-24T10:00:00.250Z",
                "app_id":"a","extra":{{"nested":true}}}}"#,
        )));
        assert_eq!(m.author.kind, AuthorKind::Visitor);
        assert_eq!(m.author.name, None);
        assert_eq!(m.client_id, Some(ClientId("cid-12345678".into())));
        assert_eq!(m.created_at, 1_782_295_200_250);
        assert_eq!(m.status, MessageStatus::Delivered);
    }

    #[test]
    fn a_client_id_made_for_another_conversation_or_by_another_caller_is_not_the_visitors() {
        let other = ids().write(Kind::Message, "cv_2", &ClientId("cid-12345678".into()));
        for foreign in [other.as_str(), "cid-12345678"] {
            let m = message(core(&format!(
                r#"{{"id":"m1","conversation_id":"cv_1","direction":"in","client_request_id":"{foreign}","created_at":"x"}}"#
            )));
            assert_eq!(m.client_id, None, "{foreign}");
        }
    }

    #[test]
    fn a_read_keeps_only_the_conversations_own_messages() {
        let list = vec![
            core(r#"{"id":"m1","conversation_id":"cv_1","direction":"out","created_at":"x"}"#),
            core(r#"{"id":"m2","conversation_id":"cv_2","direction":"out","created_at":"x"}"#),
            core(r#"{"id":"m3","direction":"out","created_at":"x"}"#),
        ];
        let kept: Vec<_> = messages_of("cv_1", list, &ids()).into_iter().map(|m| m.id.0).collect();
        assert_eq!(kept, ["m1"]);
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
        let system = message(core(
            r#"{"id":"m3","direction":"out","sender":{"type":"system"},"created_at":"x","status":"new_state"}"#,
        ));
        assert_eq!(system.author.kind, AuthorKind::System);
        assert_eq!(system.text, "");
        assert_eq!(system.status, MessageStatus::Unknown);
        assert_eq!(system.attachment, None);
    }

    #[test]
    fn media_becomes_an_attachment_only_with_a_web_url() {
        let image = message(core(
            r#"{"id":"m4","direction":"in","type":"image","text":"","created_at":"2026-06-24T10:00:00Z",
                "media":{"url":"https://cdn.example/a.png","name":"a.png","mime":"image/png","size":12}}"#,
        ));
        let a = image.attachment.unwrap();
        assert_eq!((a.url.as_str(), a.mime.as_str(), a.size), ("https://cdn.example/a.png", "image/png", 12));
        let script = message(core(
            r#"{"id":"m5","direction":"out","created_at":"2026-06-24T10:00:00Z","media":{"url":"javascript:alert(1)"}}"#,
        ));
        assert_eq!(script.attachment, None);
        let location = message(core(
            r#"{"id":"m6","direction":"out","created_at":"2026-06-24T10:00:00Z","media":{"latitude":1.0,"longitude":2.0}}"#,
        ));
        assert_eq!(location.attachment, None);
    }
}
