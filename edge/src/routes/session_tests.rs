//! Opening sessions against a scripted core that loses answers after committing: one visitor, one contact,
//! and the token always names the conversation's own contact.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use futures_util::future::LocalBoxFuture;
use sapa_protocol::{CreateSession, Message};
use serde_json::Value;

use super::{sessions, Ctx};
use crate::config::{Secret, Sites};
use crate::core::http::{CoreClient, CoreRequest, CoreResponse, Transport};
use crate::core::{Hints, Ledger, SessionRecord};
use crate::error::ApiError;
use crate::scope::IdScope;
use crate::testing::{block_on, Forgetful, NoLinks};
use crate::token;

/// A core with contacts and idempotent conversation opening. `lose_conversation_answers` commits that many
/// conversation calls and then fails them as a dropped connection would.
#[derive(Default)]
struct Core {
    contacts: RefCell<Vec<String>>,
    conversations: RefCell<HashMap<String, (String, String)>>,
    lose_conversation_answers: Cell<u32>,
    fail_conversations: Cell<u32>,
    request_ids: RefCell<Vec<String>>,
}

impl Transport for Core {
    async fn send(&self, request: &CoreRequest) -> Result<CoreResponse, String> {
        let body: Value = match &request.body {
            Some(crate::core::http::Body::Json(json)) => serde_json::from_str(json).unwrap(),
            _ => Value::Null,
        };
        let answer = match request.path.as_str() {
            "/contacts" => {
                let id = format!("ct_{}", self.contacts.borrow().len() + 1);
                self.contacts.borrow_mut().push(id.clone());
                format!(r#"{{"id":"{id}"}}"#)
            }
            "/livechat/conversations" => {
                if self.fail_conversations.get() > 0 {
                    self.fail_conversations.set(self.fail_conversations.get() - 1);
                    return Ok(CoreResponse { status: 503, retry_after: None, body: String::new() });
                }
                let key = body["client_request_id"].as_str().unwrap().to_owned();
                self.request_ids.borrow_mut().push(key.clone());
                let customer = body["customer_id"].as_str().unwrap().to_owned();
                if !self.contacts.borrow().contains(&customer) {
                    return Ok(CoreResponse {
                        status: 404,
                        retry_after: None,
                        body: r#"{"error":"Contact not found"}"#.into(),
                    });
                }
                let count = self.conversations.borrow().len();
                let (id, customer) = self
                    .conversations
                    .borrow_mut()
                    .entry(key)
                    .or_insert_with(|| (format!("cv_{}", count + 1), customer))
                    .clone();
                if self.lose_conversation_answers.get() > 0 {
                    self.lose_conversation_answers.set(self.lose_conversation_answers.get() - 1);
                    return Err("connection reset after commit".into());
                }
                format!(r#"{{"id":"{id}","customer_id":"{customer}","status":"open"}}"#)
            }
            other => panic!("unexpected core call {other}"),
        };
        Ok(CoreResponse { status: 201, retry_after: None, body: answer })
    }
    async fn sleep(&self, _: u64) {}
    fn now_ms(&self) -> u64 {
        0
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// The Durable Object's behaviour, in memory: one attempt at a time, records kept.
#[derive(Default)]
struct Memory {
    records: RefCell<HashMap<String, SessionRecord>>,
    held: RefCell<Vec<String>>,
}

impl Ledger for Memory {
    async fn begin(&self, key: &str) -> Result<SessionRecord, ApiError> {
        if self.held.borrow().iter().any(|k| k == key) {
            return Err(ApiError::SessionBusy);
        }
        self.held.borrow_mut().push(key.to_owned());
        Ok(self.records.borrow().get(key).cloned().unwrap_or_default())
    }
    async fn record(&self, key: &str, record: &SessionRecord) {
        self.records.borrow_mut().insert(key.to_owned(), record.clone());
    }
    async fn end(&self, key: &str) {
        self.held.borrow_mut().retain(|k| k != key);
    }
}

/// Relasi.U sites never use the edge's thread.
struct NoThread;

impl crate::core::Thread for NoThread {
    fn claim<'a>(&'a self, _: &'a str, _: &'a str) -> LocalBoxFuture<'a, Result<crate::core::Claim, ApiError>> {
        unreachable!("a Relasi.U site asked the edge's thread")
    }
    fn release<'a>(&'a self, _: &'a str, _: &'a str) -> LocalBoxFuture<'a, ()> {
        unreachable!("a Relasi.U site asked the edge's thread")
    }
    fn record<'a>(&'a self, _: &'a str, _: &'a str, _: &'a Message) -> LocalBoxFuture<'a, Result<(), ApiError>> {
        unreachable!("a Relasi.U site asked the edge's thread")
    }
    fn messages<'a>(&'a self, _: &'a str) -> LocalBoxFuture<'a, Result<Vec<Message>, ApiError>> {
        unreachable!("a Relasi.U site asked the edge's thread")
    }
}

fn ctx(core: Core) -> Ctx<Core> {
    let sites: Sites =
        serde_json::from_str(r#"{"demo":{"name":"Demo","origins":["https://shop.example"],"channel_id":"ch_1"}}"#)
            .unwrap();
    let secret = Secret::new("session-secret".into());
    Ctx {
        sites,
        core: CoreClient::new(core),
        channels: HashMap::new(),
        thread: std::rc::Rc::new(NoThread),
        ids: IdScope::new(&secret),
        session_secret: secret,
        previous_session_secret: None,
        now_s: 1_000,
        now_ms: 1_000_000,
        origin: Some("https://shop.example".into()),
        identity_secrets: HashMap::new(),
    }
}

const CLIENT_ID: &str = "0d4c8a8e-5a0b-4c55-9a57-3bcb5b4c2f10";

fn request() -> CreateSession {
    serde_json::from_str(&format!(r#"{{"site_id":"demo","client_id":"{CLIENT_ID}"}}"#)).unwrap()
}

fn open(ctx: &Ctx<Core>, ledger: &impl Ledger) -> Result<(token::Claims, String), ApiError> {
    let checked = sessions::check(ctx, request())?;
    let opened = block_on(sessions::open(ctx, &NoLinks, ledger, checked, Hints::default()))?;
    let claims = token::verify(opened.created.token.as_str(), ctx.now_s, &ctx.session_secret, None).unwrap();
    Ok((claims, opened.owner))
}

#[test]
fn a_session_retried_after_its_conversation_answer_was_lost_makes_one_contact() {
    let core = Core::default();
    // Every attempt the edge makes within its budget commits and loses its answer: the widget retries.
    core.lose_conversation_answers.set(crate::core::http::MAX_ATTEMPTS);
    let ctx = ctx(core);
    let ledger = Memory::default();
    assert_eq!(open(&ctx, &ledger).unwrap_err().code(), sapa_protocol::ErrorCode::CoreUnavailable);
    let (claims, _) = open(&ctx, &ledger).unwrap();
    let core = &ctx.core.transport;
    assert_eq!(core.contacts.borrow().len(), 1, "one visitor, one contact");
    assert_eq!(core.conversations.borrow().len(), 1);
    assert_eq!((claims.contact.as_str(), claims.conv.as_str()), ("ct_1", "cv_1"));
}

#[test]
fn a_session_retried_after_a_refused_conversation_reuses_its_contact() {
    let core = Core::default();
    core.fail_conversations.set(crate::core::http::MAX_ATTEMPTS);
    let ctx = ctx(core);
    let ledger = Memory::default();
    assert!(open(&ctx, &ledger).is_err());
    let (claims, _) = open(&ctx, &ledger).unwrap();
    assert_eq!(ctx.core.transport.contacts.borrow().len(), 1);
    assert_eq!(claims.contact, "ct_1");
}

#[test]
fn without_a_record_the_token_still_names_the_conversations_own_contact() {
    let core = Core::default();
    core.lose_conversation_answers.set(crate::core::http::MAX_ATTEMPTS);
    let ctx = ctx(core);
    assert!(open(&ctx, &Forgetful).is_err());
    let (claims, _) = open(&ctx, &Forgetful).unwrap();
    // The core alone cannot stop the second contact, but the token follows the conversation, not it.
    assert_eq!(ctx.core.transport.contacts.borrow().len(), 2);
    assert_eq!(claims.contact, "ct_1");
}

#[test]
fn a_second_attempt_while_the_first_holds_the_session_is_told_to_wait() {
    let ctx = ctx(Core::default());
    let ledger = Memory::default();
    let owner = ctx.ids.session("demo", &CLIENT_ID.into(), None);
    block_on(ledger.begin(&owner)).unwrap();
    let e = open(&ctx, &ledger).unwrap_err();
    assert_eq!((e.code(), e.status()), (sapa_protocol::ErrorCode::SessionBusy, 503));
    assert!(ctx.core.transport.contacts.borrow().is_empty(), "nothing reached the core");
}

#[test]
fn a_recorded_contact_the_core_no_longer_has_is_made_again() {
    let ctx = ctx(Core::default());
    let ledger = Memory::default();
    let owner = ctx.ids.session("demo", &CLIENT_ID.into(), None);
    ledger.records.borrow_mut().insert(owner, SessionRecord { contact: Some("ct_merged_away".into()) });
    let (claims, _) = open(&ctx, &ledger).unwrap();
    assert_eq!(ctx.core.transport.contacts.borrow().len(), 1);
    assert_eq!(claims.contact, "ct_1");
}

#[test]
fn the_session_client_id_never_reaches_the_core() {
    let ctx = ctx(Core::default());
    let (_, owner) = open(&ctx, &Memory::default()).unwrap();
    let sent = ctx.core.transport.request_ids.borrow().clone();
    assert_eq!(sent, std::slice::from_ref(&owner));
    assert!(!owner.contains(CLIENT_ID));
}
