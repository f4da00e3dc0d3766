//! The ids the edge gives respond.io. A Custom ID contact takes at most 50 of `A-Z a-z 0-9 _ = + / @` (so no
//! `-` or `.`); a message id at most 50 characters, its alphabet undocumented. Every id here is a prefix and
//! 32 hex characters (34 in all), keyed, so nothing in it can be guessed or tells a client id.

use crate::scope::IdScope;

const HEX: usize = 32;

/// The visitor's contact on the channel, one per session (the session's scoped id, which already carries
/// the site and the visitor).
pub fn contact(ids: &IdScope, owner: &str) -> String {
    format!("v_{}", ids.hex(&["respondio contact", owner], HEX))
}

/// The `mId` of a visitor's write (`kind`: message or rating) in a conversation: the same for every retry.
pub fn message(ids: &IdScope, kind: &str, conversation: &str, client_id: &str) -> String {
    format!("w_{}", ids.hex(&["respondio message", kind, conversation, client_id], HEX))
}

/// The hub's name for a site's conversation with a contact: what the session token names.
pub fn conversation(site: &str, contact: &str) -> String {
    format!("rio.{site}.{contact}")
}

/// A contact id as the edge makes them; anything else in an inbound call is not one of ours.
pub fn is_contact(id: &str) -> bool {
    id.strip_prefix("v_").is_some_and(|hex| hex.len() == HEX && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn custom_id_ok(id: &str) -> bool {
        id.len() <= 50 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"_=+/@".contains(&b))
    }

    #[test]
    fn ids_keep_respondios_custom_id_rules_and_tell_nothing() {
        let ids = IdScope::new(&Secret::new("s3cret".into()));
        let contact = contact(&ids, "sapa1.s.AbC-123_x");
        assert!(custom_id_ok(&contact) && is_contact(&contact), "{contact}");
        let m = message(&ids, "m", "rio.demo.v_1", "0d4c8a8e-5a0b-4e1c-9d2f-3b1a2c3d4e5f");
        assert!(custom_id_ok(&m) && !m.contains("0d4c8a8e"), "{m}");
        assert_eq!(m, message(&ids, "m", "rio.demo.v_1", "0d4c8a8e-5a0b-4e1c-9d2f-3b1a2c3d4e5f"), "a retry");
        assert_ne!(m, message(&ids, "m", "rio.demo.v_2", "0d4c8a8e-5a0b-4e1c-9d2f-3b1a2c3d4e5f"), "scoped");
        assert_ne!(m, message(&ids, "r", "rio.demo.v_1", "0d4c8a8e-5a0b-4e1c-9d2f-3b1a2c3d4e5f"), "by kind");
        let other = IdScope::new(&Secret::new("another".into()));
        assert_ne!(contact, super::contact(&other, "sapa1.s.AbC-123_x"), "keyed");
        assert!(!is_contact("v_zz") && !is_contact("+60177872890") && !is_contact(&format!("{contact}0")));
    }
}
