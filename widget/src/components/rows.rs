use leptos::prelude::*;

use super::bubble::Bubble;
use crate::chat::Chat;
use crate::state::part;
use crate::thread::ChatMessage;

/// The conversation's messages, oldest first, with the date above each day's first message. A part of its
/// own (`parts::Conversation`): a new visitor has none until they write, so the first open does not carry them.
#[component]
pub fn Rows(
    /// Called each time the rows have drawn a change (the first drawing too), so the list can follow.
    on_drawn: Callback<()>,
) -> impl IntoView {
    let Chat { site, saved, .. } = expect_context::<Chat>();
    let rows = move || saved.with(part::THREAD, |t| with_days(&t.messages, site.t().tag));
    // An effect first runs after the view is built, so it hears of each change after the rows have drawn it.
    Effect::new(move |_| {
        saved.with(part::THREAD, |_| ());
        on_drawn.run(());
    });
    view! {
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
