//! The widget's hand-written JSON (`src/wire/`) against the edge's serde: every wire type reads what
//! serde_json writes and writes what serde_json reads, and the saved state of earlier releases still reads.

use sapa_protocol::stream::Frame;
use sapa_protocol::{
    Attachment, Author, AuthorKind, Capabilities, ClientId, ContactAttributes, ConversationId, ConversationStatus,
    CreateSession, ErrorBody, ErrorCode, Message, MessageId, MessageStatus, PrechatField, RateConversation, Rating,
    ReplyTime, SendMessage, SentMessage, SessionCreated, SessionToken, SitePublic,
};
use sapa_widget::json;
use sapa_widget::storage::Saved;
use sapa_widget::thread::State;
use sapa_widget::wire::{Read, Write};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the edge writes, the widget reads as the same value.
fn reads<T: Serialize + Read + PartialEq + std::fmt::Debug>(value: T) {
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(json::from_str::<T>(&text).ok(), Some(value), "{text}");
}

/// What the widget writes, the edge reads as the same value.
fn writes<T: DeserializeOwned + Write + PartialEq + std::fmt::Debug>(value: T) {
    let text = json::to_string(&value).unwrap();
    assert_eq!(serde_json::from_str::<T>(&text).ok(), Some(value), "{text}");
}

fn message(client_id: Option<&str>, attachment: bool) -> Message {
    Message {
        id: MessageId("m-1".into()),
        client_id: client_id.map(|c| ClientId(c.into())),
        author: Author { kind: AuthorKind::Agent, name: Some("Dewi".into()), avatar_url: None },
        text: "Halo \u{1f44b} \"quoted\" \\ back".into(),
        created_at: 1_764_000_000_123,
        status: MessageStatus::Read,
        attachment: attachment.then(|| Attachment {
            url: "https://cdn.example/a.png".into(),
            name: "a.png".into(),
            mime: "image/png".into(),
            size: 9_000_000,
        }),
    }
}

#[wasm_bindgen_test]
fn the_edge_answers_read_as_serde_wrote_them() {
    reads(message(None, false));
    reads(message(Some("c-1"), true));
    reads(SentMessage { message: message(Some("c-2"), false) });
    reads(SessionCreated {
        token: SessionToken("tok".into()),
        expires_at: 1_764_000_000,
        conversation_id: ConversationId("conv".into()),
    });
    let cores = [
        Capabilities::default(),
        Capabilities { files: false, rating: true },
        Capabilities { files: true, rating: false },
    ];
    for (reply_time, capabilities) in [ReplyTime::Minutes, ReplyTime::Hours, ReplyTime::Day].into_iter().zip(cores) {
        reads(SitePublic {
            id: "demo".into(),
            name: "Kopi".into(),
            color: "#2f6df6".into(),
            greeting: Some("Hi".into()),
            away_message: None,
            open_now: true,
            reply_time,
            prechat: vec![PrechatField { field: "name".into(), required: true }],
            require_identity: false,
            capabilities,
        });
    }
    for code in
        [ErrorCode::OriginNotAllowed, ErrorCode::TokenExpired, ErrorCode::IdentityNotConfigured, ErrorCode::Internal]
    {
        reads(ErrorBody {
            error: sapa_protocol::ErrorDetail { code, message: "m".into(), field: Some("text".into()) },
        });
    }
    for kind in [AuthorKind::Visitor, AuthorKind::System] {
        reads(kind);
    }
    for status in [ConversationStatus::Open, ConversationStatus::Resolved, ConversationStatus::Snoozed] {
        reads(status);
    }
}

#[wasm_bindgen_test]
fn names_this_build_does_not_know_read_as_unknown_and_wrong_shapes_fail() {
    assert_eq!(json::from_str::<ErrorCode>("\"brand_new_code\"").ok(), Some(ErrorCode::Unknown));
    assert_eq!(json::from_str::<MessageStatus>("\"seen\"").ok(), Some(MessageStatus::Unknown));
    assert!(json::from_str::<Rating>("\"meh\"").is_err(), "a rating has no unknown");
    assert!(json::from_str::<SentMessage>("{}").is_err(), "a required field");
    assert!(json::from_str::<SessionCreated>(r#"{"token":"t","expires_at":1.5,"conversation_id":"c"}"#).is_err());
    assert!(json::from_str::<SessionCreated>(r#"{"token":7,"expires_at":1,"conversation_id":"c"}"#).is_err());
    // Optional fields may be missing or null, and unknown fields are ignored.
    let text = r##"{"id":"s","name":"n","color":"#000000","open_now":false,"require_identity":true,"extra":[1]}"##;
    let site = json::from_str::<SitePublic>(text).unwrap();
    assert_eq!((site.greeting, site.reply_time, site.prechat.len()), (None, ReplyTime::default(), 0));
    assert_eq!(site.capabilities, Capabilities { files: true, rating: true }, "an older edge's site carries all");
    let partial = json::from_str::<Capabilities>(r#"{"files":false}"#).unwrap();
    assert_eq!(partial, serde_json::from_str::<Capabilities>(r#"{"files":false}"#).unwrap(), "as serde defaults it");
    assert!(!partial.files && partial.rating);
    let frame = json::from_str::<Frame>(r#"{"type":"ready","cursor":null}"#).unwrap();
    assert_eq!((frame.kind.as_str(), frame.cursor, frame.message.is_none()), ("ready", None, true));
}

#[wasm_bindgen_test]
fn what_the_widget_sends_reads_at_the_edge_as_written() {
    writes(CreateSession {
        site_id: "demo".into(),
        client_id: ClientId("c".into()),
        name: Some("Siti".into()),
        email: None,
        page_url: Some("https://shop.example/p?q=1".into()),
        locale: Some("id".into()),
        referrer: None,
        user_id: None,
        user_hash: None,
    });
    writes(SendMessage { client_id: ClientId("c".into()), text: "line\nbreak".into(), page_url: None });
    writes(RateConversation { client_id: ClientId("r".into()), rating: Rating::Bad, comment: Some("slow".into()) });
    writes(ContactAttributes { phone: Some("+62 812".into()), city: Some("Medan".into()), ..Default::default() });
    // Fields left out, not sent as null: the edge refuses unknown and mistyped fields.
    assert_eq!(
        json::to_string(&SendMessage { client_id: ClientId("c".into()), text: "t".into(), page_url: None }).unwrap(),
        r#"{"client_id":"c","text":"t"}"#
    );
}

/// A visitor's saved state exactly as the serde build of the widget stored it.
const SAVED_BY_SERDE: &str = r#"{"profile":{"name":"Siti","email":null},"session":{"token":"t","expires_at":1700000000,"conversation_id":"c1"},"session_user":null,"session_client_id":"cid","thread":{"messages":[{"key":"k1","id":"m1","client_id":"k1","author":{"kind":"visitor"},"text":"hi","created_at":1000,"state":{"Confirmed":"read"},"attachment":null,"page_url":null,"rated":null},{"key":"k2","id":null,"client_id":"k2","author":{"kind":"visitor"},"text":"","created_at":2000,"state":"Uploading","attachment":null,"page_url":"https://shop/x","rated":{"client_id":"r0","rating":"bad"}}],"cursor":"cur"},"status":"resolved","attributes":{"phone":"+62"},"rating":[{"client_id":"r1","rating":"good","comment":"great"},false]}"#;

#[wasm_bindgen_test]
fn a_returning_visitors_saved_state_from_the_serde_build_still_reads_and_round_trips() {
    let saved = json::from_str::<Saved>(SAVED_BY_SERDE).expect("reads");
    assert_eq!(saved.profile.as_ref().and_then(|p| p.name.as_deref()), Some("Siti"));
    assert_eq!(saved.session.as_ref().map(|s| s.conversation_id.0.as_str()), Some("c1"));
    assert_eq!(saved.thread.messages[0].state, State::Confirmed(MessageStatus::Read));
    assert_eq!(saved.thread.messages[1].state, State::Uploading);
    assert_eq!(saved.thread.messages[1].rated.as_ref().map(|r| r.rating), Some(Rating::Bad));
    assert_eq!(saved.status, Some(ConversationStatus::Resolved));
    assert_eq!(saved.rating.as_ref().map(|(r, sent)| (r.comment.as_deref(), *sent)), Some((Some("great"), false)));
    assert_eq!(json::from_str::<Saved>(&json::to_string(&saved).unwrap()).ok(), Some(saved));
    // The oldest shape: before profiles, identities, statuses, attributes and ratings were kept.
    let oldest = r#"{"session":null,"session_client_id":null,"thread":{"messages":[],"cursor":null}}"#;
    assert_eq!(json::from_str::<Saved>(oldest).ok(), Some(Saved::default()));
}
