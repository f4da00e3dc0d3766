//! The hub reconciled with the core: webhooks that never came, reads that reach back far enough or not, and
//! a hub whose conversation id was handed out again.

use sapa_protocol::{AuthorKind, MessageStatus, StreamEvent};

use super::hub::{self, CatchUp, HubStore, Input, RECONCILE_MARGIN_MS};
use super::tests::{hub, message_ids, msg};

fn reply(id: &str, at: i64) -> sapa_protocol::Message {
    msg(id, at, AuthorKind::Agent, MessageStatus::Sent)
}

#[test]
fn a_reply_whose_webhook_never_came_reaches_the_widget_after_the_next_read() {
    let mut store = hub(true);
    hub::ingest(&mut store, Input::Message { message: reply("a", 1_000) });
    // "b" and "c" were written while the edge was unreachable; their webhooks were given up on.
    let fresh = hub::reconciled(&mut store, vec![reply("c", 3_000), reply("b", 2_000), reply("a", 1_000)], true);
    assert_eq!(message_ids(&fresh), ["b", "c"], "only what the log lacked, oldest first");
    // A widget that had seen "a" gets exactly the two, once each, in order.
    let CatchUp::Log(events) = hub::catch_up(&store, Some("ep.1")) else { panic!("the log serves it") };
    assert_eq!(message_ids(&events), ["b", "c"]);
    assert!(matches!(events.last(), Some(StreamEvent::Ready { .. })));
    // A second read of the same messages adds nothing.
    assert!(hub::reconciled(&mut store, vec![reply("b", 2_000), reply("c", 3_000)], true).is_empty());
}

#[test]
fn the_next_read_reaches_back_to_the_last_complete_one_less_a_margin() {
    let mut store = hub(true);
    assert_eq!(hub::reconcile_from(&store.meta()), None, "never read: as far as the pages go");
    hub::reconciled(&mut store, vec![reply("a", 50_000), reply("b", 90_000)], true);
    assert_eq!(hub::reconcile_from(&store.meta()), Some(90_000 - RECONCILE_MARGIN_MS));
    // A webhook moves nothing: only reads from the core vouch for completeness.
    hub::ingest(&mut store, Input::Message { message: reply("c", 500_000) });
    assert_eq!(hub::reconcile_from(&store.meta()), Some(90_000 - RECONCILE_MARGIN_MS));
}

#[test]
fn a_read_that_could_not_reach_back_leaves_the_log_untrusted() {
    let mut store = hub(true);
    hub::reconciled(&mut store, vec![reply("a", 1_000)], true);
    hub::reconciled(&mut store, vec![reply("z", 9_000_000)], false);
    assert_eq!(store.meta().live_since, None);
    assert_eq!(hub::reconcile_from(&store.meta()), Some(1_000 - RECONCILE_MARGIN_MS), "the watermark waits");
    assert!(matches!(hub::catch_up(&store, Some("ep.1")), CatchUp::Core { .. }), "a widget is served from the core");
}

#[test]
fn a_hub_claimed_by_another_session_forgets_the_earlier_conversation() {
    let mut store = hub(true);
    assert!(!hub::claim(&mut store, "sapa1.s.first", "ep2".into()));
    hub::ingest(&mut store, Input::Message { message: reply("theirs", 1_000) });
    assert!(!hub::claim(&mut store, "sapa1.s.first", "ep3".into()), "a retry of the same session keeps the log");
    assert_eq!(store.meta().seq, 1);
    assert!(hub::claim(&mut store, "sapa1.s.second", "ep4".into()));
    let meta = store.meta();
    assert_eq!((meta.epoch.as_str(), meta.seq, meta.site.as_deref()), ("ep4", 0, None));
    assert!(store.events_after(0).is_empty() && store.message("theirs", None).is_none());
    assert!(hub::owned_by(&meta, Some("sapa1.s.second")));
    assert!(!hub::owned_by(&meta, Some("sapa1.s.first")), "the first session's token may not read it");
    assert!(!hub::owned_by(&meta, None), "a token naming no owner is not this owner's");
    assert!(hub::owned_by(&hub(true).meta(), None), "hubs and tokens from before owners were recorded");
}

#[test]
fn an_unowned_hub_that_already_has_a_log_is_wiped_when_a_session_claims_it() {
    let mut store = hub(true);
    hub::ingest(&mut store, Input::Message { message: reply("older", 1_000) });
    assert!(hub::claim(&mut store, "sapa1.s.new", "ep2".into()), "the log cannot be this new conversation's");
    assert!(store.events_after(0).is_empty());
}
