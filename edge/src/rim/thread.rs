//! The edge's own record of a conversation, kept by its hub (`core::Thread`).

use futures_util::future::{FutureExt, LocalBoxFuture};
use sapa_protocol::Message;
use worker::Env;

use super::hubs;
use crate::core::{Claim, Thread};
use crate::error::ApiError;

pub struct HubThread(pub Env);

impl Thread for HubThread {
    fn claim<'a>(&'a self, conversation: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, Result<Claim, ApiError>> {
        hubs::claim(&self.0, conversation, client_id).boxed_local()
    }

    fn release<'a>(&'a self, conversation: &'a str, client_id: &'a str) -> LocalBoxFuture<'a, ()> {
        hubs::release(&self.0, conversation, client_id).boxed_local()
    }

    fn record<'a>(
        &'a self,
        site: &'a str,
        conversation: &'a str,
        message: &'a Message,
    ) -> LocalBoxFuture<'a, Result<(), ApiError>> {
        hubs::record(&self.0, site, conversation, message).boxed_local()
    }

    fn messages<'a>(&'a self, conversation: &'a str) -> LocalBoxFuture<'a, Result<Vec<Message>, ApiError>> {
        hubs::thread(&self.0, conversation).boxed_local()
    }
}
