//! `POST /core/respondio/{site}/{path secret}/message`: an agent's reply, called by respond.io. The path
//! and the channel token are checked before the body is read; the reply goes to the conversation of the
//! contact it names, which must be one the edge made.

use super::Ctx;
use crate::core::http::Transport;
use crate::core::respondio::inbound::{self, AgentCall, Proof};
use crate::error::ApiError;

/// The part of the path after this prefix names the site and carries the path secret.
pub const RESPONDIO_PREFIX: &str = "/core/respondio/";

/// A call whose proof checked out, for a site with a respond.io channel.
pub struct Checked<'a> {
    pub site: &'a str,
    pub proof: Proof,
}

/// An agent's reply, for its conversation's hub.
pub struct Reply {
    pub conversation: String,
    pub message: sapa_protocol::Message,
}

/// What respond.io is answered: the id it tracks the reply by.
#[derive(serde::Serialize)]
pub struct Answer<'a> {
    #[serde(rename = "mId")]
    pub m_id: &'a str,
}

/// Checks the path (`{site}/{path secret}/message`) and the proof. A site without a respond.io channel is
/// 404 like any unknown path, so the route tells nothing about which sites exist.
pub fn check<'a, T: Transport>(ctx: &'a Ctx<T>, rest: &'a str, bearer: Option<&str>) -> Result<Checked<'a>, ApiError> {
    let (site, rest) = rest.split_once('/').ok_or(ApiError::NotFound)?;
    let path_secret = rest.strip_suffix("/message").ok_or(ApiError::NotFound)?;
    let channel = ctx.channels.get(site).ok_or(ApiError::NotFound)?;
    let proof = inbound::verify(&channel.token, &channel.path, path_secret, bearer)?;
    Ok(Checked { site, proof })
}

/// The reply under `reply_id`, in the conversation of the contact the call names.
pub fn reply<T: Transport>(
    ctx: &Ctx<T>,
    checked: &Checked<'_>,
    call: AgentCall,
    reply_id: String,
) -> Result<Reply, ApiError> {
    let channel = ctx.channels.get(checked.site).ok_or(ApiError::NotFound)?;
    let (conversation, message) = inbound::reply(checked.site, &channel.config, call, reply_id, ctx.now_ms)?;
    Ok(Reply { conversation, message })
}
