//! The platforms behind the edge. Routes and the real-time code speak to a site's core through [`Platform`]
//! in `protocol` types; each adapter (today `relasi/`) turns that into its platform's calls and declares what
//! it can carry. Nothing outside an adapter names a platform's endpoints or types.
//!
//! Rules every adapter obeys live here too: an answer is the caller's own before it is returned ([`own`]), and
//! what the core made for a session being opened is recorded before the next step ([`Ledger`]).

pub mod http;
pub mod relasi;
pub mod respondio;

use futures_util::future::LocalBoxFuture;
use sapa_protocol::{ContactAttributes, CreateSession, Message, RateConversation, Rating, SendMessage};
use serde::{Deserialize, Serialize};

use crate::attachments::Upload;
use crate::error::ApiError;
use crate::token::Claims;

/// What a platform can carry. The widget learns the visitor-facing part from `GET /v1/sites/{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Files and the rating, which the widget offers only where they work.
    pub widget: sapa_protocol::Capabilities,
    /// `setAttributes` reaches the contact.
    pub attributes: bool,
    /// The platform gives a conversation's messages back (else the edge's own log is the thread).
    pub history: bool,
    /// How agents' replies reach the edge.
    pub realtime: Realtime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Realtime {
    /// Signed webhooks, with a delta-sync poll where the edge holds no webhook secret.
    WebhookOrPoll,
    /// The platform calls the edge for every reply.
    Push,
}

/// What the core a site names can carry (nothing for a name this edge does not know).
pub fn capabilities(kind: crate::config::CoreKind) -> Capabilities {
    use crate::config::CoreKind;
    match kind {
        CoreKind::Relasi => relasi::platform::CAPABILITIES,
        CoreKind::Respondio => respondio::CAPABILITIES,
        CoreKind::Unknown => Capabilities {
            widget: sapa_protocol::Capabilities { files: false, rating: false },
            attributes: false,
            history: false,
            realtime: Realtime::Push,
        },
    }
}

/// What the edge knows about the visitor beyond the request (Cloudflare's request metadata).
#[derive(Clone, Debug, Default)]
pub struct Hints {
    pub country: Option<String>,
    pub timezone: Option<String>,
}

/// A visitor whose session passed every check: what an adapter opens a conversation for.
pub struct Visitor<'a> {
    pub request: &'a CreateSession,
    /// A verified user id, if the page proved one.
    pub user_id: Option<&'a str>,
    pub hints: &'a Hints,
    /// The session's scoped core id: the idempotency id of the conversation, and its ledger key.
    pub owner: &'a str,
    /// The site's configured channel on its platform, if it names one.
    pub channel_id: Option<&'a str>,
}

/// The visitor's conversation as the platform knows it: what the session token names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub conversation: String,
    pub contact: String,
    /// Who the visitor is, for a platform that takes it with their first message rather than now: the
    /// conversation's hub keeps it until then.
    pub introduce: Option<Profile>,
}

/// The name and email the visitor gave (the pre-chat form, or the site's identify call).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One site's core.
#[allow(async_fn_in_trait)]
pub trait Platform {
    fn capabilities(&self) -> Capabilities;
    /// Finds or creates the visitor's contact and opens (or finds again) their conversation. A retry of the
    /// same session opens the same conversation and never makes a second contact.
    async fn open(
        &self,
        visitor: Visitor<'_>,
        links: &impl LinkStore,
        ledger: &impl Ledger,
    ) -> Result<Opened, ApiError>;
    /// The visitor's text into the token's conversation, once per client id.
    async fn send_text(&self, claims: &Claims, request: &SendMessage) -> Result<Message, ApiError>;
    /// A checked file into the token's conversation, once per client id.
    async fn send_file(&self, claims: &Claims, upload: Upload) -> Result<Message, ApiError>;
    /// The visitor's verdict, where agents see it; once per client id.
    async fn rate(&self, claims: &Claims, rating: &RateConversation) -> Result<Message, ApiError>;
    /// The site's attributes written over the token's contact; fields not named stay as they are.
    async fn set_attributes(&self, claims: &Claims, attributes: ContactAttributes) -> Result<(), ApiError>;
    /// The conversation's newest messages back to `from_ms` (UNIX ms), `true` with them when the read reached
    /// that far (or the start); `None` reads as far as the platform gives. Only the conversation's own.
    async fn history(&self, conversation: &str, from_ms: Option<i64>) -> Result<(Vec<Message>, bool), ApiError>;
}

pub use relasi::changes::{Delivery, PollState, PollStore};

/// What changed on a core since a watermark, for an edge the core sends no webhooks: its delta sync, which
/// the poller runs for the conversations visitors watch (Relasi.U's; a platform that pushes needs none).
#[allow(async_fn_in_trait)]
pub trait Changes {
    async fn since(&self, state: &mut PollState, now_s: i64) -> Result<Vec<Delivery>, http::CoreError>;
}

/// What the edge's thread says of a visitor's write a request is about to send.
#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    /// The write is recorded already: answer it, send nothing.
    Recorded(Box<Message>),
    /// This request sends it, and releases the claim if the send fails; with the visitor's profile while no
    /// message of theirs is recorded (`Opened::introduce`).
    Yours(Option<Profile>),
    /// Another request is sending it right now.
    Busy,
}

/// The edge's own record of a conversation (its hub at the rim): the whole thread where the platform gives no
/// history back, and what tells a retried write that the platform already took it. Boxed futures, so a
/// request holds it as `&dyn Thread` whatever the rim's type.
pub trait Thread {
    /// Claims a visitor's write for this request, or says it is recorded or being sent by another one.
    fn claim<'a>(&'a self, conversation: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, Result<Claim, ApiError>>;
    /// Ends this request's claim after a failed send (failures are only logged: the claim lapses anyway).
    fn release<'a>(&'a self, conversation: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, ()>;
    /// Records a message the platform accepted, before the visitor is answered.
    fn record<'a>(
        &'a self,
        site: &'a str,
        conversation: &'a str,
        message: &'a Message,
    ) -> LocalBoxFuture<'a, Result<(), ApiError>>;
    /// Every message recorded, oldest first.
    fn messages<'a>(&'a self, conversation: &'a str) -> LocalBoxFuture<'a, Result<Vec<Message>, ApiError>>;
}

/// A site's core for one request: the adapter its configuration names.
pub enum Adapter<'a, T: http::Transport> {
    Relasi(relasi::platform::Relasi<'a, T>),
    Respondio(respondio::RespondIo<'a, T>),
}

impl<T: http::Transport> Platform for Adapter<'_, T> {
    fn capabilities(&self) -> Capabilities {
        match self {
            Self::Relasi(p) => p.capabilities(),
            Self::Respondio(p) => p.capabilities(),
        }
    }

    async fn open(
        &self,
        visitor: Visitor<'_>,
        links: &impl LinkStore,
        ledger: &impl Ledger,
    ) -> Result<Opened, ApiError> {
        match self {
            Self::Relasi(p) => p.open(visitor, links, ledger).await,
            Self::Respondio(p) => p.open(visitor, links, ledger).await,
        }
    }

    async fn send_text(&self, claims: &Claims, request: &SendMessage) -> Result<Message, ApiError> {
        match self {
            Self::Relasi(p) => p.send_text(claims, request).await,
            Self::Respondio(p) => p.send_text(claims, request).await,
        }
    }

    async fn send_file(&self, claims: &Claims, upload: Upload) -> Result<Message, ApiError> {
        match self {
            Self::Relasi(p) => p.send_file(claims, upload).await,
            Self::Respondio(p) => p.send_file(claims, upload).await,
        }
    }

    async fn rate(&self, claims: &Claims, rating: &RateConversation) -> Result<Message, ApiError> {
        match self {
            Self::Relasi(p) => p.rate(claims, rating).await,
            Self::Respondio(p) => p.rate(claims, rating).await,
        }
    }

    async fn set_attributes(&self, claims: &Claims, attributes: ContactAttributes) -> Result<(), ApiError> {
        match self {
            Self::Relasi(p) => p.set_attributes(claims, attributes).await,
            Self::Respondio(p) => p.set_attributes(claims, attributes).await,
        }
    }

    async fn history(&self, conversation: &str, from_ms: Option<i64>) -> Result<(Vec<Message>, bool), ApiError> {
        match self {
            Self::Relasi(p) => p.history(conversation, from_ms).await,
            Self::Respondio(p) => p.history(conversation, from_ms).await,
        }
    }
}

/// Where a verified user's contact id is remembered (Workers KV at the rim), so one user is one contact
/// across devices.
#[allow(async_fn_in_trait)]
pub trait LinkStore {
    async fn get(&self, key: &str) -> Option<String>;
    async fn put(&self, key: &str, value: &str);
}

/// What the edge has from the core for one session so far, kept by a [`Ledger`] from the moment the core
/// answers, so a retried session reuses it where the platform takes no idempotency id for that step.
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

/// What a platform echoes of a write: the conversation it landed in and, where it echoes one, the id it
/// was stored under.
pub struct Echo<'a> {
    pub conversation: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

/// A core's answer to a write is accepted only when it is the caller's own: in the token's conversation and,
/// where the core echoes it, under the id the edge sent. A replayed id that answers with someone else's
/// record is refused before anything is returned or pushed.
pub fn own(echo: Echo<'_>, claims: &Claims, core_id: &str) -> Result<(), ApiError> {
    if echo.conversation != Some(claims.conv.as_str()) {
        return Err(ApiError::IdempotencyConflict {
            detail: "the core answered a replayed id from another conversation".into(),
        });
    }
    if echo.request_id.is_some_and(|echoed| echoed != core_id) {
        return Err(ApiError::IdempotencyConflict {
            detail: "the core answered a replayed id with another id's record".into(),
        });
    }
    Ok(())
}

/// A rating as the line agents read where a platform has no rating of its own: the verdict first, then the
/// visitor's words, quoted.
pub fn rating_line(rating: &RateConversation) -> String {
    let verdict = match rating.rating {
        Rating::Good => "Visitor rated this conversation: good 👍",
        Rating::Bad => "Visitor rated this conversation: bad 👎",
    };
    match rating.comment_text() {
        Some(comment) => format!("{verdict}\n“{comment}”"),
        None => verdict.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rating_line_quotes_a_comment_and_skips_a_blank_one() {
        let mut rating = RateConversation {
            client_id: "7b1f1a52-3a41-4c7e".into(),
            rating: Rating::Bad,
            comment: Some("  ".into()),
        };
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: bad 👎");
        rating.comment = Some("\u{200B}\u{200F} ".into());
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: bad 👎", "only invisible characters");
        rating.comment = Some("Too slow".into());
        rating.rating = Rating::Good;
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: good 👍\n“Too slow”");
    }

    fn claims() -> Claims {
        Claims {
            site: "demo".into(),
            contact: "ct_1".into(),
            conv: "cv_1".into(),
            iat: 0,
            exp: 1,
            uid: None,
            own: None,
        }
    }

    fn echo<'a>(conversation: Option<&'a str>, request_id: Option<&'a str>) -> Echo<'a> {
        Echo { conversation, request_id }
    }

    #[test]
    fn a_replayed_id_answering_another_conversations_message_is_refused() {
        let e = own(echo(Some("cv_2"), Some("sapa1.m.x.t")), &claims(), "sapa1.m.x.t").unwrap_err();
        assert_eq!(e.code(), sapa_protocol::ErrorCode::IdempotencyConflict);
        assert_eq!(e.status(), 409);
        assert!(!serde_json::to_string(&e.body()).unwrap().contains("cv_2"), "nothing of theirs in the answer");
        assert!(own(echo(None, None), &claims(), "sapa1.m.x.t").is_err(), "no conversation named: not provably ours");
    }

    #[test]
    fn an_answer_under_another_id_is_refused_and_our_own_passes() {
        assert!(own(echo(Some("cv_1"), Some("agent-side-id")), &claims(), "sapa1.r.x.t").is_err());
        assert!(own(echo(Some("cv_1"), Some("sapa1.m.x.t")), &claims(), "sapa1.m.x.t").is_ok());
        assert!(own(echo(Some("cv_1"), None), &claims(), "sapa1.m.x.t").is_ok(), "an id not echoed");
    }
}
