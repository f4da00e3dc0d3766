//! The visitor's session: opened on the first message (with the pre-chat answers or the site's verified
//! identity), ended by `Sapa('reset')` or by identifying someone else.

use leptos::prelude::*;
use sapa_protocol::{ClientId, CreateSession, SessionToken, SiteId};

use crate::api::ApiFailure;
use crate::chat::{current_page, Chat};
use crate::hooks::use_stream::Connection;
use crate::identity::Identity;
use crate::ids::new_client_id;
use crate::storage::Saved;

impl Chat {
    /// Whether the site's pre-chat form comes before the conversation: the site asks for details, the
    /// visitor has not given them, no conversation has started and the site did not identify the visitor.
    pub fn needs_prechat(&self) -> bool {
        self.site.with(|s| s.as_ref().is_some_and(|s| !s.prechat.is_empty()))
            && self.saved.with(|s| s.profile.is_none() && s.session.is_none() && s.thread.messages.is_empty())
            && self.identity.with_value(|i| i.user_id.is_none())
    }

    /// A signed-in user of the site. A session opened for someone else (or for nobody) ends, so one
    /// user's conversation is never shown to the next person on a shared computer.
    pub fn identify(self, identity: Identity) {
        let other = self.saved.with_untracked(|s| s.session.is_some() && s.session_user != identity.user_id);
        self.identity.set_value(identity);
        if other {
            self.reset();
        }
        // The page may have fixed what the edge refused: try again with the new identity.
        if self.refusal.get_untracked().is_some_and(crate::refusal::identify_may_fix) {
            self.refusal.set(None);
            self.flush();
        }
    }

    /// `Sapa('reset')` (for example at logout): forgets the session, the conversation and the outbox.
    pub fn reset(self) {
        self.drop_socket(Connection::Idle);
        self.saved.set(Saved::default());
        self.unread.set(0);
        self.notice.set(None);
        self.past.set(Vec::new());
        self.has_past.set(false);
        crate::past::save(&self.site_id(), &[]);
    }

    /// "Start a new chat" after the end of one: the conversation is kept to read again, then a new one begins
    /// (nothing else is forgotten: the sound choice, the earlier conversations).
    pub fn start_new(self) {
        let ended =
            self.saved.with_untracked(|s| crate::past::Past::of(&s.thread.messages, js_sys::Date::now() as i64));
        let kept = self.earlier();
        self.reset();
        let mut list = kept;
        if let Some(ended) = ended {
            crate::past::push(&mut list, ended);
        }
        crate::past::save(&self.site_id(), &list);
        self.has_past.set(!list.is_empty());
        self.past.set(list);
    }

    /// The earlier conversations, read from storage the first time they are wanted.
    pub fn earlier(self) -> Vec<crate::past::Past> {
        if self.has_past.get_untracked() && self.past.with_untracked(Vec::is_empty) {
            self.past.set(crate::past::load(&self.site_id()));
        }
        self.past.get_untracked()
    }

    /// The current session's token, creating the session first if there is none.
    pub(crate) async fn session(self) -> Result<SessionToken, ApiFailure> {
        if let Some(session) = self.saved.with_untracked(|s| s.session.clone()) {
            return Ok(session.token);
        }
        // The id is stored before the request so a retry after a lost answer opens the same conversation.
        let client_id = match self.saved.with_untracked(|s| s.session_client_id.clone()) {
            Some(id) => id,
            None => {
                let id = new_client_id();
                self.saved.update(|s| s.session_client_id = Some(id.clone()));
                id
            }
        };
        let identity = self.identity.get_value();
        let profile = self.saved.with_untracked(|s| s.profile.clone()).unwrap_or_default();
        let request = CreateSession {
            site_id: SiteId(self.site_id()),
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
        let created = self.api().create_session(&request).await?;
        let token = created.token.clone();
        self.saved.update(|s| {
            s.session = Some(created);
            s.session_user = identity.user_id;
            s.session_client_id = None;
            // A cursor belongs to a conversation; the new one starts from its beginning.
            s.thread.cursor = None;
            s.status = None;
        });
        self.go_live();
        Ok(token)
    }

    /// What another tab saved that this one must not overwrite (they share one storage entry): a session it
    /// opened (without it the holder would not know which conversation to listen to), and messages it still
    /// has on their way.
    pub(crate) fn adopt_from_other_tabs(self, site_id: &str) {
        let key = crate::storage::key(site_id);
        let site = site_id.to_owned();
        let _ = window_event_listener(leptos::ev::storage, move |e: web_sys::StorageEvent| {
            if e.key().as_deref() != Some(key.as_str()) {
                return;
            }
            let theirs = crate::storage::load(&site);
            let (mut adopt_session, mut adopt_unsent) = (false, false);
            // Saved (and so notified) only when something is new: an unchanged save would echo between tabs.
            self.saved.maybe_update(|s| {
                adopt_session = s.session.is_none() && theirs.session.is_some();
                if adopt_session {
                    s.session = theirs.session;
                    s.session_user = theirs.session_user;
                }
                adopt_unsent = s.thread.adopt_unsent(&theirs.thread);
                adopt_session || adopt_unsent
            });
            if adopt_session {
                self.go_live();
            }
            if adopt_unsent {
                self.flush();
            }
        });
    }
}
