//! Inline SVG icons. Glyphs from an emoji font would show as empty boxes on systems without one; these draw
//! the same everywhere, take the text colour, and are hidden from screen readers (their control is named).

use leptos::prelude::*;

const PAPERCLIP: &str = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z";
const THUMB: &str = "M2 10h4v11H2zM8 10l4-8c1.7 0 3 1.3 3 3v3h5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 20H8z";
const CROSS: &str = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z";
const ARROW_DOWN: &str = "M11 4h2v12l5.3-5.3 1.4 1.4L12 19.8l-7.7-7.7 1.4-1.4L11 16z";
const TICK: &str = "M1.5 8.5 5 12l7.5-7.5-1.4-1.4L5 9.2 2.9 7.1z";

fn icon(path: &'static str, size: u8, transform: Option<&'static str>) -> impl IntoView {
    view! {
        <svg class="sapa-icon" viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path transform=transform />
        </svg>
    }
}

pub fn paperclip(size: u8) -> impl IntoView {
    icon(PAPERCLIP, size, None)
}

/// A thumb, up for a good rating, down for a bad one.
pub fn thumb(up: bool, size: u8) -> impl IntoView {
    icon(THUMB, size, (!up).then_some("rotate(180 12 12)"))
}

pub fn cross(size: u8) -> impl IntoView {
    icon(CROSS, size, None)
}

pub fn arrow_down(size: u8) -> impl IntoView {
    icon(ARROW_DOWN, size, None)
}

/// One tick (sent) or two (delivered; read fills them with the stronger colour in CSS).
pub fn ticks(double: bool) -> impl IntoView {
    view! {
        <svg class="sapa-icon" viewBox="0 0 18 14" width="18" height="14" aria-hidden="true" focusable="false">
            <path fill="currentColor" d=TICK />
            {double.then(|| view! { <path fill="currentColor" d=TICK transform="translate(5 0)" /> })}
        </svg>
    }
}
