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
    reply_preview::ReplyCard,
};

/// A part's code could not be fetched (the browser's console has the cause). Nothing is cached: the next
/// attempt fetches again.
pub type LoadError = leptos::wasm_split::SplitLoaderError;

/// One part: `name` draws it (async: it waits for the code), `preload` only fetches the code, and `file` is
/// the split file it goes to. The body is an expression of the arguments that makes the view.
macro_rules! part {
    ($(#[$doc:meta])* $name:ident, $preload:ident, $file:ident, ($($arg:ident: $ty:ty),* $(,)?) => $body:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($file, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, LoadError> {
            Ok($body.into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, LoadError> {
            Ok($body.into_any())
        }

        /// Fetches the part's code without drawing it (nothing to fetch in this build).
        #[cfg(not(feature = "split"))]
        pub async fn $preload() -> Result<(), LoadError> {
            Ok(())
        }
    };
}

part! {
    /// The emoji grid above the composer.
    emoji_picker, preload_emoji_picker, emoji,
    (on_pick: Callback<&'static str>, on_close: Callback<()>, label: &'static str) =>
        view! { <EmojiPicker on_pick=on_pick on_close=on_close label=label /> }
}

part! {
    /// The end of a conversation: the transcript, a new chat and the rating.
    ended, preload_ended, ended, () => view! { <Ended /> }
}

part! {
    /// The earlier conversations kept in this browser.
    past_conversations, preload_past_conversations, earlier, (on_back: Callback<()>) =>
        view! { <PastConversations on_back=on_back /> }
}

part! {
    /// The pre-chat form, for sites that ask before the first message.
    prechat, preload_prechat, prechat, () => view! { <Prechat /> }
}

part! {
    /// The card beside the closed launcher with the newest reply.
    reply_card, preload_reply_card, reply_card, (author: String, text: String) =>
        view! { <ReplyCard author=author text=text /> }
}

part! {
    /// An image the visitor sent, drawn from the file.
    image_preview, preload_image_preview, image, (file: web_sys::File) => view! { <Preview file=file /> }
}

/// Sending files: the checks, the upload with its progress, and what a refusal means (`outbox.rs`). Not a view:
/// it is fetched when the visitor reaches for the attach button, or at the latest once a file is chosen.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(upload, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_upload))]
pub fn upload(chat: crate::chat::Chat, files: Vec<web_sys::File>) -> Result<(), LoadError> {
    files.into_iter().for_each(|file| chat.send_file(file));
    Ok(())
}

/// Sending files (in place: this build is not split).
#[cfg(not(feature = "split"))]
pub async fn upload(chat: crate::chat::Chat, files: Vec<web_sys::File>) -> Result<(), LoadError> {
    files.into_iter().for_each(|file| chat.send_file(file));
    Ok(())
}

/// Fetches the upload code (nothing to fetch in this build).
#[cfg(not(feature = "split"))]
pub async fn preload_upload() -> Result<(), LoadError> {
    Ok(())
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
