//! `GET /conversations?last_updated_at=` (documented): what changed since a moment, for delta sync.

use super::types::{Conversation, Page};
use crate::core::http::{CoreClient, CoreError, CoreRequest, Retry, Transport};

pub const PER_PAGE: usize = 100;

/// One page of the conversations updated at or after `since_s` (UNIX seconds), newest activity first.
pub async fn changed_since<T: Transport>(
    core: &CoreClient<T>,
    since_s: i64,
    page: usize,
) -> Result<Page<Conversation>, CoreError> {
    let path = format!("/conversations?last_updated_at={since_s}&page={page}&per_page={PER_PAGE}");
    core.call(CoreRequest::get(path), Retry::Safe).await
}
