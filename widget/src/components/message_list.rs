use leptos::html::Ol;
use leptos::prelude::*;
use sapa_protocol::ConversationStatus;

use super::deferred::{draws, loads, Deferred};
use super::icons;
use super::when::{when, when_else};
use crate::chat::Chat;
use crate::parts;
use crate::state::part;

/// How close to the end (in CSS pixels) still counts as reading the newest message.
const AT_END_PX: i32 = 48;

/// The conversation, oldest first. It follows the newest message while the visitor is at the end; a visitor
/// who scrolled up to read keeps their place, and a button takes them to what arrived meanwhile.
#[component]
pub fn MessageList() -> impl IntoView {
    let Chat { site, saved, .. } = expect_context::<Chat>();
    let list = NodeRef::<Ol>::new();
    let at_end = StoredValue::new(true);
    let unseen = RwSignal::new(false);
    let to_end = move || {
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
        unseen.set(false);
    };
    // The newest message's key when the rows were last drawn (none before their first drawing).
    let drawn = StoredValue::new(None::<Option<String>>);
    // The rows (a part) call this each time they have drawn a change, so the scroll height is the new one.
    let follow = Callback::new(move |()| {
        let newest = saved.with_untracked(part::THREAD, |t| t.messages.last().map(|m| (m.key.clone(), m.is_visitor())));
        let key = newest.as_ref().map(|(k, _)| k.clone());
        let last = drawn.get_value();
        let arrived = last.as_ref().is_some_and(|l| *l != key);
        // The first drawing, the visitor's own new message, or a visitor already at the end: go to the end.
        if last.is_none() || at_end.get_value() || (arrived && newest.as_ref().is_some_and(|(_, mine)| *mine)) {
            to_end();
        } else if arrived {
            unseen.set(true);
        }
        drawn.set_value(Some(key));
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            let end = el.scroll_height() - el.scroll_top() - el.client_height() <= AT_END_PX;
            at_end.set_value(end);
            if end {
                unseen.set(false);
            }
        }
    };
    view! {
        <div class="sapa-thread">
        // Focusable, so a keyboard visitor can scroll it too.
        <ol class="sapa-messages" node_ref=list aria-live="polite" tabindex="0" data-testid="messages" on:scroll=on_scroll>
            // The rows are a part of their own: fetched when there is a message to show (or the composer is
            // focused), with a placeholder row while they come. Until then, the greeting.
            {when_else(move || saved.with(part::THREAD, |t| t.messages.is_empty()), move || view! {
                <li class="sapa-greeting" data-testid="greeting">
                    {move || {
                        site.public.with(|s| match s {
                            Some(site) if !site.open_now => site.away_message.clone(),
                            Some(site) => site.greeting.clone(),
                            None => None,
                        })
                        .unwrap_or_else(|| site.t().greeting.to_owned())
                    }}
                </li>
            }, move || view! {
                <Deferred load=loads(parts::preload_conversation) render=draws(move || parts::rows(follow)) row=true />
            })}
            {when(
                move || saved.with(part::STATUS, |s| matches!(s, Some(ConversationStatus::Resolved | ConversationStatus::Closed))),
                || view! {
                    <li class="sapa-system" data-testid="conversation-status">
                        <Deferred load=loads(parts::preload_ended) render=draws(parts::ended) />
                    </li>
                },
            )}
        </ol>
        {when(move || unseen.get(), move || view! {
            <button type="button" class="sapa-jump" data-testid="new-messages" on:click=move |_| to_end()>
                {icons::arrow_down(16)}
                {site.t().new_messages}
            </button>
        })}
        </div>
    }
}
