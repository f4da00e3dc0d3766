use leptos::prelude::*;

use super::deferred::{draws, loads, Deferred};
use super::icons;
use crate::chat::Chat;
use crate::parts;

/// The newest agent reply beside the closed launcher, while the panel is closed (its card loads on the first
/// reply: `parts.rs`).
#[component]
pub fn ReplyPreview() -> impl IntoView {
    let Chat { shown: seen, .. } = expect_context::<Chat>();
    let shown = move || seen.preview.get().filter(|_| !seen.open.get() && !seen.launcher_hidden.get());
    move || {
        shown().map(|(author, text)| {
            view! { <Deferred quiet=true load=loads(parts::preload_reply_card) render=draws(move || parts::reply_card(author.clone(), text.clone())) /> }
        })
    }
}

/// The card: who wrote and the first lines. Choosing it opens the chat; the cross puts it away (the unread
/// count stays on the launcher).
#[component]
pub fn ReplyCard(
    /// Who wrote the reply.
    author: String,
    /// The reply's text.
    text: String,
) -> impl IntoView {
    let _ = crate::styles::adopt(crate::styles::REPLY_CARD);
    let Chat { site, shown: seen, .. } = expect_context::<Chat>();
    let dismiss = site.t().dismiss;
    view! {
        <div class="sapa-card" data-testid="reply-preview">
            <button type="button" class="sapa-card-open" on:click=move |_| seen.open.set(true)>
                <span class="sapa-card-author">{author}</span>
                <span class="sapa-card-text" dir="auto">{text}</span>
            </button>
            <button type="button" class="sapa-dismiss" aria-label=dismiss on:click=move |_| seen.preview.set(None)>
                {icons::cross(16)}
            </button>
        </div>
    }
}
