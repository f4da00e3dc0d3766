//! respond.io's calls to the edge: `POST /core/respondio/{site}/{path secret}/message` for each agent reply
//! (the channel's API Base URL is `https://<edge>/core/respondio/{site}/{path secret}`).
//!
//! Assumed (open questions 1, 2 and 8 of respondio.md): the call carries `Authorization: Bearer <channel
//! token>` as respond.io's sample server checks; since one third-party note says it does not, the path secret
//! alone is also accepted until a live call settles it, and which proof was used is logged. Non-text replies
//! are shown as a fallback line, never refused: a 4xx may make respond.io mark the agent's message failed.

use sapa_protocol::{Author, AuthorKind, Message, MessageId, MessageStatus};
use serde::Deserialize;

use super::ids;
use crate::config::{RespondioChannel, Secret};
use crate::error::ApiError;

/// What an agent's reply that respond.io could not give as text is shown as.
pub const FALLBACK_TEXT: &str = "[The agent sent a message this chat cannot show]";

/// The body of respond.io's `/message` call (read tolerantly: unknown fields ignored).
#[derive(Debug, Deserialize)]
pub struct AgentCall {
    #[serde(rename = "channelId")]
    pub channel_id: String,
    #[serde(rename = "contactId")]
    pub contact_id: String,
    #[serde(default)]
    pub message: Option<AgentMessage>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AgentMessage {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
}

/// How a call proved it came from the site's channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    Bearer,
    /// The path secret alone (no Authorization header was sent).
    PathOnly,
}

/// Equal in constant time for equal lengths (the lengths of secrets are not themselves secret here).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a call's proof: the path secret always, and the bearer token whenever a header is sent (a wrong
/// token is refused even with the right path).
pub fn verify(token: &Secret, path: &Secret, path_given: &str, bearer: Option<&str>) -> Result<Proof, ApiError> {
    if !same(path_given, path.expose()) {
        return Err(ApiError::WebhookSignatureInvalid);
    }
    match bearer {
        Some(given) if same(given, token.expose()) => Ok(Proof::Bearer),
        Some(_) => Err(ApiError::WebhookSignatureInvalid),
        None => Ok(Proof::PathOnly),
    }
}

/// The agent's reply for the conversation it belongs to, under `reply_id` (the `mId` the edge answers).
/// A call naming another channel, or a contact the edge never made, is refused.
pub fn reply(
    site: &str,
    channel: &RespondioChannel,
    call: AgentCall,
    reply_id: String,
    now_ms: i64,
) -> Result<(String, Message), ApiError> {
    if call.channel_id != channel.channel_id {
        return Err(ApiError::WebhookSignatureInvalid);
    }
    if !ids::is_contact(&call.contact_id) {
        return Err(ApiError::NotFound);
    }
    let message = call.message.unwrap_or_default();
    let text = match (message.kind.as_str(), message.text) {
        ("text", Some(text)) if !text.trim().is_empty() => text,
        _ => FALLBACK_TEXT.to_owned(),
    };
    let message = Message {
        id: MessageId(reply_id),
        client_id: None,
        author: Author { kind: AuthorKind::Agent, name: None, avatar_url: None },
        text,
        created_at: now_ms,
        status: MessageStatus::Sent,
        attachment: None,
    };
    Ok((ids::conversation(site, &call.contact_id), message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> (Secret, Secret) {
        (Secret::new("rio_token".into()), Secret::new("path-secret-1".into()))
    }

    fn channel() -> RespondioChannel {
        serde_json::from_str(r#"{"channel_id":"ch_1","token_secret":"T","path_secret":"P"}"#).unwrap()
    }

    #[test]
    fn a_call_proves_itself_by_its_path_and_any_token_it_sends() {
        let (token, path) = secrets();
        assert_eq!(verify(&token, &path, "path-secret-1", Some("rio_token")).unwrap(), Proof::Bearer);
        assert_eq!(verify(&token, &path, "path-secret-1", None).unwrap(), Proof::PathOnly);
        for (given, bearer) in [("path-secret-1", Some("rio_tokeN")), ("path-secret-2", Some("rio_token")), ("", None)]
        {
            let e = verify(&token, &path, given, bearer).unwrap_err();
            assert_eq!(e.status(), 401, "{given} {bearer:?}");
        }
    }

    #[test]
    fn a_reply_lands_in_its_contacts_conversation_and_anything_but_text_is_shown_as_a_fallback() {
        let contact = format!("v_{}", "ab".repeat(16));
        let call = |body: String| serde_json::from_str::<AgentCall>(&body).unwrap();
        let text = call(format!(
            r#"{{"channelId":"ch_1","contactId":"{contact}","message":{{"type":"text","text":"Halo"}}}}"#
        ));
        let (conversation, m) = reply("shop", &channel(), text, "a_1".into(), 7).unwrap();
        assert_eq!(
            (conversation.as_str(), m.text.as_str(), m.author.kind),
            (format!("rio.shop.{contact}").as_str(), "Halo", AuthorKind::Agent)
        );
        let image = call(format!(
            r#"{{"channelId":"ch_1","contactId":"{contact}","message":{{"type":"attachment","attachment":{{"type":"image","url":"https://x"}}}}}}"#
        ));
        assert_eq!(reply("shop", &channel(), image, "a_2".into(), 7).unwrap().1.text, FALLBACK_TEXT);
        let other_channel =
            call(format!(r#"{{"channelId":"ch_2","contactId":"{contact}","message":{{"type":"text","text":"x"}}}}"#));
        assert_eq!(reply("shop", &channel(), other_channel, "a_3".into(), 7).unwrap_err().status(), 401);
        let not_ours =
            call(r#"{"channelId":"ch_1","contactId":"+60177872890","message":{"type":"text","text":"x"}}"#.into());
        assert_eq!(reply("shop", &channel(), not_ours, "a_4".into(), 7).unwrap_err().status(), 404);
    }
}
