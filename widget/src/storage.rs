//! What survives a reload, in `localStorage` under `sapa:v1:<site id>`. Storage can be unavailable
//! (blocked cookies, private modes, quota): then the widget still works, it just forgets on reload.

use sapa_protocol::SessionCreated;
use serde::{Deserialize, Serialize};

use crate::thread::Thread;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub session: Option<SessionCreated>,
    /// The idempotency id of the session being created, kept until the edge answers.
    pub session_client_id: Option<String>,
    pub thread: Thread,
}

pub fn key(site_id: &str) -> String {
    format!("sapa:v1:{site_id}")
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(site_id: &str) -> Saved {
    local_storage()
        .and_then(|s| s.get_item(&key(site_id)).ok().flatten())
        .and_then(|json| crate::json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save(site_id: &str, saved: &Saved) {
    if let (Some(storage), Ok(json)) = (local_storage(), crate::json::to_string(saved)) {
        let _ = storage.set_item(&key(site_id), &json);
    }
}
