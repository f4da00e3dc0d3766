//! `GET /v1/stream` (the visitor's socket) and `POST /webhooks/relasi` (the core's deliveries).

use sapa_protocol::stream::{self, SUBPROTOCOL};
use sapa_protocol::ErrorCode;
use worker::{Env, Request, Response, WebSocketPair};

use super::hubs::{self, SocketAuth};
use super::limits::{self, Limit};
use super::{env, http};
use crate::config::Sites;
use crate::core::relasi::webhook;
use crate::error::ApiError;
use crate::realtime::{HubAnswer, Outcome};
use sapa_protocol::SessionToken;

fn internal(e: worker::Error) -> ApiError {
    ApiError::internal(format!("stream: {e}"))
}

/// Authenticates the upgrade before any hub is touched. The token comes as a subprotocol next to
/// [`SUBPROTOCOL`]; a refusal is still a WebSocket, closed at once with a code the widget can act on
/// (a browser cannot read an HTTP status from a failed upgrade).
pub async fn open(req: Request, env: &Env, sites: Sites, origin: Option<String>) -> Result<Response, ApiError> {
    let upgrade = req.headers().get("Upgrade").ok().flatten().unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(ApiError::UpgradeRequired);
    }
    let offered = req.headers().get("Sec-WebSocket-Protocol").ok().flatten().unwrap_or_default();
    let offered: Vec<&str> = offered.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let speaks_ours = offered.contains(&SUBPROTOCOL);
    let token = offered.iter().find(|p| **p != SUBPROTOCOL).copied();
    let url = req.inner().url();
    let param = |name: &str| crate::query::param(&url, name);
    let ctx = env::context(env, sites, origin.clone())?;
    let claims = match ctx.authenticate(token) {
        Ok(claims) => claims,
        Err(e) => return refuse(e.code(), speaks_ours),
    };
    if param("conversation").as_deref() != Some(claims.conv.as_str()) {
        return refuse(ErrorCode::TokenWrongConversation, speaks_ours);
    }
    // Each upgrade may cost the hub a read from the core: a reconnect storm is refused before it gets there.
    let ip = req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default();
    for (limit, key) in [(Limit::StreamsPerConversation, claims.conv.as_str()), (Limit::StreamsPerIp, ip.as_str())] {
        if let Err(e) = limits::check(env, limit, key).await {
            return refuse(e.code(), speaks_ours);
        }
    }
    let auth = SocketAuth { token: SessionToken(token.unwrap_or_default().to_owned()), origin, exp: claims.exp };
    hubs::connect(env, &claims, &auth, param("cursor").as_deref(), speaks_ours).await
}

fn refuse(code: ErrorCode, speaks_ours: bool) -> Result<Response, ApiError> {
    let pair = WebSocketPair::new().map_err(internal)?;
    pair.server.accept().map_err(internal)?;
    pair.server.close(Some(stream::close_code(code)), Some(code.as_str())).map_err(internal)?;
    let resp = Response::from_websocket(pair.client).map_err(internal)?;
    if speaks_ours {
        resp.headers().set("Sec-WebSocket-Protocol", SUBPROTOCOL).map_err(internal)?;
    }
    Ok(resp)
}

/// Verifies a core delivery against the raw bytes, then routes it to its conversation's hub, which drops
/// repeats by the delivery id. Answers 200 once the hub has it, so the core retries anything else.
pub async fn webhook(req: &mut Request, env: &Env) -> Result<Response, ApiError> {
    let secret = env::secret(env, env::WEBHOOK_SECRET).ok_or(ApiError::WebhooksNotConfigured)?;
    let previous = env::secret(env, env::WEBHOOK_SECRET_PREVIOUS);
    let headers = req.headers().clone();
    let body = http::bytes_at_most(req, webhook::BODY_MAX_BYTES).await?;
    let now_s = (worker::Date::now().as_millis() / 1000) as i64;
    let header = |name: &str| headers.get(name).ok().flatten();
    // The id scope only once the delivery proved itself: an unsigned call learns nothing of the config.
    let ids = || env::id_scope(env);
    let Some((conversation, call)) = webhook::receive(header, &body, now_s, &secret, previous.as_ref(), ids)? else {
        return http::json(200, &HubAnswer { outcome: Outcome::Ignored, connected: 0 }).map_err(internal);
    };
    let answer = hubs::ingest(env, &conversation, &call).await?;
    http::json(200, &answer).map_err(internal)
}
