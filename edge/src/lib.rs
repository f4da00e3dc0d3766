//! Sapa's edge: the Cloudflare Worker between the widget and the Relasi.U core.
//!
//! Logic lives in plain modules, tested natively with `cargo test`; `rim` is the only part that touches the
//! Workers runtime, and it compiles for wasm only.

pub mod attachments;
pub mod body;
pub mod config;
pub mod core;
pub mod error;
pub mod history;
pub mod identity;
pub mod query;
pub mod realtime;
pub mod routes;
pub mod scope;
pub mod token;

#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
mod rim;
