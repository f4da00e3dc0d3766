use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel, reply_preview::ReplyPreview, when::when};
use crate::chat::Chat;
use crate::settings::Settings;

/// The whole widget: the panel above the launcher.
#[component]
pub fn App(
    /// What the loader read from the page.
    settings: Settings,
    /// The loader's event dispatcher for the page's listeners (absent in tests).
    emit: Option<js_sys::Function>,
) -> impl IntoView {
    let placement = settings.clone();
    let chat = Chat::new(settings, emit);
    provide_context(chat);
    // The launcher, for returning focus to it when the panel closes.
    provide_context(NodeRef::<leptos::html::Button>::new());
    crate::host_api::register(chat);
    chat.emit_changes();
    chat.start();
    chat.emit("ready", wasm_bindgen::JsValue::UNDEFINED);
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            crate::viewport::follow(el.into());
        }
    });
    view! {
        // The accent is set through the CSSOM (style:), which a strict style-src allows.
        <div
            node_ref=root
            class="sapa"
            data-testid="sapa-app"
            dir=if chat.site.t().rtl { "rtl" } else { "ltr" }
            lang=chat.site.t().tag
            style:--sapa-accent=move || chat.site.accent()
            style:--sapa-on-accent=move || chat.site.on_accent()
            data-theme=placement.theme()
            data-position=if placement.on_left() { "left" } else { "right" }
            style:--sapa-x=placement.offset_x()
            style:--sapa-bottom=placement.offset_y()
            style:--sapa-z=placement.z_index()
        >
            {when(move || chat.shown.open.get(), || view! { <Panel /> })}
            <ReplyPreview />
            <Launcher />
        </div>
    }
}
