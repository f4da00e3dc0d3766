//! Claims on visitors' writes in flight, for a platform that cannot find a write again by its id (respond.io):
//! two requests with one client id at once (two tabs, a retry while the first is still out) must not both post.
//! The hub holds the claims, in its storage: it is the one place every request for the conversation passes, one
//! at a time. A claim ends when its request releases it after a failed send, or when it lapses; a recorded write
//! needs none, since the log answers it. The visitor's profile waits here too, for their first message.

use sapa_protocol::{AuthorKind, StreamEvent};

use super::hub::{self, HubStore};
pub use crate::core::Claim;
use crate::core::Profile;

/// Longer than one send with all its retries; a request that died mid-send holds the id no longer than this.
pub const CLAIM_MS: i64 = 30_000;

/// Claims `client_id` for one request, unless the log has the write or a live claim holds it. The claim is
/// written to the hub's storage before the answer, so it holds even if the hub is evicted mid-send.
pub fn claim<S: HubStore>(store: &mut S, client_id: &str, now_ms: i64) -> Claim {
    if let Some(message) = hub::logged(store, client_id) {
        return Claim::Recorded(Box::new(message));
    }
    let mut meta = store.meta();
    meta.claims.retain(|(_, until)| *until > now_ms);
    let claim = if meta.claims.iter().any(|(id, _)| id == client_id) {
        Claim::Busy
    } else {
        meta.claims.push((client_id.to_owned(), now_ms + CLAIM_MS));
        // Only until the visitor's first message is logged (`hub::ingest` forgets it then).
        Claim::Yours(meta.profile.clone())
    };
    store.set_meta(&meta);
    claim
}

/// Ends a claim whose send failed, so the visitor's retry may send at once.
pub fn release<S: HubStore>(store: &mut S, client_id: &str) {
    let mut meta = store.meta();
    let held = meta.claims.len();
    meta.claims.retain(|(id, _)| id != client_id);
    if meta.claims.len() != held {
        store.set_meta(&meta);
    }
}

/// Keeps who the visitor is for the platform's first message, unless they have written already (a session
/// opened again says it again).
pub fn introduce<S: HubStore>(store: &mut S, profile: Profile) {
    let spoke = store
        .events_after(0)
        .iter()
        .any(|e| matches!(e, StreamEvent::Message { message, .. } if message.author.kind == AuthorKind::Visitor));
    if !spoke {
        let mut meta = store.meta();
        meta.profile = Some(profile);
        store.set_meta(&meta);
    }
}

#[cfg(test)]
mod tests {
    use sapa_protocol::{AuthorKind, MessageStatus};

    use super::*;
    use crate::realtime::hub::Input;
    use crate::realtime::tests::{hub, msg};

    #[test]
    fn two_tabs_sending_one_unsent_message_post_it_once() {
        let mut store = hub(false);
        assert_eq!(claim(&mut store, "client-m1", 0), Claim::Yours(None));
        assert_eq!(claim(&mut store, "client-m1", 10), Claim::Busy, "the second tab waits");
        assert_eq!(claim(&mut store, "client-m2", 10), Claim::Yours(None), "other writes are not held up");
        assert_eq!(store.meta().claims.len(), 2, "in the hub's storage: a restarted hub still holds them");

        hub::ingest(&mut store, Input::Message { message: msg("m1", 5, AuthorKind::Visitor, MessageStatus::Sent) });
        match claim(&mut store, "client-m1", 20) {
            Claim::Recorded(message) => assert_eq!(message.id.as_str(), "m1"),
            other => panic!("the log answers a recorded write, got {other:?}"),
        }
    }

    #[test]
    fn a_failed_send_releases_its_claim_and_a_dead_one_lapses() {
        let mut store = hub(false);
        assert_eq!(claim(&mut store, "client-a", 0), Claim::Yours(None));
        release(&mut store, "client-a");
        assert_eq!(claim(&mut store, "client-a", 1), Claim::Yours(None), "the retry sends at once");

        assert_eq!(claim(&mut store, "client-b", 0), Claim::Yours(None));
        assert_eq!(claim(&mut store, "client-b", CLAIM_MS - 1), Claim::Busy);
        assert_eq!(
            claim(&mut store, "client-b", CLAIM_MS),
            Claim::Yours(None),
            "a request that died holds it no longer"
        );
    }

    #[test]
    fn the_visitors_name_goes_with_their_first_message_only() {
        let mut store = hub(false);
        let siti = Profile { name: Some("Siti Rahma".into()), email: Some("siti@example.com".into()) };
        introduce(&mut store, siti.clone());
        assert_eq!(claim(&mut store, "client-m1", 0), Claim::Yours(Some(siti.clone())));
        release(&mut store, "client-m1");
        assert_eq!(claim(&mut store, "client-m1", 1), Claim::Yours(Some(siti)), "a retry of the first one too");

        hub::ingest(&mut store, Input::Message { message: msg("m1", 5, AuthorKind::Visitor, MessageStatus::Sent) });
        assert_eq!(store.meta().profile, None, "forgotten once the first message is logged");
        assert_eq!(claim(&mut store, "client-m2", 10), Claim::Yours(None));
        introduce(&mut store, Profile { name: Some("Siti".into()), email: None });
        assert_eq!(store.meta().profile, None, "a session opened again after the visitor wrote keeps nothing");
    }
}
