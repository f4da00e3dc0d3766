use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A small set that covers most of what a support chat needs; each is one code point or a short sequence.
const EMOJI: [&str; 40] = [
    "😀", "😂", "🙂", "😉", "😍", "🤔", "😅", "😢", "😮", "😡", "🙏", "👍", "👎", "👏", "🙌", "👋", "👌", "💪", "🤝",
    "❤️", "🎉", "🔥", "✨", "⭐", "✅", "❌", "❓", "⏰", "📦", "🚚", "💳", "🧾", "📷", "📞", "📍", "🏠", "☕", "🍰",
    "🎁", "💡",
];

/// The emoji grid above the composer. Choosing one hands it to `on_pick`; Escape closes the grid and leaves
/// the panel open.
#[component]
pub fn EmojiPicker(
    /// Called with the chosen emoji.
    on_pick: Callback<&'static str>,
    /// Called when the visitor leaves the grid with Escape.
    on_close: Callback<()>,
    /// The grid's accessible name.
    label: &'static str,
) -> impl IntoView {
    let _ = crate::styles::adopt(crate::styles::EMOJI_PICKER);
    let grid = NodeRef::<leptos::html::Div>::new();
    // The first emoji takes the focus, so a keyboard visitor is in the grid at once.
    Effect::new(move |_| {
        if let Some(first) = grid.get().and_then(|g| g.query_selector("button").ok().flatten()) {
            let _ = first.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
    view! {
        <div
            class="sapa-emoji-grid"
            role="group"
            aria-label=label
            data-testid="emoji-picker"
            node_ref=grid
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    on_close.run(());
                }
            }
        >
            {EMOJI.iter().map(|e| view! {
                <button type="button" class="sapa-emoji-option" on:click=move |_| on_pick.run(e)>{*e}</button>
            }).collect_view()}
        </div>
    }
}
