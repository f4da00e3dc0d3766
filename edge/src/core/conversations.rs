//! `GET /conversations?last_updated_at=` (documented): what changed since a moment, for delta sync.

use super::types::{Conversation, Page};
use super::{CoreClient, CoreError, CoreRequest, Retry, Transport};

/// The most pages one delta read follows; a burst beyond that is picked up by the next read.
pub const MAX_PAGES: usize = 5;
pub const PER_PAGE: usize = 100;

/// Conversations updated at or after `since_s` (UNIX seconds), newest activity first.
pub async fn changed_since<T: Transport>(core: &CoreClient<T>, since_s: i64) -> Result<Vec<Conversation>, CoreError> {
    let mut all = Vec::new();
    for page in 1..=MAX_PAGES {
        let path = format!("/conversations?last_updated_at={since_s}&page={page}&per_page={PER_PAGE}");
        let answer: Page<Conversation> = core.call(CoreRequest::get(path), Retry::Safe).await?;
        all.extend(answer.data);
        if !answer.has_next {
            break;
        }
    }
    Ok(all)
}
