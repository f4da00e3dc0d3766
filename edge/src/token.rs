//! Session tokens: `v1.<base64url(claims)>.<base64url(HMAC-SHA256)>`, keyed by the `SESSION_SECRET`
//! Worker secret. A previous secret may be given during rotation; tokens it signed keep working.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::Secret;
use crate::error::ApiError;

/// How long a visitor's session lasts without a new one: long enough for a visitor to come back next week.
pub const SESSION_TTL_S: i64 = 30 * 24 * 60 * 60;
const VERSION: &str = "v1";

/// What a token proves: this holder may read and write this one conversation of this site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Site id.
    pub site: String,
    /// Core contact id.
    pub contact: String,
    /// Core conversation id.
    pub conv: String,
    /// Issued at, UNIX seconds.
    pub iat: i64,
    /// Expires at, UNIX seconds.
    pub exp: i64,
    /// The site's user id, when the session was opened with a verified identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// The session's scoped core id (no secret in it): the conversation's hub serves only its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own: Option<String>,
}

fn mac(secret: &Secret, signed: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(signed.as_bytes());
    mac
}

pub fn sign(claims: &Claims, secret: &Secret) -> String {
    let payload = B64.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let signed = format!("{VERSION}.{payload}");
    let tag = B64.encode(mac(secret, &signed).finalize().into_bytes());
    format!("{signed}.{tag}")
}

/// Checks the signature (in constant time, against the current and then the previous secret) and expiry.
pub fn verify(token: &str, now_s: i64, current: &Secret, previous: Option<&Secret>) -> Result<Claims, ApiError> {
    let mut parts = token.splitn(3, '.');
    let (Some(VERSION), Some(payload), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::TokenInvalid);
    };
    let tag = B64.decode(tag).map_err(|_| ApiError::TokenInvalid)?;
    let signed = &token[..VERSION.len() + 1 + payload.len()];
    let verified =
        std::iter::once(current).chain(previous).any(|secret| mac(secret, signed).verify_slice(&tag).is_ok());
    if !verified {
        return Err(ApiError::TokenInvalid);
    }
    let claims: Claims =
        B64.decode(payload).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).ok_or(ApiError::TokenInvalid)?;
    if now_s >= claims.exp {
        return Err(ApiError::TokenExpired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            site: "demo".into(),
            contact: "ct_1".into(),
            conv: "conv_1".into(),
            iat: 1_000,
            exp: 2_000,
            uid: None,
            own: None,
        }
    }

    fn secret(s: &str) -> Secret {
        Secret::new(s.to_owned())
    }

    #[test]
    fn round_trip() {
        let t = sign(&claims(), &secret("k1"));
        assert!(t.starts_with("v1."));
        assert_eq!(verify(&t, 1_500, &secret("k1"), None).unwrap(), claims());
    }

    #[test]
    fn expired_and_wrong_key() {
        let t = sign(&claims(), &secret("k1"));
        assert!(matches!(verify(&t, 2_000, &secret("k1"), None), Err(ApiError::TokenExpired)));
        assert!(matches!(verify(&t, 1_500, &secret("k2"), None), Err(ApiError::TokenInvalid)));
    }

    #[test]
    fn rotation_accepts_the_previous_secret() {
        let old = sign(&claims(), &secret("old"));
        assert!(verify(&old, 1_500, &secret("new"), Some(&secret("old"))).is_ok());
        assert!(verify(&old, 1_500, &secret("new"), Some(&secret("other"))).is_err());
    }

    #[test]
    fn tampered_claims_fail() {
        let t = sign(&claims(), &secret("k1"));
        let parts: Vec<&str> = t.split('.').collect();
        let mut forged = claims();
        forged.conv = "conv_someone_else".into();
        let forged_payload = B64.encode(serde_json::to_vec(&forged).unwrap());
        let forged_token = format!("v1.{forged_payload}.{}", parts[2]);
        assert!(matches!(verify(&forged_token, 1_500, &secret("k1"), None), Err(ApiError::TokenInvalid)));
        for junk in ["", "v1", "v1.abc", "v2.a.b", "v1.!!.??"] {
            assert!(matches!(verify(junk, 1_500, &secret("k1"), None), Err(ApiError::TokenInvalid)), "{junk}");
        }
    }
}
