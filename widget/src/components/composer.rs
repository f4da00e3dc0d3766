use leptos::html::Textarea;
use leptos::prelude::*;
use sapa_protocol::limits::{COUNTER_THRESHOLD, MESSAGE_TEXT_MAX};
use sapa_protocol::validate;

use super::deferred::{draws, loads, Deferred};
use super::when::when;
use crate::chat::Chat;
use crate::parts;

/// The message box: Enter sends, Shift+Enter starts a new line, a counter appears near the limit.
#[component]
pub fn Composer() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let text = RwSignal::new(String::new());
    let input = NodeRef::<Textarea>::new();
    let picker = NodeRef::<leptos::html::Input>::new();
    let length = move || text.with(|t| t.chars().count());
    let valid = move || text.with(|t| validate::message_text("text", t).is_ok());
    let picking = RwSignal::new(false);
    // The grid puts the emoji at the caret (its part holds that code); the text follows.
    let picked = Callback::new(move |next: String| {
        text.set(next);
        picking.set(false);
    });
    let close_picker = Callback::new(move |()| {
        picking.set(false);
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
        }
    });

    // Focus the box when the panel opens, so the visitor can type at once.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });

    let submit = move || {
        if !valid() {
            return;
        }
        chat.send(text.get_untracked());
        text.set(String::new());
        if let Some(el) = input.get_untracked() {
            el.set_value("");
        }
    };

    view! {
        <form class="sapa-composer" on:submit=move |ev| {
            ev.prevent_default();
            submit();
        }>
            <input
                node_ref=picker
                type="file"
                hidden
                multiple
                data-testid="file-input"
                accept=crate::attachments::accept()
                on:change=move |ev| {
                    let el = event_target::<web_sys::HtmlInputElement>(&ev);
                    if let Some(files) = el.files() {
                        chat.send_files(&files);
                    }
                    el.set_value("");
                }
            />
            <button
                type="button"
                class="sapa-attach"
                data-testid="attach"
                // Only where the site's core takes files.
                hidden=move || !chat.site.can().files
                aria-label=chat.site.t().attach
                // The upload code is fetched when the visitor reaches for the button.
                on:pointerenter=move |_| leptos::task::spawn_local(async { let _ = parts::preload_upload().await; })
                on:focus=move |_| leptos::task::spawn_local(async { let _ = parts::preload_upload().await; })
                on:click=move |_| {
                    if let Some(el) = picker.get_untracked() {
                        el.click();
                    }
                }
            >
                {super::icons::paperclip(20)}
            </button>
            <button
                type="button"
                class="sapa-attach"
                data-testid="emoji"
                aria-label=chat.site.t().emoji
                aria-expanded=move || picking.get().to_string()
                on:click=move |_| picking.update(|p| *p = !*p)
                // The grid's code is fetched when the visitor reaches for the button, before the click.
                on:pointerenter=move |_| leptos::task::spawn_local(async { let _ = parts::preload_emoji_picker().await; })
                on:focus=move |_| leptos::task::spawn_local(async { let _ = parts::preload_emoji_picker().await; })
            >
                {super::icons::smile(20)}
            </button>
            {when(move || picking.get(), move || view! {
                <Deferred load=loads(parts::preload_emoji_picker) render=draws(move || parts::emoji_picker(input, picked, close_picker, chat.site.t().emoji)) />
            })}
            <textarea
                node_ref=input
                data-testid="composer"
                rows="1"
                aria-label=chat.site.t().message
                placeholder=chat.site.t().placeholder
                maxlength=MESSAGE_TEXT_MAX.to_string()
                prop:value=move || text.get()
                // What writing takes (the send path, the rows that show the message, the stream that brings the
                // reply: `parts::Conversation`) is fetched on first focus, while the visitor types.
                on:focus=move |_| leptos::task::spawn_local(async { let _ = parts::preload_conversation().await; })
                on:input=move |ev| text.set(event_target_value(&ev))
                on:paste=move |ev: web_sys::ClipboardEvent| {
                    // A pasted screenshot is sent as a file; pasted text is left to the text box.
                    let files = ev.clipboard_data().and_then(|d| d.files()).filter(|f| f.length() > 0 && chat.site.can().files);
                    if let Some(files) = files {
                        ev.prevent_default();
                        chat.send_files(&files);
                    }
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            {when(move || length() > COUNTER_THRESHOLD, move || view! {
                <span class="sapa-counter" aria-live="polite">{move || format!("{}/{}", length(), MESSAGE_TEXT_MAX)}</span>
            })}
            <button type="submit" class="sapa-send" data-testid="send" disabled=move || !valid() aria-label=chat.site.t().send>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path fill="currentColor" d="M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z" />
                </svg>
            </button>
        </form>
    }
}
