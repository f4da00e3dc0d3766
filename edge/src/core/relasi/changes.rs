//! Delta sync for edges without webhooks. One poller per edge asks the core what changed since its
//! watermark, and reads messages only for changed conversations that a visitor is watching. Its cost is
//! one request per tick plus one per changed, watched conversation: the number of connected visitors
//! does not enter into it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{conversations, convert, messages};
use crate::core::http::{CoreClient, CoreError, Transport};
use crate::realtime::Input;
use crate::scope::IdScope;
use sapa_protocol::ConversationStatus;

/// Messages read per changed conversation; more than this many new ones within one tick is unlikely,
/// and a widget that reconnects catches up from the core anyway.
pub const MESSAGES_PER_READ: usize = 50;
/// How far back the first read looks, to cover the edge's clock being behind the core's.
pub const FIRST_LOOKBACK_S: i64 = 60;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PollState {
    /// The newest `updated_at` (UNIX seconds) seen from the core.
    pub watermark_s: Option<i64>,
    /// Conversations with a connected visitor, each with the `updated_at` last read for it.
    pub watched: BTreeMap<String, Option<String>>,
    /// Conversations listed in the watermark's second, with their `updated_at`. The list is newest first,
    /// so reaching one of these unchanged means everything after it was listed before: the read stops.
    #[serde(skip)]
    pub recent: BTreeMap<String, String>,
    /// A read cut short by [`MAX_PAGES`], continued by the next tick.
    #[serde(skip)]
    pub resume: Option<Resume>,
    /// When each conversation began to be watched (UNIX ms, the edge's clock): its hub read the core just
    /// before, so a change dated earlier needs no second read. Entries go at the conversation's first listing;
    /// a vector, as it stays short and costs the bundle less than another map.
    #[serde(skip)]
    pub watched_since: Vec<(String, i64)>,
}

/// How far the core's clock may lag the edge's before a change is wrongly taken as already read.
pub const CLOCK_SKEW_MS: i64 = 5_000;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resume {
    since_s: i64,
    next_page: usize,
    newest_s: i64,
    listed: BTreeMap<String, String>,
}

/// Pages one tick reads at most; a longer burst is continued by the next tick, never skipped.
pub const MAX_PAGES: usize = 5;

/// What one tick found for one conversation.
#[derive(Debug, PartialEq)]
pub struct Delivery {
    pub conversation: String,
    pub inputs: Vec<Input>,
}

/// What the poller keeps beyond its object's life (SQLite at the rim): the watched conversations, with the
/// `updated_at` last read for each, and the watermark.
pub trait PollStore {
    fn watched(&self) -> Vec<(String, Option<String>)>;
    fn watermark(&self) -> Option<i64>;
    fn set_watermark(&mut self, watermark_s: Option<i64>);
    fn set_watched(&mut self, conversation: &str, on: bool);
    fn set_seen(&mut self, conversation: &str, updated_at: Option<&str>);
}

impl PollState {
    /// The state its store kept (what was only in memory, the recent list and a cut-short read, is read again).
    pub fn restore(store: &impl PollStore) -> Self {
        let watched = store.watched().into_iter().collect();
        Self { watched, watermark_s: store.watermark(), ..Self::default() }
    }

    /// A conversation's hub began watching, having read the core at `now_ms`. After a pause with nobody
    /// watched, the next read starts from now rather than paging through everything that changed meanwhile.
    pub fn start_watching(&mut self, store: &mut impl PollStore, conversation: &str, now_ms: i64) {
        if self.watched.is_empty() && self.resume.is_none() {
            self.watermark_s = None;
            store.set_watermark(None);
        }
        self.watch_read_at(conversation, now_ms);
        store.set_watched(conversation, true);
    }

    pub fn stop_watching(&mut self, store: &mut impl PollStore, conversation: &str) {
        self.unwatch(conversation);
        store.set_watched(conversation, false);
    }

    /// Takes a tick, worked on a copy of this state while watches came and went, into the state and its store:
    /// the watermark and the read position, and what was read of the conversations still watched.
    pub fn take_tick(&mut self, store: &mut impl PollStore, mut tick: PollState, read: &[Delivery]) {
        self.watermark_s = tick.watermark_s;
        self.recent = std::mem::take(&mut tick.recent);
        self.resume = tick.resume.take();
        if let Some(w) = self.watermark_s {
            store.set_watermark(Some(w));
        }
        for delivery in read {
            if let (Some(slot), Some(seen)) =
                (self.watched.get_mut(&delivery.conversation), tick.watched.remove(&delivery.conversation))
            {
                store.set_seen(&delivery.conversation, seen.as_deref());
                *slot = seen;
            }
        }
    }

    pub fn watch(&mut self, conversation: &str) {
        self.watched.entry(conversation.to_owned()).or_insert(None);
    }

    /// [`PollState::watch`], for a conversation whose hub read the core at `now_ms`.
    pub fn watch_read_at(&mut self, conversation: &str, now_ms: i64) {
        if !self.watched.contains_key(conversation) {
            self.watched_since.push((conversation.to_owned(), now_ms));
        }
        self.watch(conversation);
    }

    pub fn unwatch(&mut self, conversation: &str) {
        self.watched.remove(conversation);
        self.watched_since.retain(|(c, _)| c != conversation);
    }
}

fn second_of(updated_at: &str) -> Option<i64> {
    convert::rfc3339_ms(updated_at).map(|ms| ms.div_euclid(1000))
}

/// One delta read. `last_updated_at` is inclusive and the watermark only moves by the core's own
/// timestamps, so a change in the watermark's second is never missed; the list is read newest first and
/// stops at the first conversation already listed unchanged, so an idle tick costs one request however
/// many conversations share that second. Messages are read only for changed conversations with a visitor.
pub async fn tick<T: Transport>(
    core: &CoreClient<T>,
    ids: &IdScope,
    state: &mut PollState,
    now_s: i64,
) -> Result<Vec<Delivery>, CoreError> {
    if state.watched.is_empty() {
        return Ok(Vec::new());
    }
    let mut pass = state.resume.take().unwrap_or_else(|| {
        let since_s = state.watermark_s.unwrap_or(now_s - FIRST_LOOKBACK_S);
        Resume { since_s, next_page: 1, newest_s: since_s, listed: BTreeMap::new() }
    });
    let mut deliveries = Vec::new();
    let mut finished = false;
    for _ in 0..MAX_PAGES {
        let page = conversations::changed_since(core, pass.since_s, pass.next_page).await?;
        pass.next_page += 1;
        let mut reached_known = false;
        for conversation in page.data {
            if state.recent.get(&conversation.id) == Some(&conversation.updated_at) {
                reached_known = true;
                break;
            }
            if let Some(second) = second_of(&conversation.updated_at) {
                pass.newest_s = pass.newest_s.max(second);
            }
            pass.listed.insert(conversation.id.clone(), conversation.updated_at.clone());
            if let Some(delivery) = read_if_watched(core, ids, state, conversation).await? {
                deliveries.push(delivery);
            }
        }
        if reached_known || !page.has_next {
            finished = true;
            break;
        }
    }
    if !finished {
        state.resume = Some(pass);
        return Ok(deliveries);
    }
    let newest = pass.newest_s;
    if state.watermark_s != Some(newest) {
        state.recent.clear();
    }
    state.recent.extend(pass.listed.into_iter().filter(|(_, at)| second_of(at) == Some(newest)));
    state.watermark_s = Some(newest);
    Ok(deliveries)
}

/// The newest messages and the status of a changed conversation, if a visitor is watching it and it changed
/// since it was last read.
async fn read_if_watched<T: Transport>(
    core: &CoreClient<T>,
    ids: &IdScope,
    state: &mut PollState,
    conversation: crate::core::relasi::types::Conversation,
) -> Result<Option<Delivery>, CoreError> {
    let read_by_hub = state
        .watched_since
        .iter()
        .position(|(c, _)| *c == conversation.id)
        .map(|i| state.watched_since.swap_remove(i).1);
    let Some(last_read) = state.watched.get_mut(&conversation.id) else {
        return Ok(None);
    };
    if last_read.as_deref() == Some(conversation.updated_at.as_str()) {
        return Ok(None);
    }
    // A conversation is listed once more after it starts being watched; if it has not changed since its hub
    // read the core, reading it again would cost one request per connected visitor.
    let changed_ms = convert::rfc3339_ms(&conversation.updated_at);
    if last_read.is_none() && read_by_hub.zip(changed_ms).is_some_and(|(read, changed)| changed < read - CLOCK_SKEW_MS)
    {
        *last_read = Some(conversation.updated_at);
        return Ok(None);
    }
    let newest = messages::newest(core, &conversation.id, MESSAGES_PER_READ).await?;
    let mut found = convert::messages_of(&conversation.id, newest, ids);
    found.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut inputs: Vec<Input> = found.into_iter().map(|message| Input::Message { message }).collect();
    inputs.push(Input::Conversation {
        status: ConversationStatus::from_core(&conversation.status),
        at_ms: convert::rfc3339_ms(&conversation.updated_at).unwrap_or(0),
    });
    *last_read = Some(conversation.updated_at);
    Ok(Some(Delivery { conversation: conversation.id, inputs }))
}
