//! JSON through the browser's own `JSON` and the widget's hand-written readers and writers (`wire/`), instead
//! of bundling serde_json or serde's derived code: every visitor downloads the widget.

use wasm_bindgen::JsValue;

use crate::wire::{Read, Write};

pub fn to_string<T: Write + ?Sized>(value: &T) -> Result<String, JsValue> {
    js_sys::JSON::stringify(&value.write()).map(String::from)
}

pub fn from_str<T: Read>(text: &str) -> Result<T, JsValue> {
    let js = js_sys::JSON::parse(text)?;
    T::read(&js).ok_or_else(|| JsValue::from_str("the JSON is not of the expected shape"))
}
