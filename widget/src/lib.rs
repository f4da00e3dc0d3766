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
pub mod text;
pub mod thread;
pub mod transcript;
pub mod uploads;
pub mod viewport;
pub mod visibility;
pub mod wire;

use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement};

use crate::components::app::App;
use crate::settings::Settings;

/// Every component's stylesheet, adopted once into the shadow root (not blocked by a strict `style-src`).
pub const STYLES: &str = concat!(
    include_str!("components/app.css"),
    include_str!("components/launcher.css"),
    include_str!("components/panel.css"),
    include_str!("components/past_conversations.css"),
    include_str!("components/message_list.css"),
    include_str!("components/composer.css"),
    include_str!("components/deferred.css"),
    include_str!("components/emoji_picker.css"),
    include_str!("components/prechat.css"),
    include_str!("components/rating.css"),
    include_str!("components/reply_preview.css"),
);

/// Called by the loader with an element inside its shadow root, the site owner's settings, and the
/// loader's `emit(event, detail)` for the page's `Sapa('on', …)` listeners.
#[wasm_bindgen]
pub fn mount(container: HtmlElement, settings: JsValue, emit: Option<js_sys::Function>) -> Result<(), JsValue> {
    let settings = <Settings as wire::Read>::read(&settings).ok_or_else(|| {
        JsValue::from_str("Sapa: the loader's settings are not what this app reads (a stale loader?)")
    })?;
    adopt_styles(&container)?;
    leptos::mount::mount_to(container, move || leptos::view! { <App settings=settings.clone() emit=emit.clone() /> })
        .forget();
    Ok(())
}

/// Appends the widget's stylesheet to the shadow root's adopted sheets, keeping the loader's.
fn adopt_styles(container: &HtmlElement) -> Result<(), JsValue> {
    let Some(root) = container.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok() else {
        return Ok(()); // mounted outside a shadow root (tests): nothing to adopt into
    };
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(STYLES)?;
    let key = JsValue::from_str("adoptedStyleSheets");
    let sheets: js_sys::Array = js_sys::Reflect::get(&root, &key)?.dyn_into()?;
    let sheets = sheets.concat(&js_sys::Array::of1(&sheet));
    js_sys::Reflect::set(&root, &key, &sheets)?;
    Ok(())
}
