use leptos::prelude::*;

use super::rating::RatingForm;
use super::when::when;
use crate::chat::Chat;
use crate::state::part;

/// What follows a conversation the agent closed: the transcript to keep, a new chat, and the rating (where
/// the site's core takes one).
#[component]
pub fn Ended() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let t = chat.site.t();
    view! {
        <p>{t.resolved}</p>
        <button type="button" class="sapa-link" data-testid="download" on:click=move |_| {
            let text = chat.saved.with_untracked(part::THREAD, |th| crate::transcript::text(&chat.site.title(), &th.messages, t));
            let _ = crate::transcript::download("conversation.txt", &text);
        }>{t.download}</button>
        <button type="button" class="sapa-link" data-testid="new-chat" on:click=move |_| chat.start_new()>
            {t.new_chat}
        </button>
        {when(move || chat.site.can().rating, || view! { <RatingForm /> })}
    }
}
