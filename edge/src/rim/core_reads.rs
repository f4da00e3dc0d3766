//! A hub's reads of its conversation's messages from the core, shared: a burst of stream upgrades to one
//! conversation (a reconnect storm, a hundred tabs, an attacker with one token) costs one read.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use sapa_protocol::{ErrorCode, Message};
use worker::{console_error, Env};

use crate::config::Sites;
use crate::core::Platform;

/// The messages read (newest first, only the conversation's own) and whether the read reached back as far
/// as it was asked to.
pub type Found = Result<Rc<(Vec<Message>, bool)>, ErrorCode>;
pub type Read = Shared<LocalBoxFuture<'static, Found>>;

/// A read finished this recently is still good enough for the next upgrade.
const REUSE_MS: i64 = 1_000;

struct Started {
    at_ms: i64,
    /// When it finished (set by the read itself).
    done_ms: Rc<std::cell::Cell<Option<i64>>>,
    /// How far back it reads (`None`: as far as the pages go).
    from: Option<i64>,
    read: Read,
}

#[derive(Default)]
pub struct SharedReads {
    last: RefCell<Option<Started>>,
}

/// Whether a read back to `have` also answers one that wants to reach `want`.
fn covers(have: Option<i64>, want: Option<i64>) -> bool {
    match (have, want) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(have), Some(want)) => have <= want,
    }
}

impl SharedReads {
    /// A read in flight that started within [`REUSE_MS`], or one that finished within it, answers this one
    /// too (so a message committed after an older read began is not missed); otherwise a new read starts.
    pub fn read(
        &self,
        env: &Env,
        sites: &Sites,
        site: &str,
        conversation: &str,
        from: Option<i64>,
        now_ms: i64,
    ) -> Read {
        let mut last = self.last.borrow_mut();
        if let Some(started) = last.as_ref() {
            let recent = match started.done_ms.get() {
                None => now_ms - started.at_ms < REUSE_MS,
                Some(done) => now_ms - done < REUSE_MS,
            };
            if recent && covers(started.from, from) {
                return started.read.clone();
            }
        }
        let done_ms = Rc::new(std::cell::Cell::new(None));
        let done = done_ms.clone();
        let (env, sites, site, conversation) = (env.clone(), sites.clone(), site.to_owned(), conversation.to_owned());
        let read = async move {
            let found = from_core(env, sites, site, conversation, from).await;
            done.set(Some(worker::Date::now().as_millis() as i64));
            found
        };
        let read = read.boxed_local().shared();
        *last = Some(Started { at_ms: now_ms, done_ms, from, read: read.clone() });
        read
    }

    /// Drops what was read (the hub was wiped: it belongs to another conversation now).
    pub fn forget(&self) {
        *self.last.borrow_mut() = None;
    }
}

async fn from_core(env: Env, sites: Sites, site: String, conversation: String, from: Option<i64>) -> Found {
    let ctx = super::env::context(&env, sites, None).map_err(|e| e.code())?;
    match ctx.core(&site).map_err(|e| e.code())?.history(&conversation, from).await {
        Ok(found) => Ok(Rc::new(found)),
        Err(e) => {
            console_error!("reading the conversation from the core failed: {}", e.log_detail().unwrap_or("refused"));
            Err(ErrorCode::CoreUnavailable)
        }
    }
}
