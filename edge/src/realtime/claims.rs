//! Claims on visitors' writes in flight, for a platform that cannot find a write again by its id (respond.io):
//! two requests with one client id at once (two tabs, a retry while the first is still out) must not both post.
//! The hub holds the claims in memory: it is the one place every request for the conversation passes, one at a
//! time. A claim ends when its request releases it after a failed send, or when it expires; a recorded write
//! needs none, since the log answers it.

use super::hub::{self, HubStore};
pub use crate::core::Claim;

/// Longer than one send with all its retries; a request that died mid-send holds the id no longer than this.
pub const CLAIM_MS: i64 = 30_000;

/// Client ids being sent, each with when its claim lapses (a handful at most: a list).
#[derive(Debug, Default)]
pub struct WriteClaims(Vec<(String, i64)>);

impl WriteClaims {
    /// Claims `client_id` for one request, unless the log has the write or a live claim holds it.
    pub fn claim<S: HubStore>(&mut self, store: &S, client_id: &str, now_ms: i64) -> Claim {
        if let Some(message) = hub::logged(store, client_id) {
            return Claim::Recorded(Box::new(message));
        }
        self.0.retain(|(_, until)| *until > now_ms);
        if self.0.iter().any(|(id, _)| id == client_id) {
            return Claim::Busy;
        }
        self.0.push((client_id.to_owned(), now_ms + CLAIM_MS));
        Claim::Yours
    }

    /// Ends a claim whose send failed, so the visitor's retry may send at once.
    pub fn release(&mut self, client_id: &str) {
        self.0.retain(|(id, _)| id != client_id);
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
        let mut claims = WriteClaims::default();
        assert_eq!(claims.claim(&store, "client-m1", 0), Claim::Yours);
        assert_eq!(claims.claim(&store, "client-m1", 10), Claim::Busy, "the second tab waits");
        assert_eq!(claims.claim(&store, "client-m2", 10), Claim::Yours, "other writes are not held up");

        hub::ingest(&mut store, Input::Message { message: msg("m1", 5, AuthorKind::Visitor, MessageStatus::Sent) });
        match claims.claim(&store, "client-m1", 20) {
            Claim::Recorded(message) => assert_eq!(message.id.as_str(), "m1"),
            other => panic!("the log answers a recorded write, got {other:?}"),
        }
    }

    #[test]
    fn a_failed_send_releases_its_claim_and_a_dead_one_lapses() {
        let store = hub(false);
        let mut claims = WriteClaims::default();
        assert_eq!(claims.claim(&store, "client-a", 0), Claim::Yours);
        claims.release("client-a");
        assert_eq!(claims.claim(&store, "client-a", 1), Claim::Yours, "the retry sends at once");

        assert_eq!(claims.claim(&store, "client-b", 0), Claim::Yours);
        assert_eq!(claims.claim(&store, "client-b", CLAIM_MS - 1), Claim::Busy);
        assert_eq!(claims.claim(&store, "client-b", CLAIM_MS), Claim::Yours, "a request that died holds it no longer");
    }
}
