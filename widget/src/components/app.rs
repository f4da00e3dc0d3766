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
        <div class="sapa" data-testid="sapa-app">
            <Show when=move || chat.open.get()>
                <Panel />
            </Show>
            <Launcher />
        </div>
    }
}
