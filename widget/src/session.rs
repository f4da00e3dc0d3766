//! The visitor's session: opened on the first message (with the pre-chat answers or the site's verified
//! identity), ended by `Sapa('reset')` or by identifying someone else.

use leptos::prelude::*;
use sapa_protocol::{ClientId, CreateSession, SessionToken, SiteId};

use crate::api::ApiFailure;
use crate::chat::{current_page, Chat};
use crate::hooks::use_stream::Connection;
use crate::identity::Identity;
use crate::ids::new_client_id;
use crate::state::part;

impl Chat {
    /// Whether the site's pre-chat form comes before the conversation: the site asks for details, the
    /// visitor has not given them, no conversation has started and the site did not identify the visitor.
    pub fn needs_prechat(&self) -> bool {
        self.site.asks_first()
            && self.saved.with(part::PROFILE, Option::is_none)
            && self.saved.with(part::SESSION, Option::is_none)
            && self.saved.with(part::THREAD, |t| t.messages.is_empty())
            && self.identity.with_value(|i| i.user_id.is_none())
    }

    /// A signed-in user of the site. A session opened for someone else (or for nobody) ends, so one
    /// user's conversation is never shown to the next person on a shared computer.
    pub fn identify(self, identity: Identity) {
        let other = self.saved.with_untracked(part::SESSION, Option::is_some)
            && self.saved.with_untracked(part::SESSION_USER, |u| *u != identity.user_id);
        self.identity.set_value(identity);
        if other {
            self.reset();
        }
        // The page may have fixed what the edge refused: try again with the new identity.
        if self.notices.refusal.get_untracked().is_some_and(crate::refusal::identify_may_fix) {
            self.notices.refusal.set(None);
            self.flush();
        }
    }

    /// `Sapa('reset')` (for example at logout): forgets the session, the conversation and the outbox.
    pub fn reset(self) {
        self.drop_socket(Connection::Idle);
        self.saved.clear();
        self.shown.unread.set(0);
        self.notices.notice.set(None);
        self.earlier.keep(&self.site.id(), Vec::new());
    }

    /// "Start a new chat" after the end of one: the conversation is kept to read again, then a new one begins
    /// (nothing else is forgotten: the sound choice, the earlier conversations).
    pub fn start_new(self) {
        let ended =
            self.saved.with_untracked(part::THREAD, |t| crate::past::Past::of(&t.messages, js_sys::Date::now() as i64));
        let mut list = self.earlier.read(&self.site.id());
        self.reset();
        if let Some(ended) = ended {
            crate::past::push(&mut list, ended);
        }
        self.earlier.keep(&self.site.id(), list);
    }

    /// The current session's token, creating the session first if there is none.
    pub(crate) async fn session(self) -> Result<SessionToken, ApiFailure> {
        if let Some(token) = self.saved.token() {
            return Ok(token);
        }
        // The id is stored before the request so a retry after a lost answer opens the same conversation.
        let client_id = match self.saved.get_untracked(part::SESSION_CLIENT_ID) {
            Some(id) => id,
            None => {
                let id = new_client_id();
                self.saved.set(part::SESSION_CLIENT_ID, Some(id.clone()));
                id
            }
        };
        let identity = self.identity.get_value();
        let profile = self.saved.get_untracked(part::PROFILE).unwrap_or_default();
        let request = CreateSession {
            site_id: SiteId(self.site.id()),
            client_id: ClientId(client_id),
            // The site's word (identify) comes before the visitor's (the pre-chat form).
            name: identity.name.or(profile.name),
            email: identity.email.or(profile.email),
            page_url: current_page(),
            locale: web_sys::window().and_then(|w| w.navigator().language()),
            referrer: web_sys::window()
                .and_then(|w| w.document())
                .map(|d| d.referrer())
                .filter(|r| r.starts_with("http")),
            user_id: identity.user_id.clone(),
            user_hash: identity.user_hash,
        };
        let created = self.site.api().create_session(&request).await?;
        let token = created.token.clone();
        // A cursor belongs to a conversation; the new one starts from its beginning. The stream follows the
        // session (`live.rs`).
        self.saved.set(part::CURSOR, None);
        self.saved.set(part::STATUS, None);
        self.saved.set(part::SESSION_USER, identity.user_id);
        self.saved.set(part::SESSION_CLIENT_ID, None);
        self.saved.set(part::SESSION, Some(created));
        Ok(token)
    }

    /// What another tab saved that this one must not overwrite (they share one storage entry): a session it
    /// opened (without it the holder would not know which conversation to listen to; the stream follows it),
    /// and messages it still has on their way.
    pub(crate) fn adopt_from_other_tabs(self, site_id: &str) {
        let key = crate::storage::key(site_id);
        let site = site_id.to_owned();
        let _ = window_event_listener(leptos::ev::storage, move |e: web_sys::StorageEvent| {
            if e.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let theirs = crate::storage::load(&site);
            // Changed (and so saved) only when something is new: an unchanged save would echo between tabs.
            if self.saved.with_untracked(part::SESSION, Option::is_none) && theirs.session.is_some() {
                self.saved.set(part::SESSION_USER, theirs.session_user);
                self.saved.set(part::SESSION, theirs.session);
            }
            let mut adopt_unsent = false;
            self.saved.maybe_update(part::THREAD, |t| {
                adopt_unsent = t.adopt_unsent(&theirs.thread);
                adopt_unsent
            });
            if adopt_unsent {
                self.flush();
            }
        });
    }
}
