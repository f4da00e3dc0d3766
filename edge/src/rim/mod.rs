//! The rim: the only code that touches `worker` types. It reads the
//! environment, dispatches routes, applies rate limits and turns results into responses. The Durable
//! Objects live here too: `ConversationHub`, `SyncPoller` and `SessionLedger`.

mod core_reads;
mod env;
mod fetch;
mod http;
mod hub_object;
mod hub_store;
mod hubs;
mod ledger;
mod limits;
mod poll_store;
mod poller_object;
mod realtime;
mod thread;

use worker::{console_error, console_warn, event, Context, Env, Method, Request, Response, Result};

use crate::config::Sites;
use crate::core::Hints;
use crate::error::ApiError;
use crate::routes::table::{self, Route};
use crate::routes::{self, health};
use env::KvLinks;
use limits::Limit;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let origin = req.headers().get("Origin")?;
    let sites = env::sites(&env);
    if req.method() == Method::Options {
        return http::preflight(origin.as_deref(), &sites);
    }
    let (method, path) = (req.method(), req.path());
    let mut refusal = false;
    let resp = match route(req, &env, &ctx, sites.clone(), origin.clone()).await {
        // A WebSocket handshake answer goes back as it is.
        Ok(resp) if resp.status_code() == 101 => return Ok(resp),
        Ok(resp) => resp,
        Err(e) => {
            match e.log_detail() {
                Some(detail) => console_error!("{method} {path}: {} ({detail})", e.code().as_str()),
                None if e.status() >= 500 => console_error!("{method} {path}: {}", e.code().as_str()),
                None => {}
            }
            refusal = matches!(e, ApiError::OriginNotAllowed | ApiError::UnknownSite);
            http::error(&e)?
        }
    };
    http::with_cors(resp, origin.as_deref(), &sites, refusal)
}

async fn route(
    mut req: Request,
    env: &Env,
    worker_ctx: &Context,
    sites: Sites,
    origin: Option<String>,
) -> std::result::Result<Response, ApiError> {
    let path = req.path();
    let method = match req.method() {
        Method::Get => Some(table::Method::Get),
        Method::Post => Some(table::Method::Post),
        _ => None,
    };
    let route = table::resolve(method, &path)?;
    let ok = |r: Result<Response>| r.map_err(|e| ApiError::internal(format!("response: {e}")));
    if route.needs_session() {
        return in_conversation(route, req, env, worker_ctx, sites, origin).await;
    }
    match route {
        Route::Health => {
            let configured = env::context(env, sites.clone(), None);
            let me = match &configured {
                Ok(ctx) => Some(env::me(ctx).await.ok_or(())),
                Err(_) => None,
            };
            let on_respondio = sites.values().filter(|s| s.core == crate::config::CoreKind::Respondio).count();
            let respondio = (on_respondio > 0).then(|| health::Channels {
                configured: on_respondio,
                ready: configured.as_ref().map_or(0, |ctx| ctx.channels.len()),
            });
            let webhooks = env::webhooks_on(env);
            ok(http::json(200, &health::health(sites.len(), configured.is_ok(), webhooks, me, respondio)))
        }
        Route::Site => {
            let ctx = env::context(env, sites, origin)?;
            let id = &path["/v1/sites/".len()..];
            let resp = ok(http::json(200, &ctx.public_site(id)?))?;
            // Public and the same for every visitor: a short cache keeps the widget's first open fast.
            let _ = resp.headers().set("Cache-Control", "public, max-age=60");
            Ok(resp)
        }
        Route::CreateSession => {
            let body = http::json_body(&mut req).await?;
            let ctx = env::context(env, sites, origin)?;
            // Refused requests never reach the core, so only requests that passed every check are counted.
            let checked = routes::sessions::check(&ctx, body)?;
            let ip = req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default();
            limits::check(env, Limit::SessionsPerIp, &ip).await?;
            limits::check(env, Limit::SessionsPerSite, checked.site_id()).await?;
            if env::me(&ctx).await.is_some_and(|me| !me.missing_scopes().is_empty()) {
                console_warn!("the core key lacks scopes the edge needs (see /health)");
            }
            let hints = Hints {
                country: req.cf().and_then(|cf| cf.country()),
                timezone: req.cf().map(|cf| cf.timezone_name()).filter(|t| !t.is_empty()),
            };
            let site = checked.site_id().to_owned();
            let ledger = ledger::DurableLedger::new(env);
            let opened = routes::sessions::open(&ctx, &KvLinks::new(env), &ledger, checked, hints).await?;
            let conversation = opened.created.conversation_id.as_str();
            hubs::register(env, conversation, &site, &opened.owner, opened.introduce.clone()).await;
            ok(http::json(201, &opened.created))
        }
        Route::Stream => realtime::open(req, env, sites, origin).await,
        Route::Webhook => realtime::webhook(&mut req, env).await,
        Route::RespondioReply => {
            let ctx = env::context(env, sites, None)?;
            let bearer = http::bearer(&req);
            let checked =
                routes::inbound::check(&ctx, &path[routes::inbound::RESPONDIO_PREFIX.len()..], bearer.as_deref())?;
            if checked.proof == crate::core::respondio::inbound::Proof::PathOnly {
                console_warn!(
                    "respond.io reply for {} proved by its path alone (no Authorization header)",
                    checked.site
                );
            }
            let call = http::json_body(&mut req).await?;
            let reply = routes::inbound::reply(&ctx, &checked, call, reply_id())?;
            hubs::record(env, checked.site, &reply.conversation, &reply.message).await?;
            ok(http::json(200, &routes::inbound::Answer { m_id: reply.message.id.as_str() }))
        }
        _ => Err(ApiError::internal(format!("{route:?} has no handler"))),
    }
}

/// The routes that act in the token's conversation: the token is checked first, then the input, then the
/// conversation's rate limit (refused requests are not counted), then the core is called.
async fn in_conversation(
    route: Route,
    mut req: Request,
    env: &Env,
    worker_ctx: &Context,
    sites: Sites,
    origin: Option<String>,
) -> std::result::Result<Response, ApiError> {
    let ok = |r: Result<Response>| r.map_err(|e| ApiError::internal(format!("response: {e}")));
    let ctx = env::context(env, sites, origin)?;
    let claims = ctx.authenticate(http::bearer(&req).as_deref())?;
    let limit = || limits::check(env, Limit::MessagesPerConversation, &claims.conv);
    match route {
        Route::SendMessage => {
            let checked = routes::messages::check(http::json_body(&mut req).await?)?;
            limit().await?;
            let sent = routes::messages::send(&ctx, &claims, checked).await?;
            ok(answer_sent(worker_ctx, env, claims, sent))
        }
        Route::SendFile => {
            let upload = http::upload(&mut req).await?;
            limit().await?;
            let sent = routes::messages::send_file(&ctx, &claims, upload).await?;
            ok(answer_sent(worker_ctx, env, claims, sent))
        }
        Route::Rate => {
            let checked = routes::feedback::check_rating(http::json_body(&mut req).await?)?;
            limit().await?;
            let sent = routes::feedback::rate(&ctx, &claims, checked).await?;
            ok(answer_sent(worker_ctx, env, claims, sent))
        }
        Route::SetAttributes => {
            let checked = routes::feedback::check_attributes(http::json_body(&mut req).await?)?;
            limit().await?;
            routes::feedback::set_attributes(&ctx, &claims, checked).await?;
            ok(Response::empty().map(|r| r.with_status(204)))
        }
        Route::History => {
            let url = req.inner().url();
            let param = |name: &str| crate::query::param(&url, name);
            let limit = routes::messages::parse_limit(param("limit").as_deref())?;
            let list = routes::messages::list(&ctx, &claims, param("after").as_deref(), limit).await?;
            ok(http::json(200, &list))
        }
        _ => Err(ApiError::internal(format!("{route:?} has no handler"))),
    }
}

/// A visitor's message or file is stored: 201 with it, and its hub hears of it after the answer has gone, so
/// the visitor's other tabs see it at once without delaying this one.
fn answer_sent(
    worker_ctx: &Context,
    env: &Env,
    claims: crate::token::Claims,
    sent: sapa_protocol::SentMessage,
) -> Result<Response> {
    worker_ctx.wait_until(hubs::echo(env.clone(), claims, sent.message.clone()));
    http::json(201, &sent)
}

/// The `mId` the edge answers for an agent's reply: unique, not secret.
fn reply_id() -> String {
    let half = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    format!("a_{:014x}{:014x}", half(), half())
}
