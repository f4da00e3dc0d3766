//! The Sapa widget: a Leptos app the loader (`www/widget.js`) mounts inside its Shadow DOM.
//! The entry point is tiny: read the settings, adopt the styles, mount the app.

pub mod alerts;
pub mod api;
pub mod attachments;
pub mod chat;
pub mod components;
pub mod contrast;
pub mod extras;
pub mod hooks;
pub mod host_api;
pub mod i18n;
pub mod identity;
pub mod ids;
pub mod json;
pub mod live;
pub mod live_state;
pub mod notice;
pub mod outbox;
pub mod parts;
pub mod past;
pub mod refusal;
pub mod session;
pub mod settings;
pub mod site;
pub mod socket;
pub mod state;
pub mod storage;
pub mod stream;
pub mod stream_state;
pub mod styles;
pub mod text;
pub mod thread;
pub mod transcript;
pub mod uploads;
pub mod viewport;
pub mod visibility;
pub mod wire;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::components::app::App;
use crate::settings::Settings;

/// Called by the loader with an element inside its shadow root, the site owner's settings, and the
/// loader's `emit(event, detail)` for the page's `Sapa('on', …)` listeners.
#[wasm_bindgen]
pub fn mount(container: HtmlElement, settings: JsValue, emit: Option<js_sys::Function>) -> Result<(), JsValue> {
    let settings = <Settings as wire::Read>::read(&settings).ok_or_else(|| {
        JsValue::from_str("Sapa: the loader's settings are not what this app reads (a stale loader?)")
    })?;
    styles::mount(&container)?;
    leptos::mount::mount_to(container, move || leptos::view! { <App settings=settings.clone() emit=emit.clone() /> })
        .forget();
    Ok(())
}
