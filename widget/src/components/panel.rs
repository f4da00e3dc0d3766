use leptos::prelude::*;

use super::{composer::Composer, message_list::MessageList};
use crate::chat::Chat;
use crate::live::Connection;

/// The chat window: header, messages, composer.
#[component]
pub fn Panel() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <section
            class="sapa-panel"
            role="dialog"
            aria-label=move || chat.title()
            data-testid="panel"
            data-connection=move || match chat.connection.get() {
                Connection::Idle => "idle",
                Connection::Connecting => "connecting",
                Connection::Live => "live",
                Connection::Offline => "offline",
            }
        >
            <header class="sapa-header">
                <div>
                    <h2>{move || chat.title()}</h2>
                    <p class="sapa-presence" data-testid="presence">
                        {move || match (chat.connection.get(), chat.site.with(|s| s.as_ref().map(|s| s.open_now))) {
                            (Connection::Offline, _) => "You're offline: we'll reconnect when you're back",
                            (Connection::Connecting, _) => "Connecting…",
                            (_, Some(false)) => "Away: we'll reply when we're back",
                            _ => "We usually reply in a few minutes",
                        }}
                    </p>
                </div>
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
