//! Media messages: the documented outbound sends (`/messages/{image,audio,video,document}` as multipart,
//! `/messages/location` as JSON) and the assumed inbound livechat uploads (`/livechat/messages/{image,document}`).
//! Files are kept in memory and served back under `/media/{id}/{name}`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::messages::outbound_sender;
use super::{check_len, check_request_id, json_body};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::Sender;
use crate::Sim;

/// The largest file accepted.
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

struct Upload {
    fields: HashMap<String, String>,
    file: Option<(String, String, Vec<u8>)>,
}

impl Upload {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    fn required(&self, name: &str) -> ApiResult<String> {
        self.field(name)
            .map(str::to_owned)
            .ok_or_else(|| ApiError::Unprocessable(format!("The {name} field is required.")))
    }
}

async fn read_upload(mut multipart: Multipart) -> ApiResult<Upload> {
    let bad =
        |e: axum::extract::multipart::MultipartError| ApiError::BadRequest(format!("Invalid multipart body: {e}"));
    let mut upload = Upload { fields: HashMap::new(), file: None };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let mime = field.content_type().unwrap_or("application/octet-stream").to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(ApiError::TooLarge(format!("The file may not be greater than {MAX_UPLOAD_BYTES} bytes.")));
            }
            upload.file = Some((file_name, mime, bytes.to_vec()));
        } else {
            upload.fields.insert(name, field.text().await.map_err(bad)?);
        }
    }
    Ok(upload)
}

/// Whether a file of `mime` may be sent as `kind`.
fn mime_fits(kind: &str, mime: &str) -> bool {
    match kind {
        "image" | "audio" | "video" => mime.starts_with(&format!("{kind}/")),
        "document" => !mime.is_empty(),
        _ => false,
    }
}

/// Stores a file and builds the message's `media` object.
fn keep_file(sim: &Sim, store: &mut crate::Store, (name, mime, bytes): (String, String, Vec<u8>)) -> Value {
    let id = store.new_id("med");
    let safe_name: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let media = json!({
        "url": format!("{}/media/{id}/{safe_name}", sim.public_url),
        "name": name, "mime": mime, "size": bytes.len(),
    });
    store.media.insert(id, (mime, safe_name, bytes));
    media
}

async fn send_upload(
    sim: Sim,
    route: String,
    kind: String,
    direction: &str,
    sender: Option<Sender>,
    upload: Upload,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let request_id = upload.required("client_request_id")?;
    let conversation_id = upload.required("conversation_id")?;
    check_request_id(&request_id)?;
    let caption = upload.field("text").unwrap_or_default().to_owned();
    check_len("text", &caption, 0, 4000)?;
    let Some(file) = upload.file else {
        return Err(ApiError::Unprocessable("The file field is required.".into()));
    };
    if !mime_fits(&kind, &file.1) {
        return Err(ApiError::Unprocessable(format!("The file must be of type {kind}.")));
    }
    let mut store = sim.store.lock().await;
    if let Some(first) = store.replay(&route, &request_id) {
        return Ok((StatusCode::OK, Json(first)));
    }
    let sender = match (sender, store.conversation(&conversation_id)) {
        (_, None) => return Err(ApiError::NotFound("Conversation")),
        (Some(s), Some(_)) => s,
        (None, Some(c)) if c.channel == "livechat" => {
            let name = store.contact(&c.customer_id).map(|ct| ct.name.clone());
            Sender { kind: "customer".into(), id: Some(c.customer_id.clone()), name, avatar_url: None }
        }
        (None, Some(_)) => return Err(ApiError::NotFound("Livechat conversation")),
    };
    let media = keep_file(&sim, &mut store, file);
    let message = store.add_message_of(
        &conversation_id,
        direction,
        (&kind, Some(media)),
        caption,
        sender,
        Some(request_id.clone()),
    );
    let answer = json!(message);
    store.remember(&route, &request_id, &answer);
    sim.webhooks.emit("message.created", &answer);
    Ok((StatusCode::CREATED, Json(answer)))
}

/// `POST /messages/{image,audio,video,document}`: an agent-side file.
pub async fn send_outbound(
    caller: Caller,
    State(sim): State<Sim>,
    Path(kind): Path<String>,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if !["image", "audio", "video", "document"].contains(&kind.as_str()) {
        return Err(ApiError::NotFound("Route"));
    }
    caller.require("messages:write")?;
    let upload = read_upload(multipart).await?;
    let as_system = upload.field("as_system").is_some_and(|v| v == "true" || v == "1");
    let sender = outbound_sender(as_system, upload.field("from_user_id"), &caller.0.id, &sim.public_url)?;
    send_upload(sim, format!("messages/{kind}"), kind, "out", Some(sender), upload).await
}

/// `POST /livechat/messages/{image,document}`: a visitor's file, inbound.
pub async fn send_inbound(
    caller: Caller,
    State(sim): State<Sim>,
    Path(kind): Path<String>,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if !["image", "document"].contains(&kind.as_str()) {
        return Err(ApiError::NotFound("Route"));
    }
    caller.require("messages:write")?;
    let upload = read_upload(multipart).await?;
    send_upload(sim, format!("livechat/messages/{kind}"), kind, "in", None, upload).await
}

#[derive(Debug, Deserialize)]
pub struct Location {
    client_request_id: String,
    conversation_id: String,
    latitude: f64,
    longitude: f64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    as_system: bool,
    #[serde(default)]
    from_user_id: Option<String>,
}

/// `POST /messages/location` (JSON).
pub async fn send_location(
    caller: Caller,
    State(sim): State<Sim>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require("messages:write")?;
    let body: Location = json_body(&body)?;
    check_request_id(&body.client_request_id)?;
    if !(-90.0..=90.0).contains(&body.latitude) || !(-180.0..=180.0).contains(&body.longitude) {
        return Err(ApiError::Unprocessable("latitude/longitude out of range".into()));
    }
    let sender = outbound_sender(body.as_system, body.from_user_id.as_deref(), &caller.0.id, &sim.public_url)?;
    let mut store = sim.store.lock().await;
    if let Some(first) = store.replay("messages/location", &body.client_request_id) {
        return Ok((StatusCode::OK, Json(first)));
    }
    if store.conversation(&body.conversation_id).is_none() {
        return Err(ApiError::NotFound("Conversation"));
    }
    let media = json!({"latitude": body.latitude, "longitude": body.longitude, "name": body.name});
    let text = body.name.clone().unwrap_or_default();
    let message = store.add_message_of(
        &body.conversation_id,
        "out",
        ("location", Some(media)),
        text,
        sender,
        Some(body.client_request_id.clone()),
    );
    let answer = json!(message);
    store.remember("messages/location", &body.client_request_id, &answer);
    sim.webhooks.emit("message.created", &answer);
    Ok((StatusCode::CREATED, Json(answer)))
}

/// `GET /media/{id}/{name}`: an uploaded file, as stored.
pub async fn serve(State(sim): State<Sim>, Path((id, _name)): Path<(String, String)>) -> Response {
    let store = sim.store.lock().await;
    match store.media.get(&id) {
        Some((mime, _, bytes)) => ([(header::CONTENT_TYPE, mime.clone())], bytes.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": "Media not found"}))).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::mime_fits;

    #[test]
    fn kinds_take_their_mime_types() {
        assert!(mime_fits("image", "image/png"));
        assert!(!mime_fits("image", "application/pdf"));
        assert!(mime_fits("document", "application/pdf"));
        assert!(mime_fits("audio", "audio/ogg"));
        assert!(!mime_fits("sticker", "image/webp"));
    }
}
