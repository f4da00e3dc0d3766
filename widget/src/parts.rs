//! The views a first open does not need, each loaded the first time it is shown, so a visitor who only asks
//! one question downloads only what that takes.
//!
//! In the release build (feature `split`, `scripts/build-widget.sh`) every part below is a wasm-split point:
//! the part and all the code only it reaches move into their own file beside the app, fetched on first use.
//! Without the feature (tests, clippy, debug builds) the same functions run in place. Either way a part is
//! drawn through `components/deferred.rs`, which shows that it is coming and offers a retry if it failed.

use leptos::prelude::*;

use crate::components::{
    emoji_picker::EmojiPicker, ended::Ended, past_conversations::PastConversations, prechat::Prechat, preview::Preview,
    reply_preview::ReplyCard, rows::Rows,
};

/// A part's code could not be fetched (the browser's console has the cause). Nothing is cached: the next
/// attempt fetches again.
pub type LoadError = leptos::wasm_split::SplitLoaderError;

/// One part: `name` runs it (async: it waits for the code), `preload` only fetches the code, and `file` is
/// the split file it goes to. The body is an expression of the arguments that makes the part's value (a view
/// for the parts drawn through `components/deferred.rs`).
macro_rules! part {
    ($(#[$doc:meta])* $name:ident, $preload:ident, $file:ident, ($($arg:ident: $ty:ty),* $(,)?) -> $out:ty => $body:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($file, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        pub fn $name($($arg: $ty),*) -> Result<$out, LoadError> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> Result<$out, LoadError> {
            Ok($body)
        }

        /// Fetches the part's code without running it (nothing to fetch in this build).
        #[cfg(not(feature = "split"))]
        pub async fn $preload() -> Result<(), LoadError> {
            Ok(())
        }
    };
}

part! {
    /// The emoji grid above the composer.
    emoji_picker, preload_emoji_picker, emoji,
    (input: NodeRef<leptos::html::Textarea>, on_pick: Callback<String>, on_close: Callback<()>, label: &'static str)
        -> AnyView => view! { <EmojiPicker input=input on_pick=on_pick on_close=on_close label=label /> }.into_any()
}

part! {
    /// The end of a conversation: the transcript, a new chat and the rating.
    ended, preload_ended, ended, () -> AnyView => view! { <Ended /> }.into_any()
}

part! {
    /// The earlier conversations kept in this browser.
    past_conversations, preload_past_conversations, earlier, (on_back: Callback<()>) -> AnyView =>
        view! { <PastConversations on_back=on_back /> }.into_any()
}

part! {
    /// The pre-chat form, for sites that ask before the first message.
    prechat, preload_prechat, prechat, () -> AnyView => view! { <Prechat /> }.into_any()
}

part! {
    /// The card beside the closed launcher with the newest reply.
    reply_card, preload_reply_card, reply_card, (author: String, text: String) -> AnyView =>
        view! { <ReplyCard author=author text=text /> }.into_any()
}

part! {
    /// An image the visitor sent, drawn from the file.
    image_preview, preload_image_preview, image, (file: web_sys::File) -> AnyView =>
        view! { <Preview file=file /> }.into_any()
}

part! {
    /// Sending files: the checks, the upload with its progress, and what a refusal means (`outbox.rs`). Not a
    /// view: it is fetched when the visitor reaches for the attach button, or at the latest once a file is chosen.
    upload, preload_upload, upload, (chat: crate::chat::Chat, files: Vec<web_sys::File>) -> () =>
        files.into_iter().for_each(|file| chat.send_file(file))
}

/// What a conversation under way runs: one part, because whoever needs one of these needs the others soon
/// (a visitor who writes needs the rows to see the message and the stream to hear the reply; a returning
/// visitor with a conversation needs the rows and the stream at once, and sending soon after). Fetched when the
/// composer is first focused, or at the latest when one of them is wanted.
pub enum Conversation {
    /// Sending what the visitor wrote: opening the session, the outbox's loop and its retries (`outbox.rs`).
    Send(crate::chat::Chat),
    /// The conversation's messages (`components/rows.rs`), with what to call each time they have drawn.
    Rows(Callback<()>),
    /// The stream and what waits for a session (`stream.rs`).
    Stream(crate::chat::Chat),
}

part! {
    /// The conversation part: runs one of its pieces (only `Rows` draws anything).
    conversation, preload_conversation, conversation, (piece: Conversation) -> AnyView => match piece {
        Conversation::Send(chat) => { chat.send_outbox(); ().into_any() }
        Conversation::Rows(on_drawn) => view! { <Rows on_drawn=on_drawn /> }.into_any(),
        Conversation::Stream(chat) => { chat.run_stream_part(); ().into_any() }
    }
}

/// Sends the outbox (the conversation part's `Send`).
pub async fn send(chat: crate::chat::Chat) -> Result<(), LoadError> {
    conversation(Conversation::Send(chat)).await.map(drop)
}

/// The conversation's messages (the conversation part's `Rows`).
pub async fn rows(on_drawn: Callback<()>) -> Result<AnyView, LoadError> {
    conversation(Conversation::Rows(on_drawn)).await
}

/// Runs the stream (the conversation part's `Stream`).
pub async fn stream(chat: crate::chat::Chat) -> Result<(), LoadError> {
    conversation(Conversation::Stream(chat)).await.map(drop)
}

/// The value of a future that is already done (a part whose code is here), without an executor.
pub fn now<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}
