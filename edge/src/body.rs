//! Reading a JSON request body into a request type.

use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Parses `bytes` as a JSON object into `T`. Anything else is refused before serde sees it: a derived
/// `Deserialize` for a struct also takes an array of its fields in order, which no client should send.
pub fn object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first != Some(&b'{') {
        return Err(ApiError::InvalidJson("the body must be a JSON object".into()));
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::InvalidJson(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sapa_protocol::{ContactAttributes, CreateSession, RateConversation, SendMessage};

    const ID: &str = "0d4c8a8e-5a0b-4c55-9a57-3bcb5b4c2f10";

    fn refused_as_not_object<T: DeserializeOwned + std::fmt::Debug>(json: &str) {
        match object::<T>(json.as_bytes()) {
            Err(ApiError::InvalidJson(m)) => assert_eq!(m, "the body must be a JSON object", "{json}"),
            other => panic!("{json} should be refused, got {other:?}"),
        }
    }

    #[test]
    fn array_body_does_not_open_a_session() {
        let json = format!(r#"["demo","{ID}"]"#);
        // The bug: serde alone takes the array as the struct's fields in order.
        assert!(serde_json::from_str::<CreateSession>(&json).is_ok());
        refused_as_not_object::<CreateSession>(&json);
    }

    #[test]
    fn array_body_does_not_send_a_message() {
        let json = format!(r#"["{ID}","hi"]"#);
        assert!(serde_json::from_str::<SendMessage>(&json).is_ok());
        refused_as_not_object::<SendMessage>(&json);
    }

    #[test]
    fn array_body_does_not_rate_a_conversation() {
        let json = format!(r#"["{ID}","good"]"#);
        assert!(serde_json::from_str::<RateConversation>(&json).is_ok());
        refused_as_not_object::<RateConversation>(&json);
    }

    #[test]
    fn array_body_does_not_set_contact_attributes() {
        assert!(serde_json::from_str::<ContactAttributes>(r#"["+62 812"]"#).is_ok());
        refused_as_not_object::<ContactAttributes>(r#"["+62 812"]"#);
        refused_as_not_object::<ContactAttributes>("[]");
        refused_as_not_object::<ContactAttributes>(" \n[]");
    }

    #[test]
    fn objects_pass_even_after_leading_whitespace() {
        let json = format!(r#"{{"site_id":"demo","client_id":"{ID}"}}"#);
        let session: CreateSession = object(json.as_bytes()).unwrap();
        assert_eq!(session.site_id.as_str(), "demo");
        let spaced = format!(" \t\r\n  {json}");
        assert!(object::<CreateSession>(spaced.as_bytes()).is_ok());
        let message: SendMessage = object(format!(r#"{{"client_id":"{ID}","text":"hi"}}"#).as_bytes()).unwrap();
        assert_eq!(message.text, "hi");
        let rating: RateConversation =
            object(format!(r#"  {{"client_id":"{ID}","rating":"bad"}}"#).as_bytes()).unwrap();
        assert!(rating.comment.is_none());
        let attributes: ContactAttributes = object(br#"{"city":"Bandung"}"#).unwrap();
        assert_eq!(attributes.city.as_deref(), Some("Bandung"));
    }

    #[test]
    fn scalars_and_empty_bodies_are_not_objects() {
        for json in ["null", r#""x""#, "1", "true", "", "   ", "\u{feff}{}"] {
            refused_as_not_object::<ContactAttributes>(json);
        }
    }

    #[test]
    fn a_broken_object_is_still_invalid_json() {
        let err = object::<CreateSession>(br#"{"site_id":"demo""#).unwrap_err();
        assert!(matches!(err, ApiError::InvalidJson(m) if m != "the body must be a JSON object"));
        let unknown = object::<SendMessage>(format!(r#"{{"client_id":"{ID}","text":"hi","x":1}}"#).as_bytes());
        assert!(matches!(unknown, Err(ApiError::InvalidJson(m)) if m.contains("unknown field")));
    }
}
