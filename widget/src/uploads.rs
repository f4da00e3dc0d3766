//! The files the visitor sent from this page: their progress while they upload, and an image kept for its
//! preview. A piece of state of its own (the outbox writes it, the bubbles read it).

use leptos::prelude::*;

/// A file the visitor sent from this page: how much of it has gone while it uploads, and an image kept for
/// its preview (a reload forgets it: the page cannot store files).
#[derive(Clone)]
pub struct Upload {
    pub key: String,
    pub percent: Option<u8>,
    pub image: Option<web_sys::File>,
}

/// The files sent from this page, by their bubble's key.
#[derive(Clone, Copy)]
pub struct Uploads(pub RwSignal<Vec<Upload>, LocalStorage>);

impl Default for Uploads {
    fn default() -> Self {
        Self(RwSignal::new_local(Vec::new()))
    }
}

impl Uploads {
    /// What is known of the upload behind bubble `key`: its progress and image.
    pub fn of(self, key: &str) -> Option<Upload> {
        self.0.with(|u| u.iter().find(|u| u.key == key).cloned())
    }
}
