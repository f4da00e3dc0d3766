//! What survives a reload, in `localStorage` under `sapa:v1:<site id>`. Storage can be unavailable
//! (blocked cookies, private modes, quota): then the widget still works, it just forgets on reload.

use sapa_protocol::{ContactAttributes, ConversationStatus, RateConversation, SessionCreated, SitePublic};

use crate::thread::Thread;
use crate::wire::{Read, Write};

/// What the visitor gave in the pre-chat form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Saved {
    /// The pre-chat form's answers, once given.
    pub profile: Option<Profile>,
    pub session: Option<SessionCreated>,
    /// The site's user id the session was opened for (`Sapa('identify')`), if any.
    pub session_user: Option<String>,
    /// The idempotency id of the session being created, kept until the edge answers.
    pub session_client_id: Option<String>,
    pub thread: Thread,
    /// Where the stream left off: sent back on reconnect to get exactly what was missed. Stored inside the
    /// thread's entry, where earlier releases kept it.
    pub cursor: Option<String>,
    /// The conversation's status as the agent last set it (resolved, closed…), so the end of a chat is still
    /// shown after a reload.
    pub status: Option<ConversationStatus>,
    /// `Sapa('setAttributes')` not yet written to the contact (sent once there is a session).
    pub attributes: Option<ContactAttributes>,
    /// The visitor's rating of the resolved conversation, with its idempotency id, and whether the edge took it.
    pub rating: Option<(RateConversation, bool)>,
}

pub fn key(site_id: &str) -> String {
    format!("sapa:v1:{site_id}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What is stored under `key`, read as JSON; nothing when storage is unavailable or the value unreadable.
/// Whether anything is stored under `key`, without reading it.
pub(crate) fn has(key: &str) -> bool {
    local_storage().and_then(|s| s.get_item(key).ok().flatten()).is_some()
}

pub(crate) fn read<T: Read>(key: &str) -> Option<T> {
    let json = local_storage()?.get_item(key).ok().flatten()?;
    crate::json::from_str(&json).ok()
}

/// Stores `value` as JSON under `key`, or removes the key for `None`. Answers whether it was done (storage
/// may be unavailable or full).
pub(crate) fn write<T: Write>(key: &str, value: Option<&T>) -> bool {
    let Some(storage) = local_storage() else { return false };
    match value {
        None => storage.remove_item(key).is_ok(),
        Some(value) => crate::json::to_string(value).is_ok_and(|json| storage.set_item(key, &json).is_ok()),
    }
}

pub fn load(site_id: &str) -> Saved {
    read(&key(site_id)).unwrap_or_default()
}

/// Saves the state; an empty one is removed instead, so a visitor who only looked at the launcher is not
/// taken for a returning one (the loader then preloads the app on every page).
pub fn save(site_id: &str, saved: &Saved) {
    write(&key(site_id), Some(saved).filter(|s| **s != Saved::default()));
}

/// The visitor's choice of the new-message sound for the site (on unless they turned it off). Kept apart from
/// the conversation, so a new chat or `Sapa('reset')` does not undo it.
fn sound_key(site_id: &str) -> String {
    format!("sapa:v1:{site_id}:sound")
}

pub fn sound_on(site_id: &str) -> bool {
    local_storage().and_then(|s| s.get_item(&sound_key(site_id)).ok().flatten()).as_deref() != Some("off")
}

pub fn save_sound(site_id: &str, on: bool) {
    if let Some(storage) = local_storage() {
        let _ =
            if on { storage.remove_item(&sound_key(site_id)) } else { storage.set_item(&sound_key(site_id), "off") };
    }
}

/// Where the site's public settings are cached: the app's first frame, and the loader's launcher, use them
/// (its colour, name, pre-chat form) before the fresh copy arrives.
fn site_key(site_id: &str) -> String {
    format!("sapa:v1:{site_id}:site")
}

pub fn load_site(site_id: &str) -> Option<SitePublic> {
    read(&site_key(site_id))
}

pub fn save_site(site_id: &str, site: &SitePublic) {
    write(&site_key(site_id), Some(site));
}
