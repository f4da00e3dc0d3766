use leptos::html::Ol;
use leptos::prelude::*;
use sapa_protocol::{AuthorKind, ConversationStatus, MessageStatus};

use super::preview::Preview;
use super::rating::RatingForm;
use crate::chat::Chat;
use crate::text::{linkify, Piece};
use crate::thread::{ChatMessage, State};

/// The conversation, oldest first, kept scrolled to the newest message.
#[component]
pub fn MessageList() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let list = NodeRef::<Ol>::new();
    let rows = move || chat.saved.with(|s| with_days(&s.thread.messages, chat.t().tag));
    Effect::new(move |_| {
        chat.saved.with(|s| s.thread.messages.len());
        if let Some(el) = list.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    view! {
        <ol class="sapa-messages" node_ref=list aria-live="polite" data-testid="messages">
            <Show when=move || chat.saved.with(|s| s.thread.messages.is_empty())>
                <li class="sapa-greeting" data-testid="greeting">
                    {move || {
                        chat.site.with(|s| match s {
                            Some(site) if !site.open_now => site.away_message.clone(),
                            Some(site) => site.greeting.clone(),
                            None => None,
                        })
                        .unwrap_or_else(|| chat.t().greeting.to_owned())
                    }}
                </li>
            </Show>
            <For each=rows key=Row::key let:row>
                {match row {
                    Row::Day(label) => view! { <li class="sapa-day" data-testid="day">{label}</li> }.into_any(),
                    Row::Message(m) => view! { <Bubble message=m /> }.into_any(),
                }}
            </For>
            <Show when=move || {
                chat.saved.with(|s| matches!(s.status, Some(ConversationStatus::Resolved | ConversationStatus::Closed)))
            }>
                <li class="sapa-system" data-testid="conversation-status">
                    <p>{chat.t().resolved}</p>
                    <button type="button" class="sapa-link" data-testid="download" on:click=move |_| {
                        let text = chat.saved.with_untracked(|s| crate::transcript::text(&chat.title(), &s.thread.messages, chat.t()));
                        let _ = crate::transcript::download("conversation.txt", &text);
                    }>{chat.t().download}</button>
                    " · "
                    <button type="button" class="sapa-link" data-testid="new-chat" on:click=move |_| chat.reset()>
                        {chat.t().new_chat}
                    </button>
                    <RatingForm />
                </li>
            </Show>
        </ol>
    }
}

/// A message, or the date above the first message of each day.
#[derive(Clone)]
enum Row {
    Day(String),
    Message(ChatMessage),
}

impl Row {
    fn key(&self) -> (String, Option<State>, String) {
        match self {
            Self::Day(label) => (label.clone(), None, String::new()),
            Self::Message(m) => (m.key.clone(), Some(m.state), m.text.clone()),
        }
    }
}

/// Up to two initials for an avatar drawn in CSS: images from the core would need the host page's `img-src`
/// to name the core's media origin, which the documented CSP does not.
pub fn initials(name: &str) -> String {
    // ASCII upper-casing only: `char::to_uppercase` would ship Unicode's case tables (several KB) to every visitor.
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).map(|c| c.to_ascii_uppercase()).collect()
}

/// The messages with a day separator wherever the visitor's calendar day changes.
fn with_days(messages: &[ChatMessage], locale: &str) -> Vec<Row> {
    let mut rows = Vec::with_capacity(messages.len() + 1);
    let mut last_day = String::new();
    for m in messages {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(m.created_at as f64));
        let day = date.to_date_string().as_string().unwrap_or_default();
        if day != last_day {
            let options = js_sys::Object::new();
            for (k, v) in [("weekday", "long"), ("day", "numeric"), ("month", "long")] {
                let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
            }
            rows.push(Row::Day(date.to_locale_date_string(locale, &options).into()));
            last_day = day;
        }
        rows.push(Row::Message(m.clone()));
    }
    rows
}

/// One message, with its author for agents and its delivery state for the visitor's own.
#[component]
fn Bubble(
    /// The message to show.
    message: ChatMessage,
) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let mine = message.is_visitor();
    // A line from the system (such as a recorded rating) is a note in the middle, without an author.
    let system = message.author.kind == AuthorKind::System;
    let class = match (mine, system) {
        (true, _) => "sapa-msg sapa-mine",
        (false, true) => "sapa-msg sapa-note",
        (false, false) => "sapa-msg sapa-theirs",
    };
    let t = chat.t();
    let author = (!mine && !system).then(|| message.author.name.clone().unwrap_or_else(|| t.agent.into()));
    let state = message.state;
    let client_id = message.client_id.clone();
    let status = match state {
        State::Sending => t.sending,
        State::Uploading => t.uploading,
        State::Failed => t.not_sent,
        State::Confirmed(MessageStatus::Read) => t.read,
        State::Confirmed(MessageStatus::Delivered) => t.delivered,
        State::Confirmed(_) => t.sent,
    };
    view! {
        <li class=class data-testid="message" data-state=format!("{state:?}")>
            {author.map(|name| {
                let initials = initials(&name);
                view! {
                    <span class="sapa-author">
                        <span class="sapa-avatar" aria-hidden="true">{initials}</span>
                        {name}
                    </span>
                }
            })}
            {chat.images.with_value(|i| i.iter().find(|(k, _)| *k == message.key).map(|(_, f)| f.clone()))
                .map(|file| view! { <Preview file=file /> })}
            {message.attachment.map(|a| {
                view! {
                    <a class="sapa-file" href=a.url target="_blank" rel="noopener noreferrer nofollow" data-testid="attachment">
                        {a.name}
                    </a>
                }
            })}
            {(!message.text.is_empty()).then(|| view! { <p class="sapa-text" dir="auto">{rich_text(&message.text)}</p> })}
            {(state == State::Uploading).then(|| {
                let key = message.key.clone();
                let percent = move || chat.uploads.with(|u| u.iter().find(|(k, _)| *k == key).map_or(0, |(_, p)| *p));
                view! {
                    <progress class="sapa-progress" max="100" value=move || percent().to_string() aria-label=t.uploading data-testid="upload-progress"></progress>
                }
            })}
            <span class="sapa-meta">
                {time_of_day(message.created_at, t.tag)}
                {mine.then(|| format!(" · {status}"))}
            </span>
            {(state == State::Failed).then(|| {
                let client_id = client_id.clone();
                view! {
                    <button class="sapa-retry" on:click=move |_| {
                        if let Some(id) = client_id.clone() {
                            chat.retry(id);
                        }
                    }>{t.retry}</button>
                }
            })}
        </li>
    }
}

/// The text with its web links clickable (opened in a new tab, without the opener or referrer).
fn rich_text(text: &str) -> Vec<AnyView> {
    linkify(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => t.to_owned().into_any(),
            Piece::Link(url) => view! {
                <a href=url.to_owned() target="_blank" rel="noopener noreferrer nofollow" data-testid="link">{url.to_owned()}</a>
            }
            .into_any(),
        })
        .collect()
}

/// Hours and minutes in the visitor's locale.
fn time_of_day(ms: i64, locale: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(locale, &options).into()
}
