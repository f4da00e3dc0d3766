//! What survives a reload, as the app holds it: one value, read and written by part, each part with its own
//! trigger, so a change wakes only what reads that part (a moved cursor wakes nothing on screen, a rating
//! only the rating). Nine signals of nine types would do the same at about 4 KB more of the first open: each
//! signal type brings its own copy of the reactive code, while a trigger has no type. Plain data and no I/O:
//! the session, the outbox, the stream and the extras change it; `storage.rs` keeps it as one entry.

use leptos::prelude::*;
use sapa_protocol::SessionToken;

use crate::storage::Saved;

/// One part of [`Saved`]: the trigger that follows it, and where it sits.
pub struct Part<T: 'static> {
    index: usize,
    get: fn(&Saved) -> &T,
    get_mut: fn(&mut Saved) -> &mut T,
}

impl<T> Clone for Part<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Part<T> {}

/// The parts, by the field each one is.
pub mod part {
    use sapa_protocol::{ContactAttributes, ConversationStatus, RateConversation, SessionCreated};

    use super::Part;
    use crate::storage::Profile;
    use crate::thread::Thread;

    /// The pre-chat form's answers, once given.
    pub const PROFILE: Part<Option<Profile>> = Part { index: 0, get: |s| &s.profile, get_mut: |s| &mut s.profile };
    pub const SESSION: Part<Option<SessionCreated>> =
        Part { index: 1, get: |s| &s.session, get_mut: |s| &mut s.session };
    /// The site's user id the session was opened for (`Sapa('identify')`).
    pub const SESSION_USER: Part<Option<String>> =
        Part { index: 2, get: |s| &s.session_user, get_mut: |s| &mut s.session_user };
    /// The idempotency id of the session being created, kept until the edge answers.
    pub const SESSION_CLIENT_ID: Part<Option<String>> =
        Part { index: 3, get: |s| &s.session_client_id, get_mut: |s| &mut s.session_client_id };
    pub const THREAD: Part<Thread> = Part { index: 4, get: |s| &s.thread, get_mut: |s| &mut s.thread };
    /// Where the stream left off (read when a socket opens, so no view follows it).
    pub const CURSOR: Part<Option<String>> = Part { index: 5, get: |s| &s.cursor, get_mut: |s| &mut s.cursor };
    /// The conversation's status as the agent last set it.
    pub const STATUS: Part<Option<ConversationStatus>> =
        Part { index: 6, get: |s| &s.status, get_mut: |s| &mut s.status };
    /// `Sapa('setAttributes')` not yet written to the contact.
    pub const ATTRIBUTES: Part<Option<ContactAttributes>> =
        Part { index: 7, get: |s| &s.attributes, get_mut: |s| &mut s.attributes };
    /// The visitor's rating of the resolved conversation, and whether the edge took it.
    pub const RATING: Part<Option<(RateConversation, bool)>> =
        Part { index: 8, get: |s| &s.rating, get_mut: |s| &mut s.rating };

    pub(super) const COUNT: usize = 9;
}

#[derive(Clone, Copy)]
pub struct SavedState {
    value: StoredValue<Saved>,
    changed: [Trigger; part::COUNT],
}

impl SavedState {
    pub fn new(saved: Saved) -> Self {
        Self { value: StoredValue::new(saved), changed: std::array::from_fn(|_| Trigger::new()) }
    }

    /// Reads `part`; a reader runs again when it changes.
    pub fn with<T, R>(&self, part: Part<T>, f: impl FnOnce(&T) -> R) -> R {
        self.track(part.index);
        self.with_untracked(part, f)
    }

    /// Reads `part` without following it.
    pub fn with_untracked<T, R>(&self, part: Part<T>, f: impl FnOnce(&T) -> R) -> R {
        self.value.with_value(|s| f((part.get)(s)))
    }

    // Kept out of line: inlined at every reader and writer, the trigger's code would be copied into each.
    #[inline(never)]
    fn track(&self, index: usize) {
        self.changed[index].track();
    }

    #[inline(never)]
    fn notify(&self, index: usize) {
        self.changed[index].notify();
    }

    pub fn get<T: Clone>(&self, part: Part<T>) -> T {
        self.with(part, T::clone)
    }

    pub fn get_untracked<T: Clone>(&self, part: Part<T>) -> T {
        self.with_untracked(part, T::clone)
    }

    /// Changes `part` and wakes its readers.
    pub fn update<T>(&self, part: Part<T>, f: impl FnOnce(&mut T)) {
        self.maybe_update(part, |v| {
            f(v);
            true
        });
    }

    /// Changes `part`, waking its readers only if `f` answers that it changed something.
    pub fn maybe_update<T>(&self, part: Part<T>, f: impl FnOnce(&mut T) -> bool) {
        if self.value.try_update_value(|s| f((part.get_mut)(s))).unwrap_or_default() {
            self.notify(part.index);
        }
    }

    pub fn set<T>(&self, part: Part<T>, value: T) {
        self.update(part, |v| *v = value);
    }

    /// The whole state, following every part (for the effect that stores it).
    pub fn with_all(&self, f: impl FnOnce(&Saved)) {
        (0..part::COUNT).for_each(|i| self.track(i));
        self.value.with_value(f);
    }

    /// Forgets everything (`Sapa('reset')`, a new chat).
    pub fn clear(&self) {
        self.value.set_value(Saved::default());
        (0..part::COUNT).for_each(|i| self.notify(i));
    }

    /// The session's token, if there is one (untracked).
    pub fn token(&self) -> Option<SessionToken> {
        self.with_untracked(part::SESSION, |s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Whether an answer given to `token` still belongs here: after a reset or a new chat it is the old
    /// conversation's, and merging it would bring that conversation back.
    pub fn answers_to(&self, token: &SessionToken) -> bool {
        self.token().is_some_and(|t| t == *token)
    }
}
