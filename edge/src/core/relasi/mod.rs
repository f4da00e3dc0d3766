//! Relasi.U, the first core: one module per core call, `platform.rs` behind the `Platform` trait and
//! `session.rs` for opening a visitor's conversation.

pub mod changes;
pub mod channels;
pub mod contacts;
pub mod conversations;
pub mod convert;
pub mod livechat;
pub mod me;
pub mod messages;
pub mod platform;
pub mod session;
pub mod types;
pub mod webhook;

#[cfg(test)]
mod changes_tests;
