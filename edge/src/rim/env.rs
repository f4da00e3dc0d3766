//! Configuration from the Worker environment, and the KV link store.

use std::cell::RefCell;
use std::collections::HashMap;

use worker::{console_error, console_warn, kv::KvStore, Env};

use super::fetch::FetchTransport;
use crate::config::{CoreKind, Secret, Sites};
use crate::core::http::CoreClient;
use crate::core::relasi::me::{self, Me};
use crate::core::respondio::Channel;
use crate::core::LinkStore;
use crate::error::ApiError;
use crate::routes::Ctx;

/// `SITES` as a TOML table (wrangler.toml) or a JSON string (`--var`, `.dev.vars`). A missing or
/// malformed value leaves no site usable rather than failing every request.
pub fn sites(env: &Env) -> Sites {
    // Both shapes are read as JSON text, so the site table has one deserializer in the bundle, not two.
    let raw = js_sys::Reflect::get(env.as_ref(), &wasm_bindgen::JsValue::from_str("SITES")).ok();
    let text = raw.and_then(|v| v.as_string().or_else(|| js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string())));
    text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_else(|| {
        console_error!("SITES is missing or malformed: no site is usable");
        Sites::new()
    })
}

/// A non-empty secret.
pub fn secret(env: &Env, name: &str) -> Option<Secret> {
    env.secret(name).ok().map(|s| Secret::new(s.to_string())).filter(|s| !s.expose().is_empty())
}

/// Whether this edge receives core webhooks (else it polls).
pub fn webhooks_on(env: &Env) -> bool {
    secret(env, WEBHOOK_SECRET).is_some()
}

pub const WEBHOOK_SECRET: &str = "RELASI_WEBHOOK_SECRET";
pub const WEBHOOK_SECRET_PREVIOUS: &str = "RELASI_WEBHOOK_SECRET_PREVIOUS";

/// The id scope alone (webhooks need it to tell a visitor's own ids; they need no core key).
pub fn id_scope(env: &Env) -> Result<crate::scope::IdScope, ApiError> {
    let current =
        secret(env, "SESSION_SECRET").ok_or_else(|| ApiError::internal("the SESSION_SECRET secret is not set"))?;
    Ok(crate::scope::IdScope::new(&current).with_previous(secret(env, "SESSION_SECRET_PREVIOUS").as_ref()))
}

pub fn context(env: &Env, sites: Sites, origin: Option<String>) -> Result<Ctx<FetchTransport>, ApiError> {
    let base_url = env
        .var("CORE_BASE_URL")
        .map(|v| v.to_string().trim_end_matches('/').to_owned())
        .map_err(|_| ApiError::internal("CORE_BASE_URL is not set"))?;
    let key = secret(env, "CORE_API_KEY").ok_or_else(|| ApiError::internal("the CORE_API_KEY secret is not set"))?;
    let session_secret =
        secret(env, "SESSION_SECRET").ok_or_else(|| ApiError::internal("the SESSION_SECRET secret is not set"))?;
    let now_ms = worker::Date::now().as_millis();
    let mut channels = HashMap::new();
    for (id, site) in &sites {
        let Some(channel) = site.respondio.clone().filter(|_| site.core == CoreKind::Respondio) else { continue };
        match (secret(env, &channel.token_secret), secret(env, &channel.path_secret)) {
            (Some(token), Some(path)) => {
                let transport = FetchTransport { base_url: channel.webhook_url.clone(), key: token.clone() };
                channels
                    .insert(id.clone(), Channel { config: channel, client: CoreClient::new(transport), token, path });
            }
            _ => console_warn!(
                "site {id}: the respond.io secrets {} and {} must both be set",
                channel.token_secret,
                channel.path_secret
            ),
        }
    }
    let mut identity_secrets = HashMap::new();
    for (id, site) in &sites {
        if let Some(name) = &site.identity_secret {
            match secret(env, name) {
                Some(s) => {
                    identity_secrets.insert(id.clone(), s);
                }
                None => console_warn!("site {id}: the identity secret {name} is not set"),
            }
        }
    }
    Ok(Ctx {
        sites,
        core: CoreClient::new(FetchTransport { base_url, key }),
        channels,
        thread: std::rc::Rc::new(super::thread::HubThread(env.clone())),
        ids: crate::scope::IdScope::new(&session_secret).with_previous(secret(env, "SESSION_SECRET_PREVIOUS").as_ref()),
        session_secret,
        previous_session_secret: secret(env, "SESSION_SECRET_PREVIOUS"),
        now_s: (now_ms / 1000) as i64,
        now_ms: now_ms as i64,
        origin,
        identity_secrets,
    })
}

thread_local! {
    /// `GET /me`, asked once per isolate at first use.
    static ME: RefCell<Option<Me>> = const { RefCell::new(None) };
}

/// The key's mode and scopes, from the core at first use (and again after a failure).
pub async fn me(ctx: &Ctx<FetchTransport>) -> Option<Me> {
    if let Some(me) = ME.with(|m| m.borrow().clone()) {
        return Some(me);
    }
    match me::get(&ctx.core).await {
        Ok(me) => {
            let missing = me.missing_scopes();
            if !missing.is_empty() {
                console_error!("core key ({} mode) lacks scopes: {}", me.mode, missing.join(", "));
            }
            ME.with(|m| *m.borrow_mut() = Some(me.clone()));
            Some(me)
        }
        Err(e) => {
            console_error!("GET /me failed: {e}");
            None
        }
    }
}

/// Verified users' contact ids in the `IDENTITIES` KV namespace. Without the binding, nothing is linked
/// (each device gets its own contact) and the edge says so in its log.
pub struct KvLinks(Option<KvStore>);

impl KvLinks {
    pub fn new(env: &Env) -> Self {
        Self(env.kv("IDENTITIES").ok())
    }
}

impl LinkStore for KvLinks {
    async fn get(&self, key: &str) -> Option<String> {
        self.0.as_ref()?.get(key).text().await.ok().flatten()
    }

    async fn put(&self, key: &str, value: &str) {
        let Some(kv) = &self.0 else {
            console_warn!("no IDENTITIES KV binding: verified users are not linked across devices");
            return;
        };
        if let Err(e) = async { kv.put(key, value)?.execute().await }.await {
            console_error!("IDENTITIES put failed: {e}");
        }
    }
}
