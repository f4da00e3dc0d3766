//! One component per file, each with its stylesheet beside it.

pub mod app;
pub mod bubble;
pub mod composer;
pub mod emoji_picker;
pub mod icons;
pub mod launcher;
pub mod message_list;
pub mod panel;
pub mod past_conversations;
pub mod prechat;
pub mod preview;
pub mod rating;
pub mod reply_preview;
