//! The widget's own tests, run in headless Chromium by wasm-bindgen-test (`make test-wasm`).

use sapa_protocol::{
    Author, AuthorKind, ClientId, ContactAttributes, ConversationStatus, Message, MessageId, MessageStatus,
    RateConversation, Rating, SessionCreated, SessionToken,
};
use sapa_widget::storage::{self, Profile, Saved};
use sapa_widget::thread::{State, Thread, KEEP};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn edge_message(id: &str, client_id: Option<&str>, kind: AuthorKind, text: &str, at: i64) -> Message {
    Message {
        id: MessageId(id.into()),
        client_id: client_id.map(|c| ClientId(c.into())),
        author: Author { kind, name: None, avatar_url: None },
        text: text.into(),
        created_at: at,
        status: MessageStatus::Delivered,
        attachment: None,
    }
}

#[wasm_bindgen_test]
fn a_pending_message_is_confirmed_in_place_not_duplicated() {
    let mut thread = Thread::default();
    thread.push_pending(ClientId("client-0001".into()), "hello".into(), 1_000, None);
    assert_eq!(thread.outbox().count(), 1);
    let fresh = thread.merge(vec![edge_message("m1", Some("client-0001"), AuthorKind::Visitor, "hello", 1_050)]);
    assert_eq!(fresh, 0, "the visitor's own message is not unread");
    assert_eq!(thread.messages.len(), 1);
    assert_eq!(thread.messages[0].key, "client-0001", "the bubble keeps its key");
    assert_eq!(thread.messages[0].state, State::Confirmed(MessageStatus::Delivered));
    assert!(thread.outbox().next().is_none());
    // The same message again (a poll after the send's answer) changes nothing.
    thread.merge(vec![edge_message("m1", Some("client-0001"), AuthorKind::Visitor, "hello", 1_050)]);
    assert_eq!(thread.messages.len(), 1);
}

#[wasm_bindgen_test]
fn agent_replies_count_as_unread_and_sort_by_time() {
    let mut thread = Thread::default();
    let fresh = thread.merge(vec![
        edge_message("m3", None, AuthorKind::Agent, "second", 3_000),
        edge_message("m2", None, AuthorKind::Agent, "first", 2_000),
    ]);
    assert_eq!(fresh, 2);
    let texts: Vec<_> = thread.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["first", "second"]);
}

#[wasm_bindgen_test]
fn messages_in_any_order_end_oldest_first_and_ties_by_key() {
    let mut thread = Thread::default();
    thread.merge(vec![
        edge_message("m5", None, AuthorKind::Agent, "e", 5_000),
        edge_message("m1", None, AuthorKind::Agent, "a", 1_000),
        edge_message("m4", None, AuthorKind::Agent, "d", 4_000),
    ]);
    thread.merge(vec![
        edge_message("m3b", None, AuthorKind::Agent, "c2", 3_000),
        edge_message("m3a", None, AuthorKind::Agent, "c1", 3_000),
        edge_message("m2", None, AuthorKind::Agent, "b", 2_000),
    ]);
    // The edge corrects a time: the message moves to where it now belongs.
    thread.merge(vec![edge_message("m5", None, AuthorKind::Agent, "e", 1_500)]);
    let texts: Vec<_> = thread.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["a", "e", "b", "c1", "c2", "d"]);
}

#[wasm_bindgen_test]
fn statuses_only_move_forward_whatever_order_they_arrive_in() {
    let mut thread = Thread::default();
    thread.merge(vec![edge_message("m1", Some("client-0001"), AuthorKind::Visitor, "hi", 1_000)]);
    thread.set_status(&MessageId("m1".into()), MessageStatus::Read);
    assert_eq!(thread.messages[0].state, State::Confirmed(MessageStatus::Read));
    thread.set_status(&MessageId("m1".into()), MessageStatus::Delivered);
    // A copy of the message with an older status (a late catch-up) does not undo "read" either.
    thread.merge(vec![edge_message("m1", Some("client-0001"), AuthorKind::Visitor, "hi", 1_000)]);
    assert_eq!(thread.messages[0].state, State::Confirmed(MessageStatus::Read));
    thread.set_status(&MessageId("unknown".into()), MessageStatus::Read);
    assert_eq!(thread.messages.len(), 1);
}

#[wasm_bindgen_test]
fn the_stream_url_carries_the_conversation_and_cursor_but_never_the_token() {
    use sapa_widget::stream::stream_url;
    assert_eq!(
        stream_url("https://chat.example.com/", "conv 1", Some("ep.12")),
        "wss://chat.example.com/v1/stream?conversation=conv%201&cursor=ep.12"
    );
    assert_eq!(stream_url("http://127.0.0.1:8787", "c1", None), "ws://127.0.0.1:8787/v1/stream?conversation=c1");
}

#[wasm_bindgen_test]
fn only_web_addresses_become_links() {
    use sapa_widget::text::{linkify, Piece};
    assert_eq!(
        linkify("See https://kopi.example/beans?x=1. Or http://a.b/c), thanks"),
        vec![
            Piece::Text("See "),
            Piece::Link("https://kopi.example/beans?x=1"),
            Piece::Text(". Or "),
            Piece::Link("http://a.b/c"),
            Piece::Text("), thanks"),
        ]
    );
    assert_eq!(
        linkify("javascript:alert(1) data:text/html,x"),
        vec![Piece::Text("javascript:alert(1) data:text/html,x")]
    );
    assert_eq!(linkify("just https:// alone"), vec![Piece::Text("just https://"), Piece::Text(" alone")]);
    assert_eq!(linkify(""), vec![]);
}

#[wasm_bindgen_test]
fn failed_messages_leave_the_outbox_and_trim_keeps_unsent() {
    let mut thread = Thread::default();
    for i in 0..KEEP + 10 {
        thread.merge(vec![edge_message(&format!("m{i:04}"), None, AuthorKind::Agent, "x", i as i64)]);
    }
    thread.push_pending(ClientId("client-late".into()), "unsent".into(), 0, None);
    thread.push_pending(ClientId("client-bad".into()), "refused".into(), 1, None);
    thread.set_state(&ClientId("client-bad".into()), State::Failed);
    let unsent: Vec<_> = thread.outbox().map(|m| m.text.as_str()).collect();
    assert_eq!(unsent, vec!["unsent"]);
    thread.trim();
    assert_eq!(thread.messages.len(), KEEP);
    assert!(thread.messages.iter().any(|m| m.text == "unsent"), "unsent messages are never trimmed");
}

#[wasm_bindgen_test]
fn storage_round_trip() {
    let site = "storage-test";
    let mut saved = Saved {
        session: Some(SessionCreated {
            token: SessionToken("v1.a.b".into()),
            expires_at: 42,
            conversation_id: "conv_1".into(),
        }),
        session_user: Some("member-7".into()),
        profile: Some(Profile { name: Some("Siti".into()), email: None }),
        session_client_id: None,
        thread: Thread::default(),
        cursor: Some("ep.7".into()),
        attributes: Some(ContactAttributes { company: Some("Toko Maju".into()), ..Default::default() }),
        rating: Some((
            RateConversation { client_id: ClientId("client-0003".into()), rating: Rating::Good, comment: None },
            false,
        )),
        status: Some(ConversationStatus::Resolved),
    };
    saved.thread.push_pending(ClientId("client-0002".into()), "kept across reloads".into(), 5, None);
    storage::save(site, &saved);
    assert_eq!(storage::load(site), saved);
    assert_eq!(storage::load("another-site"), Saved::default());
}

#[wasm_bindgen_test]
fn set_attributes_reads_known_string_fields_and_refuses_the_rest() {
    use sapa_widget::extras::attributes_from_js;
    let object = |json: &str| js_sys::JSON::parse(json).unwrap();
    let ok = attributes_from_js(&object(r#"{"company":"Acme","country":"ID"}"#)).unwrap();
    assert_eq!(
        ok,
        ContactAttributes { company: Some("Acme".into()), country: Some("ID".into()), ..Default::default() }
    );
    let unknown = attributes_from_js(&object(r#"{"company":"Acme","plan":"pro"}"#)).unwrap_err();
    assert!(unknown.contains("unknown attribute \"plan\""), "{unknown}");
    assert!(attributes_from_js(&object(r#"{"phone":628}"#)).unwrap_err().contains("phone must be a string"));
    assert!(attributes_from_js(&object(r#"{}"#)).unwrap_err().starts_with("attributes:"));
    assert!(attributes_from_js(&"Acme".into()).is_err());
}

#[wasm_bindgen_test]
fn another_tabs_unsent_messages_are_adopted_once() {
    let mut mine = Thread::default();
    mine.push_pending(ClientId("client-mine".into()), "mine".into(), 10, None);
    let mut theirs = mine.clone();
    theirs.push_pending(ClientId("client-theirs".into()), "theirs".into(), 5, None);
    theirs.merge(vec![edge_message("m1", None, AuthorKind::Agent, "confirmed there", 7)]);
    assert!(mine.adopt_unsent(&theirs));
    let texts: Vec<_> = mine.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["theirs", "mine"], "only the unsent one, in time order");
    assert!(!mine.adopt_unsent(&theirs), "nothing new the second time");
}

#[wasm_bindgen_test]
fn client_ids_are_random_v4_uuids() {
    let a = sapa_widget::ids::new_client_id();
    let b = sapa_widget::ids::new_client_id();
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4", "version 4");
    assert!(sapa_protocol::validate::client_id("client_id", &a).is_ok(), "the edge accepts it");
}

#[wasm_bindgen_test]
async fn launcher_opens_a_panel_with_a_focused_composer() {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    // A plain object, as the loader passes it.
    let settings_js = js_sys::JSON::parse(
        r#"{"site_id":"component-test","api_base":"http://127.0.0.1:9","open":false,"title":"Kopi Nusantara"}"#,
    )
    .unwrap();
    sapa_widget::mount(container.clone(), settings_js, None).unwrap();

    let find = |id: &str| container.query_selector(&format!("[data-testid={id}]")).unwrap();
    assert!(find("panel").is_none(), "closed until the visitor asks");
    let launcher: web_sys::HtmlElement = find("launcher").unwrap().unchecked_into();
    assert_eq!(launcher.get_attribute("aria-label").as_deref(), Some("Open chat"));
    launcher.click();
    tick().await;

    let panel = find("panel").expect("the panel opens");
    assert!(panel.text_content().unwrap().contains("Kopi Nusantara"));
    assert_eq!(launcher.get_attribute("aria-expanded").as_deref(), Some("true"));
    let composer = find("composer").unwrap();
    assert_eq!(document.active_element(), Some(composer), "the composer takes focus");
    let send: web_sys::HtmlButtonElement = find("send").unwrap().unchecked_into();
    assert!(send.disabled(), "nothing to send yet");
}

#[wasm_bindgen_test]
fn text_on_any_accent_reaches_aa_and_the_default_blue_gets_white() {
    use sapa_widget::contrast::{on_accent, parse, ratio, AA};
    assert_eq!(on_accent("#2f6df6"), Some("#ffffff"), "white is 4.5:1 on the default blue; the old rule chose dark");
    assert_eq!(on_accent("#f5c400"), Some("#1d2330"));
    assert_eq!(on_accent("#2f6df"), None);
    assert_eq!(on_accent("red"), None);
    // Every grey and a sweep of hues: the chosen text always reaches 4.5:1.
    for v in (0..=255u16).step_by(5) {
        for accent in [[v as u8; 3], [v as u8, 255 - v as u8, 128], [255, v as u8, 0], [0, 128, v as u8]] {
            let hex = format!("#{:02x}{:02x}{:02x}", accent[0], accent[1], accent[2]);
            let text = parse(on_accent(&hex).unwrap()).unwrap();
            assert!(ratio(accent, text) >= AA, "{hex}: {}", ratio(accent, text));
        }
    }
}

#[wasm_bindgen_test]
fn only_a_few_emoji_and_nothing_else_are_shown_large() {
    use sapa_widget::text::only_emoji;
    for yes in ["👍", "🎉🎉", " ☕ ", "👨\u{200d}👩\u{200d}👧", "🇮🇩", "👋🏽", "❤\u{fe0f}"] {
        assert!(only_emoji(yes), "{yes:?}");
    }
    for no in ["", "ok 👍", "👍👍👍👍", "🇮", "12", "«»"] {
        assert!(!only_emoji(no), "{no:?}");
    }
}

#[wasm_bindgen_test]
fn refusals_no_retry_fixes_are_told_apart_and_name_the_fix() {
    use sapa_protocol::ErrorCode;
    use sapa_widget::api::ApiFailure;
    use sapa_widget::refusal::{identify_may_fix, of, owner_hint};
    let edge = |code| ApiFailure::Edge { status: 403, code, message: String::new() };
    assert_eq!(of(&edge(ErrorCode::OriginNotAllowed)), Some(ErrorCode::OriginNotAllowed));
    assert_eq!(of(&edge(ErrorCode::IdentityNotConfigured)), Some(ErrorCode::IdentityNotConfigured));
    for passing in [ErrorCode::CoreUnavailable, ErrorCode::RateLimited, ErrorCode::Internal, ErrorCode::InvalidField] {
        assert_eq!(of(&edge(passing)), None, "{passing:?}");
    }
    assert_eq!(of(&ApiFailure::Network("offline".into())), None);
    // Another tab sending the same message: retried quietly, neither a refusal nor "not connected".
    let busy = edge(ErrorCode::WriteBusy);
    assert!(of(&busy).is_none() && busy.is_retryable() && busy.is_busy());
    assert!(!edge(ErrorCode::CoreUnavailable).is_busy() && !ApiFailure::Network("offline".into()).is_busy());
    assert!(identify_may_fix(ErrorCode::IdentityRequired) && !identify_may_fix(ErrorCode::OriginNotAllowed));
    let hint = owner_hint(ErrorCode::OriginNotAllowed, "shop", "https://shop.example", "https://chat.example");
    assert!(
        hint.starts_with("Sapa: ") && hint.contains("Add \"https://shop.example\" to the site's \"origins\""),
        "{hint}"
    );
    assert!(!hint.contains('\n'), "one console line");
}

#[wasm_bindgen_test]
fn files_the_edge_would_refuse_are_refused_before_upload() {
    use sapa_widget::attachments::{accept, refusal};
    let file = |name: &str, mime: &str, size: usize| {
        let options = web_sys::FilePropertyBag::new();
        options.set_type(mime);
        let bytes = js_sys::Array::of1(&js_sys::Uint8Array::new_with_length(size as u32));
        web_sys::File::new_with_u8_array_sequence_and_options(&bytes, name, &options).unwrap()
    };
    let t = &sapa_widget::i18n::EN;
    assert_eq!(refusal(&file("beans.png", "image/png", 100), t), None);
    assert_eq!(refusal(&file("report.pdf", "", 100), t), None, "no type from the browser: the extension decides");
    assert_eq!(refusal(&file("big.png", "image/png", 10 * 1024 * 1024 + 1), t), Some(t.file_too_big));
    assert_eq!(refusal(&file("old.doc", "application/msword", 100), t), Some(t.file_type));
    assert!(accept().contains("image/png,.png") && !accept().contains(".doc,"), "{}", accept());
}

#[wasm_bindgen_test]
fn an_empty_state_is_not_stored_so_a_visitor_who_only_looked_is_not_returning() {
    let site = "empty-state-test";
    storage::save(site, &Saved::default());
    let stored = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(&storage::key(site)).unwrap();
    assert_eq!(stored, None);
}

#[wasm_bindgen_test]
fn the_visitors_rating_line_is_marked_by_the_id_the_edge_answered() {
    let mut thread = Thread::default();
    thread.merge(vec![edge_message("m9", None, AuthorKind::System, "Visitor rated this conversation: good 👍", 9)]);
    let rating = RateConversation {
        client_id: ClientId("client-0009".into()),
        rating: Rating::Good,
        comment: Some("Fast".into()),
    };
    thread.mark_rated(&MessageId("m9".into()), &rating);
    let shown = sapa_widget::transcript::shown_text(&thread.messages[0], &sapa_widget::i18n::ID);
    assert_eq!(shown, "Anda menilai percakapan ini: Bagus\n“Fast”");
    // A later copy of the line from the stream keeps the mark.
    thread.merge(vec![edge_message("m9", None, AuthorKind::System, "Visitor rated this conversation: good 👍", 9)]);
    assert!(thread.messages[0].rated.is_some());
}

#[wasm_bindgen_test]
async fn a_site_whose_core_takes_no_files_shows_no_attach_button() {
    let document = web_sys::window().unwrap().document().unwrap();
    let open_with = |site_id: &str, files: bool| {
        storage::save_site(
            site_id,
            &sapa_protocol::SitePublic {
                id: site_id.into(),
                name: "Toko".into(),
                color: "#2f6df6".into(),
                greeting: None,
                away_message: None,
                open_now: true,
                reply_time: Default::default(),
                prechat: vec![],
                require_identity: false,
                capabilities: sapa_protocol::Capabilities { files, rating: true },
            },
        );
        let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&container).unwrap();
        let settings = format!(r#"{{"site_id":"{site_id}","api_base":"http://127.0.0.1:9","open":true}}"#);
        sapa_widget::mount(container.clone(), js_sys::JSON::parse(&settings).unwrap(), None).unwrap();
        container
    };
    let without = open_with("no-files-test", false);
    let with = open_with("files-test", true);
    tick().await;
    let find = |c: &web_sys::HtmlElement, id: &str| -> Option<web_sys::HtmlElement> {
        c.query_selector(&format!("[data-testid={id}]")).unwrap().map(|e| e.unchecked_into())
    };
    assert!(find(&without, "composer").is_some() && find(&without, "emoji").is_some(), "the rest is there");
    assert!(find(&without, "attach").is_some_and(|b| b.hidden()), "nothing offers what cannot go through");
    assert!(find(&with, "attach").is_some_and(|b| !b.hidden()));
}

/// Lets Leptos run its effects.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
