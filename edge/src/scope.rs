//! The idempotency ids the edge sends to the core, scoped so that no two conversations can share one.
//!
//! The core keeps one `client_request_id` namespace per API key: every visitor of every site behind this edge
//! shares it, and so do the workspace's other integrations. A widget's id is only unique to that widget, so it
//! never goes to the core as it is:
//! - a write into a conversation (message, file, rating) goes as `sapa1.<kind>.<client id>.<tag>`, where the
//!   tag is an HMAC over the kind, the token's conversation and the client id. The same id in another
//!   conversation makes another core id, and an id the edge did not make for this conversation is recognised.
//! - a session goes as `sapa1.s.<HMAC over the site and the client id>`: the session's client id is a bearer
//!   secret (whoever knows it may resume the conversation), so it never leaves the edge in clear.
//!
//! The key is derived from `SESSION_SECRET`. During a rotation the previous secret's key still recognises the
//! ids it made, so history keeps the widget's client ids; a write first sent before the rotation and retried
//! after it gets a new core id (a session opens a new conversation, a message may be stored twice): keep the
//! previous secret set until pending writes have gone, as for tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sapa_protocol::ClientId;
use sha2::Sha256;

use crate::config::Secret;

const PREFIX: &str = "sapa1";
/// Base64url characters of a write tag: 120 bits.
const TAG_CHARS: usize = 20;
/// Base64url characters of a session id: 192 bits.
const SESSION_CHARS: usize = 32;

/// What a scoped id is for. Each kind is its own namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Message,
    File,
    Rating,
}

impl Kind {
    fn letter(self) -> &'static str {
        match self {
            Self::Message => "m",
            Self::File => "f",
            Self::Rating => "r",
        }
    }
}

/// Makes and recognises scoped ids. Cheap to clone; its `Debug` prints nothing.
#[derive(Clone)]
pub struct IdScope {
    key: [u8; 32],
    /// The previous secret's key during a rotation: recognised, never used for new ids.
    previous: Option<[u8; 32]>,
}

impl std::fmt::Debug for IdScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdScope(<redacted>)")
    }
}

impl IdScope {
    pub fn new(secret: &Secret) -> Self {
        Self { key: derive(secret), previous: None }
    }

    /// Also recognises ids made under the previous session secret.
    pub fn with_previous(mut self, previous: Option<&Secret>) -> Self {
        self.previous = previous.map(derive);
        self
    }

    fn mac(&self, parts: &[&str]) -> Hmac<Sha256> {
        mac_with(&self.key, parts)
    }

    fn tag_with(key: &[u8; 32], kind: Kind, conversation: &str, client_id: &str) -> String {
        let digest = mac_with(key, &[kind.letter(), conversation, client_id]).finalize().into_bytes();
        B64.encode(digest)[..TAG_CHARS].to_owned()
    }

    fn tag(&self, kind: Kind, conversation: &str, client_id: &str) -> String {
        Self::tag_with(&self.key, kind, conversation, client_id)
    }

    /// The core id of a write into `conversation`: at most 6 + 2 + 64 + 1 + 20 = 93 characters, within the
    /// core's 255.
    pub fn write(&self, kind: Kind, conversation: &str, client_id: &ClientId) -> String {
        let client_id = client_id.as_str();
        format!("{PREFIX}.{}.{client_id}.{}", kind.letter(), self.tag(kind, conversation, client_id))
    }

    /// The widget's id back from a core id, only when this edge made that core id for a visitor's write (a
    /// message or a file) in `conversation`. Anything else (another conversation's, an integration's, a
    /// forged one) is `None`.
    pub fn visitor_client_id(&self, conversation: &str, core_id: &str) -> Option<ClientId> {
        let rest = core_id.strip_prefix(PREFIX)?.strip_prefix('.')?;
        let (letter, rest) = rest.split_once('.')?;
        let kind = [Kind::Message, Kind::File].into_iter().find(|k| k.letter() == letter)?;
        let (client_id, tag) = rest.rsplit_once('.')?;
        // Constant time: the tag is what proves the id is ours.
        let same = |expected: String| {
            expected.len() == tag.len() && expected.bytes().zip(tag.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        };
        let ours = std::iter::once(&self.key)
            .chain(self.previous.as_ref())
            .any(|key| same(Self::tag_with(key, kind, conversation, client_id)));
        ours.then(|| ClientId(client_id.to_owned()))
    }

    /// The core id that opens a session's conversation: the site, the session's client id and the verified
    /// user (if any), keyed, so nobody who reads the core learns the client id, two sites never share one, and
    /// a visitor who signs in as someone else is another session.
    pub fn session(&self, site: &str, client_id: &ClientId, user: Option<&str>) -> String {
        let mut parts = vec!["s", site, client_id.as_str()];
        parts.extend(user);
        let digest = self.mac(&parts).finalize().into_bytes();
        format!("{PREFIX}.s.{}", &B64.encode(digest)[..SESSION_CHARS])
    }

    /// A keyed digest of `parts` as `chars` lowercase hex characters (at most 64), for platforms whose ids
    /// take only letters and digits.
    pub fn hex(&self, parts: &[&str], chars: usize) -> String {
        let mut digest = hex::encode(self.mac(parts).finalize().into_bytes());
        digest.truncate(chars);
        digest
    }
}

fn derive(secret: &Secret) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(b"sapa idempotency ids v1");
    mac.finalize().into_bytes().into()
}

fn mac_with(key: &[u8; 32], parts: &[&str]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        // Length-prefixed, so no two part lists hash alike.
        mac.update(&(part.len() as u32).to_be_bytes());
        mac.update(part.as_bytes());
    }
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> IdScope {
        IdScope::new(&Secret::new("test-session-secret".into()))
    }

    const CID: &str = "7b1f1a52-3a41-4c7e-8d0e-1f2a3b4c5d6e";

    #[test]
    fn one_client_id_in_two_conversations_makes_two_core_ids() {
        let s = scope();
        let a = s.write(Kind::Message, "conv_1", &CID.into());
        let b = s.write(Kind::Message, "conv_2", &CID.into());
        assert_ne!(a, b);
        assert!(a.starts_with("sapa1.m.7b1f1a52-3a41-4c7e-8d0e-1f2a3b4c5d6e."));
        assert!(a.len() <= 255);
        let longest = s.write(Kind::File, "c", &ClientId("x".repeat(64)));
        assert_eq!(longest.len(), 93);
    }

    #[test]
    fn kinds_are_separate_namespaces() {
        let s = scope();
        let ids = [Kind::Message, Kind::File, Kind::Rating].map(|k| s.write(k, "conv_1", &CID.into()));
        assert_ne!(ids[0], ids[1]);
        assert_ne!(ids[1], ids[2]);
    }

    #[test]
    fn the_client_id_comes_back_only_for_its_own_conversation() {
        let s = scope();
        let core_id = s.write(Kind::Message, "conv_1", &CID.into());
        assert_eq!(s.visitor_client_id("conv_1", &core_id), Some(CID.into()));
        assert_eq!(s.visitor_client_id("conv_2", &core_id), None, "another conversation's id");
        let file = s.write(Kind::File, "conv_1", &CID.into());
        assert_eq!(s.visitor_client_id("conv_1", &file), Some(CID.into()));
        let rating = s.write(Kind::Rating, "conv_1", &CID.into());
        assert_eq!(s.visitor_client_id("conv_1", &rating), None, "a rating is not a visitor message");
    }

    #[test]
    fn foreign_and_forged_ids_are_not_recognised() {
        let s = scope();
        for foreign in [CID, "agent-side-id", "sapa1.m.abc", "sapa1.m..x", "sapa1.x.abcdefgh.tag", ""] {
            assert_eq!(s.visitor_client_id("conv_1", foreign), None, "{foreign:?}");
        }
        let real = s.write(Kind::Message, "conv_1", &CID.into());
        let forged = format!("{}A", &real[..real.len() - 1]);
        let forged = if forged == real { format!("{}B", &real[..real.len() - 1]) } else { forged };
        assert_eq!(s.visitor_client_id("conv_1", &forged), None);
        let other_key = IdScope::new(&Secret::new("another edge".into()));
        assert_eq!(other_key.visitor_client_id("conv_1", &real), None);
    }

    #[test]
    fn a_session_id_never_carries_the_client_id_and_is_per_site() {
        let s = scope();
        let id = s.session("demo", &CID.into(), None);
        assert!(!id.contains(CID) && !id.contains("7b1f1a52"));
        assert_eq!(id.len(), "sapa1.s.".len() + SESSION_CHARS);
        assert_eq!(id, s.session("demo", &CID.into(), None), "a retry makes the same id");
        assert_ne!(id, s.session("shop", &CID.into(), None));
        assert_ne!(id, s.session("demo", &CID.into(), Some("user-42")), "another identity is another session");
        assert_ne!(id, IdScope::new(&Secret::new("another edge".into())).session("demo", &CID.into(), None));
    }

    #[test]
    fn ids_made_before_a_rotation_are_still_recognised() {
        let old = Secret::new("old".into());
        let made = IdScope::new(&old).write(Kind::Message, "conv_1", &CID.into());
        let rotated = IdScope::new(&Secret::new("new".into()));
        assert_eq!(rotated.visitor_client_id("conv_1", &made), None);
        let rotating = rotated.with_previous(Some(&old));
        assert_eq!(rotating.visitor_client_id("conv_1", &made), Some(CID.into()));
        assert_eq!(rotating.visitor_client_id("conv_2", &made), None);
        assert_ne!(rotating.write(Kind::Message, "conv_1", &CID.into()), made, "new ids use the new key");
    }

    #[test]
    fn debug_prints_no_key() {
        assert_eq!(format!("{:?}", scope()), "IdScope(<redacted>)");
    }
}
