use leptos::prelude::*;
use sapa_protocol::{AuthorKind, MessageStatus};

use super::deferred::{draws, loads, Deferred};
use super::icons;
use crate::chat::Chat;
use crate::parts;
use crate::text::{linkify, Piece};
use crate::thread::{ChatMessage, State};

/// One message: its author at the start of a run of the same author's messages, and for the visitor's own
/// its delivery as ticks (one sent, two delivered, two filled read), spelled out for screen readers. The
/// bubble stays in place while the message changes (sending → confirmed, upload → file), so an image's preview
/// is drawn once.
#[component]
pub fn Bubble(
    /// The message to show, as it changes.
    message: Signal<ChatMessage>,
    /// The first of consecutive messages by one author: only it shows the name and avatar.
    first_of_run: bool,
) -> impl IntoView {
    let Chat { site, uploads, .. } = expect_context::<Chat>();
    let first = message.get_untracked();
    let mine = first.is_visitor();
    // A line from the system (such as a recorded rating) is a note in the middle, without an author.
    let system = first.author.kind == AuthorKind::System;
    let class = match (mine, system) {
        (true, _) => "sapa-msg sapa-mine",
        (false, true) => "sapa-msg sapa-note",
        (false, false) => "sapa-msg sapa-theirs",
    };
    let t = site.t();
    let author =
        (!mine && !system && first_of_run).then(|| first.author.name.clone().unwrap_or_else(|| t.agent.into()));
    let state = move || message.with(|m| m.state);
    let key = first.key.clone();
    view! {
        <li class=class class:sapa-run=!first_of_run data-testid="message" data-state=move || state().as_str()>
            {author.map(|name| {
                let initials = crate::text::initials(&name);
                view! {
                    <span class="sapa-author">
                        <span class="sapa-avatar" aria-hidden="true">{initials}</span>
                        {name}
                    </span>
                }
            })}
            {untrack(|| uploads.of(&key)).and_then(|u| u.image)
                .map(|file| {
                    let file = StoredValue::new_local(file);
                    view! { <Deferred quiet=true load=loads(parts::preload_image_preview) render=draws(move || parts::image_preview(file.get_value())) /> }
                })}
            {move || message.with(|m| m.attachment.clone()).map(|a| {
                view! {
                    <a class="sapa-file" href=a.url target="_blank" rel="noopener noreferrer nofollow" data-testid="attachment">
                        {icons::paperclip(16)}
                        {a.name}
                    </a>
                }
            })}
            {move || {
                let text = message.with(|m| crate::transcript::shown_text(m, t));
                (!text.is_empty()).then(|| {
                    let large = crate::text::only_emoji(&text);
                    view! { <p class="sapa-text" class:sapa-emoji=large dir="auto">{rich_text(&text)}</p> }
                })
            }}
            {move || (state() == State::Uploading).then(|| {
                let key = key.clone();
                let percent = move || uploads.of(&key).and_then(|u| u.percent).unwrap_or(0);
                view! {
                    <progress class="sapa-progress" max="100" value=move || percent().to_string() aria-label=t.uploading data-testid="upload-progress"></progress>
                }
            })}
            <span class="sapa-meta">
                {time_of_day(first.created_at, t.tag)}
                {move || mine.then(|| delivery(state(), t))}
            </span>
            {move || (state() == State::Failed).then(|| {
                let client_id = message.with_untracked(|m| m.client_id.clone());
                view! {
                    <button class="sapa-retry" on:click=move |_| {
                        if let Some(id) = client_id.clone() {
                            expect_context::<Chat>().retry(id);
                        }
                    }>{t.retry}</button>
                }
            })}
        </li>
    }
}

/// The visitor's message's delivery: words while it is on its way or failed, ticks once the edge has it.
fn delivery(state: State, t: &'static crate::i18n::Strings) -> AnyView {
    let (label, ticks) = match state {
        State::Sending => return view! { <span class="sapa-delivery">{t.sending}</span> }.into_any(),
        State::Uploading => return view! { <span class="sapa-delivery">{t.uploading}</span> }.into_any(),
        State::Failed => return view! { <span class="sapa-delivery">{t.not_sent}</span> }.into_any(),
        State::Confirmed(MessageStatus::Read) => (t.read, "read"),
        State::Confirmed(MessageStatus::Delivered) => (t.delivered, "delivered"),
        State::Confirmed(_) => (t.sent, "sent"),
    };
    view! {
        <span class="sapa-delivery sapa-ticks" data-ticks=ticks role="img" aria-label=label title=label data-testid="ticks">
            {icons::ticks(ticks != "sent")}
        </span>
    }
    .into_any()
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
    let options = crate::text::intl_options(&[("hour", "2-digit"), ("minute", "2-digit")]);
    date.to_locale_time_string_with_options(locale, &options).into()
}
