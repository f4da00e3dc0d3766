//! respond.io through its Custom Channel (`shared/core-api/respondio.md`). A visitor's message is one event
//! posted to the channel's Webhook URL with the channel's token; respond.io creates the contact on its first
//! message. Agents' replies come the other way, as calls to the edge (`inbound.rs`). respond.io gives no
//! history back, so the conversation's thread is the edge's own record ([`Thread`]), which is also what keeps a
//! retried write from being posted twice: nothing documents that respond.io drops a repeated `mId`.
//!
//! Everything assumed about respond.io lives in this module (listed in ARCHITECTURE.md).

pub mod ids;
pub mod inbound;

use sapa_protocol::{Author, AuthorKind, ClientId, ContactAttributes, Message, MessageId, MessageStatus};
use sapa_protocol::{CreateSession, RateConversation, SendMessage};
use serde::Serialize;

use crate::attachments::Upload;
use crate::config::{RespondioChannel, Secret};
use crate::core::http::{CoreClient, CoreRequest, Retry, Transport};
use crate::core::{
    rating_line, Capabilities, Claim, Ledger, LinkStore, Opened, Platform, Profile, Realtime, Thread, Visitor,
};
use crate::error::ApiError;
use crate::scope::IdScope;
use crate::token::Claims;

/// What a Custom Channel carries in this adapter: text (and the rating as a line of text). Files wait for a
/// live test of the attachment shape; contact attributes need the Developer API, which v1 does not use.
pub const CAPABILITIES: Capabilities = Capabilities {
    widget: sapa_protocol::Capabilities { files: false, rating: true },
    attributes: false,
    history: false,
    realtime: Realtime::Push,
};

/// One site's channel: its settings, a client for its Webhook URL (with the channel token as the bearer),
/// and the secrets that prove respond.io's calls to the edge.
pub struct Channel<T: Transport> {
    pub config: RespondioChannel,
    pub client: CoreClient<T>,
    pub token: Secret,
    pub path: Secret,
}

/// A site's respond.io core for one request.
pub struct RespondIo<'a, T: Transport> {
    pub site: &'a str,
    pub channel: &'a Channel<T>,
    pub ids: &'a IdScope,
    pub thread: &'a dyn Thread,
    /// UNIX ms at the start of the request: the event's time.
    pub now_ms: i64,
}

/// The Webhook URL's body: one event from one contact, with the contact's profile on the first message
/// (respond.io reads it when it creates the contact).
#[derive(Serialize)]
struct Event<'a> {
    #[serde(rename = "channelId")]
    channel_id: &'a str,
    #[serde(rename = "contactId")]
    contact_id: &'a str,
    events: [EventBody<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<Contact<'a>>,
}

/// The whole name goes in `firstName`: splitting names into first and last is not ours to guess.
#[derive(Serialize)]
struct Contact<'a> {
    #[serde(rename = "firstName", skip_serializing_if = "Option::is_none")]
    first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

#[derive(Serialize)]
struct EventBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "mId")]
    m_id: &'a str,
    timestamp: i64,
    message: Text<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: &'a str,
}

impl<T: Transport> RespondIo<'_, T> {
    /// Posts a visitor's text once: a write the edge already recorded is answered from the record, one that
    /// another request is sending is refused as busy (retryable), else it goes to the channel under its `mId`
    /// (retried with the same one) and is recorded before the answer.
    async fn post(&self, claims: &Claims, kind: &str, client_id: &ClientId, text: &str) -> Result<Message, ApiError> {
        let introduce = match self.thread.claim(&claims.conv, client_id.as_str()).await? {
            Claim::Recorded(known) => return Ok(*known),
            Claim::Busy => return Err(ApiError::WriteBusy),
            Claim::Yours(introduce) => introduce,
        };
        let sent = self.send(claims, kind, client_id, text, introduce.as_ref()).await;
        if sent.is_err() {
            self.thread.release(&claims.conv, client_id.as_str()).await;
        }
        sent
    }

    /// One visitor write to the channel, recorded in the thread once respond.io took it.
    async fn send(
        &self,
        claims: &Claims,
        kind: &str,
        client_id: &ClientId,
        text: &str,
        introduce: Option<&Profile>,
    ) -> Result<Message, ApiError> {
        let m_id = ids::message(self.ids, kind, &claims.conv, client_id.as_str());
        let event = Event {
            channel_id: &self.channel.config.channel_id,
            contact_id: &claims.contact,
            events: [EventBody {
                kind: "message",
                m_id: &m_id,
                timestamp: self.now_ms,
                message: Text { kind: "text", text },
            }],
            contact: introduce.map(|p| Contact { first_name: p.name.as_deref(), email: p.email.as_deref() }),
        };
        let request = CoreRequest::post_json("", &event);
        self.channel.client.call::<serde::de::IgnoredAny>(request, Retry::Safe).await?;
        let message = Message {
            id: MessageId(m_id),
            client_id: Some(client_id.clone()),
            author: Author { kind: AuthorKind::Visitor, name: None, avatar_url: None },
            text: text.to_owned(),
            created_at: self.now_ms,
            status: MessageStatus::Sent,
            attachment: None,
        };
        self.thread.record(self.site, &claims.conv, &message).await?;
        Ok(message)
    }
}

impl<T: Transport> Platform for RespondIo<'_, T> {
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    /// Nothing to call: respond.io makes the contact with the first message, which carries the name and
    /// email the visitor gave (kept by the hub until then). The contact id is keyed on the session, so a
    /// retried session names the same contact and conversation.
    async fn open(&self, visitor: Visitor<'_>, _: &impl LinkStore, _: &impl Ledger) -> Result<Opened, ApiError> {
        let contact = ids::contact(self.ids, visitor.owner);
        let CreateSession { name, email, .. } = visitor.request;
        let introduce =
            (name.is_some() || email.is_some()).then(|| Profile { name: name.clone(), email: email.clone() });
        Ok(Opened { conversation: ids::conversation(self.site, &contact), contact, introduce })
    }

    async fn send_text(&self, claims: &Claims, request: &SendMessage) -> Result<Message, ApiError> {
        self.post(claims, "m", &request.client_id, &request.text).await
    }

    async fn send_file(&self, _: &Claims, _: Upload) -> Result<Message, ApiError> {
        Err(ApiError::NotSupported)
    }

    /// A line of text from the visitor, as agents read it on every platform without a rating of its own.
    async fn rate(&self, claims: &Claims, rating: &RateConversation) -> Result<Message, ApiError> {
        self.post(claims, "r", &rating.client_id, &rating_line(rating)).await
    }

    async fn set_attributes(&self, _: &Claims, _: ContactAttributes) -> Result<(), ApiError> {
        Err(ApiError::NotSupported)
    }

    /// The edge's own record: respond.io gives no history back.
    async fn history(&self, conversation: &str, _: Option<i64>) -> Result<(Vec<Message>, bool), ApiError> {
        Ok((self.thread.messages(conversation).await?, true))
    }
}

#[cfg(test)]
mod tests;
