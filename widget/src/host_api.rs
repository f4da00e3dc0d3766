//! The site owner's JavaScript API. The loader defines `window.Sapa(command, arg)` and queues calls made
//! before the app loads; once mounted, each call comes here through [`command`]. Events go the other way
//! through the loader's `emit(event, detail)`, which calls the functions registered with `Sapa('on', …)`.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::chat::Chat;
use crate::identity::Identity;

thread_local! {
    /// The mounted chat (one per page).
    static CHAT: RefCell<Option<Chat>> = const { RefCell::new(None) };
}

pub(crate) fn register(chat: Chat) {
    CHAT.with(|c| *c.borrow_mut() = Some(chat));
}

/// Runs one `Sapa(...)` call. Unknown commands are reported in the console and otherwise ignored.
#[wasm_bindgen]
pub fn command(name: &str, arg: JsValue) {
    let Some(chat) = CHAT.with(|c| *c.borrow()) else {
        return;
    };
    match name {
        "open" => chat.shown.open.set(true),
        "close" => chat.shown.open.set(false),
        "toggle" => chat.shown.open.update(|o| *o = !*o),
        "hideLauncher" => chat.shown.launcher_hidden.set(true),
        "showLauncher" => chat.shown.launcher_hidden.set(false),
        "identify" => chat.identify(Identity::from_js(&arg)),
        "reset" => chat.reset(),
        "setAttributes" => match crate::extras::attributes_from_js(&arg) {
            Ok(attributes) => chat.set_attributes(attributes),
            Err(why) => web_sys::console::warn_1(&format!("Sapa: {why}").into()),
        },
        other => web_sys::console::warn_1(&format!("Sapa: unknown command \"{other}\"").into()),
    }
}

impl Chat {
    /// Tells the page's listeners (`Sapa('on', event, fn)`) that something happened.
    pub(crate) fn emit(&self, event: &str, detail: JsValue) {
        self.emitter.with_value(|f| {
            if let Some(f) = f {
                let _ = f.call2(&JsValue::NULL, &JsValue::from_str(event), &detail);
            }
        });
    }

    /// Wires the events that follow the chat's signals: `open`, `close` and `unread`.
    pub(crate) fn emit_changes(self) {
        Effect::new(move |was_open: Option<bool>| {
            let open = self.shown.open.get();
            // The first run counts too: a click (or `Sapa('open')`) before the app loaded mounts it open.
            if was_open.map_or(open, |w| w != open) {
                self.emit(if open { "open" } else { "close" }, JsValue::UNDEFINED);
            }
            open
        });
        Effect::new(move |_| self.emit("unread", JsValue::from(self.shown.unread.get() as u32)));
    }
}
