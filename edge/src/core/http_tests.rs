//! The retry logic, driven by a scripted transport. End-to-end behaviour against the simulator is
//! covered by the e2e suite; this pins the timing and classification rules.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use super::*;
use crate::core::relasi::{channels, types};
use crate::testing::block_on;

struct Scripted {
    answers: RefCell<VecDeque<Result<CoreResponse, String>>>,
    sent: Cell<u32>,
    clock: Cell<u64>,
    slept: RefCell<Vec<u64>>,
}

impl Scripted {
    fn new(answers: Vec<Result<CoreResponse, String>>) -> Self {
        Self {
            answers: RefCell::new(answers.into()),
            sent: Cell::new(0),
            clock: Cell::new(0),
            slept: RefCell::new(vec![]),
        }
    }
}

fn resp(status: u16, body: &str) -> Result<CoreResponse, String> {
    Ok(CoreResponse { status, retry_after: None, body: body.into() })
}

impl Transport for Scripted {
    async fn send(&self, _: &CoreRequest) -> Result<CoreResponse, String> {
        self.sent.set(self.sent.get() + 1);
        self.answers.borrow_mut().pop_front().expect("more requests than scripted")
    }
    async fn sleep(&self, ms: u64) {
        self.slept.borrow_mut().push(ms);
        self.clock.set(self.clock.get() + ms);
    }
    fn now_ms(&self) -> u64 {
        self.clock.get()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

fn get() -> CoreRequest {
    CoreRequest::get("/x".into())
}

#[test]
fn safe_calls_retry_5xx_and_network_errors_then_succeed() {
    let t = Scripted::new(vec![resp(502, ""), Err("reset".into()), resp(200, r#"{"id":"c1"}"#)]);
    let core = CoreClient::new(t);
    let c: types::Contact = block_on(core.call(get(), Retry::Safe)).unwrap();
    assert_eq!(c.id, "c1");
    assert_eq!(core.transport.sent.get(), 3);
    assert_eq!(*core.transport.slept.borrow(), vec![187, 375]);
}

#[test]
fn unsafe_calls_are_sent_once() {
    let core = CoreClient::new(Scripted::new(vec![resp(503, "")]));
    let e = block_on(core.call::<types::Contact>(get(), Retry::Never)).unwrap_err();
    assert!(matches!(e, CoreError::Unavailable(_)));
    assert_eq!(core.transport.sent.get(), 1);
}

#[test]
fn gives_up_after_max_attempts() {
    let core = CoreClient::new(Scripted::new(vec![resp(500, ""), resp(500, ""), resp(500, "")]));
    assert!(block_on(core.call::<types::Contact>(get(), Retry::Safe)).is_err());
    assert_eq!(core.transport.sent.get(), MAX_ATTEMPTS);
}

#[test]
fn rate_limits_wait_for_retry_after_within_budget() {
    let limited =
        Ok(CoreResponse { status: 429, retry_after: Some("2".into()), body: r#"{"error":"slow down"}"#.into() });
    let core = CoreClient::new(Scripted::new(vec![limited, resp(200, r#"{"id":"c1"}"#)]));
    assert!(block_on(core.call::<types::Contact>(get(), Retry::Safe)).is_ok());
    assert_eq!(*core.transport.slept.borrow(), vec![2000]);

    let long = Ok(CoreResponse { status: 429, retry_after: Some("60".into()), body: String::new() });
    let core = CoreClient::new(Scripted::new(vec![long]));
    let e = block_on(core.call::<types::Contact>(get(), Retry::Safe)).unwrap_err();
    assert_eq!(e, CoreError::RateLimited { retry_after_s: 60 });
    assert_eq!(core.transport.sent.get(), 1);
}

#[test]
fn auth_and_client_errors_are_not_retried() {
    let scope = resp(403, r#"{"error":"Insufficient scope","required_scope":"messages:write"}"#);
    let core = CoreClient::new(Scripted::new(vec![scope]));
    let e = block_on(core.call::<types::Contact>(get(), Retry::Safe)).unwrap_err();
    assert_eq!(
        e,
        CoreError::Auth {
            status: 403,
            message: "Insufficient scope".into(),
            required_scope: Some("messages:write".into())
        }
    );
    assert_eq!(core.transport.sent.get(), 1);
    let core = CoreClient::new(Scripted::new(vec![resp(422, r#"{"error":"bad text"}"#)]));
    assert!(matches!(
        block_on(core.call::<types::Contact>(get(), Retry::Safe)),
        Err(CoreError::Rejected { status: 422, .. })
    ));
}

#[test]
fn retry_after_forms() {
    assert_eq!(retry_after_s(Some("7"), 0), 7);
    assert_eq!(retry_after_s(None, 0), 1);
    assert_eq!(retry_after_s(Some("soon"), 0), 1);
    // 1994-11-06T08:49:37Z is 784111777.
    assert_eq!(retry_after_s(Some("Sun, 06 Nov 1994 08:49:47 GMT"), 784_111_777_000), 10);
}

#[test]
fn backoff_grows_and_jitters() {
    assert_eq!(CORE_RETRY.delay_ms(0, 0.0), 125);
    assert_eq!(CORE_RETRY.delay_ms(0, 0.999_999), 249);
    assert_eq!(CORE_RETRY.delay_ms(1, 0.0), 250);
    assert_eq!(CORE_RETRY.delay_ms(2, 0.0), 500);
}

#[test]
fn the_livechat_channel_is_asked_once() {
    let page = r#"{"has_next":false,"data":[{"id":"ch_wa","type":"whatsapp"},{"id":"ch_live","type":"livechat"}]}"#;
    let core = CoreClient::new(Scripted::new(vec![resp(200, page), resp(200, page)]));
    channels::forget_livechat();
    assert_eq!(block_on(channels::livechat_cached(&core)).unwrap().as_deref(), Some("ch_live"));
    assert_eq!(block_on(channels::livechat_cached(&core)).unwrap().as_deref(), Some("ch_live"));
    assert_eq!(core.transport.sent.get(), 1);
    channels::forget_livechat();
    assert_eq!(block_on(channels::livechat_cached(&core)).unwrap().as_deref(), Some("ch_live"));
    assert_eq!(core.transport.sent.get(), 2, "asked again once forgotten");
}
