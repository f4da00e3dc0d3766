//! The conversation as the widget holds it: confirmed messages from the edge merged with the visitor's
//! own messages that are still on their way. Pure data, so it is tested without a DOM.

use sapa_protocol::{Attachment, Author, AuthorKind, ClientId, Message, MessageId, MessageStatus, RateConversation};

/// Where one of the visitor's messages is. Messages from the edge are always `Confirmed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Not yet confirmed by the edge; kept in the outbox and re-sent (same id) until it is.
    Sending,
    /// The edge refused it for good, or the visitor must retry by hand.
    Failed,
    /// A file on its way. Files are not kept across reloads (the page cannot store them), so a reload drops
    /// these bubbles instead of resending.
    Uploading,
    Confirmed(MessageStatus),
}

impl State {
    /// The name CSS and the tests read (`data-state`): a contract, so spelled out rather than `Debug`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "Sending",
            Self::Failed => "Failed",
            Self::Uploading => "Uploading",
            Self::Confirmed(MessageStatus::Sent) => "Confirmed(Sent)",
            Self::Confirmed(MessageStatus::Delivered) => "Confirmed(Delivered)",
            Self::Confirmed(MessageStatus::Read) => "Confirmed(Read)",
            Self::Confirmed(MessageStatus::Failed) => "Confirmed(Failed)",
            Self::Confirmed(MessageStatus::Unknown) => "Confirmed(Unknown)",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    /// Stable across the sending → confirmed change: the list keys its rows by it, so a bubble stays in place.
    pub key: String,
    pub id: Option<MessageId>,
    pub client_id: Option<ClientId>,
    pub author: Author,
    pub text: String,
    /// UNIX milliseconds (the visitor's clock until the edge confirms).
    pub created_at: i64,
    pub state: State,
    pub attachment: Option<Attachment>,
    /// The page the visitor wrote it on, sent with it (kept with an unsent message across reloads).
    pub page_url: Option<String>,
    /// For the line that records the visitor's own rating: what they chose, so they see it in their language
    /// (the core's line is written for agents).
    pub rated: Option<RateConversation>,
}

impl ChatMessage {
    pub fn is_visitor(&self) -> bool {
        self.author.kind == AuthorKind::Visitor
    }
}

impl From<Message> for ChatMessage {
    fn from(m: Message) -> Self {
        let key = m.client_id.as_ref().map(|c| c.0.clone()).unwrap_or_else(|| m.id.0.clone());
        Self {
            key,
            id: Some(m.id),
            client_id: m.client_id,
            author: m.author,
            text: m.text,
            created_at: m.created_at,
            state: State::Confirmed(m.status),
            attachment: m.attachment,
            page_url: None,
            rated: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thread {
    pub messages: Vec<ChatMessage>,
}

/// How many messages are kept across reloads (unsent ones are always kept).
pub const KEEP: usize = 200;

impl Thread {
    /// A message the visitor just wrote.
    pub fn push_pending(&mut self, client_id: ClientId, text: String, now_ms: i64, page_url: Option<String>) {
        self.messages.push(ChatMessage {
            key: client_id.0.clone(),
            id: None,
            client_id: Some(client_id),
            author: Author { kind: AuthorKind::Visitor, name: None, avatar_url: None },
            text,
            created_at: now_ms,
            state: State::Sending,
            attachment: None,
            page_url,
            rated: None,
        });
    }

    /// A file the visitor just picked, shown by name until the edge confirms it.
    pub fn push_upload(&mut self, client_id: ClientId, name: &str, now_ms: i64) {
        self.push_pending(client_id.clone(), name.to_owned(), now_ms, None);
        self.set_state(&client_id, State::Uploading);
    }

    /// Removes a bubble that will never be confirmed (a refused file).
    pub fn remove(&mut self, client_id: &ClientId) {
        self.messages.retain(|m| m.client_id.as_ref() != Some(client_id));
    }

    /// Merges messages from the edge: a known id or client id updates its bubble, anything else is added.
    /// Returns how many were new and not the visitor's own (for unread counts).
    pub fn merge(&mut self, incoming: Vec<Message>) -> usize {
        let mut new_from_others = 0;
        for m in incoming {
            let existing = self
                .messages
                .iter_mut()
                .find(|c| c.id.as_ref() == Some(&m.id) || (m.client_id.is_some() && c.client_id == m.client_id));
            match existing {
                Some(c) => {
                    c.id = Some(m.id);
                    c.text = m.text;
                    c.created_at = m.created_at;
                    c.state = match c.state {
                        State::Confirmed(old) if !old.advances_to(m.status) => c.state,
                        _ => State::Confirmed(m.status),
                    };
                    c.attachment = m.attachment;
                }
                None => {
                    if m.author.kind != AuthorKind::Visitor {
                        new_from_others += 1;
                    }
                    self.messages.push(m.into());
                }
            }
        }
        self.sort();
        new_from_others
    }

    /// Takes in the messages another tab still has on their way and this one does not know, so whichever tab
    /// saves last keeps them, and either may send them (their client ids make a second send a no-op).
    /// Answers whether anything was added.
    pub fn adopt_unsent(&mut self, theirs: &Thread) -> bool {
        let unknown: Vec<ChatMessage> = theirs
            .messages
            .iter()
            .filter(|m| m.state == State::Sending && m.client_id.is_some())
            .filter(|m| !self.messages.iter().any(|mine| mine.key == m.key))
            .cloned()
            .collect();
        if unknown.is_empty() {
            return false;
        }
        self.messages.extend(unknown);
        self.sort();
        true
    }

    /// A confirmed message's delivery status, which only moves forward. Answers whether it moved.
    pub fn set_status(&mut self, id: &MessageId, status: MessageStatus) -> bool {
        let Some(m) = self.messages.iter_mut().find(|m| m.id.as_ref() == Some(id)) else { return false };
        match m.state {
            State::Confirmed(old) if old.advances_to(status) => {
                m.state = State::Confirmed(status);
                true
            }
            _ => false,
        }
    }

    /// Marks the line the core wrote for the visitor's rating (the edge's answer to the rating names it).
    pub fn mark_rated(&mut self, id: &MessageId, rating: &RateConversation) {
        if let Some(m) = self.messages.iter_mut().find(|m| m.id.as_ref() == Some(id)) {
            m.rated = Some(rating.clone());
        }
    }

    pub fn set_state(&mut self, client_id: &ClientId, state: State) {
        if let Some(m) = self.messages.iter_mut().find(|m| m.client_id.as_ref() == Some(client_id)) {
            m.state = state;
        }
    }

    /// The visitor's messages still to be sent, oldest first.
    pub fn outbox(&self) -> impl Iterator<Item = &ChatMessage> {
        self.messages.iter().filter(|m| m.state == State::Sending && m.client_id.is_some())
    }

    /// Oldest first by `created_at` (the visitor's clock until confirmed), then key: stable across renders.
    /// An insertion sort: messages come almost in order (a merge adds a few at the end or moves one whose
    /// time the edge corrected), so it makes about one comparison per message, and it keeps the standard
    /// library's general sort (some 2.7 KB of wasm) out of the first open.
    fn sort(&mut self) {
        fn order(m: &ChatMessage) -> (i64, &str) {
            (m.created_at, &m.key)
        }
        for i in 1..self.messages.len() {
            let mut j = i;
            while j > 0 && order(&self.messages[j - 1]) > order(&self.messages[j]) {
                self.messages.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    /// Drops the oldest confirmed messages beyond [`KEEP`].
    pub fn trim(&mut self) {
        let excess = self.messages.len().saturating_sub(KEEP);
        let mut dropped = 0;
        self.messages.retain(|m| {
            let drop = dropped < excess && matches!(m.state, State::Confirmed(_));
            dropped += usize::from(drop);
            !drop
        });
    }
}
