use leptos::prelude::*;

use super::when::when;
use crate::chat::Chat;

/// The round button that opens and closes the panel, with the unread count. The count sits beside the
/// button, not in it: the button's name says it in words ("Open chat (2 new)").
#[component]
pub fn Launcher() -> impl IntoView {
    let Chat { site, shown, .. } = expect_context::<Chat>();
    let button = expect_context::<NodeRef<leptos::html::Button>>();
    let t = site.t();
    let label = move || match (shown.open.get(), shown.unread.get()) {
        (true, _) => t.close_chat.to_owned(),
        (false, 0) => t.open_chat.to_owned(),
        (false, n) => format!("{} ({n} {})", t.open_chat, t.new_count),
    };
    view! {
        <div
            class="sapa-launcher-wrap"
            class:sapa-hidden=move || shown.launcher_hidden.get()
            data-expanded=move || shown.open.get().to_string()
        >
            <button
                node_ref=button
                class="sapa-launcher"
                data-testid="launcher"
                aria-label=label
                aria-expanded=move || shown.open.get().to_string()
                on:click=move |_| shown.open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
                    <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
                </svg>
            </button>
            {when(move || shown.unread.get() > 0, move || view! {
                <span class="sapa-badge" data-testid="unread" aria-hidden="true">{move || shown.unread.get()}</span>
            })}
        </div>
    }
}
