//! Calls from the Worker (and the poller) to the Durable Objects: one `ConversationHub` per conversation,
//! named by its id, and the one `SyncPoller`. Internal requests to `https://hub/...`, JSON both ways.

use sapa_protocol::StreamEvent;
use serde::{Deserialize, Serialize};
use worker::{console_error, Env, Headers, Method, Request, RequestInit, Response, Stub};

use crate::core::{Claim, Profile};
use crate::error::ApiError;
use crate::realtime::{HubAnswer, HubCall, Input};
use crate::token::Claims;

/// The bindings, as named in wrangler.toml.
pub const HUBS: &str = "HUBS";
pub const POLLER: &str = "POLLER";

/// Headers the Worker sets on hub requests; a hub is reachable only through its binding, so they are trusted.
pub const SITE_HEADER: &str = "X-Sapa-Site";
pub const CONVERSATION_HEADER: &str = "X-Sapa-Conversation";
pub const SOCKET_HEADER: &str = "X-Sapa-Socket";
/// The session's owner id from its token, when it names one.
pub const OWNER_HEADER: &str = "X-Sapa-Owner";
/// Set when the widget offered [`sapa_protocol::stream::SUBPROTOCOL`]: the hub may answer with it, never
/// with a subprotocol the client did not offer (RFC 6455).
pub const SUBPROTOCOL_HEADER: &str = "X-Sapa-Subprotocol";

/// What a hub keeps with each socket: enough to check the session again later without the visitor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SocketAuth {
    pub token: sapa_protocol::SessionToken,
    pub origin: Option<String>,
    pub exp: i64,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("hub: {e}"))
}

fn hub(env: &Env, conversation: &str) -> Result<Stub, ApiError> {
    env.durable_object(HUBS).and_then(|ns| ns.id_from_name(conversation)?.get_stub()).map_err(internal)
}

fn request(path: &str, method: Method, headers: Headers, body: Option<String>) -> Result<Request, ApiError> {
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers).with_body(body.map(Into::into));
    Request::new_with_init(&format!("https://hub{path}"), &init).map_err(internal)
}

/// `/register`'s body.
#[derive(Serialize, Deserialize)]
pub struct Register {
    pub site: String,
    /// The session that opened the conversation.
    #[serde(default)]
    pub owner: Option<String>,
    /// Who the visitor is, kept for the platform's first message (`core::Opened::introduce`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

/// Headers a hub answers a claim with: the visitor's profile, percent-encoded (header values are bytes).
pub const NAME_HEADER: &str = "X-Sapa-Name";
pub const EMAIL_HEADER: &str = "X-Sapa-Email";

/// A JSON call to a hub, answered whatever its status.
async fn call<B: Serialize>(stub: &Stub, path: &str, conversation: &str, body: &B) -> Result<Response, ApiError> {
    let headers = Headers::new();
    headers.set(CONVERSATION_HEADER, conversation).map_err(internal)?;
    let json = serde_json::to_string(body).map_err(internal)?;
    stub.fetch_with_request(request(path, Method::Post, headers, Some(json))?).await.map_err(internal)
}

async fn post<B: Serialize>(stub: &Stub, path: &str, conversation: &str, body: &B) -> Result<Response, ApiError> {
    let resp = call(stub, path, conversation, body).await?;
    if resp.status_code() != 200 {
        return Err(internal(format!("{path} answered {}", resp.status_code())));
    }
    Ok(resp)
}

/// Hands a conversation's inputs to its hub, which pushes what is new to the conversation's sockets.
pub async fn ingest(env: &Env, conversation: &str, call: &HubCall) -> Result<HubAnswer, ApiError> {
    let mut resp = post(&hub(env, conversation)?, "/ingest", conversation, call).await?;
    resp.json().await.map_err(internal)
}

/// The edge's own copy of a message it just sent for the visitor: other tabs see it at once, and the core's
/// webhook for it later is recognised as the same message. Failures are only logged: the send succeeded.
pub async fn echo(env: Env, claims: Claims, message: sapa_protocol::Message) {
    let call = HubCall { delivery: None, site: Some(claims.site), inputs: vec![Input::Message { message }] };
    if let Err(e) = ingest(&env, &claims.conv, &call).await {
        console_error!("echo to hub failed: {}", e.log_detail().unwrap_or("?"));
    }
}

/// Messages as the hub answers them: as stream events, whose reader the bundle has already (the hub reads
/// its log with it), rather than a second reader for bare messages.
fn messages_of(events: Vec<StreamEvent>) -> Vec<sapa_protocol::Message> {
    events
        .into_iter()
        .filter_map(|e| match e {
            StreamEvent::Message { message, .. } => Some(message),
            _ => None,
        })
        .collect()
}

/// Claims a visitor's write in its conversation's hub before it is sent (`realtime::claims`).
pub async fn claim(env: &Env, conversation: &str, client_id: &str) -> Result<Claim, ApiError> {
    let mut resp = call(&hub(env, conversation)?, "/claim", conversation, &client_id).await?;
    match resp.status_code() {
        409 => Ok(Claim::Busy),
        200 => {
            let header = |name| {
                let value = resp.headers().get(name).ok().flatten()?;
                urlencoding::decode(&value).ok().map(|v| v.into_owned())
            };
            let profile = Profile { name: header(NAME_HEADER), email: header(EMAIL_HEADER) };
            let introduce = (profile != Profile::default()).then_some(profile);
            Ok(match messages_of(resp.json().await.map_err(internal)?).pop() {
                Some(message) => Claim::Recorded(Box::new(message)),
                None => Claim::Yours(introduce),
            })
        }
        status => Err(internal(format!("/claim answered {status}"))),
    }
}

/// Releases a claim whose send failed. A failure is only logged: the claim lapses on its own.
pub async fn release(env: &Env, conversation: &str, client_id: &str) {
    let result = async { post(&hub(env, conversation)?, "/release", conversation, &client_id).await };
    if let Err(e) = result.await {
        console_error!("hub release failed: {}", e.log_detail().unwrap_or("?"));
    }
}

/// Every message the conversation's hub holds, oldest first.
pub async fn thread(env: &Env, conversation: &str) -> Result<Vec<sapa_protocol::Message>, ApiError> {
    let mut resp = post(&hub(env, conversation)?, "/thread", conversation, &()).await?;
    Ok(messages_of(resp.json().await.map_err(internal)?))
}

/// Records a message in its conversation's hub now (not after the answer), which pushes it to the sockets.
pub async fn record(
    env: &Env,
    site: &str,
    conversation: &str,
    message: &sapa_protocol::Message,
) -> Result<(), ApiError> {
    let inputs = vec![Input::Message { message: message.clone() }];
    let call = HubCall { delivery: None, site: Some(site.to_owned()), inputs };
    ingest(env, conversation, &call).await.map(|_| ())
}

/// Ties a conversation the edge has just opened to its site, so the core's events for it are accepted and
/// (with webhooks) its log is complete from the first message.
pub async fn register(env: &Env, conversation: &str, site: &str, owner: &str, profile: Option<Profile>) {
    let result = async {
        let stub = hub(env, conversation)?;
        let body = Register { site: site.to_owned(), owner: Some(owner.to_owned()), profile };
        post(&stub, "/register", conversation, &body).await
    };
    if let Err(e) = result.await {
        console_error!("hub registration failed: {}", e.log_detail().unwrap_or("?"));
    }
}

/// Passes an authenticated stream upgrade to the conversation's hub, which accepts the socket.
pub async fn connect(
    env: &Env,
    claims: &Claims,
    auth: &SocketAuth,
    cursor: Option<&str>,
    offered_ours: bool,
) -> Result<Response, ApiError> {
    let headers = Headers::new();
    let socket = serde_json::to_string(auth).map_err(internal)?;
    for (name, value) in [
        ("Upgrade", "websocket"),
        (SITE_HEADER, claims.site.as_str()),
        (CONVERSATION_HEADER, claims.conv.as_str()),
        (SOCKET_HEADER, socket.as_str()),
    ] {
        headers.set(name, value).map_err(internal)?;
    }
    if let Some(owner) = &claims.own {
        headers.set(OWNER_HEADER, owner).map_err(internal)?;
    }
    if offered_ours {
        headers.set(SUBPROTOCOL_HEADER, "1").map_err(internal)?;
    }
    let query = cursor.map(|c| format!("?cursor={}", urlencoding::encode(c))).unwrap_or_default();
    let req = request(&format!("/connect{query}"), Method::Get, headers, None)?;
    hub(env, &claims.conv)?.fetch_with_request(req).await.map_err(internal)
}

/// Tells the poller to start or stop reading a conversation's changes (every second in polling mode; as the
/// safety net for lost webhooks in webhook mode).
pub async fn watch(env: &Env, conversation: &str, on: bool) {
    let result = async {
        let stub = env.durable_object(POLLER).and_then(|ns| ns.id_from_name("poller")?.get_stub()).map_err(internal)?;
        let path = if on { "/watch" } else { "/unwatch" };
        post(&stub, path, conversation, &()).await
    };
    if let Err(e) = result.await {
        console_error!("poller watch failed: {}", e.log_detail().unwrap_or("?"));
    }
}
