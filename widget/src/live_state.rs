//! What the stream part (`stream.rs`) works with, kept in the chat before the part's code is here.

use leptos::prelude::Owner;

use crate::hooks::use_stream::UseStream;

/// What the stream part works with: none of it exists until the part first runs.
#[derive(Default)]
pub(crate) struct Live {
    /// The socket's hook (`hooks/use_stream.rs`), made when the part first runs.
    pub stream: Option<UseStream>,
    /// Frames another tab passed on that the part has not applied yet, oldest first.
    pub heard: Vec<String>,
    /// The app's owner: the part makes its effects and listeners under it.
    pub owner: Option<Owner>,
}
