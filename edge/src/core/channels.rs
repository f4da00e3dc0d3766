//! `GET /channels` (documented): finding the workspace's livechat channel.

use super::types::{Channel, Page};
use super::{CoreClient, CoreError, CoreRequest, Retry, Transport};

/// The first channel of type `livechat`, if the workspace has one.
pub async fn find_livechat<T: Transport>(core: &CoreClient<T>) -> Result<Option<String>, CoreError> {
    let page: Page<Channel> = core.call(CoreRequest::get("/channels?per_page=500".into()), Retry::Safe).await?;
    Ok(page.data.into_iter().find(|c| c.channel_type == "livechat").map(|c| c.id))
}
