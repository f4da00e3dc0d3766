//! Opening a visitor's conversation on Relasi.U: the contact (`POST /contacts` takes no idempotency id, so
//! what the core made is recorded in the session's ledger before the next step), then the livechat
//! conversation under the session's scoped id (a retry opens the same one).

use sapa_protocol::CreateSession;

use super::types::{NewContact, NewLivechatConversation};
use super::{channels, contacts, livechat};
use crate::core::http::{CoreClient, CoreError, Transport};
use crate::core::{Hints, Ledger, LinkStore, Opened, Visitor};
use crate::error::ApiError;
use crate::identity;

/// The contact's name when the visitor gave none (the core requires one).
pub const ANONYMOUS_NAME: &str = "Website visitor";

/// Finds or creates the contact and opens the conversation, holding the session's ledger meanwhile.
pub async fn open<T: Transport>(
    core: &CoreClient<T>,
    visitor: Visitor<'_>,
    links: &impl LinkStore,
    ledger: &impl Ledger,
) -> Result<Opened, ApiError> {
    let record = ledger.begin(visitor.owner).await?;
    let opened = open_recorded(core, &visitor, links, ledger, record).await;
    ledger.end(visitor.owner).await;
    opened
}

async fn open_recorded<T: Transport>(
    core: &CoreClient<T>,
    visitor: &Visitor<'_>,
    links: &impl LinkStore,
    ledger: &impl Ledger,
    mut record: crate::core::SessionRecord,
) -> Result<Opened, ApiError> {
    let request = visitor.request;
    let looked_up = visitor.channel_id.is_none();
    let channel_id = match visitor.channel_id {
        Some(id) => id.to_owned(),
        None => channels::livechat_cached(core)
            .await?
            .ok_or_else(|| ApiError::internal("the core workspace has no livechat channel"))?,
    };
    let mut recorded = record.contact.is_some();
    loop {
        let contact_id = match record.contact.clone() {
            Some(id) => id,
            None => {
                let id = contact_for(core, links, visitor).await?;
                record.contact = Some(id.clone());
                ledger.record(visitor.owner, &record).await;
                id
            }
        };
        let opened = livechat::open_conversation(
            core,
            &NewLivechatConversation {
                client_request_id: visitor.owner,
                channel_id: &channel_id,
                customer_id: &contact_id,
                page_url: request.page_url.as_deref(),
                locale: request.locale.as_deref(),
            },
        )
        .await;
        match opened {
            Ok(conversation) => {
                return Ok(Opened {
                    // The conversation's own contact is the truth: an earlier attempt may have made the
                    // conversation with a contact this attempt did not.
                    contact: conversation.customer_id.filter(|c| !c.is_empty()).unwrap_or(contact_id),
                    conversation: conversation.id,
                    // Relasi.U made the contact with the name and email already.
                    introduce: None,
                });
            }
            // The recorded contact is gone from the core (deleted, or merged into another): make one again.
            Err(CoreError::NotFound(_) | CoreError::Rejected { .. }) if recorded => {
                recorded = false;
                record.contact = None;
            }
            Err(e) => {
                if looked_up && matches!(e, CoreError::Rejected { .. }) {
                    channels::forget_livechat();
                }
                return Err(e.into());
            }
        }
    }
}

/// The visitor's contact: a verified user's linked contact, else the contact with their verified email,
/// else a new one. Unverified names and emails never select an existing contact.
async fn contact_for<T: Transport>(
    core: &CoreClient<T>,
    links: &impl LinkStore,
    visitor: &Visitor<'_>,
) -> Result<String, ApiError> {
    let request = visitor.request;
    let link = visitor.user_id.map(|uid| identity::link_key(request.site_id.as_str(), uid));
    if let Some(key) = &link {
        if let Some(id) = links.get(key).await {
            return Ok(id);
        }
        if let Some(email) = request.email.as_deref() {
            if let Some(found) = contacts::find_by_email(core, email).await? {
                links.put(key, &found.id).await;
                return Ok(found.id);
            }
        }
    }
    let comment = visit_note(request, visitor.hints);
    let created = contacts::create(
        core,
        &NewContact {
            name: request.name.as_deref().map(str::trim).unwrap_or(ANONYMOUS_NAME),
            email: request.email.as_deref(),
            lead_source: "livechat",
            country: visitor.hints.country.as_deref(),
            comment: Some(&comment),
        },
    )
    .await?;
    if let Some(key) = &link {
        links.put(key, &created.id).await;
    }
    Ok(created.id)
}

/// Where and how the visitor started, for the agent.
pub fn visit_note(request: &CreateSession, hints: &Hints) -> String {
    let mut parts = vec!["Started a chat on the website".to_owned()];
    let fields = [
        ("page", request.page_url.as_deref()),
        ("referrer", request.referrer.as_deref()),
        ("locale", request.locale.as_deref()),
        ("timezone", hints.timezone.as_deref()),
        ("user id", request.user_id.as_deref()),
    ];
    parts.extend(fields.iter().filter_map(|(label, v)| v.map(|v| format!("{label}: {v}"))));
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_note_lists_what_is_known() {
        let request: CreateSession = serde_json::from_str(
            r#"{"site_id":"demo","client_id":"0d4c8a8e-5a0b","page_url":"https://shop.example/p","locale":"id-ID"}"#,
        )
        .unwrap();
        let note = visit_note(&request, &Hints { country: Some("ID".into()), timezone: Some("Asia/Jakarta".into()) });
        assert_eq!(
            note,
            "Started a chat on the website\npage: https://shop.example/p\nlocale: id-ID\ntimezone: Asia/Jakarta"
        );
    }
}
