//! JSON through the browser's own `JSON` and serde-wasm-bindgen, instead of bundling serde_json: every
//! visitor downloads the widget, and the browser already has a JSON parser.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsValue> {
    let js = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    js_sys::JSON::stringify(&js).map(String::from)
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsValue> {
    let js = js_sys::JSON::parse(text)?;
    serde_wasm_bindgen::from_value(js).map_err(Into::into)
}
