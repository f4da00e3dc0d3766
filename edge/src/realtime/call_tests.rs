//! A hub's calls from the edge (`hub::apply_call`): which are recorded, ignored or dropped as duplicates.

use sapa_protocol::{AuthorKind, MessageStatus};

use super::hub::{self, HubMeta, HubStore, Input};
use super::tests::{hub, msg, Memory};
use super::{HubCall, Outcome};

fn call(delivery: Option<&str>, site: Option<&str>, id: &str) -> HubCall {
    HubCall {
        delivery: delivery.map(str::to_owned),
        site: site.map(str::to_owned),
        inputs: vec![Input::Message { message: msg(id, 10, AuthorKind::Agent, MessageStatus::Sent) }],
    }
}

#[test]
fn a_hub_of_a_configured_site_records_a_delivery_once() {
    let mut store = hub(true);
    let demo = |s: &str| s == "demo";
    let (outcome, events) = hub::apply_call(&mut store, call(Some("evt_1"), None, "m1"), demo, true, 1_000);
    assert_eq!((outcome, events.len()), (Outcome::Applied, 1));
    let (outcome, events) = hub::apply_call(&mut store, call(Some("evt_1"), None, "m1"), demo, true, 2_000);
    assert_eq!((outcome, events.len()), (Outcome::Duplicate, 0), "the same webhook delivery again");
    // The edge's own echo carries no delivery id: recorded (and deduplicated by the message itself).
    let (outcome, events) = hub::apply_call(&mut store, call(None, Some("demo"), "m1"), demo, true, 3_000);
    assert_eq!((outcome, events.len()), (Outcome::Applied, 0));
}

#[test]
fn inputs_for_a_hub_no_configured_site_owns_are_ignored_and_record_nothing() {
    // A webhook for a conversation the edge never opened: the hub has no site.
    let mut store = Memory::default();
    store.set_meta(&HubMeta { epoch: "ep".into(), ..HubMeta::default() });
    let (outcome, events) = hub::apply_call(&mut store, call(Some("evt_2"), None, "m2"), |_| true, true, 1_000);
    assert_eq!((outcome, events.len()), (Outcome::Ignored, 0));
    // A site removed from the configuration.
    let mut store = hub(true);
    let (outcome, _) = hub::apply_call(&mut store, call(Some("evt_3"), None, "m3"), |_| false, true, 1_000);
    assert_eq!(outcome, Outcome::Ignored);
    assert_eq!(store.meta().seq, 0, "nothing was logged");
}
