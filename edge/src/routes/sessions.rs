//! `POST /v1/sessions`: contact, livechat conversation, signed token.

use sapa_protocol::{ConversationId, CreateSession, SessionCreated, SessionToken, Validate};

use super::Ctx;
use crate::core::types::{NewContact, NewLivechatConversation};
use crate::core::{channels, contacts, livechat, Transport};
use crate::error::ApiError;
use crate::token::{self, Claims, SESSION_TTL_S};

/// The contact's name when the visitor gave none (the core requires one).
pub const ANONYMOUS_NAME: &str = "Website visitor";

pub async fn create<T: Transport>(ctx: &Ctx<T>, request: CreateSession) -> Result<SessionCreated, ApiError> {
    request.validate()?;
    let site = ctx.site(request.site_id.as_str())?;

    let channel_id = match &site.channel_id {
        Some(id) => id.clone(),
        None => channels::find_livechat(&ctx.core)
            .await?
            .ok_or_else(|| ApiError::internal("the core workspace has no livechat channel"))?,
    };
    let contact = contacts::create(
        &ctx.core,
        &NewContact {
            name: request.name.as_deref().map(str::trim).unwrap_or(ANONYMOUS_NAME),
            email: request.email.as_deref(),
            lead_source: "livechat",
        },
    )
    .await?;
    let conversation = livechat::open_conversation(
        &ctx.core,
        &NewLivechatConversation {
            client_request_id: request.client_id.as_str(),
            channel_id: &channel_id,
            customer_id: &contact.id,
            page_url: request.page_url.as_deref(),
            locale: request.locale.as_deref(),
        },
    )
    .await?;

    let claims = Claims {
        site: request.site_id.0,
        contact: contact.id,
        conv: conversation.id.clone(),
        iat: ctx.now_s,
        exp: ctx.now_s + SESSION_TTL_S,
    };
    Ok(SessionCreated {
        token: SessionToken(token::sign(&claims, &ctx.session_secret)),
        expires_at: claims.exp,
        conversation_id: ConversationId(conversation.id),
    })
}
