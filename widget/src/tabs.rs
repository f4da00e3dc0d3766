//! Tabs in step. Of all the tabs a visitor has open on a site, one holds the stream socket: the tab holding a
//! Web Lock named for the site. It passes every event it hears to the other tabs over a `BroadcastChannel`,
//! so a visitor with five tabs costs the edge one socket, and each tab shows the same conversation. When the
//! holder closes, the browser hands the lock to another tab, which opens the socket and resumes from its
//! cursor. A browser without Web Locks has every tab hold its own socket, as before.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::chat::Chat;

/// This tab's part: whether it holds the stream, and the channel to the site's other tabs.
#[derive(Default)]
pub struct Tabs {
    pub leader: bool,
    channel: Option<web_sys::BroadcastChannel>,
}

impl Chat {
    /// Joins the site's tabs: listens to the channel, and asks for the lock (granted at once if no other tab
    /// holds it). Opening the socket waits for the lock.
    pub(crate) fn join_tabs(self, site_id: &str) {
        let channel = web_sys::BroadcastChannel::new(&format!("sapa:{site_id}")).ok();
        if let Some(channel) = &channel {
            let heard = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    self.apply_frame(&text);
                }
            });
            channel.set_onmessage(Some(heard.as_ref().unchecked_ref()));
            heard.forget();
        }
        self.tabs.update_value(|t| t.channel = channel);
        self.adopt_from_other_tabs(site_id);

        let locks = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
            .filter(|l| l.is_object());
        let request = locks
            .as_ref()
            .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok()?.dyn_into::<js_sys::Function>().ok());
        let (Some(locks), Some(request)) = (locks, request) else {
            return self.lead();
        };
        // The lock is held as long as the promise the callback returns is pending: for the page's life.
        let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            self.lead();
            js_sys::Promise::new(&mut |_, _| {}).into()
        });
        let name = JsValue::from_str(&format!("sapa:stream:{site_id}"));
        if request.call2(&locks, &name, &granted).is_err() {
            self.lead();
        }
    }

    fn lead(self) {
        self.tabs.update_value(|t| t.leader = true);
        self.go_live();
    }

    pub(crate) fn leads(&self) -> bool {
        self.tabs.with_value(|t| t.leader)
    }

    /// The holder passes what the stream said to the other tabs.
    pub(crate) fn share_frame(&self, text: &str) {
        self.tabs.with_value(|t| {
            if let Some(channel) = &t.channel {
                let _ = channel.post_message(&JsValue::from_str(text));
            }
        });
    }

    /// What another tab saved that this one must not overwrite (they share one storage entry): a session it
    /// opened (without it the holder would not know which conversation to listen to), and messages it still
    /// has on their way.
    fn adopt_from_other_tabs(self, site_id: &str) {
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
