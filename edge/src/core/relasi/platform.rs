//! Relasi.U behind [`Platform`]: each visitor-side write is one core call with a scoped `client_request_id`,
//! and every answer is checked to be the caller's own before it is converted.

use sapa_protocol::{ContactAttributes, Message, RateConversation, SendMessage};

use super::types::{self, ContactRecord, NewInboundText, NewSystemText};
use super::{contacts, livechat, messages};
use crate::attachments::Upload;
use crate::core::http::{CoreClient, CoreError, FilePart, Transport};
use crate::core::relasi::convert;
use crate::core::{
    own, rating_line, Capabilities, Changes, Delivery, Echo, Ledger, LinkStore, Opened, Platform, PollState, Realtime,
    Visitor,
};
use crate::error::ApiError;
use crate::scope::{IdScope, Kind};
use crate::token::Claims;

/// The Relasi.U core of a request: its client and the edge's id scope.
pub struct Relasi<'a, T: Transport> {
    pub client: &'a CoreClient<T>,
    pub ids: &'a IdScope,
}

/// What Relasi.U carries: everything, with replies by signed webhook (or delta sync without a secret).
pub const CAPABILITIES: Capabilities = Capabilities {
    widget: sapa_protocol::Capabilities { files: true, rating: true },
    attributes: true,
    history: true,
    realtime: Realtime::WebhookOrPoll,
};

impl<T: Transport> Relasi<'_, T> {
    /// The core's answer in the widget's shape, if it is the caller's own.
    fn answer(&self, sent: types::Message, claims: &Claims, core_id: &str) -> Result<Message, ApiError> {
        let echo =
            Echo { conversation: sent.conversation_id.as_deref(), request_id: sent.client_request_id.as_deref() };
        own(echo, claims, core_id)?;
        Ok(convert::message(sent, self.ids))
    }
}

impl<T: Transport> Changes for Relasi<'_, T> {
    async fn since(&self, state: &mut PollState, now_s: i64) -> Result<Vec<Delivery>, CoreError> {
        super::changes::tick(self.client, self.ids, state, now_s).await
    }
}

impl<T: Transport> Platform for Relasi<'_, T> {
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    async fn open(
        &self,
        visitor: Visitor<'_>,
        links: &impl LinkStore,
        ledger: &impl Ledger,
    ) -> Result<Opened, ApiError> {
        super::session::open(self.client, visitor, links, ledger).await
    }

    async fn send_text(&self, claims: &Claims, request: &SendMessage) -> Result<Message, ApiError> {
        let core_id = self.ids.write(Kind::Message, &claims.conv, &request.client_id);
        let body = NewInboundText {
            client_request_id: &core_id,
            // Always the token's conversation: the browser never names one.
            conversation_id: &claims.conv,
            text: &request.text,
            page_url: request.page_url.as_deref(),
        };
        let sent = livechat::send_text(self.client, &body).await?;
        self.answer(sent, claims, &core_id)
    }

    async fn send_file(&self, claims: &Claims, upload: Upload) -> Result<Message, ApiError> {
        let file = FilePart { name: upload.file_name, mime: upload.mime, bytes: upload.bytes };
        let core_id = self.ids.write(Kind::File, &claims.conv, &upload.client_id);
        let into = livechat::FileInto {
            kind: upload.kind.as_str(),
            client_request_id: &core_id,
            conversation_id: &claims.conv,
        };
        let sent = livechat::send_file(self.client, into, &upload.caption, file).await?;
        self.answer(sent, claims, &core_id)
    }

    /// The core documents no rating endpoint: a rating is a system line in the conversation
    /// (`POST /messages/text` with `as_system`), which agents see beside what was said and the visitor sees as
    /// the confirmation. When the core gains a rating endpoint, only this changes.
    async fn rate(&self, claims: &Claims, rating: &RateConversation) -> Result<Message, ApiError> {
        let text = rating_line(rating);
        let core_id = self.ids.write(Kind::Rating, &claims.conv, &rating.client_id);
        let body =
            NewSystemText { client_request_id: &core_id, conversation_id: &claims.conv, text: &text, as_system: true };
        let sent = messages::send_system(self.client, &body).await?;
        self.answer(sent, claims, &core_id)
    }

    /// Reads the token's contact and writes it back with the attributes: the core's `PUT` replaces the whole
    /// record, so anything not read first would be erased.
    async fn set_attributes(&self, claims: &Claims, attributes: ContactAttributes) -> Result<(), ApiError> {
        let contact = contacts::get(self.client, &claims.contact).await?;
        contacts::put(self.client, &claims.contact, &merged(contact, attributes)).await?;
        Ok(())
    }

    async fn history(&self, conversation: &str, from_ms: Option<i64>) -> Result<(Vec<Message>, bool), ApiError> {
        let (list, reached) = messages::since(self.client, conversation, from_ms).await?;
        Ok((convert::messages_of(conversation, list, self.ids), reached))
    }
}

/// The contact with the site's attributes written over it; fields the site did not name stay as they are.
pub fn merged(mut contact: ContactRecord, attributes: ContactAttributes) -> ContactRecord {
    let c = &mut contact;
    attributes.write_over([&mut c.phone, &mut c.company, &mut c.job_title, &mut c.city, &mut c.country]);
    contact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_overwrite_only_what_they_name() {
        let contact = ContactRecord {
            name: "Dewi".into(),
            email: Some("dewi@example.com".into()),
            company: Some("Old Co".into()),
            city: Some("Jakarta".into()),
            ..Default::default()
        };
        let attributes =
            ContactAttributes { company: Some("Acme".into()), phone: Some("+62 811".into()), ..Default::default() };
        let out = merged(contact, attributes);
        assert_eq!(out.company.as_deref(), Some("Acme"));
        assert_eq!(out.phone.as_deref(), Some("+62 811"));
        assert_eq!(out.city.as_deref(), Some("Jakarta"));
        assert_eq!(out.email.as_deref(), Some("dewi@example.com"));
        assert_eq!(out.name, "Dewi");
    }
}
