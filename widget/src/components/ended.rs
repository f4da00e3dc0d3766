use leptos::prelude::*;

use super::rating::RatingForm;
use crate::chat::Chat;

/// What follows a conversation the agent closed: the transcript to keep, a new chat, and the rating (where
/// the site's core takes one).
#[component]
pub fn Ended() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let t = chat.t();
    view! {
        <p>{t.resolved}</p>
        <button type="button" class="sapa-link" data-testid="download" on:click=move |_| {
            let text = chat.saved.with_untracked(|s| crate::transcript::text(&chat.title(), &s.thread.messages, t));
            let _ = crate::transcript::download("conversation.txt", &text);
        }>{t.download}</button>
        <button type="button" class="sapa-link" data-testid="new-chat" on:click=move |_| chat.start_new()>
            {t.new_chat}
        </button>
        <Show when=move || chat.can().rating>
            <RatingForm />
        </Show>
    }
}
