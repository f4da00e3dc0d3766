//! A notice above the composer: what went wrong, kept until its cause goes (or the visitor dismisses it); and
//! the refusal that stops the chat on this page.

use leptos::prelude::*;
use sapa_protocol::ErrorCode;

use crate::api::ApiFailure;
use crate::site::Site;

/// What a notice is about, so the event that resolves it can take it away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Messages wait for the connection: gone once one is sent or the stream is live again.
    Offline,
    /// A file was refused: gone at the visitor's next message or file.
    File,
    /// The rating could not be sent: gone when a rating is sent.
    Rating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notice {
    pub cause: Cause,
    pub text: &'static str,
}

/// What the visitor is told: the last failure worth a notice, and a refusal no retry can fix.
#[derive(Clone, Copy)]
pub struct Notices {
    /// The last failure worth telling the visitor about; it goes when its cause does.
    pub notice: RwSignal<Option<Notice>>,
    /// A refusal no retry can fix (`refusal.rs`): while set, nothing is sent and the panel says chat is
    /// unavailable here.
    pub refusal: RwSignal<Option<ErrorCode>>,
}

impl Default for Notices {
    fn default() -> Self {
        Self { notice: RwSignal::new(None), refusal: RwSignal::new(None) }
    }
}

impl Notices {
    /// Shows a notice until its cause goes (or the visitor dismisses it).
    pub fn tell(self, cause: Cause, text: &'static str) {
        self.notice.set(Some(Notice { cause, text }));
    }

    /// Takes the notice away if `cause` is what it was about.
    pub fn resolved(self, cause: Cause) {
        if self.notice.with_untracked(|n| n.is_some_and(|n| n.cause == cause)) {
            self.notice.set(None);
        }
    }

    /// Whether something is refused for good (untracked).
    pub fn refused_for_good(self) -> bool {
        self.refusal.with_untracked(Option::is_some)
    }

    /// Stops everything for a refusal no retry can fix, with one console line for the site owner of `site`.
    /// Answers whether `failure` was one.
    pub fn refused(self, failure: &ApiFailure, site: &Site) -> bool {
        let Some(code) = crate::refusal::of(failure) else { return false };
        if self.refusal.get_untracked() != Some(code) {
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let hint = crate::refusal::owner_hint(code, &site.id(), &origin, &site.api_base());
            web_sys::console::error_1(&hint.into());
            self.notice.set(None);
            self.refusal.set(Some(code));
        }
        true
    }
}
