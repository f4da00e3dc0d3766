use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::settings::Settings;

/// The whole widget: the panel above the launcher.
#[component]
pub fn App(
    /// What the loader read from the page.
    settings: Settings,
) -> impl IntoView {
    let chat = Chat::new(settings);
    provide_context(chat);
    chat.start();
    view! {
        // The accent is set through the CSSOM (style:), which a strict style-src allows.
        <div class="sapa" data-testid="sapa-app" style:--sapa-accent=move || chat.accent()>
            <Show when=move || chat.open.get()>
                <Panel />
            </Show>
            <Launcher />
        </div>
    }
}
