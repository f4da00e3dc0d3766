//! Delta sync for edges without webhooks. One poller per edge asks the core what changed since its
//! watermark, and reads messages only for changed conversations that a visitor is watching. Its cost is
//! one request per tick plus one per changed, watched conversation: the number of connected visitors
//! does not enter into it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::hub::Input;
use crate::convert;
use crate::core::{conversations, messages, CoreClient, CoreError, Transport};
use sapa_protocol::ConversationStatus;

/// Messages read per changed conversation; more than this many new ones within one tick is unlikely,
/// and a widget that reconnects catches up from the core anyway.
pub const MESSAGES_PER_READ: usize = 50;
/// How far back the first read looks, to cover the edge's clock being behind the core's.
pub const FIRST_LOOKBACK_S: i64 = 60;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PollState {
    /// The newest `updated_at` (UNIX seconds) seen from the core.
    pub watermark_s: Option<i64>,
    /// Conversations with a connected visitor, each with the `updated_at` last read for it.
    pub watched: BTreeMap<String, Option<String>>,
}

/// What one tick found for one conversation.
#[derive(Debug, PartialEq)]
pub struct Delivery {
    pub conversation: String,
    pub inputs: Vec<Input>,
}

impl PollState {
    pub fn watch(&mut self, conversation: &str) {
        self.watched.entry(conversation.to_owned()).or_insert(None);
    }

    pub fn unwatch(&mut self, conversation: &str) {
        self.watched.remove(conversation);
    }
}

/// One delta read. The watermark only moves by the core's own timestamps, and `last_updated_at` is
/// inclusive, so a change in the same second as the watermark is never missed; the `updated_at` kept per
/// conversation stops it from being read twice.
pub async fn tick<T: Transport>(core: &CoreClient<T>, state: &mut PollState, now_s: i64) -> Result<Vec<Delivery>, CoreError> {
    if state.watched.is_empty() {
        return Ok(Vec::new());
    }
    let since = state.watermark_s.unwrap_or(now_s - FIRST_LOOKBACK_S);
    let changed = conversations::changed_since(core, since).await?;
    let mut newest = since;
    let mut deliveries = Vec::new();
    for conversation in changed {
        let updated_ms = convert::rfc3339_ms(&conversation.updated_at);
        if let Some(ms) = updated_ms {
            newest = newest.max(ms.div_euclid(1000));
        }
        let Some(last_read) = state.watched.get_mut(&conversation.id) else {
            continue;
        };
        if last_read.as_deref() == Some(conversation.updated_at.as_str()) {
            continue;
        }
        let mut found: Vec<_> =
            messages::newest(core, &conversation.id, MESSAGES_PER_READ).await?.into_iter().map(convert::message).collect();
        found.sort_by_key(|m| m.created_at);
        let mut inputs: Vec<Input> = found.into_iter().map(|message| Input::Message { message }).collect();
        inputs.push(Input::Conversation {
            status: ConversationStatus::from_core(&conversation.status),
            at_ms: updated_ms.unwrap_or(0),
        });
        *last_read = Some(conversation.updated_at);
        deliveries.push(Delivery { conversation: conversation.id, inputs });
    }
    state.watermark_s = Some(newest);
    Ok(deliveries)
}
