//! One leader among a site's tabs. Of all the tabs a visitor has open on a site, one holds a Web Lock named
//! for it; that tab leads (it holds the stream socket) and passes what it hears to the others over a
//! `BroadcastChannel`, so five tabs cost the edge one socket. When the leader closes, the browser hands the
//! lock to another tab, which leads from then on. Without Web Locks every tab leads.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// What the hook gives: whether this tab leads, and the way to tell the other tabs something.
#[derive(Clone, Copy)]
pub struct TabLeader {
    /// True once this tab holds the lock (at once where the browser has no Web Locks). It never goes back.
    pub leader: ReadSignal<bool>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
}

impl TabLeader {
    /// Passes `text` to the other tabs (the leader shares what its stream said).
    pub fn share(&self, text: &str) {
        self.channel.with_value(|c| {
            if let Some(channel) = c {
                let _ = channel.post_message(&JsValue::from_str(text));
            }
        });
    }
}

/// Joins the tabs named `name`: `on_heard` gets each text another tab shares, and the lock is asked for
/// (granted at once if no other tab holds it; held for the page's life).
pub fn use_tab_leader(name: &str, on_heard: impl Fn(String) + 'static) -> TabLeader {
    let (leader, set_leader) = signal(false);
    let channel = web_sys::BroadcastChannel::new(name).ok();
    if let Some(channel) = &channel {
        let heard = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(text) = e.data().as_string() {
                on_heard(text);
            }
        });
        channel.set_onmessage(Some(heard.as_ref().unchecked_ref()));
        heard.forget();
    }
    let tabs = TabLeader { leader, channel: StoredValue::new_local(channel) };

    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| l.is_object());
    let request = locks
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok()?.dyn_into::<js_sys::Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        set_leader.set(true);
        return tabs;
    };
    // The lock is held as long as the promise the callback returns is pending: for the page's life.
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        set_leader.set(true);
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    if request.call2(&locks, &JsValue::from_str(&format!("{name}:lead")), &granted).is_err() {
        set_leader.set(true);
    }
    tabs
}
