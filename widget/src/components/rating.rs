use leptos::prelude::*;
use sapa_protocol::feedback::RATING_COMMENT_MAX;
use sapa_protocol::Rating;

use super::when::when;
use crate::chat::Chat;
use crate::state::part;

/// The end-of-chat rating: good or bad, then an optional comment. Once sent it says thank you; until the
/// edge confirms, it says it is sending (the rating is kept across reloads meanwhile).
#[component]
pub fn RatingForm() -> impl IntoView {
    let _ = crate::styles::adopt(crate::styles::RATING);
    let chat = expect_context::<Chat>();
    let t = chat.site.t();
    let choice = RwSignal::new(None::<Rating>);
    let comment = RwSignal::new(String::new());
    let state = move || chat.saved.with(part::RATING, |r| r.as_ref().map(|(_, sent)| *sent));
    // The form goes when it is sent: focus moves to what replaces it, not out of the widget.
    let submitted = StoredValue::new(false);
    let status = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(el) = status.get() {
            if submitted.get_value() {
                let _ = el.focus();
            }
        }
    });
    // Choosing a verdict brings the comment and the send button: scroll the conversation so they show.
    let send = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = send.get() {
            reveal(&button);
        }
    });
    let verdict = move |rating: Rating, label: &'static str| {
        view! {
            <button
                type="button"
                class="sapa-verdict"
                data-testid=if rating == Rating::Good { "rate-good" } else { "rate-bad" }
                aria-pressed=move || if choice.get() == Some(rating) { "true" } else { "false" }
                on:click=move |_| choice.set(Some(rating))
            >
                {super::icons::thumb(rating == Rating::Good, 16)}
                {label}
            </button>
        }
    };
    view! {
        <div class="sapa-rating" data-testid="rating" data-state=move || match state() {
            None => "ask",
            Some(false) => "sending",
            Some(true) => "sent",
        }>
            {move || match state() {
                Some(true) => view! { <p role="status" tabindex="-1" node_ref=status>{t.rate_thanks}</p> }.into_any(),
                Some(false) => view! { <p role="status" tabindex="-1" node_ref=status>{t.sending}</p> }.into_any(),
                None => view! {
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        if let Some(rating) = choice.get_untracked() {
                            submitted.set_value(true);
                            chat.rate(rating, comment.get_untracked());
                        }
                    }>
                        <fieldset>
                            <legend>{t.rate_prompt}</legend>
                            {verdict(Rating::Good, t.rate_good)}
                            {verdict(Rating::Bad, t.rate_bad)}
                        </fieldset>
                        {when(move || choice.get().is_some(), move || view! {
                            <textarea
                                class="sapa-rating-comment"
                                data-testid="rate-comment"
                                rows="2"
                                aria-label=t.rate_comment
                                placeholder=t.rate_comment
                                maxlength=RATING_COMMENT_MAX.to_string()
                                on:input=move |ev| comment.set(event_target_value(&ev))
                            ></textarea>
                            <button type="submit" class="sapa-start" data-testid="rate-send" node_ref=send>{t.rate_send}</button>
                        })}
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// Scrolls the conversation (not the host page, which a fixed panel does not move with) until `el` is in view.
fn reveal(el: &web_sys::HtmlElement) {
    let Some(list) = el.closest(".sapa-messages").ok().flatten() else { return };
    let (outer, inner) = (list.get_bounding_client_rect(), el.get_bounding_client_rect());
    let below = inner.bottom() - outer.bottom();
    if below > 0.0 {
        list.set_scroll_top(list.scroll_top() + below.ceil() as i32 + 8);
    }
}
