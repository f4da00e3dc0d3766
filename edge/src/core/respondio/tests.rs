//! The adapter against a scripted channel and an in-memory thread: each write reaches respond.io once, under
//! one `mId`, and what the edge recorded is the thread.

use std::cell::RefCell;

use futures_util::future::{FutureExt, LocalBoxFuture};
use sapa_protocol::{ClientId, Message, SendMessage};
use serde_json::Value;

use super::*;
use crate::core::http::CoreResponse;
use crate::core::Profile;
use crate::testing::{block_on, Forgetful, NoLinks};

#[derive(Default)]
struct Channelled {
    bodies: RefCell<Vec<Value>>,
    /// Answers to give, oldest first; `None`: a dropped connection. Then 200.
    script: RefCell<Vec<Option<u16>>>,
}

impl Transport for Channelled {
    async fn send(&self, request: &CoreRequest) -> Result<CoreResponse, String> {
        if let Some(crate::core::http::Body::Json(json)) = &request.body {
            self.bodies.borrow_mut().push(serde_json::from_str(json).unwrap());
        }
        let next = if self.script.borrow().is_empty() { Some(200) } else { self.script.borrow_mut().remove(0) };
        match next {
            Some(status) => Ok(CoreResponse { status, retry_after: None, body: "{}".into() }),
            None => Err("connection reset".into()),
        }
    }
    async fn sleep(&self, _: u64) {}
    fn now_ms(&self) -> u64 {
        0
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// The hub's thread in memory: what was recorded, the client ids claimed and not yet released, and the
/// profile the session was registered with.
#[derive(Default)]
struct Memory {
    recorded: RefCell<Vec<(String, Message)>>,
    claimed: RefCell<Vec<String>>,
    profile: RefCell<Option<Profile>>,
}

impl Thread for Memory {
    fn claim<'a>(&'a self, conv: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, Result<Claim, ApiError>> {
        let found = self
            .recorded
            .borrow()
            .iter()
            .find(|(c, m)| c == conv && m.client_id.as_ref().is_some_and(|id| id.as_str() == client_id))
            .map(|(_, m)| m.clone());
        let claim = match found {
            Some(message) => Claim::Recorded(Box::new(message)),
            None if self.claimed.borrow().iter().any(|c| c == client_id) => Claim::Busy,
            None => {
                self.claimed.borrow_mut().push(client_id.to_owned());
                let spoke = self.recorded.borrow().iter().any(|(c, _)| c == conv);
                Claim::Yours(self.profile.borrow().clone().filter(|_| !spoke))
            }
        };
        async move { Ok(claim) }.boxed_local()
    }
    fn release<'a>(&'a self, _: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, ()> {
        self.claimed.borrow_mut().retain(|c| c != client_id);
        async {}.boxed_local()
    }
    fn record<'a>(
        &'a self,
        _: &'a str,
        conv: &'a str,
        message: &'a Message,
    ) -> LocalBoxFuture<'a, Result<(), ApiError>> {
        self.recorded.borrow_mut().push((conv.to_owned(), message.clone()));
        async { Ok(()) }.boxed_local()
    }
    fn messages<'a>(&'a self, conv: &'a str) -> LocalBoxFuture<'a, Result<Vec<Message>, ApiError>> {
        let all = self.recorded.borrow().iter().filter(|(c, _)| c == conv).map(|(_, m)| m.clone()).collect();
        async move { Ok(all) }.boxed_local()
    }
}

fn channel(transport: Channelled) -> Channel<Channelled> {
    Channel {
        config: serde_json::from_str(r#"{"channel_id":"ch_1","token_secret":"T","path_secret":"P"}"#).unwrap(),
        client: CoreClient::new(transport),
        token: Secret::new("tok".into()),
        path: Secret::new("path".into()),
    }
}

fn claims(conv: &str, contact: &str) -> Claims {
    Claims { site: "shop".into(), contact: contact.into(), conv: conv.into(), iat: 0, exp: 1, uid: None, own: None }
}

fn text(client_id: &str, text: &str) -> SendMessage {
    SendMessage { client_id: ClientId(client_id.into()), text: text.into(), page_url: None }
}

#[test]
fn a_message_is_one_event_and_a_retry_after_it_was_accepted_is_not_posted_again() {
    let ids = IdScope::new(&Secret::new("s".into()));
    let (channel, thread) = (channel(Channelled::default()), Memory::default());
    let rio = RespondIo { site: "shop", channel: &channel, ids: &ids, thread: &thread, now_ms: 1_764_000_000_000 };
    let c = claims("rio.shop.v_1", "v_1");
    let first = block_on(rio.send_text(&c, &text("c-1", "Halo"))).unwrap();
    let again = block_on(rio.send_text(&c, &text("c-1", "Halo"))).unwrap();
    assert_eq!(first, again, "the recorded answer");
    let bodies = channel.client.transport.bodies.borrow();
    assert_eq!(bodies.len(), 1, "posted once");
    let event = &bodies[0];
    assert_eq!((event["channelId"].as_str(), event["contactId"].as_str()), (Some("ch_1"), Some("v_1")));
    assert_eq!(event["events"][0]["mId"].as_str(), Some(first.id.as_str()));
    assert_eq!(event["events"][0]["message"], serde_json::json!({"type": "text", "text": "Halo"}));
    assert_eq!(first.client_id.as_ref().map(ClientId::as_str), Some("c-1"));
    let (history, _) = block_on(rio.history("rio.shop.v_1", None)).unwrap();
    assert_eq!(history, vec![first]);
}

#[test]
fn a_lost_answer_is_retried_under_the_same_mid_and_a_refusal_records_nothing() {
    let ids = IdScope::new(&Secret::new("s".into()));
    let script = RefCell::new(vec![None, Some(503)]);
    let (channel, thread) = (channel(Channelled { script, ..Default::default() }), Memory::default());
    let rio = RespondIo { site: "shop", channel: &channel, ids: &ids, thread: &thread, now_ms: 5 };
    let c = claims("rio.shop.v_1", "v_1");
    block_on(rio.send_text(&c, &text("c-2", "Ada?"))).unwrap();
    let ids_sent: Vec<_> =
        channel.client.transport.bodies.borrow().iter().map(|b| b["events"][0]["mId"].clone()).collect();
    assert_eq!(ids_sent.len(), 3);
    assert!(ids_sent.iter().all(|m| *m == ids_sent[0]), "{ids_sent:?}");

    channel.client.transport.script.borrow_mut().push(Some(401));
    let e = block_on(rio.send_text(&c, &text("c-3", "x"))).unwrap_err();
    assert_eq!(e.code(), sapa_protocol::ErrorCode::CoreMisconfigured, "a wrong channel token");
    assert_eq!(block_on(rio.history("rio.shop.v_1", None)).unwrap().0.len(), 1, "only what was accepted");
}

#[test]
fn a_write_another_request_is_sending_is_busy_and_a_failed_send_lets_the_retry_post() {
    let ids = IdScope::new(&Secret::new("s".into()));
    let script = RefCell::new(vec![Some(503), Some(503), Some(503), Some(503)]);
    let (channel, thread) = (channel(Channelled { script, ..Default::default() }), Memory::default());
    let rio = RespondIo { site: "shop", channel: &channel, ids: &ids, thread: &thread, now_ms: 5 };
    let c = claims("rio.shop.v_1", "v_1");
    thread.claimed.borrow_mut().push("c-4".into()); // another tab's request, still out
    let busy = block_on(rio.send_text(&c, &text("c-4", "Two tabs"))).unwrap_err();
    assert_eq!((busy.code(), busy.status()), (sapa_protocol::ErrorCode::WriteBusy, 503));
    assert!(channel.client.transport.bodies.borrow().is_empty(), "nothing posted while it is held");

    thread.claimed.borrow_mut().clear();
    let down = block_on(rio.send_text(&c, &text("c-5", "Core down"))).unwrap_err();
    assert_eq!(down.code(), sapa_protocol::ErrorCode::CoreUnavailable);
    assert!(thread.claimed.borrow().is_empty(), "the failed send released its claim");
    let retried = block_on(rio.send_text(&c, &text("c-5", "Core down"))).unwrap();
    assert_eq!(block_on(rio.history("rio.shop.v_1", None)).unwrap().0, vec![retried]);
}

#[test]
fn the_name_and_email_from_the_pre_chat_form_go_with_the_first_message() {
    let ids = IdScope::new(&Secret::new("s".into()));
    let (channel, thread) = (channel(Channelled::default()), Memory::default());
    let rio = RespondIo { site: "shop", channel: &channel, ids: &ids, thread: &thread, now_ms: 5 };
    let request: sapa_protocol::CreateSession = serde_json::from_str(
        r#"{"site_id":"shop","client_id":"0d4c8a8e-5a0b","name":"Siti Rahma","email":"siti@example.com"}"#,
    )
    .unwrap();
    let hints = crate::core::Hints::default();
    let visitor = Visitor { request: &request, user_id: None, hints: &hints, owner: "sapa1.s.A", channel_id: None };
    let opened = block_on(rio.open(visitor, &NoLinks, &Forgetful)).unwrap();
    *thread.profile.borrow_mut() = opened.introduce.clone(); // what registering the session does
    let c = claims(&opened.conversation, &opened.contact);
    block_on(rio.send_text(&c, &text("c-6", "Halo"))).unwrap();
    block_on(rio.send_text(&c, &text("c-7", "Ada Toraja?"))).unwrap();
    let bodies = channel.client.transport.bodies.borrow();
    assert_eq!(bodies[0]["contact"], serde_json::json!({"firstName": "Siti Rahma", "email": "siti@example.com"}));
    assert!(bodies[1].get("contact").is_none(), "only the message that creates the contact carries it");
}

#[test]
fn a_session_names_a_contact_of_its_own_and_files_are_refused_plainly() {
    let ids = IdScope::new(&Secret::new("s".into()));
    let (channel, thread) = (channel(Channelled::default()), Memory::default());
    let rio = RespondIo { site: "shop", channel: &channel, ids: &ids, thread: &thread, now_ms: 5 };
    let request: sapa_protocol::CreateSession =
        serde_json::from_str(r#"{"site_id":"shop","client_id":"0d4c8a8e-5a0b"}"#).unwrap();
    let hints = crate::core::Hints::default();
    let visitor =
        |owner: &'static str| Visitor { request: &request, user_id: None, hints: &hints, owner, channel_id: None };
    let a = block_on(rio.open(visitor("sapa1.s.A"), &NoLinks, &Forgetful)).unwrap();
    let again = block_on(rio.open(visitor("sapa1.s.A"), &NoLinks, &Forgetful)).unwrap();
    let b = block_on(rio.open(visitor("sapa1.s.B"), &NoLinks, &Forgetful)).unwrap();
    assert_eq!(a, again, "a retried session");
    assert_ne!(a.contact, b.contact);
    assert!(ids::is_contact(&a.contact) && a.conversation == format!("rio.shop.{}", a.contact));
    assert!(channel.client.transport.bodies.borrow().is_empty(), "respond.io makes the contact with the first message");
    let c = claims(&a.conversation, &a.contact);
    let attrs = block_on(rio.set_attributes(&c, Default::default())).unwrap_err();
    assert_eq!(attrs.code(), sapa_protocol::ErrorCode::NotSupported);
    let can = rio.capabilities();
    assert!(!can.widget.files && can.widget.rating && !can.history && can.realtime == Realtime::Push);
}
