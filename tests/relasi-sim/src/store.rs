//! The simulator's in-memory workspace: contacts, one livechat channel, conversations, messages,
//! and the idempotency record that makes every `client_request_id` write happen once.
//! It serializes whole, so `--state` can carry it across restarts (see `persist`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use crate::model::{Channel, Contact, Conversation, Message, Sender};

pub const APP_ID: &str = "app_sim";
pub const LIVECHAT_CHANNEL_ID: &str = "ch_livechat";
const IDEMPOTENCY_WINDOW: Duration = Duration::hours(24);

/// Maps are ordered so the same workspace always serializes to the same bytes (the state writer
/// skips writes that would change nothing).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Store {
    next_id: u64,
    pub channels: Vec<Channel>,
    pub contacts: Vec<Contact>,
    pub conversations: Vec<Conversation>,
    pub messages: Vec<Message>,
    /// Conversations an agent has opened since their last inbound message (for the inbox's unread mark).
    pub unread: BTreeMap<String, usize>,
    /// Uploaded files by media id: (MIME type, file name, bytes).
    #[serde(with = "crate::persist::media_files")]
    pub media: BTreeMap<String, (String, String, Vec<u8>)>,
    /// By (route, client_request_id): when first answered (wall clock, so the 24 h window survives a
    /// restart) and the answer.
    #[serde(with = "crate::persist::idempotency_records")]
    idempotent: BTreeMap<(String, String), (OffsetDateTime, Value)>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Self {
        Self {
            next_id: 1,
            channels: vec![Channel {
                id: LIVECHAT_CHANNEL_ID.into(),
                app_id: APP_ID.into(),
                name: "Website chat".into(),
                channel_type: "livechat".into(),
            }],
            contacts: Vec::new(),
            conversations: Vec::new(),
            messages: Vec::new(),
            unread: BTreeMap::new(),
            media: BTreeMap::new(),
            idempotent: BTreeMap::new(),
        }
    }

    /// Ids sort in creation order (zero-padded), which keeps listings stable when timestamps tie.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let id = format!("{prefix}_{:08}", self.next_id);
        self.next_id += 1;
        id
    }

    /// The first answer recorded for this `client_request_id` on this route, if still within 24 hours.
    pub fn replay(&mut self, route: &str, client_request_id: &str) -> Option<Value> {
        let key = (route.to_owned(), client_request_id.to_owned());
        match self.idempotent.get(&key) {
            Some((at, value)) if OffsetDateTime::now_utc() - *at < IDEMPOTENCY_WINDOW => Some(value.clone()),
            Some(_) => {
                self.idempotent.remove(&key);
                None
            }
            None => None,
        }
    }

    pub fn remember(&mut self, route: &str, client_request_id: &str, answer: &Value) {
        self.idempotent
            .insert((route.to_owned(), client_request_id.to_owned()), (OffsetDateTime::now_utc(), answer.clone()));
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    pub fn conversation(&self, id: &str) -> Option<&Conversation> {
        self.conversations.iter().find(|c| c.id == id)
    }

    pub fn open_livechat(
        &mut self,
        channel_id: &str,
        customer_id: &str,
        page_url: Option<String>,
        locale: Option<String>,
    ) -> Conversation {
        let now = OffsetDateTime::now_utc();
        let id = self.new_id("conv");
        let conversation = Conversation {
            id: id.clone(),
            app_id: APP_ID.into(),
            channel: "livechat".into(),
            channel_id: channel_id.into(),
            external_id: format!("lc_{id}"),
            customer_id: customer_id.into(),
            status: "open".into(),
            page_url,
            locale,
            created_at: now,
            updated_at: now,
        };
        self.conversations.push(conversation.clone());
        conversation
    }

    /// Adds a text message to a conversation and bumps the conversation's activity time.
    pub fn add_message(
        &mut self,
        conversation_id: &str,
        direction: &str,
        text: String,
        sender: Sender,
        client_request_id: Option<String>,
    ) -> Message {
        self.add_message_of(conversation_id, direction, ("text", None), text, sender, client_request_id)
    }

    /// Adds a message of any type (`kind`, with its `media` object) to a conversation.
    pub fn add_message_of(
        &mut self,
        conversation_id: &str,
        direction: &str,
        (kind, media): (&str, Option<serde_json::Value>),
        text: String,
        sender: Sender,
        client_request_id: Option<String>,
    ) -> Message {
        let now = OffsetDateTime::now_utc();
        let id = self.new_id("msg");
        let message = Message {
            id,
            app_id: APP_ID.into(),
            conversation_id: conversation_id.into(),
            message_session_id: format!("ms_{conversation_id}"),
            direction: direction.into(),
            kind: kind.into(),
            text,
            media,
            sender,
            status: if direction == "in" { "delivered".into() } else { "sent".into() },
            client_request_id,
            page_url: None,
            created_at: now,
            updated_at: now,
        };
        if let Some(c) = self.conversations.iter_mut().find(|c| c.id == conversation_id) {
            c.updated_at = now;
        }
        if direction == "in" {
            *self.unread.entry(conversation_id.to_owned()).or_default() += 1;
        }
        self.messages.push(message.clone());
        message
    }

    /// Records the page a livechat message was written on; answers the message as stored.
    pub fn set_page_url(&mut self, message_id: &str, page_url: Option<String>) -> Option<Message> {
        let m = self.messages.iter_mut().find(|m| m.id == message_id)?;
        m.page_url = page_url;
        Some(m.clone())
    }

    /// Sets a conversation's status; answers the updated conversation when it exists.
    pub fn set_status(&mut self, conversation_id: &str, status: &str) -> Option<Conversation> {
        let c = self.conversations.iter_mut().find(|c| c.id == conversation_id)?;
        c.status = status.to_owned();
        c.updated_at = OffsetDateTime::now_utc();
        Some(c.clone())
    }

    /// Marks the customer's unread messages in a conversation as read; answers the ones that changed.
    pub fn mark_read(&mut self, conversation_id: &str) -> Vec<Message> {
        let now = OffsetDateTime::now_utc();
        self.unread.remove(conversation_id);
        let changed: Vec<Message> = self
            .messages
            .iter_mut()
            .filter(|m| m.conversation_id == conversation_id && m.direction == "in" && m.status != "read")
            .map(|m| {
                m.status = "read".into();
                m.updated_at = now;
                m.clone()
            })
            .collect();
        // A read receipt is activity too: delta sync (`last_updated_at`) must see it.
        if let Some(c) = self.conversations.iter_mut().find(|c| c.id == conversation_id).filter(|_| !changed.is_empty())
        {
            c.updated_at = now;
        }
        changed
    }

    /// Conversations, newest activity first (as the API documents).
    pub fn conversations_by_activity(&self) -> Vec<Conversation> {
        let mut list = self.conversations.clone();
        list.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| b.id.cmp(&a.id)));
        list
    }

    /// A conversation's messages, newest first.
    pub fn messages_of(&self, conversation_id: &str) -> Vec<Message> {
        let mut list: Vec<Message> =
            self.messages.iter().filter(|m| m.conversation_id == conversation_id).cloned().collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_replays_first_answer() {
        let mut s = Store::new();
        assert!(s.replay("r", "abc").is_none());
        s.remember("r", "abc", &serde_json::json!({"id": 1}));
        assert_eq!(s.replay("r", "abc"), Some(serde_json::json!({"id": 1})));
        assert!(s.replay("other-route", "abc").is_none());
    }

    #[test]
    fn idempotency_window_is_wall_clock() {
        let mut s = Store::new();
        let key = ("r".to_owned(), "old".to_owned());
        s.idempotent.insert(key.clone(), (OffsetDateTime::now_utc() - Duration::hours(25), serde_json::json!(1)));
        assert!(s.replay("r", "old").is_none(), "a day-old record is forgotten");
        assert!(!s.idempotent.contains_key(&key));
    }

    #[test]
    fn messages_bump_conversation_and_sort_newest_first() {
        let mut s = Store::new();
        let a = s.open_livechat(LIVECHAT_CHANNEL_ID, "ct_1", None, None);
        let b = s.open_livechat(LIVECHAT_CHANNEL_ID, "ct_2", None, None);
        let sender = Sender { kind: "customer".into(), id: None, name: None, avatar_url: None };
        s.add_message(&a.id, "in", "first".into(), sender.clone(), None);
        s.add_message(&a.id, "in", "second".into(), sender, None);
        assert_eq!(s.conversations_by_activity()[0].id, a.id);
        assert_eq!(s.conversations_by_activity()[1].id, b.id);
        let texts: Vec<_> = s.messages_of(&a.id).into_iter().map(|m| m.text).collect();
        assert_eq!(texts, ["second", "first"]);
        assert_eq!(s.unread.get(&a.id), Some(&2));
    }
}
