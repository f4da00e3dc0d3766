//! Idempotency ids: random UUIDs from the browser's CSPRNG (works on plain-http pages too, unlike
//! `crypto.randomUUID`), formatted by the `uuid` crate.

/// A new v4 UUID string.
pub fn new_client_id() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).expect("window.crypto");
    crypto.get_random_values_with_u8_array(&mut bytes).expect("getRandomValues");
    uuid::Builder::from_random_bytes(bytes).into_uuid().hyphenated().to_string()
}
