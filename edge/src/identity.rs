//! Identity verification, as Intercom's `user_hash`: the site owner's server computes
//! `hex(HMAC-SHA256(key = identity secret, message = user_id))` and the widget passes it along.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

/// Whether `user_hash` (hex) is the site's HMAC of `user_id`. Compared in constant time.
pub fn verify(user_id: &str, user_hash: &str, secret: &Secret) -> bool {
    let Ok(expected) = hex::decode(user_hash) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(user_id.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// The KV key linking a verified user to their one contact.
pub fn link_key(site: &str, user_id: &str) -> String {
    format!("contact:{site}:{user_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(secret: &str, user_id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(user_id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn matches_the_documented_recipe() {
        // The same value `echo -n user-42 | openssl dgst -sha256 -hmac s3cret` prints.
        assert_eq!(hash("s3cret", "user-42"), "1136c48073bd2ba64f2a18895ff27ecfa11e24ccd2d86972ace148983668a992");
        let secret = Secret::new("s3cret".into());
        assert!(verify("user-42", &hash("s3cret", "user-42"), &secret));
        assert!(verify("user-42", &hash("s3cret", "user-42").to_uppercase(), &secret), "hex case does not matter");
        assert!(!verify("user-43", &hash("s3cret", "user-42"), &secret));
        assert!(!verify("user-42", &hash("other", "user-42"), &secret));
        assert!(!verify("user-42", "zz", &secret));
        assert!(!verify("user-42", "", &secret));
    }
}
