//! `GET /channels` (documented): finding the workspace's livechat channel.

use std::cell::RefCell;

use super::types::{Channel, Page};
use crate::core::http::{CoreClient, CoreError, CoreRequest, Retry, Transport};

/// The first channel of type `livechat`, if the workspace has one.
pub async fn find_livechat<T: Transport>(core: &CoreClient<T>) -> Result<Option<String>, CoreError> {
    let page: Page<Channel> = core.call(CoreRequest::get("/channels?per_page=500".into()), Retry::Safe).await?;
    Ok(page.data.into_iter().find(|c| c.channel_type == "livechat").map(|c| c.id))
}

thread_local! {
    /// The livechat channel, once found: it does not change between sessions, so it is asked once per isolate.
    static LIVECHAT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// [`find_livechat`], remembered after the first answer.
pub async fn livechat_cached<T: Transport>(core: &CoreClient<T>) -> Result<Option<String>, CoreError> {
    if let Some(id) = LIVECHAT.with(|c| c.borrow().clone()) {
        return Ok(Some(id));
    }
    let found = find_livechat(core).await?;
    LIVECHAT.with(|c| c.borrow_mut().clone_from(&found));
    Ok(found)
}

/// Drops the remembered channel (the core refused it: it may have been removed).
pub fn forget_livechat() {
    LIVECHAT.with(|c| *c.borrow_mut() = None);
}
