use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A small set that covers most of what a support chat needs; each is one code point or a short sequence.
const EMOJI: [&str; 40] = [
    "😀", "😂", "🙂", "😉", "😍", "🤔", "😅", "😢", "😮", "😡", "🙏", "👍", "👎", "👏", "🙌", "👋", "👌", "💪", "🤝",
    "❤️", "🎉", "🔥", "✨", "⭐", "✅", "❌", "❓", "⏰", "📦", "🚚", "💳", "🧾", "📷", "📞", "📍", "🏠", "☕", "🍰",
    "🎁", "💡",
];

/// The emoji grid above the composer. The chosen one goes into the text box where the caret is, the caret
/// after it; Escape closes the grid and leaves the panel open.
#[component]
pub fn EmojiPicker(
    /// The text box the emoji goes into.
    input: NodeRef<Textarea>,
    /// Called with the box's text once the emoji is in it.
    on_pick: Callback<String>,
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
    let pick = move |emoji: &'static str| {
        let Some(el) = input.get_untracked() else { return };
        let value = el.value();
        let utf16: Vec<u16> = value.encode_utf16().collect();
        let at = |pos: Option<u32>| pos.map_or(utf16.len(), |p| (p as usize).min(utf16.len()));
        let (start, end) = (at(el.selection_start().ok().flatten()), at(el.selection_end().ok().flatten()));
        let next =
            format!("{}{emoji}{}", String::from_utf16_lossy(&utf16[..start]), String::from_utf16_lossy(&utf16[end..]));
        el.set_value(&next);
        let caret = (start + emoji.encode_utf16().count()) as u32;
        let _ = el.set_selection_range(caret, caret);
        let _ = el.focus();
        on_pick.run(next);
    };
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
                <button type="button" class="sapa-emoji-option" on:click=move |_| pick(e)>{*e}</button>
            }).collect_view()}
        </div>
    }
}
