//! A hub whose log is a conversation's whole record (a platform that gives no history back): kept in full,
//! caught up from the log alone, and read back as the thread.

use sapa_protocol::{AuthorKind, MessageStatus, StreamEvent};

use super::hub::{self, HubStore, Input, LOG_KEEP};
use super::tests::{hub, msg};

fn visitor(id: &str, at: i64) -> Input {
    Input::Message { message: msg(id, at, AuthorKind::Visitor, MessageStatus::Sent) }
}

#[test]
fn a_log_that_is_the_record_is_never_trimmed_and_is_read_back_as_the_thread() {
    let mut store = hub(false);
    hub::keep_everything(&mut store);
    for i in 0..LOG_KEEP + 20 {
        hub::ingest(&mut store, visitor(&format!("m{i}"), i as i64));
    }
    assert_eq!(store.first_seq(), Some(1), "nothing trimmed");
    let thread = hub::thread(&store);
    assert_eq!(thread.len() as u64, LOG_KEEP + 20);
    assert_eq!(thread[0].id.as_str(), "m0", "oldest first");

    // A status that moved on is the thread's, and a write is found by its client id.
    let read = msg("m3", 3, AuthorKind::Visitor, MessageStatus::Read);
    hub::ingest(&mut store, Input::Message { message: read });
    assert_eq!(hub::logged(&store, "client-m3").map(|m| m.status), Some(MessageStatus::Read));
    assert!(hub::logged(&store, "client-nope").is_none());
}

#[test]
fn a_widget_of_a_log_that_is_the_record_is_caught_up_from_it_whatever_its_cursor() {
    let mut store = hub(false);
    hub::keep_everything(&mut store);
    hub::ingest(&mut store, visitor("m1", 1));
    hub::ingest(&mut store, visitor("m2", 2));
    let ids = |events: &[StreamEvent]| {
        events
            .iter()
            .filter_map(|e| match e {
                StreamEvent::Message { message, .. } => Some(message.id.as_str().to_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let fresh = hub::catch_up_from_log(&store, None);
    assert_eq!(ids(&fresh), ["m1", "m2"]);
    assert!(matches!(fresh.last(), Some(StreamEvent::Ready { .. })));
    let after_one = hub::catch_up_from_log(&store, Some(&hub::cursor(&store.meta().epoch, 1)));
    assert_eq!(ids(&after_one), ["m2"]);
    let foreign = hub::catch_up_from_log(&store, Some("another-epoch.7"));
    assert_eq!(ids(&foreign), ["m1", "m2"], "a cursor not this log's gets everything");
}
