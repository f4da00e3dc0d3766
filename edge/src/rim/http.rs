//! Request/response helpers: bounded JSON bodies, JSON answers, CORS.

use sapa_protocol::limits::JSON_BODY_MAX_BYTES;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response, Result};

use crate::config::{any_site_allows, Sites};
use crate::error::ApiError;

/// The body of a call between the Worker and its Durable Objects, read as JSON text with serde_json: worker's
/// `Request::json` would parse it with serde-wasm-bindgen, a second serde backend for every type in the bundle.
pub async fn internal_json<T: DeserializeOwned>(req: &mut Request) -> Result<T> {
    Ok(serde_json::from_str(&req.text().await?)?)
}

/// Reads a JSON object body of at most 64 KB. Only `application/json` is taken, which also means a
/// cross-origin page cannot post here without a CORS preflight.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> std::result::Result<T, ApiError> {
    let content_type = req.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/json") {
        return Err(ApiError::InvalidJson("Content-Type must be application/json".into()));
    }
    let bytes = bytes_at_most(req, JSON_BODY_MAX_BYTES).await?;
    crate::body::object(&bytes)
}

/// Refuses a body whose declared length is over `max` before anything is read.
fn refuse_declared_over(req: &Request, max: usize) -> std::result::Result<(), ApiError> {
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(ApiError::PayloadTooLarge);
    }
    Ok(())
}

/// The raw body, at most `max` bytes: refused by its declared length first, then by what arrived.
pub async fn bytes_at_most(req: &mut Request, max: usize) -> std::result::Result<Vec<u8>, ApiError> {
    refuse_declared_over(req, max)?;
    let bytes = req.bytes().await.map_err(|_| ApiError::InvalidJson("the body could not be read".into()))?;
    if bytes.len() > max {
        return Err(ApiError::PayloadTooLarge);
    }
    Ok(bytes)
}

/// Reads a `multipart/form-data` upload: its text fields and the part named `file`, checked by
/// [`crate::attachments::check`]. The declared length is refused before anything is read.
pub async fn upload(req: &mut Request) -> std::result::Result<crate::attachments::Upload, ApiError> {
    use sapa_protocol::limits::ATTACHMENT_MAX_BYTES;
    use sapa_protocol::FieldError;
    use worker::FormEntry;

    let not_form =
        || ApiError::InvalidField(FieldError::new("file", "must be sent as multipart/form-data with a file part"));
    let content_type = req.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(not_form());
    }
    refuse_declared_over(req, ATTACHMENT_MAX_BYTES + JSON_BODY_MAX_BYTES)?;
    let form = req.form_data().await.map_err(|_| not_form())?;
    let Some(FormEntry::File(file)) = form.get("file") else {
        return Err(not_form());
    };
    if file.size() > ATTACHMENT_MAX_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let bytes = file.bytes().await.map_err(|_| not_form())?;
    crate::attachments::check(form.get_field("client_id"), form.get_field("text"), &file.name(), bytes)
}

/// The token from `Authorization: Bearer <token>`.
pub fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get("Authorization").ok().flatten()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

pub fn json<T: Serialize>(status: u16, value: &T) -> Result<Response> {
    let resp = Response::from_json(value)?.with_status(status);
    resp.headers().set("Cache-Control", "no-store")?;
    Ok(resp)
}

pub fn error(e: &ApiError) -> Result<Response> {
    let resp = json(e.status(), &e.body())?;
    match e {
        ApiError::RateLimited { retry_after_s } => resp.headers().set("Retry-After", &retry_after_s.to_string())?,
        ApiError::SessionBusy | ApiError::WriteBusy => resp.headers().set("Retry-After", "2")?,
        _ => {}
    }
    Ok(resp)
}

/// Adds CORS headers for an origin that some configured site allows; other origins get none, so the
/// browser withholds the answer from them. A refusal of the page itself (`refusal`: its origin is not
/// allowed, its site id is unknown) is readable by any origin, so the widget can stop and say why instead
/// of retrying a request it cannot see the answer to. It says nothing a site's public settings do not.
pub fn with_cors(resp: Response, origin: Option<&str>, sites: &Sites, refusal: bool) -> Result<Response> {
    let headers: &Headers = resp.headers();
    headers.append("Vary", "Origin")?;
    if let Some(origin) = origin.filter(|o| refusal || any_site_allows(sites, o)) {
        headers.set("Access-Control-Allow-Origin", origin)?;
        headers.set("Access-Control-Expose-Headers", "Retry-After")?;
    }
    Ok(resp)
}

/// The answer to a CORS preflight.
pub fn preflight(origin: Option<&str>, sites: &Sites) -> Result<Response> {
    match origin.filter(|o| any_site_allows(sites, o)) {
        Some(origin) => {
            let resp = Response::empty()?.with_status(204);
            let h = resp.headers();
            h.set("Access-Control-Allow-Origin", origin)?;
            h.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
            h.set("Access-Control-Allow-Headers", "Authorization, Content-Type")?;
            h.set("Access-Control-Max-Age", "600")?;
            h.set("Vary", "Origin")?;
            Ok(resp)
        }
        None => error(&ApiError::OriginNotAllowed),
    }
}
