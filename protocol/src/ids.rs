//! Newtype ids, so a conversation id can never be passed where a message id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// A site configured at the edge (one deployment serves several).
    SiteId
);
string_id!(
    /// A conversation in the core platform.
    ConversationId
);
string_id!(
    /// A message in the core platform.
    MessageId
);
string_id!(
    /// An idempotency id made by the widget when a write is created (a UUID), carried to the core as
    /// `client_request_id` so a retry can never create a second copy.
    ClientId
);

/// The visitor's signed session token. It is a bearer credential, so `Debug` never prints it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionToken(pub String);

impl SessionToken {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_strings() {
        let id = ConversationId::from("conv_1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"conv_1\"");
        let back: ConversationId = serde_json::from_str("\"conv_1\"").unwrap();
        assert_eq!(back, id);
    }

    #[test]
    fn token_debug_is_redacted() {
        let t = SessionToken("abc.def".into());
        assert_eq!(format!("{t:?}"), "SessionToken(<redacted>)");
        assert!(!format!("{t:?}").contains("abc"));
    }
}
