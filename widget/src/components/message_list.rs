use leptos::html::Ol;
use leptos::prelude::*;
use sapa_protocol::ConversationStatus;

use super::bubble::Bubble;
use super::deferred::{draws, loads, Deferred};
use super::icons;
use crate::chat::Chat;
use crate::parts;
use crate::state::part;
use crate::thread::ChatMessage;

/// How close to the end (in CSS pixels) still counts as reading the newest message.
const AT_END_PX: i32 = 48;

/// The conversation, oldest first. It follows the newest message while the visitor is at the end; a visitor
/// who scrolled up to read keeps their place, and a button takes them to what arrived meanwhile.
#[component]
pub fn MessageList() -> impl IntoView {
    let Chat { site, saved, .. } = expect_context::<Chat>();
    let list = NodeRef::<Ol>::new();
    let rows = move || saved.with(part::THREAD, |t| with_days(&t.messages, site.t().tag));
    let at_end = StoredValue::new(true);
    let unseen = RwSignal::new(false);
    let to_end = move || {
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
        unseen.set(false);
    };
    Effect::new(move |last: Option<Option<String>>| {
        let newest = saved.with(part::THREAD, |t| t.messages.last().map(|m| (m.key.clone(), m.is_visitor())));
        list.track();
        let key = newest.as_ref().map(|(k, _)| k.clone());
        let arrived = last.as_ref().is_some_and(|l| *l != key);
        // The first render, the visitor's own new message, or a visitor already at the end: go to the end.
        if last.is_none() || at_end.get_value() || (arrived && newest.as_ref().is_some_and(|(_, mine)| *mine)) {
            to_end();
        } else if arrived {
            unseen.set(true);
        }
        key
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
            <Show when=move || saved.with(part::THREAD, |t| t.messages.is_empty())>
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
            </Show>
            <For each=rows key=Row::key let:row>
                {match row {
                    Row::Day(label) => view! { <li class="sapa-day" data-testid="day">{label}</li> }.into_any(),
                    Row::Message(m, first_of_run) => {
                        // The bubble follows its message by key: it is not made again when the message changes.
                        let initial = *m;
                        let key = initial.key.clone();
                        let message = Signal::derive(move || {
                            saved.with(part::THREAD, |t| t.messages.iter().find(|m| m.key == key).cloned())
                                .unwrap_or_else(|| initial.clone())
                        });
                        view! { <Bubble message=message first_of_run=first_of_run /> }.into_any()
                    }
                }}
            </For>
            <Show when=move || {
                saved.with(part::STATUS, |s| matches!(s, Some(ConversationStatus::Resolved | ConversationStatus::Closed)))
            }>
                <li class="sapa-system" data-testid="conversation-status">
                    <Deferred load=loads(parts::preload_ended) render=draws(parts::ended) />
                </li>
            </Show>
        </ol>
        <Show when=move || unseen.get()>
            <button type="button" class="sapa-jump" data-testid="new-messages" on:click=move |_| to_end()>
                {icons::arrow_down(16)}
                {site.t().new_messages}
            </button>
        </Show>
        </div>
    }
}

/// A message, or the date above the first message of each day.
#[derive(Clone)]
enum Row {
    Day(String),
    /// A message, and whether it starts a run of one author's messages.
    Message(Box<ChatMessage>, bool),
}

impl Row {
    /// A message's row is its key (stable from sending to confirmed) and whether it starts a run; the bubble
    /// follows the message's other changes itself.
    fn key(&self) -> (String, bool, bool) {
        match self {
            Self::Day(label) => (label.clone(), true, true),
            Self::Message(m, first) => (m.key.clone(), *first, false),
        }
    }
}

/// The messages with a day separator wherever the visitor's calendar day changes, each marked if it starts a
/// run (a new day, or another author than the message before).
fn with_days(messages: &[ChatMessage], locale: &str) -> Vec<Row> {
    let mut rows = Vec::with_capacity(messages.len() + 1);
    let mut last_day = String::new();
    let mut last_author = None;
    for m in messages {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(m.created_at as f64));
        let day = date.to_date_string().as_string().unwrap_or_default();
        if day != last_day {
            let options = crate::text::intl_options(&[("weekday", "long"), ("day", "numeric"), ("month", "long")]);
            rows.push(Row::Day(date.to_locale_date_string(locale, &options).into()));
            last_day = day;
            last_author = None;
        }
        let author = (m.author.kind, m.author.name.clone());
        let first = last_author.as_ref() != Some(&author);
        last_author = Some(author);
        rows.push(Row::Message(Box::new(m.clone()), first));
    }
    rows
}
