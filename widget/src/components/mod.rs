//! One component per file, each with its stylesheet beside it.

pub mod app;
pub mod bubble;
pub mod composer;
pub mod icons;
pub mod launcher;
pub mod message_list;
pub mod panel;
pub mod prechat;
pub mod preview;
pub mod rating;
