//! Real-time delivery: each conversation's hub (event log, catch-up, fan-out to sockets, and the claims on
//! visitors' writes in flight). Plain logic, tested natively; the Durable Objects that run it live in `rim`.
//! The delta sync for a core without webhooks is its adapter's (`core::Changes`).

pub mod claims;
pub mod hub;

#[cfg(test)]
mod call_tests;
#[cfg(test)]
mod reconcile_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod thread_tests;

pub use hub::Input;

use serde::{Deserialize, Serialize};

/// What the edge sends its conversation hub: inputs from one source. `delivery` is a webhook id (dropped
/// when already seen); `site` comes with inputs the edge itself vouches for (a visitor's token).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HubCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub inputs: Vec<Input>,
}

/// The hub's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// A webhook delivery seen before.
    Duplicate,
    /// Not a conversation of a configured site.
    Ignored,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubAnswer {
    pub outcome: Outcome,
    /// Sockets open on the conversation (the poller stops watching at zero).
    pub connected: usize,
}
