use leptos::prelude::*;

use super::bubble::Bubble;
use super::icons;
use crate::chat::Chat;

/// This browser's earlier conversations with the site: a list by date, and each one to read (read-only).
#[component]
pub fn PastConversations(
    /// Called to go back to the current conversation.
    on_back: Callback<()>,
) -> impl IntoView {
    let _ = crate::styles::adopt(crate::styles::PAST_CONVERSATIONS);
    let Chat { site, earlier, .. } = expect_context::<Chat>();
    let t = site.t();
    // Read from storage now, the first time they are shown.
    earlier.read(&site.id());
    let reading = RwSignal::new(None::<usize>);
    let back = move |_| match reading.get_untracked() {
        Some(_) => reading.set(None),
        None => on_back.run(()),
    };
    view! {
        <div class="sapa-past" data-testid="past">
            <button type="button" class="sapa-link sapa-back" data-testid="past-back" on:click=back>
                {icons::back(16)}
                {move || if reading.get().is_some() { t.earlier } else { t.back }}
            </button>
            {move || match reading.get() {
                None => view! {
                    <ul class="sapa-past-list" aria-label=t.earlier>
                        {earlier.list.get().into_iter().enumerate().map(|(i, past)| view! {
                            <li>
                                <button type="button" class="sapa-past-item" data-testid="past-item" on:click=move |_| reading.set(Some(i))>
                                    <span class="sapa-past-date">{day(past.ended_at, t.tag)}</span>
                                    <span class="sapa-past-summary" dir="auto">{past.summary()}</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(i) => {
                    let messages = earlier.list.with_untracked(|p| p.get(i).map(|p| p.messages.clone())).unwrap_or_default();
                    let mut previous = None;
                    view! {
                        <ol class="sapa-messages" tabindex="0" data-testid="past-messages">
                            {messages.into_iter().map(|m| {
                                let author = (m.author.kind, m.author.name.clone());
                                let first_of_run = previous.as_ref() != Some(&author);
                                previous = Some(author);
                                view! { <Bubble message=Signal::stored(m) first_of_run=first_of_run /> }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// The day in the visitor's locale, e.g. "2 December 2026".
fn day(ms: i64, locale: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = crate::text::intl_options(&[("day", "numeric"), ("month", "long"), ("year", "numeric")]);
    date.to_locale_date_string(locale, &options).into()
}
