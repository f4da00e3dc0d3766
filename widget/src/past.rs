//! Earlier conversations, kept in this browser when the visitor starts a new chat, to read again (read-only).
//! A cache like the rest of the widget's storage: `Sapa('reset')` (a logout) forgets them with everything else.

use leptos::prelude::*;

use crate::thread::{ChatMessage, State};

/// How many earlier conversations are kept, and how many messages of each (the newest).
pub const KEEP: usize = 5;
pub const KEEP_MESSAGES: usize = 100;

#[derive(Clone, Debug, PartialEq)]
pub struct Past {
    /// When the visitor left it (UNIX milliseconds).
    pub ended_at: i64,
    pub messages: Vec<ChatMessage>,
}

impl Past {
    /// The conversation as it was left: only what the edge confirmed, at most the newest [`KEEP_MESSAGES`].
    pub fn of(messages: &[ChatMessage], ended_at: i64) -> Option<Self> {
        let confirmed: Vec<ChatMessage> =
            messages.iter().filter(|m| matches!(m.state, State::Confirmed(_))).cloned().collect();
        let skip = confirmed.len().saturating_sub(KEEP_MESSAGES);
        (!confirmed.is_empty()).then(|| Self { ended_at, messages: confirmed.into_iter().skip(skip).collect() })
    }

    /// The first line of its first message, for the list.
    pub fn summary(&self) -> String {
        let first = self.messages.iter().find(|m| !m.text.is_empty()).map_or("", |m| m.text.as_str());
        first.lines().next().unwrap_or_default().chars().take(80).collect()
    }
}

/// Adds `past` as the newest, keeping at most [`KEEP`].
pub fn push(list: &mut Vec<Past>, past: Past) {
    list.insert(0, past);
    list.truncate(KEEP);
}

fn key(site_id: &str) -> String {
    format!("sapa:v1:{site_id}:past")
}

/// Whether this browser keeps any (read at start-up instead of the conversations themselves, which are read
/// only when the visitor asks for them or a new chat adds one).
pub fn exists(site_id: &str) -> bool {
    crate::storage::has(&key(site_id))
}

pub fn load(site_id: &str) -> Vec<Past> {
    crate::storage::read(&key(site_id)).unwrap_or_default()
}

pub fn save(site_id: &str, list: &[Past]) {
    // Over quota, the oldest go first rather than the whole list.
    if !crate::storage::write(&key(site_id), Some(&list).filter(|l| !l.is_empty())) && list.len() > 1 {
        save(site_id, &list[..list.len() - 1]);
    }
}

/// The earlier conversations as the views see them: whether there are any (known from the start), and the
/// list itself, read from storage on first use.
#[derive(Clone, Copy)]
pub struct Earlier {
    pub any: RwSignal<bool>,
    pub list: RwSignal<Vec<Past>>,
}

impl Earlier {
    pub fn new(site_id: &str) -> Self {
        Self { any: RwSignal::new(exists(site_id)), list: RwSignal::new(Vec::new()) }
    }

    /// The list, read from storage the first time it is wanted.
    pub fn read(self, site_id: &str) -> Vec<Past> {
        if self.any.get_untracked() && self.list.with_untracked(Vec::is_empty) {
            self.list.set(load(site_id));
        }
        self.list.get_untracked()
    }

    /// Keeps `list` as the earlier conversations (stored, and shown).
    pub fn keep(self, site_id: &str, list: Vec<Past>) {
        save(site_id, &list);
        self.any.set(!list.is_empty());
        self.list.set(list);
    }
}
