//! `GET /v1/stream`: the WebSocket that carries a conversation's events to the widget.
//!
//! The widget opens `wss://<edge>/v1/stream?conversation=<id>[&cursor=<cursor>]` offering the subprotocols
//! [`SUBPROTOCOL`] and its session token (the token never goes in the URL, which ends up in logs). The edge
//! first sends what the widget missed after `cursor`, then [`StreamEvent::Ready`], then live events. The
//! widget sends [`PING`] now and then; the edge answers [`PONG`] without waking the conversation's hub.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::ids::MessageId;
use crate::message::{Message, MessageStatus};

/// The subprotocol the edge answers with; the other offered value is the session token.
pub const SUBPROTOCOL: &str = "sapa.v1";
/// The heartbeat the widget sends, and the edge's answer.
pub const PING: &str = "ping";
pub const PONG: &str = "pong";

/// Close code for a token that is missing, invalid, expired or revoked: start a new session.
pub const CLOSE_SESSION_ENDED: u16 = 4401;
/// Close code for a token that may never use this stream (another conversation or site): do not retry.
pub const CLOSE_FORBIDDEN: u16 = 4403;
/// Close code for a stream the edge could not serve just now (the core failed during catch-up): retry later.
pub const CLOSE_TRY_LATER: u16 = 1013;

/// The close code that goes with a refused stream; the close reason is the error code's string.
pub fn close_code(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::TokenMissing | ErrorCode::TokenInvalid | ErrorCode::TokenExpired => CLOSE_SESSION_ENDED,
        ErrorCode::CoreUnavailable | ErrorCode::Internal | ErrorCode::RateLimited => CLOSE_TRY_LATER,
        _ => CLOSE_FORBIDDEN,
    }
}

/// Where a conversation stands, as the core says it (an open set: unknown values are kept as `Unknown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Resolved,
    Closed,
    Snoozed,
    #[serde(other)]
    Unknown,
}

impl ConversationStatus {
    pub fn from_core(status: &str) -> Self {
        match status {
            "open" => Self::Open,
            "resolved" => Self::Resolved,
            "closed" => Self::Closed,
            "snoozed" => Self::Snoozed,
            _ => Self::Unknown,
        }
    }
}

/// One frame from the edge. Every event after catch-up carries the cursor that follows it; the widget keeps
/// the newest and sends it back when it reconnects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// A message the widget has not seen (either side wrote it). Catch-up from the core sends these without
    /// a cursor; `ready` then gives it.
    Message {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cursor: Option<String>,
        message: Message,
    },
    /// A message's delivery status moved forward (delivered, read).
    Status { cursor: String, message_id: MessageId, status: MessageStatus },
    /// The conversation was resolved, closed, snoozed or reopened.
    Conversation { cursor: String, status: ConversationStatus },
    /// Catch-up is complete; `cursor` is where the widget now stands.
    Ready { cursor: String },
}

impl StreamEvent {
    pub fn cursor(&self) -> Option<&str> {
        match self {
            Self::Message { cursor, .. } => cursor.as_deref(),
            Self::Status { cursor, .. } | Self::Conversation { cursor, .. } | Self::Ready { cursor } => Some(cursor),
        }
    }
}

/// How the widget reads a frame: one flat struct. Decoding [`StreamEvent`] directly (an internally tagged
/// enum) would pull serde's buffering machinery into every visitor's download.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Frame {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub message_id: Option<MessageId>,
    /// A message's status for `status`, the conversation's for `conversation`.
    #[serde(default)]
    pub status: Option<String>,
}

impl Frame {
    /// The event, or `None` for a kind this build does not know or a frame missing what its kind needs.
    pub fn into_event(self) -> Option<StreamEvent> {
        Some(match self.kind.as_str() {
            "message" => StreamEvent::Message { cursor: self.cursor, message: self.message? },
            "status" => StreamEvent::Status {
                cursor: self.cursor?,
                message_id: self.message_id?,
                status: MessageStatus::from_wire(&self.status?),
            },
            "conversation" => {
                StreamEvent::Conversation { cursor: self.cursor?, status: ConversationStatus::from_core(&self.status?) }
            }
            "ready" => StreamEvent::Ready { cursor: self.cursor? },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_tagged_by_type() {
        let e = StreamEvent::Status { cursor: "e.3".into(), message_id: "m1".into(), status: MessageStatus::Read };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"type": "status", "cursor": "e.3", "message_id": "m1", "status": "read"})
        );
        let back: StreamEvent =
            serde_json::from_str(r#"{"type":"conversation","cursor":"e.4","status":"snoozed_forever"}"#).unwrap();
        assert_eq!(back, StreamEvent::Conversation { cursor: "e.4".into(), status: ConversationStatus::Unknown });
        assert_eq!(back.cursor(), Some("e.4"));
    }

    #[test]
    fn the_widgets_flat_reading_gives_back_every_event() {
        let message: Message = serde_json::from_str(
            r#"{"id":"m1","author":{"kind":"agent","name":"Ayu"},"text":"hi","created_at":5,"status":"delivered"}"#,
        )
        .unwrap();
        for event in [
            StreamEvent::Message { cursor: Some("e.1".into()), message: message.clone() },
            StreamEvent::Message { cursor: None, message },
            StreamEvent::Status { cursor: "e.2".into(), message_id: "m1".into(), status: MessageStatus::Read },
            StreamEvent::Conversation { cursor: "e.3".into(), status: ConversationStatus::Resolved },
            StreamEvent::Ready { cursor: "e.3".into() },
        ] {
            let frame: Frame = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
            assert_eq!(frame.into_event(), Some(event));
        }
        let unknown: Frame = serde_json::from_str(r#"{"type":"typing","cursor":"e.4"}"#).unwrap();
        assert_eq!(unknown.into_event(), None);
        let incomplete: Frame = serde_json::from_str(r#"{"type":"status","cursor":"e.4"}"#).unwrap();
        assert_eq!(incomplete.into_event(), None);
    }

    #[test]
    fn close_codes_split_renewable_from_forbidden() {
        assert_eq!(close_code(ErrorCode::TokenExpired), CLOSE_SESSION_ENDED);
        assert_eq!(close_code(ErrorCode::TokenWrongConversation), CLOSE_FORBIDDEN);
        assert_eq!(close_code(ErrorCode::OriginNotAllowed), CLOSE_FORBIDDEN);
        assert_eq!(close_code(ErrorCode::CoreUnavailable), CLOSE_TRY_LATER);
        assert_eq!(close_code(ErrorCode::RateLimited), CLOSE_TRY_LATER, "too many upgrades: back off, then retry");
    }
}
