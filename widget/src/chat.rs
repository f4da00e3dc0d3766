//! The chat: the pieces of state the views read, each in its own file and provided to the views on its own
//! (a view asks only for what it reads), and the actions that coordinate them, one concern a file: the outbox
//! (`outbox.rs`), the session (`session.rs`), the stream (`live.rs`, and the part `stream.rs`), the attributes
//! and rating (`extras.rs`) and the page's API (`host_api.rs`). Views that act (send, retry, rate, start
//! again) take the `Chat`; the state pieces know nothing of it or of each other.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::alerts::Alerts;
use crate::hooks::use_stream::Connection;
use crate::hooks::use_tab_leader::TabLeader;
use crate::identity::Identity;
use crate::notice::Notices;
use crate::past::Earlier;
use crate::settings::Settings;
use crate::site::Site;
use crate::state::SavedState;
use crate::thread::State;
use crate::uploads::Uploads;
use crate::visibility::Visibility;

#[derive(Clone, Copy)]
pub struct Chat {
    pub site: Site,
    /// Everything that survives a reload.
    pub saved: SavedState,
    pub notices: Notices,
    pub shown: Visibility,
    pub earlier: Earlier,
    pub alerts: Alerts,
    /// The stream's state, for the header's status line.
    pub connection: RwSignal<Connection>,
    /// Files the visitor sent from this page: progress while they go, images for their previews.
    pub uploads: Uploads,
    /// What the stream part works with (`live_state.rs`).
    pub(crate) live: StoredValue<crate::live_state::Live, LocalStorage>,
    /// Which tab holds the stream, and the channel to the others (`hooks/use_tab_leader.rs`), once joined.
    pub(crate) tabs: StoredValue<Option<TabLeader>, LocalStorage>,
    /// `Sapa('identify', …)`: used when the next session is opened.
    pub(crate) identity: StoredValue<Identity>,
    /// The loader's `emit(event, detail)`, which calls the page's `Sapa('on', …)` listeners.
    pub(crate) emitter: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// True while the outbox is being sent, so two sends never race to create two sessions.
    pub(crate) flushing: StoredValue<bool>,
}

pub(crate) fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The page the visitor is on (a single-page site changes it through the History API without a reload).
pub(crate) fn current_page() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok()).filter(|u| u.starts_with("http"))
}

impl Chat {
    pub fn new(settings: Settings, emitter: Option<js_sys::Function>) -> Self {
        let mut saved = crate::storage::load(&settings.site_id);
        // Files that were on their way when the page went away cannot be sent again from here.
        saved.thread.messages.retain(|m| m.state != State::Uploading);
        let shown = Visibility::new(settings.open);
        let chat = Self {
            alerts: Alerts::new(&settings.site_id, shown.open),
            earlier: Earlier::new(&settings.site_id),
            site: Site::new(settings),
            saved: SavedState::new(saved),
            notices: Notices::default(),
            shown,
            connection: RwSignal::new(Connection::Idle),
            uploads: Uploads::default(),
            live: StoredValue::new_local(Default::default()),
            tabs: StoredValue::new_local(None),
            identity: StoredValue::new(Identity::default()),
            emitter: StoredValue::new_local(emitter),
            flushing: StoredValue::new(false),
        };
        let site = chat.site.id();
        Effect::new(move |_| chat.saved.with_all(|s| crate::storage::save(&site, s)));
        chat
    }

    /// Starts the background work: messages left unsent by an earlier page go out, the stream opens if there
    /// is a session (then what waits for one is sent too, `stream.rs`).
    pub fn start(self) {
        spawn_local(async move {
            // Without settings the widget still works, with its defaults.
            if let Err(failure) = self.site.refresh().await {
                self.refused(&failure);
            }
        });
        self.flush();
        self.listen();
    }

    /// Stops everything for a refusal no retry can fix (`Notices::refused`). Answers whether it was one.
    pub(crate) fn refused(self, failure: &crate::api::ApiFailure) -> bool {
        self.notices.refused(failure, &self.site)
    }
}
