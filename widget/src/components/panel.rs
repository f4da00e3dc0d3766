use leptos::prelude::*;

use super::{composer::Composer, message_list::MessageList};
use crate::chat::Chat;

/// The chat window: header, messages, composer.
#[component]
pub fn Panel() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <section class="sapa-panel" role="dialog" aria-label=chat.title() data-testid="panel">
            <header class="sapa-header">
                <h2>{chat.title()}</h2>
                <button class="sapa-close" aria-label="Close chat" on:click=move |_| chat.open.set(false)>
                    "×"
                </button>
            </header>
            <MessageList />
            <Show when=move || chat.notice.with(Option::is_some)>
                <p class="sapa-notice" role="status">{move || chat.notice.get()}</p>
            </Show>
            <Composer />
        </section>
    }
}
