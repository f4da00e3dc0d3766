//! Messages as the widget sees them, whichever side wrote them.

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, MessageId};
use crate::validate::{self, FieldError, Validate};

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    Visitor,
    Agent,
    System,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub kind: AuthorKind,
    /// Shown above agent bubbles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
}

/// Where a message is on its way to the other side. The widget adds its own local states
/// (sending, failed) before a message has an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Sent,
    Delivered,
    Read,
    Failed,
    #[serde(other)]
    Unknown,
}

impl MessageStatus {
    /// The wire name back into a status (as serde reads it, without serde).
    pub fn from_wire(value: &str) -> Self {
        match value {
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,
            "failed" => Self::Failed,
            _ => Self::Unknown,
        }
    }

    /// Statuses only move forward: a late "delivered" never undoes "read". Unknown values rank lowest.
    pub fn rank(self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::Sent => 1,
            Self::Delivered => 2,
            Self::Read => 3,
            Self::Failed => 4,
        }
    }

    /// Whether `next` may replace this status (the one rule every party applies).
    pub fn advances_to(self, next: Self) -> bool {
        next.rank() > self.rank()
    }
}

/// A file attached to a message, served by the core.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub url: String,
    pub name: String,
    pub mime: String,
    pub size: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    /// The widget's idempotency id, for messages the visitor wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<ClientId>,
    pub author: Author,
    pub text: String,
    /// UNIX milliseconds.
    pub created_at: i64,
    pub status: MessageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
}

impl Message {
    /// The order every party shows and pages messages in: the core's clock, then the id (to break ties).
    pub fn order_key(&self) -> (i64, &str) {
        (self.created_at, self.id.as_str())
    }
}

/// `POST /v1/messages`: the visitor's message into their conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// Made when the visitor pressed Enter; the same id on every retry.
    pub client_id: ClientId,
    pub text: String,
    /// The page the visitor was on when writing (single-page sites change it without a reload), so the agent
    /// knows what they were looking at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
}

impl Validate for SendMessage {
    fn validate(&self) -> Result<(), FieldError> {
        validate::client_id("client_id", self.client_id.as_str())?;
        validate::message_text("text", &self.text)?;
        validate::optional(self.page_url.as_deref(), |v| validate::page_url("page_url", v))
    }
}

/// The answer to `POST /v1/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub message: Message,
}

/// The answer to `GET /v1/messages?after=<cursor>&limit=<n>`: oldest first, newest last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageList {
    pub messages: Vec<Message>,
    /// Pass back as `after` to get only what came later. Opaque to the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_message_validates_text_and_id() {
        let ok =
            SendMessage { client_id: "7b1f1a52-3a41-4c7e-8d0e-1f2a3b4c5d6e".into(), text: "hi".into(), page_url: None };
        assert!(ok.validate().is_ok());
        let blank = SendMessage { text: "   ".into(), ..ok.clone() };
        assert_eq!(blank.validate().unwrap_err().field, "text");
        let bad_page = SendMessage { page_url: Some("javascript:alert(1)".into()), ..ok.clone() };
        assert_eq!(bad_page.validate().unwrap_err().field, "page_url");
        let bad_id = SendMessage { client_id: "!".into(), ..ok };
        assert_eq!(bad_id.validate().unwrap_err().field, "client_id");
    }

    #[test]
    fn zero_width_message_is_refused_as_blank() {
        let ok =
            SendMessage { client_id: "7b1f1a52-3a41-4c7e-8d0e-1f2a3b4c5d6e".into(), text: "hi".into(), page_url: None };
        for text in
            ["\u{200B}", "\u{200B}\u{200C}\u{200D}\u{2060}", "\u{FEFF}", " \u{202E} \u{2066}\n", "\u{3164}\u{115F}"]
        {
            let blank = SendMessage { text: text.into(), ..ok.clone() };
            let err = blank.validate().unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("text", "must not be empty"), "{text:?}");
        }
        // Line separators are fine inside a message; they just are not content on their own.
        let multi = SendMessage { text: "one\u{2028}two".into(), ..ok.clone() };
        assert!(multi.validate().is_ok());
        let only_separators = SendMessage { text: "\u{2028}\u{2029}".into(), ..ok };
        assert_eq!(only_separators.validate().unwrap_err().field, "text");
    }

    #[test]
    fn unknown_enum_values_are_tolerated() {
        let json = r#"{"id":"m1","author":{"kind":"bot"},"text":"x","created_at":1,"status":"pending_review"}"#;
        let m: Message = serde_json::from_str(json).unwrap();
        assert_eq!(m.author.kind, AuthorKind::Unknown);
        assert_eq!(m.status, MessageStatus::Unknown);
    }

    #[test]
    fn send_message_rejects_smuggled_fields() {
        let json = r#"{"client_id":"7b1f1a52-3a41","text":"hi","conversation_id":"someone_else"}"#;
        assert!(serde_json::from_str::<SendMessage>(json).is_err());
    }
}
