//! Sapa's edge: the Cloudflare Worker between the widget and the Relasi.U core.
//!
//! This file is the rim: it reads configuration from the Worker environment, dispatches routes and turns
//! results into responses. Logic lives in plain modules that are tested natively.

pub mod config;
pub mod convert;
pub mod core;
pub mod error;
pub mod history;
pub mod routes;
pub mod token;

#[cfg(target_arch = "wasm32")]
mod http;

#[cfg(target_arch = "wasm32")]
mod worker_entry {
    use worker::{console_error, event, Context, Env, Method, Request, Response, Result};

    use crate::config::{Secret, Sites};
    use crate::core::fetch::FetchTransport;
    use crate::core::CoreClient;
    use crate::error::ApiError;
    use crate::http;
    use crate::routes::{self, health, Ctx};

    #[event(fetch)]
    async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
        let origin = req.headers().get("Origin")?;
        let sites = sites(&env);
        if req.method() == Method::Options {
            return http::preflight(origin.as_deref(), &sites);
        }
        let path = req.path();
        let method = req.method();
        let resp = match route(req, &env, sites.clone(), origin.clone()).await {
            Ok(resp) => resp,
            Err(e) => {
                match e.log_detail() {
                    Some(detail) => console_error!("{method} {path}: {} ({detail})", e.code().as_str()),
                    None if e.status() >= 500 => console_error!("{method} {path}: {}", e.code().as_str()),
                    None => {}
                }
                http::error(&e)?
            }
        };
        http::with_cors(resp, origin.as_deref(), &sites)
    }

    /// `SITES` as a TOML table (wrangler.toml) or a JSON string (`--var`, `.dev.vars`). A missing or
    /// malformed value leaves no site usable rather than failing every request.
    fn sites(env: &Env) -> Sites {
        env.object_var::<Sites>("SITES")
            .ok()
            .or_else(|| env.var("SITES").ok().and_then(|v| serde_json::from_str(&v.to_string()).ok()))
            .unwrap_or_else(|| {
                console_error!("SITES is missing or malformed: no site is usable");
                Sites::new()
            })
    }

    fn context(env: &Env, sites: Sites, origin: Option<String>) -> std::result::Result<Ctx<FetchTransport>, ApiError> {
        let secret = |name: &str| env.secret(name).ok().map(|s| Secret::new(s.to_string())).filter(|s| !s.expose().is_empty());
        let base_url = env
            .var("CORE_BASE_URL")
            .map(|v| v.to_string().trim_end_matches('/').to_owned())
            .map_err(|_| ApiError::internal("CORE_BASE_URL is not set"))?;
        let key = secret("CORE_API_KEY").ok_or_else(|| ApiError::internal("the CORE_API_KEY secret is not set"))?;
        let session_secret =
            secret("SESSION_SECRET").ok_or_else(|| ApiError::internal("the SESSION_SECRET secret is not set"))?;
        Ok(Ctx {
            sites,
            core: CoreClient::new(FetchTransport { base_url, key }),
            session_secret,
            previous_session_secret: secret("SESSION_SECRET_PREVIOUS"),
            now_s: (worker::Date::now().as_millis() / 1000) as i64,
            origin,
        })
    }

    async fn route(mut req: Request, env: &Env, sites: Sites, origin: Option<String>) -> std::result::Result<Response, ApiError> {
        let path = req.path();
        let ok = |r: Result<Response>| r.map_err(|e| ApiError::internal(format!("response: {e}")));
        match (req.method(), path.as_str()) {
            (Method::Get, "/health") => {
                let configured = context(env, Sites::new(), None).is_ok();
                ok(http::json(200, &health::health(sites.len(), configured)))
            }
            (Method::Post, "/v1/sessions") => {
                let body = http::json_body(&mut req).await?;
                let ctx = context(env, sites, origin)?;
                let created = routes::sessions::create(&ctx, body).await?;
                ok(http::json(201, &created))
            }
            (Method::Post, "/v1/messages") => {
                let ctx = context(env, sites, origin)?;
                let claims = ctx.authenticate(http::bearer(&req).as_deref())?;
                let body = http::json_body(&mut req).await?;
                let sent = routes::messages::send(&ctx, &claims, body).await?;
                ok(http::json(201, &sent))
            }
            (Method::Get, "/v1/messages") => {
                let ctx = context(env, sites, origin)?;
                let claims = ctx.authenticate(http::bearer(&req).as_deref())?;
                let url = req.url().map_err(|e| ApiError::internal(format!("url: {e}")))?;
                let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
                let limit = routes::messages::parse_limit(param("limit").as_deref())?;
                let list = routes::messages::list(&ctx, &claims, param("after").as_deref(), limit).await?;
                ok(http::json(200, &list))
            }
            (_, "/health" | "/v1/sessions" | "/v1/messages") => Err(ApiError::MethodNotAllowed),
            _ => Err(ApiError::NotFound),
        }
    }
}
