//! Conversations: newest activity first, with `last_updated_at` delta sync.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::PageQuery;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::Page;
use crate::Sim;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    last_updated_at: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

pub async fn list(caller: Caller, State(sim): State<Sim>, Query(q): Query<ListQuery>) -> ApiResult<Json<Value>> {
    caller.require("conversations:read")?;
    let (page, per_page) = q.page.checked()?;
    let since = match q.last_updated_at.as_deref() {
        None => None,
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| ApiError::Unprocessable("last_updated_at must be a UNIX timestamp in seconds".into()))?,
        ),
    };
    let store = sim.store.lock().await;
    let list: Vec<_> = store
        .conversations_by_activity()
        .into_iter()
        .filter(|c| since.is_none_or(|s| c.updated_at.unix_timestamp() >= s))
        .collect();
    Ok(Json(json!(Page::of(&list, page, per_page))))
}
