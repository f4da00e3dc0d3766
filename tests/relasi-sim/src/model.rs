//! Resource shapes as the API answers them; they also deserialize, for the `--state` file.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub app_id: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub company: String,
    pub job_title: String,
    pub lead_status: String,
    pub lead_source: String,
    pub address: String,
    pub city: String,
    pub country: String,
    pub comment: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub app_id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub channel_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub app_id: String,
    pub channel: String,
    pub channel_id: String,
    pub external_id: String,
    pub customer_id: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub app_id: String,
    pub conversation_id: String,
    pub message_session_id: String,
    /// `in` from the customer, `out` from the workspace.
    pub direction: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub media: Option<serde_json::Value>,
    pub sender: Sender,
    pub status: String,
    pub client_request_id: Option<String>,
    /// Livechat only (our assumed contract): the page the visitor was on when writing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The documented pagination envelope.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub current_page: usize,
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub per_page: usize,
    pub last_page: usize,
    pub total: usize,
    pub has_next: bool,
    pub data: Vec<T>,
}

impl<T: Clone> Page<T> {
    /// Cuts one page out of `items` (already in answer order). `page` >= 1, `per_page` 1..=500.
    pub fn of(items: &[T], page: usize, per_page: usize) -> Self {
        let total = items.len();
        let last_page = total.div_ceil(per_page).max(1);
        let start = (page - 1).saturating_mul(per_page).min(total);
        let end = (start + per_page).min(total);
        let data = items[start..end].to_vec();
        let (from, to) = if data.is_empty() { (None, None) } else { (Some(start + 1), Some(end)) };
        Self { current_page: page, from, to, per_page, last_page, total, has_next: end < total, data }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn pagination_envelope() {
        let items: Vec<u32> = (1..=7).collect();
        let p = Page::of(&items, 2, 3);
        assert_eq!((p.from, p.to, p.last_page, p.total, p.has_next), (Some(4), Some(6), 3, 7, true));
        assert_eq!(p.data, vec![4, 5, 6]);
        let last = Page::of(&items, 3, 3);
        assert!(!last.has_next);
        assert_eq!(last.data, vec![7]);
        let beyond = Page::of(&items, 9, 3);
        assert_eq!((beyond.from, beyond.to, beyond.data.len()), (None, None, 0));
        let empty = Page::<u32>::of(&[], 1, 50);
        assert_eq!((empty.last_page, empty.total, empty.has_next), (1, 0, false));
    }
}
