//! The chat's live connection, as far as a first open carries it: joining the site's tabs, the outbox's
//! retries, and deciding when the stream is wanted. The stream itself (the socket, the frames, the attributes
//! and rating that wait for a session) is a part (`stream.rs`, in `parts::Conversation`), fetched once there is
//! a session: a new visitor who has not written yet needs none of it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chat::Chat;
pub use crate::hooks::use_stream::Connection;
use crate::hooks::use_stream::HEARTBEAT;
use crate::hooks::use_tab_leader::use_tab_leader;
use crate::parts;
use crate::state::part;

impl Chat {
    /// Starts listening: the site's tabs, the outbox's retries, and the stream whenever there is a session.
    pub(crate) fn listen(self) {
        self.live.update_value(|l| l.owner = Owner::current());
        // Messages left in the outbox go out with the heartbeat, and the moment the device is back online. A
        // stream part that could not be fetched is asked for again at the same pace.
        set_interval(
            move || {
                self.flush();
                if self.live.with_value(|l| l.stream.is_none()) {
                    self.go_live();
                }
            },
            HEARTBEAT,
        );
        let _ = window_event_listener(leptos::ev::online, move |_| self.flush());
        let site = self.site.id();
        let tabs = use_tab_leader(&format!("sapa:{site}"), move |text| {
            self.live.update_value(|l| l.heard.push(text));
            self.run_stream();
        });
        self.tabs.set_value(Some(tabs));
        // The stream follows the session and the lead: a session opened here or by another tab, or this tab
        // taking the lead, opens it (a session that ended leaves it idle).
        Effect::new(move |_| {
            self.saved.with(part::SESSION, |_| ());
            tabs.leader.track();
            self.go_live();
        });
        self.adopt_from_other_tabs(&site);
    }

    /// Whether this tab holds the site's stream (the others hear it through the channel).
    pub(crate) fn leads(self) -> bool {
        self.tabs.with_value(|t| t.is_some_and(|t| t.leader.get_untracked()))
    }

    /// Runs the stream part if there is a session to listen to (fetching its code the first time).
    pub(crate) fn go_live(self) {
        if self.notices.refused_for_good() {
            return;
        }
        if self.saved.with_untracked(part::SESSION, Option::is_none) {
            if self.leads() {
                self.connection.set(Connection::Idle);
            }
            return;
        }
        self.run_stream();
    }

    /// The part applies every frame heard meanwhile in one go, so frames keep their order however many calls
    /// waited for its code.
    fn run_stream(self) {
        spawn_local(async move {
            // A fetch that failed is tried again with the next heartbeat, the next frame or the next session.
            let _ = parts::stream(self).await;
        });
    }

    pub(crate) fn drop_socket(self, now: Connection) {
        match self.live.with_value(|l| l.stream) {
            Some(stream) => stream.close(now),
            None => self.connection.set(now),
        }
    }
}
