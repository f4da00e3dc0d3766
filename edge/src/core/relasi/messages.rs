//! `GET /messages` (documented): a conversation's messages, page by page.

use super::types::{Message, NewSystemText, Page};
use crate::core::http::{q, CoreClient, CoreError, CoreRequest, Retry, Transport};

/// The most the edge reads for one history request; long conversations are cut to their newest part.
pub const MAX_PAGES: usize = 5;
pub const PER_PAGE: usize = 100;

/// A conversation's newest messages, page by page, back to `from_ms` (the core's `created_at`, UNIX ms):
/// `true` with them when the read reached that far (or the conversation's start) within [`MAX_PAGES`]. With
/// `from_ms` `None` it reads as far as the pages go and counts as reaching back.
pub async fn since<T: Transport>(
    core: &CoreClient<T>,
    conversation_id: &str,
    from_ms: Option<i64>,
) -> Result<(Vec<Message>, bool), CoreError> {
    let mut all = Vec::new();
    for page in 1..=MAX_PAGES {
        let path = format!("/messages?conversation_id={}&page={page}&per_page={PER_PAGE}", q(conversation_id));
        let answer: Page<Message> = core.call(CoreRequest::get(path), Retry::Safe).await?;
        let oldest = answer.data.iter().filter_map(|m| crate::core::relasi::convert::rfc3339_ms(&m.created_at)).min();
        all.extend(answer.data);
        if !answer.has_next || from_ms.zip(oldest).is_some_and(|(from, oldest)| oldest < from) {
            return Ok((all, true));
        }
    }
    Ok((all, from_ms.is_none()))
}

/// The newest messages of a conversation (one page, newest first as the core answers).
pub async fn newest<T: Transport>(
    core: &CoreClient<T>,
    conversation_id: &str,
    per_page: usize,
) -> Result<Vec<Message>, CoreError> {
    let path = format!("/messages?conversation_id={}&page=1&per_page={per_page}", q(conversation_id));
    let answer: Page<Message> = core.call(CoreRequest::get(path), Retry::Safe).await?;
    Ok(answer.data)
}

/// `POST /messages/text` with `as_system`: a line from the system into the conversation, which agents see in
/// the inbox and the visitor sees as a notice. Once per `client_request_id`.
pub async fn send_system<T: Transport>(core: &CoreClient<T>, body: &NewSystemText<'_>) -> Result<Message, CoreError> {
    core.call(CoreRequest::post_json("/messages/text", body), Retry::Safe).await
}
