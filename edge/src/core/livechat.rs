//! The livechat inbound endpoints. These are ASSUMED (see shared/core-api/relasi.md): every call to them
//! lives here, so a change in the real contract is a change in this file only.

use super::types::{Conversation, Message, NewInboundText, NewLivechatConversation};
use super::{CoreClient, CoreError, CoreRequest, Retry, Transport};

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
