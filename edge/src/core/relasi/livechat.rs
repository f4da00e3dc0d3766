//! The livechat inbound endpoints. These are ASSUMED (see shared/core-api/relasi.md): every call to them
//! lives here, so a change in the real contract is a change in this file only.

use super::types::{Conversation, Message, NewInboundText, NewLivechatConversation};
use crate::core::http::{CoreClient, CoreError, CoreRequest, FilePart, Retry, Transport};

/// `POST /livechat/conversations`: opens the visitor's conversation, once per `client_request_id`.
pub async fn open_conversation<T: Transport>(
    core: &CoreClient<T>,
    body: &NewLivechatConversation<'_>,
) -> Result<Conversation, CoreError> {
    core.call(CoreRequest::post_json("/livechat/conversations", body), Retry::Safe).await
}

/// `POST /livechat/messages`: the visitor's text as an inbound message, once per `client_request_id`.
pub async fn send_text<T: Transport>(core: &CoreClient<T>, body: &NewInboundText<'_>) -> Result<Message, CoreError> {
    core.call(CoreRequest::post_json("/livechat/messages", body), Retry::Safe).await
}

/// Where a visitor's file goes: its kind (`image` or `document`), its idempotency id and its conversation.
#[derive(Clone, Copy, Debug)]
pub struct FileInto<'a> {
    pub kind: &'a str,
    pub client_request_id: &'a str,
    pub conversation_id: &'a str,
}

/// `POST /livechat/messages/{image|document}` (multipart): the visitor's file, once per `client_request_id`.
pub async fn send_file<T: Transport>(
    core: &CoreClient<T>,
    into: FileInto<'_>,
    caption: &str,
    file: FilePart,
) -> Result<Message, CoreError> {
    let FileInto { kind, client_request_id, conversation_id } = into;
    let mut fields =
        vec![("client_request_id", client_request_id.to_owned()), ("conversation_id", conversation_id.to_owned())];
    if !caption.is_empty() {
        fields.push(("text", caption.to_owned()));
    }
    core.call(CoreRequest::post_multipart(format!("/livechat/messages/{kind}"), fields, file), Retry::Safe).await
}
