//! One stream event applied to the conversation's messages. Pure (no signals, no DOM), so it is tested
//! natively with `cargo test -p sapa-widget --lib`; `live.rs` applies it and then does what it reports (the
//! cursor and the conversation's status are kept apart from the messages, so they wake no message view).

use sapa_protocol::{ConversationStatus, Message, StreamEvent};

use crate::thread::Thread;

/// What applying an event changed, for the effects around it.
#[derive(Debug, Default, PartialEq)]
pub struct Applied {
    /// Messages new to this widget that are not the visitor's own (the unread count, the alerts).
    pub fresh: usize,
    /// The message the event carried, when it was one of those (the page's `message` event, the preview).
    pub news: Option<Message>,
    /// The stream is caught up and live.
    pub ready: bool,
    /// Whether the messages changed.
    pub messages_changed: bool,
    /// Where the stream is now, when the event moved it.
    pub cursor: Option<String>,
    /// The conversation's status, when the event set it.
    pub status: Option<ConversationStatus>,
}

/// Merges the event into `thread` (messages by id or client id, statuses only forward, the thread trimmed)
/// and reports the rest: the conversation's status, and the cursor moved to the event's.
pub fn apply(thread: &mut Thread, event: StreamEvent) -> Applied {
    let mut applied = Applied { cursor: event.cursor().map(str::to_owned), ..Applied::default() };
    match event {
        StreamEvent::Message { message, .. } => {
            applied.fresh = thread.merge(vec![message.clone()]);
            applied.news = (applied.fresh > 0).then_some(message);
            thread.trim();
            applied.messages_changed = true;
        }
        StreamEvent::Status { message_id, status, .. } => {
            applied.messages_changed = thread.set_status(&message_id, status);
        }
        StreamEvent::Conversation { status, .. } => applied.status = Some(status),
        StreamEvent::Ready { .. } => applied.ready = true,
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thread::{State, KEEP};
    use sapa_protocol::{Author, AuthorKind, ClientId, MessageId, MessageStatus};

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
        let mut thread = Thread::default();
        let reply = message("m1", AuthorKind::Agent, 10);
        let first = apply(&mut thread, arrives(reply.clone(), "ep.1"));
        assert_eq!((first.fresh, first.news.as_ref().map(|m| m.id.as_str())), (1, Some("m1")));
        assert_eq!(first.cursor.as_deref(), Some("ep.1"));
        // The same reply again (a catch-up after a reconnect) is nothing new, but the cursor still moves.
        let again = apply(&mut thread, arrives(reply, "ep.2"));
        assert_eq!((again.fresh, again.news, again.cursor.as_deref()), (0, None, Some("ep.2")));
        assert_eq!(thread.messages.len(), 1);
    }

    #[test]
    fn the_visitors_own_message_confirms_the_pending_one_and_is_not_news() {
        let mut thread = Thread::default();
        thread.push_pending(ClientId("client-m2".into()), "text m2".into(), 5, None);
        let applied = apply(&mut thread, arrives(message("m2", AuthorKind::Visitor, 20), "ep.1"));
        assert_eq!((applied.fresh, applied.news), (0, None));
        assert_eq!(thread.messages[0].state, State::Confirmed(MessageStatus::Delivered));
    }

    #[test]
    fn statuses_only_move_forward_and_the_end_of_a_chat_is_reported() {
        let mut thread = Thread::default();
        apply(&mut thread, arrives(message("m3", AuthorKind::Visitor, 30), "ep.1"));
        let status =
            |s, at: &str| StreamEvent::Status { cursor: at.into(), message_id: MessageId("m3".into()), status: s };
        assert!(apply(&mut thread, status(MessageStatus::Read, "ep.2")).messages_changed);
        let backwards = apply(&mut thread, status(MessageStatus::Delivered, "ep.3"));
        assert!(!backwards.messages_changed, "a status that does not advance changes nothing on screen");
        assert_eq!(thread.messages[0].state, State::Confirmed(MessageStatus::Read));
        assert_eq!(backwards.cursor.as_deref(), Some("ep.3"));
        // A catch-up message carries no cursor: the last one stays until `ready` gives the next.
        let caught_up =
            apply(&mut thread, StreamEvent::Message { cursor: None, message: message("m4", AuthorKind::Agent, 40) });
        assert_eq!(caught_up.cursor, None);
        let ended = apply(
            &mut thread,
            StreamEvent::Conversation { cursor: "ep.4".into(), status: ConversationStatus::Resolved },
        );
        assert_eq!((ended.status, ended.messages_changed), (Some(ConversationStatus::Resolved), false));
        let ready = apply(&mut thread, StreamEvent::Ready { cursor: "ep.9".into() });
        assert!(ready.ready && !ready.messages_changed);
        assert_eq!(ready.cursor.as_deref(), Some("ep.9"));
    }

    #[test]
    fn a_long_conversation_is_trimmed_as_it_grows() {
        let mut thread = Thread::default();
        for i in 0..KEEP as i64 + 5 {
            apply(&mut thread, arrives(message(&format!("m{i:04}"), AuthorKind::Agent, i), "ep.1"));
        }
        assert_eq!(thread.messages.len(), KEEP);
        assert_eq!(thread.messages[0].id.as_ref().map(|i| i.as_str()), Some("m0005"), "the oldest went");
    }
}
