use leptos::prelude::*;

use super::icons;
use crate::chat::Chat;

/// The newest agent reply beside the closed launcher: who wrote and the first lines. Choosing it opens the
/// chat; the cross puts it away (the unread count stays on the launcher).
#[component]
pub fn ReplyPreview() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let shown = move || chat.preview.get().filter(|_| !chat.open.get() && !chat.launcher_hidden.get());
    move || {
        shown().map(|(author, text)| {
            view! {
                <div class="sapa-card" data-testid="reply-preview">
                    <button type="button" class="sapa-card-open" on:click=move |_| chat.open.set(true)>
                        <span class="sapa-card-author">{author}</span>
                        <span class="sapa-card-text" dir="auto">{text}</span>
                    </button>
                    <button type="button" class="sapa-dismiss" aria-label=chat.t().dismiss on:click=move |_| chat.preview.set(None)>
                        {icons::cross(16)}
                    </button>
                </div>
            }
        })
    }
}
