//! The real transport: `fetch` from the Worker to the core, with the key attached here and nowhere else.

use std::time::Duration;

use futures_util::future::{select, Either};
use worker::{AbortController, Delay, Fetch, Headers, Method as WMethod, Request, RequestInit};

use crate::config::Secret;
use crate::core::http::{Body, CoreRequest, CoreResponse, FilePart, Method, Transport};

/// One attempt may take this long before it counts as a network failure.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct FetchTransport {
    /// e.g. `https://api.relasiu.com/api/public/v1`, without a trailing slash.
    pub base_url: String,
    pub key: Secret,
}

impl FetchTransport {
    fn build(&self, request: &CoreRequest) -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("Authorization", &format!("Bearer {}", self.key.expose()))?;
        headers.set("Accept", "application/json")?;
        let mut init = RequestInit::new();
        init.with_headers(headers);
        match request.method {
            Method::Get => init.with_method(WMethod::Get),
            Method::Post => init.with_method(WMethod::Post),
            Method::Put => init.with_method(WMethod::Put),
        };
        match &request.body {
            Some(Body::Json(json)) => {
                init.headers.set("Content-Type", "application/json")?;
                init.with_body(Some(json.as_str().into()));
            }
            // fetch sets the multipart Content-Type with its boundary.
            Some(Body::Multipart { fields, file }) => {
                init.with_body(Some(multipart(fields, file)?));
            }
            None => {}
        }
        Request::new_with_init(&format!("{}{}", self.base_url, request.path), &init)
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &CoreRequest) -> Result<CoreResponse, String> {
        // Errors name the path only: URLs and headers carry nothing secret, but bodies might.
        let req = self.build(request).map_err(|e| format!("{} {}: {e}", method(request), request.path))?;
        let controller = AbortController::default();
        let signal = controller.signal();
        let fetch = Fetch::Request(req);
        let sending = std::pin::pin!(fetch.send_with_signal(&signal));
        let timeout = Delay::from(ATTEMPT_TIMEOUT);
        match select(sending, timeout).await {
            Either::Left((Ok(mut resp), _)) => {
                let status = resp.status_code();
                let retry_after = resp.headers().get("Retry-After").ok().flatten();
                let body = resp.text().await.map_err(|e| format!("reading {}: {e}", request.path))?;
                Ok(CoreResponse { status, retry_after, body })
            }
            Either::Left((Err(e), _)) => Err(format!("{} {}: {e}", method(request), request.path)),
            Either::Right(_) => {
                controller.abort();
                Err(format!("{} {}: timed out after {:?}", method(request), request.path, ATTEMPT_TIMEOUT))
            }
        }
    }

    async fn sleep(&self, ms: u64) {
        Delay::from(Duration::from_millis(ms)).await;
    }

    fn now_ms(&self) -> u64 {
        worker::Date::now().as_millis()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

fn multipart(fields: &[(&'static str, String)], file: &FilePart) -> worker::Result<wasm_bindgen::JsValue> {
    let form = web_sys::FormData::new()?;
    for (name, value) in fields {
        form.append_with_str(name, value)?;
    }
    let bytes = js_sys::Uint8Array::from(file.bytes.as_slice());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(file.mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&bytes), &options)?;
    form.append_with_blob_and_filename("file", &blob, &file.name)?;
    Ok(form.into())
}

fn method(request: &CoreRequest) -> &'static str {
    match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
    }
}
