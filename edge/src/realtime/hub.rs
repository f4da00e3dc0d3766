//! One conversation's hub: turns what the core and the edge report into numbered events, once each, and
//! answers a reconnecting widget with exactly what it missed. The Durable Object at the rim stores this
//! state in SQLite and holds the sockets; this module decides.

use sapa_protocol::{AuthorKind, ConversationStatus, Message, StreamEvent};
use serde::{Deserialize, Serialize};

/// Events kept in the hub's log. A widget further behind than this catches up from the core.
pub const LOG_KEEP: u64 = 500;
/// A read from the core reaches back this far before the last complete one: messages the core dates a little
/// earlier than others it had already answered (clock skew, commit order) are still found.
pub const RECONCILE_MARGIN_MS: i64 = 60_000;

/// Something that happened in the conversation, from a webhook, the poller, or the edge's own echo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // short-lived, a few at a time
pub enum Input {
    /// A message as it is now: new, or known with a (possibly) newer status.
    Message { message: Message },
    /// The conversation's status as of `at_ms` (the core's `updated_at`).
    Conversation { status: ConversationStatus, at_ms: i64 },
}

/// What the hub keeps besides its log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HubMeta {
    /// Made when the hub's storage is first written; a cursor from another epoch is not ours.
    pub epoch: String,
    /// The last event's number.
    pub seq: u64,
    /// The site of a conversation this edge opened. Hubs without one ignore the core's events.
    pub site: Option<String>,
    /// From this event on, the log has everything; before it (or when `None`) it may have gaps.
    pub live_since: Option<u64>,
    pub status: Option<ConversationStatus>,
    pub status_at_ms: i64,
    /// The session that owns the conversation (its scoped core id, which carries no secret).
    #[serde(default)]
    pub owner: Option<String>,
    /// Every message the core dated at or before this (UNIX ms, the core's clock) has been read into the log:
    /// the newest `created_at` of the last read from the core that reached back far enough.
    #[serde(default)]
    pub reconciled_ms: Option<i64>,
    /// The log is the conversation's only record (a platform that gives no history back): never trimmed.
    #[serde(default)]
    pub keep_all: bool,
    /// Who the visitor is, until their first message is logged (it carried it to the platform:
    /// `realtime::claims`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::core::Profile>,
    /// Visitors' writes being sent right now, each with when its claim lapses (`realtime::claims`). Kept with
    /// the meta, so a hub evicted or restarted mid-send still holds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<(String, i64)>,
}

/// The hub's storage. Synchronous, like Durable Object SQLite, so nothing interleaves with a decision.
pub trait HubStore {
    fn meta(&self) -> HubMeta;
    fn set_meta(&mut self, meta: &HubMeta);
    fn append(&mut self, seq: u64, event: &StreamEvent);
    /// Logged events numbered after `after`, oldest first.
    fn events_after(&self, after: u64) -> Vec<StreamEvent>;
    /// The oldest event still logged.
    fn first_seq(&self) -> Option<u64>;
    fn trim_before(&mut self, seq: u64);
    /// A known message's status rank and the event that first told of it, found by its id or by the
    /// visitor's client id.
    fn message(&self, id: &str, client_id: Option<&str>) -> Option<(u8, u64)>;
    /// Records a message's rank; `seq` is kept from the first time it was recorded.
    fn set_message(&mut self, id: &str, client_id: Option<&str>, rank: u8, seq: u64);
    /// Remembers a webhook delivery id; `false` when it was already remembered.
    fn first_delivery(&mut self, id: &str, now_ms: i64) -> bool;
    /// Forgets every event and message (the meta is set again by the caller).
    fn clear(&mut self);
}

pub fn cursor(epoch: &str, seq: u64) -> String {
    format!("{epoch}.{seq}")
}

/// `<epoch>.<seq>` back into its parts.
pub fn parse_cursor(cursor: &str) -> Option<(&str, u64)> {
    let (epoch, seq) = cursor.rsplit_once('.')?;
    Some((epoch, seq.parse().ok()?))
}

/// Ties the hub to a site (once). A conversation the edge has just opened has no history yet, so with
/// webhooks its log is complete from the first event.
pub fn register<S: HubStore>(store: &mut S, site: &str, brand_new: bool, webhooks: bool) {
    let mut meta = store.meta();
    if meta.site.is_some() {
        return;
    }
    meta.site = Some(site.to_owned());
    if brand_new && webhooks && meta.seq == 0 {
        meta.live_since = Some(0);
    }
    store.set_meta(&meta);
}

/// Ties the hub to the session that owns its conversation. A hub another session already owns holds the log
/// of an earlier conversation with the same id (a core that reused it, such as a simulator started afresh):
/// that log is wiped under a new epoch, so no widget is ever served another conversation's events. `true`
/// when it was wiped.
pub fn claim<S: HubStore>(store: &mut S, owner: &str, new_epoch: String) -> bool {
    let meta = store.meta();
    match meta.owner.as_deref() {
        Some(current) if current == owner => false,
        // A new conversation's hub is empty when its session registers it.
        None if meta.seq == 0 => {
            store.set_meta(&HubMeta { owner: Some(owner.to_owned()), ..meta });
            false
        }
        _ => {
            store.clear();
            store.set_meta(&HubMeta { epoch: new_epoch, owner: Some(owner.to_owned()), ..HubMeta::default() });
            true
        }
    }
}

/// Whether a token naming `owner` may use this hub. Hubs from before owners were recorded have none, and
/// neither do their tokens; a hub with an owner serves only that owner's tokens.
pub fn owned_by(meta: &HubMeta, owner: Option<&str>) -> bool {
    match (meta.owner.as_deref(), owner) {
        (Some(hub), token) => token == Some(hub),
        (None, _) => true,
    }
}

/// Where a read from the core must reach back to for the log to be complete again: messages dated at or
/// after this (UNIX ms), or as far back as the read goes (`None`) when the core has never been read.
pub fn reconcile_from(meta: &HubMeta) -> Option<i64> {
    meta.reconciled_ms.map(|ms| ms - RECONCILE_MARGIN_MS)
}

/// Records a read of the core's newest messages: each one the log lacks becomes an event (oldest first), so a
/// message whose webhook never came reaches every widget. `reached` says the read went back as far as
/// [`reconcile_from`] asked; if not, older gaps may remain and the log is no longer trusted. Returns the events
/// to push.
pub fn reconciled<S: HubStore>(store: &mut S, mut found: Vec<Message>, reached: bool) -> Vec<StreamEvent> {
    found.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let newest = found.iter().map(|m| m.created_at).max().unwrap_or(0);
    let events = found.into_iter().filter_map(|message| ingest(store, Input::Message { message })).collect();
    let mut meta = store.meta();
    if reached {
        meta.reconciled_ms = Some(meta.reconciled_ms.unwrap_or(0).max(newest));
    } else {
        meta.live_since = None;
    }
    store.set_meta(&meta);
    events
}

/// One call from the edge (`HubCall`): a site the edge vouches for registers the hub; inputs for a hub of no
/// configured site are ignored, a webhook delivery seen before is a duplicate, and anything else is recorded.
/// Returns the outcome and the events to push.
pub fn apply_call<S: HubStore>(
    store: &mut S,
    call: super::HubCall,
    site_known: impl Fn(&str) -> bool,
    webhooks: bool,
    now_ms: i64,
) -> (super::Outcome, Vec<StreamEvent>) {
    if let Some(site) = &call.site {
        register(store, site, false, webhooks);
    }
    if !store.meta().site.is_some_and(|s| site_known(&s)) {
        return (super::Outcome::Ignored, Vec::new());
    }
    if call.delivery.as_deref().is_some_and(|d| !store.first_delivery(d, now_ms)) {
        return (super::Outcome::Duplicate, Vec::new());
    }
    let events = call.inputs.into_iter().filter_map(|i| ingest(store, i)).collect();
    (super::Outcome::Applied, events)
}

/// Records one input and returns the event to push, if it tells the widget anything new.
pub fn ingest<S: HubStore>(store: &mut S, input: Input) -> Option<StreamEvent> {
    let mut meta = store.meta();
    let seq = meta.seq + 1;
    let at = cursor(&meta.epoch, seq);
    let event = match input {
        Input::Message { message } => {
            let new_rank = message.status.rank();
            let client_id = message.client_id.as_ref().map(|c| c.as_str());
            match store.message(message.id.as_str(), client_id) {
                Some((known, _)) if new_rank <= known => return None,
                Some(_) => {
                    store.set_message(message.id.as_str(), client_id, new_rank, seq);
                    StreamEvent::Status { cursor: at, message_id: message.id, status: message.status }
                }
                None => {
                    store.set_message(message.id.as_str(), client_id, new_rank, seq);
                    // The visitor's first message took their profile to the platform: the hub keeps no copy.
                    if message.author.kind == AuthorKind::Visitor {
                        meta.profile = None;
                    }
                    StreamEvent::Message { cursor: Some(at), message }
                }
            }
        }
        Input::Conversation { status, at_ms } => {
            if at_ms < meta.status_at_ms || meta.status == Some(status) {
                return None;
            }
            meta.status = Some(status);
            meta.status_at_ms = at_ms;
            StreamEvent::Conversation { cursor: at, status }
        }
    };
    meta.seq = seq;
    store.append(seq, &event);
    if seq > LOG_KEEP && !meta.keep_all {
        store.trim_before(seq - LOG_KEEP + 1);
    }
    store.set_meta(&meta);
    Some(event)
}

/// How a connecting widget catches up.
#[derive(Debug, PartialEq)]
pub enum CatchUp {
    /// Everything it missed is in the log: these events, ending with `ready`.
    Log(Vec<StreamEvent>),
    /// The log does not reach back (or may have gaps): read the core's messages, then call [`after_core`]
    /// with these. `known_up_to`: the widget's place in this hub's numbering, when it has one.
    Core { since: u64, known_up_to: Option<u64> },
}

/// A catch-up batch with its messages oldest first by the core's clock (`created_at`, then id), not in the
/// order their webhooks happened to arrive; status and conversation events follow in their logged order.
/// Cursors inside the batch may then step back, which is harmless: the batch ends with `ready` and the
/// newest cursor, and a widget cut off before it resumes from an earlier one and merges by id.
fn oldest_first(events: Vec<StreamEvent>) -> Vec<StreamEvent> {
    let (mut messages, others): (Vec<_>, Vec<_>) =
        events.into_iter().partition(|e| matches!(e, StreamEvent::Message { .. }));
    messages.sort_by(|a, b| match (a, b) {
        (StreamEvent::Message { message: a, .. }, StreamEvent::Message { message: b, .. }) => {
            a.order_key().cmp(&b.order_key())
        }
        _ => std::cmp::Ordering::Equal,
    });
    messages.extend(others);
    messages
}

/// Decides where a widget standing at `cursor` (none: a fresh widget) catches up from.
pub fn catch_up<S: HubStore>(store: &S, cursor_in: Option<&str>) -> CatchUp {
    let meta = store.meta();
    let after = match cursor_in {
        None => Some(0),
        Some(c) => parse_cursor(c).filter(|(epoch, seq)| *epoch == meta.epoch && *seq <= meta.seq).map(|(_, seq)| seq),
    };
    let known_up_to = after.filter(|_| cursor_in.is_some());
    let reaches_back = |after: u64| store.first_seq().is_none_or(|first| first <= after + 1);
    match (after, meta.live_since) {
        (Some(after), Some(live)) if after >= live && reaches_back(after) => {
            let mut events = oldest_first(store.events_after(after));
            events.push(StreamEvent::Ready { cursor: cursor(&meta.epoch, meta.seq) });
            CatchUp::Log(events)
        }
        _ => CatchUp::Core { since: meta.seq, known_up_to },
    }
}

/// Catch-up from the core's messages (`core`, any order). Each is recorded, so other widgets hear of any
/// the hub had missed. The widget gets, oldest first, the messages it cannot have (not logged by its
/// cursor), then what was logged since `since` that it has not just been sent, then `ready`. From here
/// on the log is complete. Returns the widget's events and the new events for everyone else.
pub fn after_core<S: HubStore>(
    store: &mut S,
    since: u64,
    known_up_to: Option<u64>,
    mut core: Vec<Message>,
) -> (Vec<StreamEvent>, Vec<StreamEvent>) {
    core.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let has = |store: &S, m: &Message| {
        let client_id = m.client_id.as_ref().map(|c| c.as_str());
        known_up_to.is_some_and(|k| store.message(m.id.as_str(), client_id).is_some_and(|(_, seq)| seq <= k))
    };
    let missing: Vec<Message> = core.iter().filter(|m| !has(store, m)).cloned().collect();
    let fresh: Vec<StreamEvent> =
        core.into_iter().filter_map(|message| ingest(store, Input::Message { message })).collect();
    let sent = |id: &str| missing.iter().any(|m| m.id.as_str() == id);
    let mut meta = store.meta();
    let mut events: Vec<StreamEvent> =
        missing.iter().map(|m| StreamEvent::Message { cursor: None, message: m.clone() }).collect();
    events.extend(store.events_after(since).into_iter().filter(|e| match e {
        StreamEvent::Message { message, .. } => !sent(message.id.as_str()),
        StreamEvent::Status { message_id, .. } => !sent(message_id.as_str()),
        _ => true,
    }));
    let mut events = oldest_first(events);
    let now = cursor(&meta.epoch, meta.seq);
    // A status change the widget missed may be older than the log reaches.
    if let Some(status) = meta.status.filter(|_| !events.iter().any(|e| matches!(e, StreamEvent::Conversation { .. })))
    {
        events.push(StreamEvent::Conversation { cursor: now.clone(), status });
    }
    events.push(StreamEvent::Ready { cursor: now });
    if meta.live_since.is_none() {
        meta.live_since = Some(since);
        store.set_meta(&meta);
    }
    (events, fresh)
}

/// Makes the log the conversation's whole record, for a platform that pushes every reply to the edge and
/// gives no history back: everything it holds came through the edge, so it is complete from the start, and
/// nothing is trimmed from it again.
pub fn keep_everything<S: HubStore>(store: &mut S) {
    let mut meta = store.meta();
    if !meta.keep_all {
        meta.keep_all = true;
        meta.live_since = Some(0);
        store.set_meta(&meta);
    }
}

/// Catch-up from a log that is the whole record: what follows the widget's cursor, or everything when the
/// cursor is not this log's.
pub fn catch_up_from_log<S: HubStore>(store: &S, cursor_in: Option<&str>) -> Vec<StreamEvent> {
    match catch_up(store, cursor_in) {
        CatchUp::Log(events) => events,
        CatchUp::Core { .. } => match catch_up(store, None) {
            CatchUp::Log(events) => events,
            CatchUp::Core { .. } => vec![StreamEvent::Ready { cursor: cursor(&store.meta().epoch, store.meta().seq) }],
        },
    }
}

/// Every logged message, oldest first, each with the newest status logged for it.
pub fn thread<S: HubStore>(store: &S) -> Vec<Message> {
    let mut messages: Vec<Message> = Vec::new();
    for event in store.events_after(0) {
        match event {
            StreamEvent::Message { message, .. } => messages.push(message),
            StreamEvent::Status { message_id, status, .. } => {
                messages.iter_mut().filter(|m| m.id == message_id).for_each(|m| m.status = status)
            }
            _ => {}
        }
    }
    messages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    messages
}

/// The logged message a visitor's write was recorded as, if any, with the newest status logged for it: read
/// from the event that first told of it on, not the whole log.
pub fn logged<S: HubStore>(store: &S, client_id: &str) -> Option<Message> {
    let (_, seq) = store.message("", Some(client_id))?;
    let mut found: Option<Message> = None;
    for event in store.events_after(seq.saturating_sub(1)) {
        match (event, &mut found) {
            (StreamEvent::Message { message, .. }, None)
                if message.client_id.as_ref().is_some_and(|c| c.as_str() == client_id) =>
            {
                found = Some(message)
            }
            (StreamEvent::Status { message_id, status, .. }, Some(m)) if m.id == message_id => m.status = status,
            _ => {}
        }
    }
    found
}

/// The last widget left. Without webhooks nothing reports to the hub until one returns, so the log stops
/// being complete.
pub fn all_left<S: HubStore>(store: &mut S, webhooks: bool) {
    let mut meta = store.meta();
    if !webhooks && meta.live_since.is_some() {
        meta.live_since = None;
        store.set_meta(&meta);
    }
}
