//! Whether the visitor sees the chat: the panel open or closed, the launcher shown or hidden by the site, and
//! what arrived while the panel was closed (a count on the launcher, the newest reply beside it).

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Visibility {
    pub open: RwSignal<bool>,
    /// `Sapa('hideLauncher')`: the site opens the chat from its own button.
    pub launcher_hidden: RwSignal<bool>,
    /// Replies that arrived while the panel was closed.
    pub unread: RwSignal<usize>,
    /// The newest of them, author and text, shown beside the closed launcher.
    pub preview: RwSignal<Option<(String, String)>>,
}

impl Visibility {
    /// Opening the panel shows what waited, so the count and the preview go.
    pub fn new(open: bool) -> Self {
        let this = Self {
            open: RwSignal::new(open),
            launcher_hidden: RwSignal::new(false),
            unread: RwSignal::new(0),
            preview: RwSignal::new(None),
        };
        Effect::new(move |_| {
            if this.open.get() {
                this.unread.set(0);
                this.preview.set(None);
            }
        });
        this
    }

    /// A reply arrived (`fresh` of them new): counted and previewed while the panel is closed.
    pub fn arrived(self, fresh: usize, preview: impl FnOnce() -> Option<(String, String)>) {
        if !self.open.get_untracked() {
            self.unread.update(|n| *n += fresh);
            if let Some(preview) = preview() {
                self.preview.set(Some(preview));
            }
        }
    }
}
