//! The chat's state: what components read, and the notices and refusals they show. The actions are beside it,
//! one concern a file: the outbox (`outbox.rs`), the session (`session.rs`), the stream (`live.rs`), the
//! attributes and rating (`extras.rs`), alerts (`alerts.rs`) and the page's API (`host_api.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use sapa_protocol::{ErrorCode, SitePublic};

use crate::api::{Api, ApiFailure};
use crate::hooks::use_stream::Connection;
use crate::hooks::use_stream::UseStream;
use crate::hooks::use_tab_leader::TabLeader;
use crate::i18n::{self, Strings};
use crate::identity::Identity;
use crate::notice::{Cause, Notice};
use crate::settings::Settings;
use crate::storage::{self, Saved};
use crate::thread::State;

/// A file the visitor sent from this page: how much of it has gone while it uploads, and an image kept for
/// its preview (a reload forgets it: the page cannot store files).
#[derive(Clone)]
pub struct Upload {
    pub key: String,
    pub percent: Option<u8>,
    pub image: Option<web_sys::File>,
}

#[derive(Clone, Copy)]
pub struct Chat {
    /// The visitor's strings, chosen once when the chat starts.
    strings: &'static Strings,
    settings: StoredValue<Settings>,
    api: StoredValue<Api>,
    /// Everything that survives a reload.
    pub saved: RwSignal<Saved>,
    pub open: RwSignal<bool>,
    /// Replies that arrived while the panel was closed.
    pub unread: RwSignal<usize>,
    /// The newest of them, author and text, shown beside the closed launcher.
    pub preview: RwSignal<Option<(String, String)>>,
    /// Earlier conversations kept in this browser (`past.rs`), newest first: read on first use
    /// (`Chat::earlier`), while `has_past` says from the start whether there are any.
    pub past: RwSignal<Vec<crate::past::Past>>,
    pub has_past: RwSignal<bool>,
    /// Whether a new reply plays a tone: the visitor's choice, remembered for the site (`alerts.rs`).
    pub sound: RwSignal<bool>,
    /// The last failure worth telling the visitor about; it goes when its cause does.
    pub notice: RwSignal<Option<Notice>>,
    /// A refusal no retry can fix (`refusal.rs`): while set, nothing is sent and the panel says chat is
    /// unavailable here.
    pub refusal: RwSignal<Option<ErrorCode>>,
    /// The site's public settings, once fetched.
    pub site: RwSignal<Option<SitePublic>>,
    /// The stream's state, for the header's status line.
    pub connection: RwSignal<Connection>,
    /// Files the visitor sent from this page (`Upload`): progress while they go, images for their previews.
    pub uploads: RwSignal<Vec<Upload>, LocalStorage>,
    /// The stream socket (`hooks/use_stream.rs`), once listening.
    pub(crate) stream: StoredValue<Option<UseStream>>,
    /// Which tab holds the stream, and the channel to the others (`hooks/use_tab_leader.rs`), once joined.
    pub(crate) tabs: StoredValue<Option<TabLeader>, LocalStorage>,
    /// `Sapa('hideLauncher')`: the site opens the chat from its own button.
    pub launcher_hidden: RwSignal<bool>,
    /// `Sapa('identify', …)`: used when the next session is opened.
    pub(crate) identity: StoredValue<Identity>,
    /// The page's own title and the count shown in front of it while replies wait unseen.
    pub(crate) title_alert: StoredValue<Option<(String, u32)>>,
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
        let mut saved = storage::load(&settings.site_id);
        // Files that were on their way when the page went away cannot be sent again from here.
        saved.thread.messages.retain(|m| m.state != State::Uploading);
        let browser = || web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        let strings = i18n::for_locale(&settings.locale.clone().unwrap_or_else(browser));
        let cached_site = storage::load_site(&settings.site_id);
        let sound = storage::sound_on(&settings.site_id);
        let has_past = crate::past::exists(&settings.site_id);
        let chat = Self {
            strings,
            site: RwSignal::new(cached_site),
            api: StoredValue::new(Api::new(&settings.api_base)),
            open: RwSignal::new(settings.open),
            settings: StoredValue::new(settings),
            saved: RwSignal::new(saved),
            unread: RwSignal::new(0),
            preview: RwSignal::new(None),
            sound: RwSignal::new(sound),
            past: RwSignal::new(Vec::new()),
            has_past: RwSignal::new(has_past),
            notice: RwSignal::new(None),
            refusal: RwSignal::new(None),
            connection: RwSignal::new(Connection::Idle),
            uploads: RwSignal::new_local(Vec::new()),
            stream: StoredValue::new(None),
            tabs: StoredValue::new_local(None),
            launcher_hidden: RwSignal::new(false),
            identity: StoredValue::new(Identity::default()),
            emitter: StoredValue::new_local(emitter),
            title_alert: StoredValue::new(None),
            flushing: StoredValue::new(false),
        };
        let site = chat.site_id();
        Effect::new(move |_| chat.saved.with(|s| storage::save(&site, s)));
        Effect::new(move |_| {
            if chat.open.get() {
                chat.unread.set(0);
                chat.preview.set(None);
            }
        });
        chat
    }

    /// The site's name from its settings, else the script tag's `data-title`, else a generic title.
    pub fn title(&self) -> String {
        self.site
            .with(|s| s.as_ref().map(|s| s.name.clone()))
            .or_else(|| self.settings.with_value(|s| s.title.clone()))
            .unwrap_or_else(|| self.t().default_title.to_owned())
    }

    /// What the site's core can carry (everything until the settings say otherwise).
    pub fn can(&self) -> sapa_protocol::Capabilities {
        self.site.with(|s| s.as_ref().map(|s| s.capabilities).unwrap_or_default())
    }

    /// The site's accent colour: its settings', else the script tag's `data-color` (so the first frame
    /// already has it), only if it is a plain `#rrggbb` (it goes into a CSS property).
    pub fn accent(&self) -> Option<String> {
        self.site
            .with(|s| s.as_ref().map(|s| s.color.clone()))
            .or_else(|| self.settings.with_value(|s| s.color.clone()))
            .filter(|c| crate::contrast::parse(c).is_some())
    }

    /// The visitor's strings: the site owner's `data-locale`, else the browser's language.
    pub fn t(&self) -> &'static Strings {
        self.strings
    }

    pub(crate) fn api(&self) -> Api {
        self.api.get_value()
    }

    pub(crate) fn site_id(&self) -> String {
        self.settings.with_value(|s| s.site_id.clone())
    }

    pub(crate) fn api_base(&self) -> String {
        self.settings.with_value(|s| s.api_base.clone())
    }

    /// Text on the accent colour, at least 4.5:1 against it (`contrast.rs`).
    pub fn on_accent(&self) -> Option<&'static str> {
        crate::contrast::on_accent(&self.accent()?)
    }

    /// Starts the background work: messages left unsent by an earlier page go out, the stream opens.
    pub fn start(self) {
        let site_id = self.site_id();
        spawn_local(async move {
            // Without settings the widget still works, with its defaults.
            match self.api().site(&site_id).await {
                Ok(site) => {
                    storage::save_site(&site_id, &site);
                    self.site.set(Some(site));
                }
                Err(failure) => {
                    self.refused(&failure);
                }
            }
        });
        self.flush();
        self.send_extras_when_ready();
        self.listen();
        self.watch_attention();
    }

    /// Shows a notice until its cause goes (or the visitor dismisses it).
    pub(crate) fn tell(self, cause: Cause, text: &'static str) {
        self.notice.set(Some(Notice { cause, text }));
    }

    /// Takes the notice away if `cause` is what it was about.
    pub(crate) fn resolved(self, cause: Cause) {
        if self.notice.with_untracked(|n| n.is_some_and(|n| n.cause == cause)) {
            self.notice.set(None);
        }
    }

    /// Stops everything for a refusal no retry can fix, with one console line for the site owner.
    /// Answers whether `failure` was one.
    pub(crate) fn refused(self, failure: &ApiFailure) -> bool {
        let Some(code) = crate::refusal::of(failure) else { return false };
        if self.refusal.get_untracked() != Some(code) {
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let hint = crate::refusal::owner_hint(code, &self.site_id(), &origin, &self.api_base());
            web_sys::console::error_1(&hint.into());
            self.notice.set(None);
            self.refusal.set(Some(code));
        }
        true
    }
}
