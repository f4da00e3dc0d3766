use leptos::prelude::*;

use super::{
    composer::Composer,
    deferred::{draws, loads, Deferred},
    message_list::MessageList,
    when::{when, when_else},
};
use crate::chat::Chat;
use crate::live::Connection;
use crate::parts;
use sapa_protocol::ReplyTime;

/// The chat window: header, messages, composer.
#[component]
pub fn Panel() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let launcher = expect_context::<NodeRef<leptos::html::Button>>();
    // Closing hands focus back to the launcher, so keyboard users are not left on a removed element.
    let close = move || {
        chat.shown.open.set(false);
        if let Some(button) = launcher.get_untracked() {
            let _ = button.focus();
        }
    };
    // Files dropped anywhere on the panel are sent like picked ones (not over the pre-chat form, and only
    // where the site's core takes files).
    let dragging = RwSignal::new(false);
    let accepts = move || !chat.needs_prechat() && chat.site.can().files;
    // Reading the earlier conversations kept in this browser, instead of the current one.
    let earlier = RwSignal::new(false);
    // The conversation, or the site's pre-chat form while it comes first (neither while reading the earlier
    // conversations).
    let conversation = move || {
        view! {
            <MessageList />
            // One live region that stays, so each notice put in it is announced.
            <div role="status">
                {move || chat.notices.notice.get().map(|notice| view! {
                    <div class="sapa-notice" data-testid="notice">
                        <p>{notice.text}</p>
                        <button type="button" class="sapa-dismiss" aria-label=chat.site.t().dismiss on:click=move |_| chat.notices.notice.set(None)>
                            {super::icons::cross(16)}
                        </button>
                    </div>
                })}
            </div>
            // A refusal no retry fixes: the visitor is told plainly (the console tells the site owner why).
            {when_else(
                move || chat.notices.refusal.with(Option::is_none),
                || view! { <Composer /> },
                move || view! { <p class="sapa-unavailable" role="status" data-testid="unavailable">{chat.site.t().unavailable}</p> },
            )}
        }
    };
    let prechat = move || {
        when(
            move || !earlier.get(),
            || view! { <Deferred load=loads(parts::preload_prechat) render=draws(parts::prechat) /> },
        )
    };
    view! {
        <section
            class="sapa-panel"
            data-dragging=move || dragging.get().then_some("true")
            on:dragover=move |ev: web_sys::DragEvent| {
                if accepts() {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                dragging.set(false);
                let Some(files) = ev.data_transfer().and_then(|d| d.files()).filter(|_| accepts()) else { return };
                ev.prevent_default();
                chat.send_files(&files);
            }
            role="dialog"
            aria-label=move || chat.site.title()
            data-testid="panel"
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    close();
                }
            }
            data-connection=move || match chat.connection.get() {
                Connection::Idle => "idle",
                Connection::Connecting => "connecting",
                Connection::Live => "live",
                Connection::Offline => "offline",
            }
        >
            <header class="sapa-header">
                <span class="sapa-avatar sapa-site-avatar" aria-hidden="true">
                    {move || crate::text::initials(&chat.site.title())}
                </span>
                <div class="sapa-heading">
                    <h2>{move || chat.site.title()}</h2>
                    <p class="sapa-presence" data-testid="presence">
                        {move || match (chat.connection.get(), chat.site.public.with(|s| s.as_ref().map(|s| (s.open_now, s.reply_time)))) {
                            (Connection::Offline, _) => chat.site.t().offline,
                            (Connection::Connecting, _) => chat.site.t().connecting,
                            (_, Some((false, _))) => chat.site.t().away,
                            (_, Some((true, ReplyTime::Hours))) => chat.site.t().reply_hours,
                            (_, Some((true, ReplyTime::Day))) => chat.site.t().reply_day,
                            _ => chat.site.t().reply_soon,
                        }}
                    </p>
                </div>
                {when(move || chat.earlier.any.get(), move || view! {
                    <button
                        class="sapa-tool"
                        aria-label=chat.site.t().earlier
                        aria-pressed=move || earlier.get().to_string()
                        data-testid="earlier"
                        on:click=move |_| earlier.update(|e| *e = !*e)
                        on:pointerenter=move |_| leptos::task::spawn_local(async { let _ = parts::preload_past_conversations().await; })
                    >
                        {super::icons::clock(20)}
                    </button>
                })}
                <button
                    class="sapa-tool"
                    aria-label=chat.site.t().sound
                    aria-pressed=move || chat.alerts.sound.get().to_string()
                    data-testid="sound"
                    on:click=move |_| chat.alerts.set_sound(&chat.site.id(), !chat.alerts.sound.get_untracked())
                >
                    {move || super::icons::speaker(chat.alerts.sound.get(), 20)}
                </button>
                <button class="sapa-tool sapa-close" aria-label=chat.site.t().close_chat data-testid="close" on:click=move |_| close()>
                    {super::icons::cross(22)}
                </button>
            </header>
            {when(move || earlier.get(), move || view! {
                <Deferred
                    load=loads(parts::preload_past_conversations)
                    render=draws(move || parts::past_conversations(Callback::new(move |()| earlier.set(false))))
                />
            })}
            {when_else(move || !earlier.get() && !chat.needs_prechat(), conversation, prechat)}
        </section>
    }
}
