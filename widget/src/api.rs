//! Requests to the edge. Every failure comes back as an [`ApiFailure`] the UI can act on.

use gloo_net::http::{Request, RequestBuilder, Response};
use sapa_protocol::{
    ContactAttributes, CreateSession, ErrorBody, ErrorCode, RateConversation, SendMessage, SentMessage, SessionCreated,
    SessionToken, SitePublic,
};
use wasm_bindgen::prelude::*;

use crate::wire::{Read, Write};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// The edge answered with an error body.
    Edge { status: u16, code: ErrorCode, message: String },
    /// No answer: offline, DNS, CORS, or an unreadable body.
    Network(String),
}

/// How a failure reads in the console. The release build prints no `{:?}` output, so nothing shown relies on
/// `Debug`.
impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Edge { status, code, message } => write!(f, "{status} {}: {message}", code.as_str()),
            Self::Network(cause) => write!(f, "no answer ({cause})"),
        }
    }
}

/// A browser error as text (its message where it has one).
fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_default()
}

impl ApiFailure {
    /// The same request, with the same ids, may succeed later.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Edge { code, .. } => code.is_retryable(),
        }
    }

    /// Another request (another tab) is sending this very write: it is on its way, nothing is wrong.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Edge { code: ErrorCode::WriteBusy, .. })
    }

    /// The session is gone (expired, revoked, or the site's secret changed): start a new one.
    pub fn needs_new_session(&self) -> bool {
        matches!(self, Self::Edge { code: ErrorCode::TokenExpired | ErrorCode::TokenInvalid, .. })
    }
}

#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

impl Api {
    pub fn new(api_base: &str) -> Self {
        Self { base: api_base.trim_end_matches('/').to_owned() }
    }

    /// The site's public settings (name, colour, greeting, hours).
    pub async fn site(&self, site_id: &str) -> Result<SitePublic, ApiFailure> {
        let url = format!("{}/v1/sites/{}", self.base, String::from(js_sys::encode_uri_component(site_id)));
        let resp = Request::get(&url).send().await.map_err(|e| ApiFailure::Network(e.to_string()))?;
        read(resp).await
    }

    pub async fn create_session(&self, request: &CreateSession) -> Result<SessionCreated, ApiFailure> {
        let builder = Request::post(&format!("{}/v1/sessions", self.base));
        send_json(builder, request).await
    }

    pub async fn send_message(&self, token: &SessionToken, request: &SendMessage) -> Result<SentMessage, ApiFailure> {
        let builder = Request::post(&format!("{}/v1/messages", self.base)).header("Authorization", &bearer(token));
        send_json(builder, request).await
    }
}

impl Api {
    /// `POST /v1/rating`: the visitor's verdict; the answer is the line agents see.
    pub async fn rate(&self, token: &SessionToken, request: &RateConversation) -> Result<SentMessage, ApiFailure> {
        let builder = Request::post(&format!("{}/v1/rating", self.base)).header("Authorization", &bearer(token));
        send_json(builder, request).await
    }

    /// `POST /v1/contact`: the site's attributes for the visitor's contact (204, no body).
    pub async fn set_attributes(&self, token: &SessionToken, request: &ContactAttributes) -> Result<(), ApiFailure> {
        let builder = Request::post(&format!("{}/v1/contact", self.base)).header("Authorization", &bearer(token));
        send_json::<_, Nothing>(builder, request).await.map(drop)
    }

    /// `POST /v1/attachments`: one file (multipart; the browser sets the boundary). Sent with
    /// `XMLHttpRequest`, the one browser API that reports upload progress, to `on_progress` in percent.
    pub async fn send_file(
        &self,
        token: &SessionToken,
        client_id: &str,
        file: &web_sys::File,
        on_progress: impl Fn(u8) + 'static,
    ) -> Result<SentMessage, ApiFailure> {
        let network = |e: JsValue| ApiFailure::Network(js_text(&e));
        let form = web_sys::FormData::new().map_err(network)?;
        form.append_with_str("client_id", client_id).map_err(network)?;
        form.append_with_blob_and_filename("file", file, &file.name()).map_err(network)?;
        let xhr = web_sys::XmlHttpRequest::new().map_err(network)?;
        xhr.open("POST", &format!("{}/v1/attachments", self.base)).map_err(network)?;
        xhr.set_request_header("Authorization", &bearer(token)).map_err(network)?;
        let progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress((e.loaded() / e.total() * 100.0) as u8);
            }
        });
        xhr.upload().map_err(network)?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            xhr.set_onload(Some(&resolve));
            xhr.set_onerror(Some(&reject));
            xhr.set_onabort(Some(&reject));
            xhr.set_ontimeout(Some(&reject));
        });
        xhr.send_with_opt_form_data(Some(&form)).map_err(network)?;
        let finished = wasm_bindgen_futures::JsFuture::from(done).await;
        drop(progress);
        finished.map_err(|_| ApiFailure::Network("the upload did not finish".into()))?;
        let status = xhr.status().map_err(network)?;
        parse(status, xhr.response_text().map_err(network)?.unwrap_or_default())
    }
}

fn bearer(token: &SessionToken) -> String {
    format!("Bearer {}", token.as_str())
}

async fn send_json<B: Write, R: Read>(builder: RequestBuilder, body: &B) -> Result<R, ApiFailure> {
    let body = crate::json::to_string(body).map_err(|e| ApiFailure::Network(js_text(&e)))?;
    let request = builder
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    let resp = request.send().await.map_err(|e| ApiFailure::Network(e.to_string()))?;
    read(resp).await
}

/// The answer to a request whose success has no body.
struct Nothing;

impl Read for Nothing {
    fn read(_: &JsValue) -> Option<Self> {
        Some(Nothing)
    }
}

async fn read<R: Read>(resp: Response) -> Result<R, ApiFailure> {
    let status = resp.status();
    parse(status, resp.text().await.map_err(|e| ApiFailure::Network(e.to_string()))?)
}

/// An answer's status and body into the result, or the edge's error.
fn parse<R: Read>(status: u16, text: String) -> Result<R, ApiFailure> {
    if status == 204 {
        // Only `Nothing` reads an empty body; any other type fails here as an unreadable answer.
        return crate::json::from_str("null")
            .map_err(|e| ApiFailure::Network(format!("unreadable answer: {}", js_text(&e))));
    }
    if (200..300).contains(&status) {
        return crate::json::from_str(&text)
            .map_err(|e| ApiFailure::Network(format!("unreadable answer: {}", js_text(&e))));
    }
    match crate::json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(ApiFailure::Edge { status, code: body.error.code, message: body.error.message }),
        Err(_) => Err(ApiFailure::Edge { status, code: ErrorCode::Unknown, message: format!("HTTP {status}") }),
    }
}
