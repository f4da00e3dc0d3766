//! `POST /v1/sessions`: identity, contact, livechat conversation, signed token.

use sapa_protocol::{ConversationId, CreateSession, SessionCreated, SessionToken, Validate};
use serde::{Deserialize, Serialize};

use super::{Ctx, LinkStore};
use crate::config::SiteConfig;
use crate::core::types::{NewContact, NewLivechatConversation};
use crate::core::{channels, contacts, livechat, CoreError, Transport};
use crate::error::ApiError;
use crate::identity;
use crate::token::{self, Claims, SESSION_TTL_S};

/// The contact's name when the visitor gave none (the core requires one).
pub const ANONYMOUS_NAME: &str = "Website visitor";

/// What the edge knows about the visitor beyond the request (Cloudflare's request metadata).
#[derive(Clone, Debug, Default)]
pub struct Hints {
    pub country: Option<String>,
    pub timezone: Option<String>,
}

/// A session request that passed every check that needs no core call: valid fields, a known site open to
/// this origin, and the identity the site requires. Rate limits apply between this and [`open`].
pub struct Checked {
    request: CreateSession,
    user_id: Option<String>,
    /// The site's configured livechat channel, if it names one.
    channel_id: Option<String>,
}

impl Checked {
    pub fn site_id(&self) -> &str {
        self.request.site_id.as_str()
    }
}

pub fn check<T: Transport>(ctx: &Ctx<T>, request: CreateSession) -> Result<Checked, ApiError> {
    request.validate()?;
    let site_id = request.site_id.as_str();
    let site = ctx.site(site_id)?;
    let user_id = verified_user(ctx, site_id, site, &request)?;
    Ok(Checked { channel_id: site.channel_id.clone(), request, user_id })
}

/// What the edge has from the core for one session so far, kept by a [`Ledger`] from the moment the core
/// answers, so a retried session reuses it: the core's `POST /contacts` takes no idempotency id. (The
/// conversation needs no record: the session's scoped id makes the core answer the same one again.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Where sessions being opened are recorded (one Durable Object per session at the rim), keyed by the
/// session's scoped core id, which reveals nothing of its client id.
#[allow(async_fn_in_trait)]
pub trait Ledger {
    /// Takes the session for this attempt and answers what earlier attempts recorded; `SessionBusy` while
    /// another attempt holds it.
    async fn begin(&self, key: &str) -> Result<SessionRecord, ApiError>;
    /// Records what the core has made, as soon as it answers.
    async fn record(&self, key: &str, record: &SessionRecord);
    /// Lets the next attempt in, whether this one succeeded or not.
    async fn end(&self, key: &str);
}

/// An opened session: the answer for the widget, and the scoped id that owns its conversation.
pub struct Opened {
    pub created: SessionCreated,
    /// The session's core id (no secret in it): the owner the conversation's hub is tied to.
    pub owner: String,
}

/// Finds or creates the contact, opens the conversation and signs the token. Each step the core answers is
/// recorded before the next, so a retry never makes a second contact for the same session.
pub async fn open<T: Transport>(
    ctx: &Ctx<T>,
    links: &impl LinkStore,
    ledger: &impl Ledger,
    checked: Checked,
    hints: Hints,
) -> Result<Opened, ApiError> {
    let owner =
        ctx.ids.session(checked.request.site_id.as_str(), &checked.request.client_id, checked.user_id.as_deref());
    let record = ledger.begin(&owner).await?;
    let opened = open_recorded(ctx, links, ledger, &owner, record, checked, hints).await;
    ledger.end(&owner).await;
    Ok(Opened { created: opened?, owner })
}

async fn open_recorded<T: Transport>(
    ctx: &Ctx<T>,
    links: &impl LinkStore,
    ledger: &impl Ledger,
    owner: &str,
    mut record: SessionRecord,
    checked: Checked,
    hints: Hints,
) -> Result<SessionCreated, ApiError> {
    let Checked { request, user_id, channel_id } = checked;
    let site_id = request.site_id.as_str();

    let looked_up = channel_id.is_none();
    let channel_id = match channel_id {
        Some(id) => id,
        None => channels::livechat_cached(&ctx.core)
            .await?
            .ok_or_else(|| ApiError::internal("the core workspace has no livechat channel"))?,
    };
    let mut recorded = record.contact.is_some();
    let (conversation, contact_id) = loop {
        let contact_id = match record.contact.clone() {
            Some(id) => id,
            None => {
                let id = contact_for(ctx, links, site_id, user_id.as_deref(), &request, &hints).await?;
                record.contact = Some(id.clone());
                ledger.record(owner, &record).await;
                id
            }
        };
        let opened = livechat::open_conversation(
            &ctx.core,
            &NewLivechatConversation {
                client_request_id: owner,
                channel_id: &channel_id,
                customer_id: &contact_id,
                page_url: request.page_url.as_deref(),
                locale: request.locale.as_deref(),
            },
        )
        .await;
        match opened {
            Ok(conversation) => break (conversation, contact_id),
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
    };

    let claims = Claims {
        site: request.site_id.0,
        // The conversation's own contact is the truth: an earlier attempt may have made the conversation
        // with a contact this attempt did not.
        contact: conversation.customer_id.clone().filter(|c| !c.is_empty()).unwrap_or(contact_id),
        conv: conversation.id.clone(),
        iat: ctx.now_s,
        exp: ctx.now_s + SESSION_TTL_S,
        uid: user_id,
        own: Some(owner.to_owned()),
    };
    Ok(SessionCreated {
        token: SessionToken(token::sign(&claims, &ctx.session_secret)),
        expires_at: claims.exp,
        conversation_id: ConversationId(conversation.id),
    })
}

/// The user id if the request proves it; `None` for an anonymous visitor where the site allows them.
fn verified_user<T: Transport>(
    ctx: &Ctx<T>,
    site_id: &str,
    site: &SiteConfig,
    request: &CreateSession,
) -> Result<Option<String>, ApiError> {
    match (&request.user_id, &request.user_hash) {
        (Some(user_id), Some(hash)) => {
            let secret = ctx.identity_secrets.get(site_id).ok_or(ApiError::IdentityNotConfigured)?;
            if identity::verify(user_id, hash, secret) {
                Ok(Some(user_id.clone()))
            } else {
                Err(ApiError::IdentityInvalid)
            }
        }
        _ if site.require_identity => Err(ApiError::IdentityRequired),
        // An unsigned user id proves nothing: the visitor is anonymous.
        _ => Ok(None),
    }
}

/// The visitor's contact: a verified user's linked contact, else the contact with their verified email,
/// else a new one. Unverified names and emails never select an existing contact.
async fn contact_for<T: Transport>(
    ctx: &Ctx<T>,
    links: &impl LinkStore,
    site_id: &str,
    user_id: Option<&str>,
    request: &CreateSession,
    hints: &Hints,
) -> Result<String, ApiError> {
    let link = user_id.map(|uid| identity::link_key(site_id, uid));
    if let Some(key) = &link {
        if let Some(id) = links.get(key).await {
            return Ok(id);
        }
        if let Some(email) = request.email.as_deref() {
            if let Some(found) = contacts::find_by_email(&ctx.core, email).await? {
                links.put(key, &found.id).await;
                return Ok(found.id);
            }
        }
    }
    let comment = visit_note(request, hints);
    let created = contacts::create(
        &ctx.core,
        &NewContact {
            name: request.name.as_deref().map(str::trim).unwrap_or(ANONYMOUS_NAME),
            email: request.email.as_deref(),
            lead_source: "livechat",
            country: hints.country.as_deref(),
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
