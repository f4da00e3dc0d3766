//! One stream event applied to the saved state. Pure (no signals, no DOM), so it is tested natively with
//! `cargo test -p sapa-widget --lib`; `live.rs` applies it and then does what it reports.

use sapa_protocol::{Message, StreamEvent};

use crate::storage::Saved;

/// What applying an event changed, for the effects around it.
#[derive(Debug, Default, PartialEq)]
pub struct Applied {
    /// Messages new to this widget that are not the visitor's own (the unread count, the alerts).
    pub fresh: usize,
    /// The message the event carried, when it was one of those (the page's `message` event, the preview).
    pub news: Option<Message>,
    /// The stream is caught up and live.
    pub ready: bool,
}

/// Merges the event into `saved`: messages by id or client id, statuses only forward, the conversation's
/// status, the cursor moved to the event's, and the thread trimmed.
pub fn apply(saved: &mut Saved, event: StreamEvent) -> Applied {
    let cursor = event.cursor().map(str::to_owned);
    let mut applied = Applied::default();
    match event {
        StreamEvent::Message { message, .. } => {
            applied.fresh = saved.thread.merge(vec![message.clone()]);
            applied.news = (applied.fresh > 0).then_some(message);
        }
        StreamEvent::Status { message_id, status, .. } => saved.thread.set_status(&message_id, status),
        StreamEvent::Conversation { status, .. } => saved.status = Some(status),
        StreamEvent::Ready { .. } => applied.ready = true,
    }
    if cursor.is_some() {
        saved.thread.cursor = cursor;
    }
    saved.thread.trim();
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thread::{State, KEEP};
    use sapa_protocol::{Author, AuthorKind, ClientId, ConversationStatus, MessageId, MessageStatus};

    fn message(id: &str, kind: AuthorKind, at: i64) -> Message {
        Message {
            id: MessageId(id.into()),
            client_id: (kind == AuthorKind::Visitor).then(|| ClientId(format!("client-{id}"))),
            author: Author { kind, name: Some("Ayu".into()), avatar_url: None },
            text: format!("text {id}"),
            created_at: at,
            status: MessageStatus::Delivered,
            attachment: None,
        }
    }

    fn arrives(m: Message, cursor: &str) -> StreamEvent {
        StreamEvent::Message { cursor: Some(cursor.into()), message: m }
    }

    #[test]
    fn a_reply_is_news_once_and_moves_the_cursor() {
        let mut saved = Saved::default();
        let reply = message("m1", AuthorKind::Agent, 10);
        let first = apply(&mut saved, arrives(reply.clone(), "ep.1"));
        assert_eq!((first.fresh, first.news.as_ref().map(|m| m.id.as_str())), (1, Some("m1")));
        assert_eq!(saved.thread.cursor.as_deref(), Some("ep.1"));
        // The same reply again (a catch-up after a reconnect) is nothing new, but the cursor still moves.
        let again = apply(&mut saved, arrives(reply, "ep.2"));
        assert_eq!(again, Applied::default());
        assert_eq!(saved.thread.cursor.as_deref(), Some("ep.2"));
        assert_eq!(saved.thread.messages.len(), 1);
    }

    #[test]
    fn the_visitors_own_message_confirms_the_pending_one_and_is_not_news() {
        let mut saved = Saved::default();
        saved.thread.push_pending(ClientId("client-m2".into()), "text m2".into(), 5, None);
        let applied = apply(&mut saved, arrives(message("m2", AuthorKind::Visitor, 20), "ep.1"));
        assert_eq!(applied, Applied::default());
        assert_eq!(saved.thread.messages[0].state, State::Confirmed(MessageStatus::Delivered));
    }

    #[test]
    fn statuses_only_move_forward_and_the_end_of_a_chat_is_kept() {
        let mut saved = Saved::default();
        apply(&mut saved, arrives(message("m3", AuthorKind::Visitor, 30), "ep.1"));
        let status =
            |s, at: &str| StreamEvent::Status { cursor: at.into(), message_id: MessageId("m3".into()), status: s };
        apply(&mut saved, status(MessageStatus::Read, "ep.2"));
        apply(&mut saved, status(MessageStatus::Delivered, "ep.3"));
        assert_eq!(saved.thread.messages[0].state, State::Confirmed(MessageStatus::Read));
        assert_eq!(saved.thread.cursor.as_deref(), Some("ep.3"));
        // A catch-up message carries no cursor: the last one stays until `ready` gives the next.
        apply(&mut saved, StreamEvent::Message { cursor: None, message: message("m4", AuthorKind::Agent, 40) });
        assert_eq!(saved.thread.cursor.as_deref(), Some("ep.3"));
        apply(&mut saved, StreamEvent::Conversation { cursor: "ep.4".into(), status: ConversationStatus::Resolved });
        assert_eq!(saved.status, Some(ConversationStatus::Resolved));
        assert!(apply(&mut saved, StreamEvent::Ready { cursor: "ep.9".into() }).ready);
        assert_eq!(saved.thread.cursor.as_deref(), Some("ep.9"));
    }

    #[test]
    fn a_long_conversation_is_trimmed_as_it_grows() {
        let mut saved = Saved::default();
        for i in 0..KEEP as i64 + 5 {
            apply(&mut saved, arrives(message(&format!("m{i:04}"), AuthorKind::Agent, i), "ep.1"));
        }
        assert_eq!(saved.thread.messages.len(), KEEP);
        assert_eq!(saved.thread.messages[0].id.as_ref().map(|i| i.as_str()), Some("m0005"), "the oldest went");
    }
}
