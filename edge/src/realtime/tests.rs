//! The hub's decisions over an in-memory store.

use std::collections::{BTreeMap, HashMap};

use sapa_protocol::{Author, AuthorKind, ClientId, ConversationStatus, Message, MessageId, MessageStatus, StreamEvent};

use super::hub::{self, CatchUp, HubMeta, HubStore, Input};

#[derive(Default)]
pub(super) struct Memory {
    meta: HubMeta,
    log: BTreeMap<u64, StreamEvent>,
    messages: HashMap<String, (u8, u64)>,
    deliveries: HashMap<String, i64>,
}

impl HubStore for Memory {
    fn meta(&self) -> HubMeta {
        self.meta.clone()
    }
    fn set_meta(&mut self, meta: &HubMeta) {
        self.meta = meta.clone();
    }
    fn append(&mut self, seq: u64, event: &StreamEvent) {
        self.log.insert(seq, event.clone());
    }
    fn events_after(&self, after: u64) -> Vec<StreamEvent> {
        self.log.range(after + 1..).map(|(_, e)| e.clone()).collect()
    }
    fn first_seq(&self) -> Option<u64> {
        self.log.keys().next().copied()
    }
    fn trim_before(&mut self, seq: u64) {
        self.log = self.log.split_off(&seq);
    }
    fn message(&self, id: &str, client_id: Option<&str>) -> Option<(u8, u64)> {
        self.messages.get(id).or_else(|| client_id.and_then(|c| self.messages.get(c))).copied()
    }
    fn set_message(&mut self, id: &str, client_id: Option<&str>, rank: u8, seq: u64) {
        let first = self.message(id, client_id).map_or(seq, |(_, s)| s);
        self.messages.insert(id.to_owned(), (rank, first));
        if let Some(c) = client_id {
            self.messages.insert(c.to_owned(), (rank, first));
        }
    }
    fn first_delivery(&mut self, id: &str, now_ms: i64) -> bool {
        self.deliveries.insert(id.to_owned(), now_ms).is_none()
    }
    fn clear(&mut self) {
        self.log.clear();
        self.messages.clear();
    }
}

pub(super) fn hub(webhooks: bool) -> Memory {
    let mut store = Memory { meta: HubMeta { epoch: "ep".into(), ..HubMeta::default() }, ..Memory::default() };
    hub::register(&mut store, "demo", true, webhooks);
    store
}

pub(super) fn msg(id: &str, at: i64, kind: AuthorKind, status: MessageStatus) -> Message {
    Message {
        id: MessageId(id.into()),
        client_id: (kind == AuthorKind::Visitor).then(|| ClientId(format!("client-{id}"))),
        author: Author { kind, name: None, avatar_url: None },
        text: id.into(),
        created_at: at,
        status,
        attachment: None,
    }
}

fn reply(id: &str, at: i64) -> Input {
    Input::Message { message: msg(id, at, AuthorKind::Agent, MessageStatus::Sent) }
}

pub(super) fn message_ids(events: &[StreamEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Message { message, .. } => Some(message.id.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_message_is_one_event_however_often_it_is_reported() {
    let mut store = hub(true);
    // The edge's echo of the visitor's message, then the core's webhook for the same message (matched by
    // the client id even before the core's id is known to be the same).
    let echo = msg("m1", 10, AuthorKind::Visitor, MessageStatus::Sent);
    let first = hub::ingest(&mut store, Input::Message { message: echo.clone() });
    assert!(matches!(first, Some(StreamEvent::Message { cursor: Some(ref c), .. }) if c == "ep.1"));
    let mut webhook = echo.clone();
    webhook.id = MessageId("core-m1".into());
    assert_eq!(webhook.client_id, echo.client_id, "only the client id ties the two copies together");
    assert_eq!(hub::ingest(&mut store, Input::Message { message: webhook }), None);
    assert_eq!(hub::ingest(&mut store, Input::Message { message: echo.clone() }), None);
    // Read, then a late "delivered": one status event, never a step back.
    let read = Message { status: MessageStatus::Read, ..echo.clone() };
    assert!(matches!(
        hub::ingest(&mut store, Input::Message { message: read }),
        Some(StreamEvent::Status { status: MessageStatus::Read, .. })
    ));
    let late = Message { status: MessageStatus::Delivered, ..echo };
    assert_eq!(hub::ingest(&mut store, Input::Message { message: late }), None);
    assert_eq!(store.meta.seq, 2);
}

#[test]
fn conversation_status_follows_the_cores_clock_not_arrival() {
    let mut store = hub(true);
    let reopened = Input::Conversation { status: ConversationStatus::Open, at_ms: 2_000 };
    let resolved = Input::Conversation { status: ConversationStatus::Resolved, at_ms: 1_000 };
    assert!(hub::ingest(&mut store, reopened.clone()).is_some());
    assert_eq!(hub::ingest(&mut store, resolved), None, "an older change arriving late is dropped");
    assert_eq!(hub::ingest(&mut store, reopened), None);
}

#[test]
fn a_reconnecting_widget_gets_exactly_what_followed_its_cursor() {
    let mut store = hub(true);
    hub::ingest(&mut store, reply("a", 1));
    hub::ingest(&mut store, reply("b", 2));
    hub::ingest(&mut store, reply("c", 3));
    let CatchUp::Log(events) = hub::catch_up(&store, Some("ep.1")) else { panic!("from the log") };
    assert_eq!(message_ids(&events), ["b", "c"]);
    assert_eq!(events.last(), Some(&StreamEvent::Ready { cursor: "ep.3".into() }));
    // A fresh widget (no cursor) gets everything; an up-to-date one only `ready`.
    let CatchUp::Log(all) = hub::catch_up(&store, None) else { panic!("from the log") };
    assert_eq!(message_ids(&all), ["a", "b", "c"]);
    let CatchUp::Log(none) = hub::catch_up(&store, Some("ep.3")) else { panic!("from the log") };
    assert_eq!(none, vec![StreamEvent::Ready { cursor: "ep.3".into() }]);
}

#[test]
fn catch_up_is_oldest_first_by_the_cores_clock_not_by_arrival() {
    let mut store = hub(true);
    hub::ingest(&mut store, reply("one", 1));
    // The core wrote "two" before "three", but their webhooks arrived the other way round.
    hub::ingest(&mut store, reply("three", 3));
    hub::ingest(&mut store, reply("two", 2));
    let CatchUp::Log(events) = hub::catch_up(&store, Some("ep.1")) else { panic!("from the log") };
    assert_eq!(message_ids(&events), ["two", "three"]);
    assert_eq!(
        events.last(),
        Some(&StreamEvent::Ready { cursor: "ep.3".into() }),
        "ready still carries the newest cursor"
    );
}

#[test]
fn foreign_future_or_trimmed_cursors_go_to_the_core() {
    let mut store = hub(true);
    for i in 0..(hub::LOG_KEEP + 10) {
        hub::ingest(&mut store, reply(&format!("m{i}"), i as i64));
    }
    assert_eq!(store.log.len() as u64, hub::LOG_KEEP);
    let seq = store.meta.seq;
    assert_eq!(hub::catch_up(&store, Some("ep.2")), CatchUp::Core { since: seq, known_up_to: Some(2) }, "trimmed away");
    assert!(matches!(hub::catch_up(&store, Some(&format!("ep.{}", seq - 5))), CatchUp::Log(_)));
    let core = CatchUp::Core { since: seq, known_up_to: None };
    assert_eq!(hub::catch_up(&store, Some("other.5")), core, "another epoch");
    assert_eq!(hub::catch_up(&store, Some(&format!("ep.{}", seq + 1))), core, "from the future");
    assert_eq!(hub::catch_up(&store, Some("garbage")), core);
    assert_eq!(hub::catch_up(&store, None), core, "the start was trimmed");
}

#[test]
fn catch_up_from_the_core_sends_each_message_once_then_the_log_takes_over() {
    // Without webhooks, a hub nobody watched may have missed replies.
    let mut store = hub(false);
    hub::ingest(&mut store, reply("a", 1));
    let CatchUp::Core { since, known_up_to } = hub::catch_up(&store, Some("ep.1")) else {
        panic!("poll mode starts from the core")
    };
    assert_eq!(known_up_to, Some(1));
    // While the core is read, a reply arrives through the poller.
    hub::ingest(&mut store, reply("c", 3));
    let core = vec![reply_msg("c", 3), reply_msg("b", 2), reply_msg("a", 1)];
    let (events, fresh) = hub::after_core(&mut store, since, known_up_to, core.clone());
    assert_eq!(message_ids(&events), ["b", "c"], "what followed the cursor, oldest first, no repeats");
    assert_eq!(message_ids(&fresh), ["b"], "only what the hub had missed is news for others");
    assert_eq!(events.last(), Some(&StreamEvent::Ready { cursor: "ep.3".into() }));
    // The next reconnect is served from the log until everyone leaves.
    assert!(matches!(hub::catch_up(&store, Some("ep.3")), CatchUp::Log(_)));
    hub::all_left(&mut store, false);
    assert!(matches!(hub::catch_up(&store, Some("ep.3")), CatchUp::Core { .. }));
    // A widget without a cursor (a new device) gets the whole conversation.
    let (events, _) = hub::after_core(&mut store, 3, None, core);
    assert_eq!(message_ids(&events), ["a", "b", "c"]);
}

fn reply_msg(id: &str, at: i64) -> Message {
    msg(id, at, AuthorKind::Agent, MessageStatus::Sent)
}

#[test]
fn webhook_mode_logs_stay_complete_when_everyone_leaves() {
    let mut store = hub(true);
    hub::ingest(&mut store, reply("a", 1));
    hub::all_left(&mut store, true);
    assert!(matches!(hub::catch_up(&store, Some("ep.0")), CatchUp::Log(_)));
    // A conversation registered later (opened before this edge had hubs) starts from the core.
    let mut old = Memory { meta: HubMeta { epoch: "ep".into(), ..HubMeta::default() }, ..Memory::default() };
    hub::register(&mut old, "demo", false, true);
    assert!(matches!(hub::catch_up(&old, None), CatchUp::Core { .. }));
}
