//! One component per file; a component with styles of its own has its stylesheet beside it. `icons.rs`
//! draws the icons they share.

pub mod app;
pub mod bubble;
pub mod composer;
pub mod deferred;
pub mod emoji_picker;
pub mod ended;
pub mod icons;
pub mod launcher;
pub mod message_list;
pub mod panel;
pub mod past_conversations;
pub mod prechat;
pub mod preview;
pub mod rating;
pub mod reply_preview;
pub mod rows;
pub mod when;
