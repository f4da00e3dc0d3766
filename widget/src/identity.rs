//! `Sapa('identify', {...})`: a signed-in user of the site, as the page hands it over.

use wasm_bindgen::JsValue;

/// `user_hash` is computed by the site's server from `user_id` and the site's identity secret.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Identity {
    pub user_id: Option<String>,
    pub user_hash: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Identity {
    /// Reads the page's object field by field (a serde deserializer for one struct costs kilobytes).
    /// Fields that are missing or not strings are left out; the edge validates the rest.
    pub fn from_js(value: &JsValue) -> Self {
        let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
        Self { user_id: field("user_id"), user_hash: field("user_hash"), name: field("name"), email: field("email") }
    }
}
