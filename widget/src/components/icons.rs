//! Inline SVG icons. Glyphs from an emoji font would show as empty boxes on systems without one; these draw
//! the same everywhere, take the text colour, and are hidden from screen readers (their control is named).

use leptos::prelude::*;

const PAPERCLIP: &str = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z";
const THUMB: &str = "M2 10h4v11H2zM8 10l4-8c1.7 0 3 1.3 3 3v3h5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 20H8z";
const CROSS: &str = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z";
const ARROW_DOWN: &str = "M11 4h2v12l5.3-5.3 1.4 1.4L12 19.8l-7.7-7.7 1.4-1.4L11 16z";
const SPEAKER: &str = "M3 9h4l5-4v14l-5-4H3z";
const WAVES: &str =
    "M15.5 8.5a5 5 0 0 1 0 7l-1.4-1.4a3 3 0 0 0 0-4.2zM18.4 5.6a9 9 0 0 1 0 12.8L17 17a7 7 0 0 0 0-9.9z";
const MUTED: &str = "M15 9.4 16.4 8l2.1 2.1L20.6 8 22 9.4l-2.1 2.1 2.1 2.1-1.4 1.4-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z";
const SMILE: &str = "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zM8.5 9a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm7 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM7.5 14a5 5 0 0 0 9 0z";
const CLOCK: &str =
    "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zm-1 3h2v5.6l3.7 2.2-1 1.7L11 13.7z";
const BACK: &str = "M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z";
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

/// A speaker, with waves when the sound is on and a cross when it is off.
pub fn speaker(on: bool, size: u8) -> impl IntoView {
    view! {
        <svg class="sapa-icon" viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" d=SPEAKER />
            <path fill="currentColor" d=if on { WAVES } else { MUTED } />
        </svg>
    }
}

pub fn smile(size: u8) -> impl IntoView {
    icon(SMILE, size, None)
}

pub fn clock(size: u8) -> impl IntoView {
    icon(CLOCK, size, None)
}

pub fn back(size: u8) -> impl IntoView {
    icon(BACK, size, None)
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
