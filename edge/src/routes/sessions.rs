//! `POST /v1/sessions`: the checks, the visitor's conversation opened on the site's core, a signed token.

use sapa_protocol::{ConversationId, CreateSession, SessionCreated, SessionToken, Validate};

use super::Ctx;
use crate::config::SiteConfig;
use crate::core::http::Transport;
use crate::core::{Hints, Ledger, LinkStore, Platform, Profile, Visitor};
use crate::error::ApiError;
use crate::identity;
use crate::token::{self, Claims, SESSION_TTL_S};

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

/// An opened session: the answer for the widget, and the scoped id that owns its conversation.
pub struct Opened {
    pub created: SessionCreated,
    /// The session's core id (no secret in it): the owner the conversation's hub is tied to.
    pub owner: String,
    /// What the hub keeps for the platform's first message (`core::Opened::introduce`).
    pub introduce: Option<Profile>,
}

/// Opens the visitor's conversation on the site's core and signs the token for it.
pub async fn open<T: Transport>(
    ctx: &Ctx<T>,
    links: &impl LinkStore,
    ledger: &impl Ledger,
    checked: Checked,
    hints: Hints,
) -> Result<Opened, ApiError> {
    let Checked { request, user_id, channel_id } = checked;
    let owner = ctx.ids.session(request.site_id.as_str(), &request.client_id, user_id.as_deref());
    let visitor = Visitor {
        request: &request,
        user_id: user_id.as_deref(),
        hints: &hints,
        owner: &owner,
        channel_id: channel_id.as_deref(),
    };
    let conversation = ctx.core(request.site_id.as_str())?.open(visitor, links, ledger).await?;
    let claims = Claims {
        site: request.site_id.0,
        contact: conversation.contact,
        conv: conversation.conversation.clone(),
        iat: ctx.now_s,
        exp: ctx.now_s + SESSION_TTL_S,
        uid: user_id,
        own: Some(owner.clone()),
    };
    let created = SessionCreated {
        token: SessionToken(token::sign(&claims, &ctx.session_secret)),
        expires_at: claims.exp,
        conversation_id: ConversationId(conversation.conversation),
    };
    Ok(Opened { created, owner, introduce: conversation.introduce })
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
