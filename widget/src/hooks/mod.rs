//! Hooks in the leptos-use manner: each takes plain values or callbacks, returns a small struct of signals,
//! and knows nothing of the chat.

pub mod use_stream;
pub mod use_tab_leader;
