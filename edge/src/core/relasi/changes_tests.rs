//! The delta-sync poller against a fake core that counts requests.

use std::cell::{Cell, RefCell};

use super::changes::{self as poller, PollState};
use crate::core::http::{CoreClient, CoreRequest, CoreResponse, Transport};
use crate::testing::block_on;

fn ids() -> crate::scope::IdScope {
    crate::scope::IdScope::new(&crate::config::Secret::new("s".into()))
}

/// A core with a fixed set of conversations; counts what it is asked.
struct FakeCore {
    conversations: Vec<(String, String)>,
    requests: Cell<usize>,
    paths: RefCell<Vec<String>>,
}

impl Transport for FakeCore {
    async fn send(&self, request: &CoreRequest) -> Result<CoreResponse, String> {
        self.requests.set(self.requests.get() + 1);
        self.paths.borrow_mut().push(request.path.clone());
        let param = |name: &str| -> Option<i64> {
            request.path.split(['?', '&']).find_map(|p| p.strip_prefix(&format!("{name}="))?.parse().ok())
        };
        let body = if request.path.starts_with("/conversations") {
            // Like the core: updated at or after `last_updated_at`, newest activity first, in pages.
            let since = param("last_updated_at").unwrap();
            let mut matching: Vec<&(String, String)> = self
                .conversations
                .iter()
                .filter(|(_, at)| crate::core::relasi::convert::rfc3339_ms(at).unwrap() / 1000 >= since)
                .collect();
            matching.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
            let (page, per_page) = (param("page").unwrap() as usize, param("per_page").unwrap() as usize);
            let data: Vec<String> = matching
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|(id, at)| format!(r#"{{"id":"{id}","status":"open","updated_at":"{at}"}}"#))
                .collect();
            format!(r#"{{"has_next":{},"data":[{}]}}"#, matching.len() > page * per_page, data.join(","))
        } else {
            let conversation = request.path.split(['?', '&']).find_map(|p| p.strip_prefix("conversation_id=")).unwrap();
            format!(
                r#"{{"has_next":false,"data":[{{"id":"m1","conversation_id":"{conversation}","direction":"out","text":"hi",
                "sender":{{"type":"agent"}},"status":"sent","created_at":"2026-11-24T10:00:00Z"}}]}}"#
            )
        };
        Ok(CoreResponse { status: 200, retry_after: None, body })
    }
    async fn sleep(&self, _: u64) {}
    fn now_ms(&self) -> u64 {
        0
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// Core requests for three ticks with `visitors` conversations watched, of which one changes.
fn poll_cost(visitors: usize) -> usize {
    let mut conversations: Vec<(String, String)> =
        (0..visitors).map(|i| (format!("cv_{i}"), "2026-11-24T09:00:00Z".to_owned())).collect();
    let mut state = PollState::default();
    for (id, _) in &conversations {
        state.watch(id);
    }
    let now_s = 1_795_512_600; // 2026-11-24T09:30:00Z: the 09:00 activity is older than the first look-back.
    let core = CoreClient::new(FakeCore {
        conversations: conversations.clone(),
        requests: Cell::new(0),
        paths: RefCell::default(),
    });
    assert!(block_on(poller::tick(&core, &ids(), &mut state, now_s)).unwrap().is_empty());
    // One visitor's conversation changes.
    conversations[0].1 = "2026-11-24T09:30:05Z".into();
    let core = CoreClient::new(FakeCore {
        conversations,
        requests: Cell::new(core.transport.requests.get()),
        paths: RefCell::default(),
    });
    let deliveries = block_on(poller::tick(&core, &ids(), &mut state, now_s + 5)).unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].conversation, "cv_0");
    // Nothing new: the same change is not read twice.
    let again = block_on(poller::tick(&core, &ids(), &mut state, now_s + 6)).unwrap();
    assert!(again.is_empty());
    core.transport.requests.get()
}

#[test]
fn poller_cost_does_not_grow_with_connected_visitors() {
    let one = poll_cost(1);
    let hundred = poll_cost(100);
    assert_eq!(one, hundred);
    // One delta read per tick (3) and one message read for the one change.
    assert_eq!(one, 4);
}

/// Core requests of the first tick after 100 visitors connect, each conversation changed 10 s before.
fn first_tick_after_connecting(hub_read_first: bool) -> usize {
    let now_s = 1_795_512_600; // 2026-11-24T09:30:00Z
    let conversations: Vec<(String, String)> =
        (0..100).map(|i| (format!("cv_{i}"), "2026-11-24T09:29:50Z".to_owned())).collect();
    let core = CoreClient::new(FakeCore { conversations, requests: Cell::new(0), paths: RefCell::default() });
    let mut state = PollState::default();
    for i in 0..100 {
        let id = format!("cv_{i}");
        if hub_read_first {
            state.watch_read_at(&id, now_s * 1000);
        } else {
            state.watch(&id);
        }
    }
    block_on(poller::tick(&core, &ids(), &mut state, now_s)).unwrap();
    core.transport.requests.get()
}

#[test]
fn the_first_sweep_after_visitors_connect_does_not_read_again_what_their_hubs_just_read() {
    assert_eq!(first_tick_after_connecting(true), 1, "one delta read, no message reads");
    assert_eq!(first_tick_after_connecting(false), 101, "without the hubs' reads each changed conversation is read");
    // A change after the hub's read is read.
    let mut state = PollState::default();
    state.watch_read_at("cv_1", 1_795_512_600_000);
    let core = CoreClient::new(FakeCore {
        conversations: vec![("cv_1".into(), "2026-11-24T09:30:07Z".into())],
        requests: Cell::new(0),
        paths: RefCell::default(),
    });
    assert_eq!(block_on(poller::tick(&core, &ids(), &mut state, 1_795_512_610)).unwrap().len(), 1);
}

#[test]
fn poller_is_idle_without_watchers_and_keeps_its_watermark_on_the_cores_clock() {
    let core = CoreClient::new(FakeCore {
        conversations: vec![("cv_1".into(), "2026-11-24T09:30:07Z".into())],
        requests: Cell::new(0),
        paths: RefCell::default(),
    });
    let mut state = PollState::default();
    assert!(block_on(poller::tick(&core, &ids(), &mut state, 0)).unwrap().is_empty());
    assert_eq!(core.transport.requests.get(), 0);
    state.watch("cv_1");
    block_on(poller::tick(&core, &ids(), &mut state, 1_795_512_600)).unwrap();
    assert_eq!(state.watermark_s, Some(1_795_512_607));
    assert!(core.transport.paths.borrow()[0].contains("last_updated_at=1795512540"));
}

fn fake(conversations: Vec<(String, String)>) -> CoreClient<FakeCore> {
    CoreClient::new(FakeCore { conversations, requests: Cell::new(0), paths: RefCell::default() })
}

fn many(n: usize, at: &str) -> Vec<(String, String)> {
    (0..n).map(|i| (format!("cv_{i:04}"), at.to_owned())).collect()
}

#[test]
fn a_burst_longer_than_one_tick_reads_is_continued_not_skipped() {
    let now_s = 1_795_512_600;
    let mut state = PollState::default();
    let burst = many(700, "2026-11-24T09:30:02Z");
    for (id, _) in &burst {
        state.watch(id);
    }
    let core = fake(burst);
    let first = block_on(poller::tick(&core, &ids(), &mut state, now_s + 5)).unwrap();
    assert_eq!(first.len(), poller::MAX_PAGES * 100);
    let second = block_on(poller::tick(&core, &ids(), &mut state, now_s + 6)).unwrap();
    assert_eq!(second.len(), 200, "the rest, on the next tick");
    let mut all: Vec<String> = first.into_iter().chain(second).map(|d| d.conversation).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 700, "every conversation once");
}

#[test]
fn an_idle_tick_is_one_request_however_many_conversations_share_the_watermark_second() {
    let now_s = 1_795_512_600;
    let mut state = PollState::default();
    state.watch("cv_0000");
    let core = fake(many(300, "2026-11-24T09:30:02Z"));
    block_on(poller::tick(&core, &ids(), &mut state, now_s + 5)).unwrap();
    let before = core.transport.requests.get();
    for i in 0..3 {
        assert!(block_on(poller::tick(&core, &ids(), &mut state, now_s + 6 + i)).unwrap().is_empty());
    }
    assert_eq!(core.transport.requests.get() - before, 3, "one list request per idle tick");
}

/// The poller's SQLite, in memory.
#[derive(Default)]
struct Kept {
    watched: std::collections::BTreeMap<String, Option<String>>,
    watermark: Option<i64>,
}

impl poller::PollStore for Kept {
    fn watched(&self) -> Vec<(String, Option<String>)> {
        self.watched.iter().map(|(c, seen)| (c.clone(), seen.clone())).collect()
    }
    fn watermark(&self) -> Option<i64> {
        self.watermark
    }
    fn set_watermark(&mut self, watermark_s: Option<i64>) {
        self.watermark = watermark_s;
    }
    fn set_watched(&mut self, conversation: &str, on: bool) {
        if on {
            self.watched.entry(conversation.to_owned()).or_insert(None);
        } else {
            self.watched.remove(conversation);
        }
    }
    fn set_seen(&mut self, conversation: &str, updated_at: Option<&str>) {
        if let Some(seen) = self.watched.get_mut(conversation) {
            *seen = updated_at.map(str::to_owned);
        }
    }
}

#[test]
fn a_poller_started_again_knows_what_it_watched_what_it_read_and_its_watermark() {
    let now_s = 1_795_512_600;
    let (mut kept, mut live) = (Kept::default(), PollState::default());
    live.start_watching(&mut kept, "cv_1", 0);
    let core = fake(vec![("cv_1".into(), "2026-11-24T09:30:07Z".into())]);
    let mut tick = live.clone();
    let read = block_on(poller::tick(&core, &ids(), &mut tick, now_s + 10)).unwrap();
    live.take_tick(&mut kept, tick, &read);

    let again = PollState::restore(&kept);
    assert_eq!(again.watermark_s, Some(1_795_512_607), "the core's own clock");
    assert_eq!(again.watched.get("cv_1"), Some(&Some("2026-11-24T09:30:07Z".to_owned())));
    // Nothing new: the restarted poller reads no messages again.
    let mut restarted = again.clone();
    assert!(block_on(poller::tick(&core, &ids(), &mut restarted, now_s + 11)).unwrap().is_empty());
}

#[test]
fn watches_that_come_and_go_during_a_tick_are_neither_lost_nor_undone() {
    let mut kept = Kept::default();
    let mut live = PollState::default();
    live.start_watching(&mut kept, "cv_1", 0);
    let core = fake(vec![("cv_1".into(), "2026-11-24T09:30:07Z".into())]);
    let mut tick = live.clone();
    let read = block_on(poller::tick(&core, &ids(), &mut tick, 1_795_512_610)).unwrap();
    assert_eq!(read.len(), 1);
    // While the core was being read, the visitor left and another came.
    live.stop_watching(&mut kept, "cv_1");
    live.start_watching(&mut kept, "cv_2", 0);
    live.take_tick(&mut kept, tick, &read);
    assert_eq!(live.watched.keys().collect::<Vec<_>>(), ["cv_2"]);
    assert_eq!(PollState::restore(&kept).watched.keys().collect::<Vec<_>>(), ["cv_2"], "cv_1 is not written back");
}

#[test]
fn after_a_pause_with_nobody_watching_the_next_read_starts_from_now() {
    let mut kept = Kept { watermark: Some(1_700_000_000), ..Kept::default() };
    let mut state = PollState::restore(&kept);
    state.start_watching(&mut kept, "cv_9", 0);
    assert_eq!((state.watermark_s, kept.watermark), (None, None), "not paging through the pause");
    state.start_watching(&mut kept, "cv_10", 0);
    state.watermark_s = Some(5);
    state.start_watching(&mut kept, "cv_11", 0);
    assert_eq!(state.watermark_s, Some(5), "kept while someone watches");
}
