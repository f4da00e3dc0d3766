//! The core's resources, read tolerantly: only the fields the edge uses, unknown fields ignored,
//! unknown enum values kept as strings.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default)]
    pub has_next: bool,
    pub data: Vec<T>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Contact {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Channel {
    pub id: String,
    #[serde(rename = "type", alias = "channel_type", default)]
    pub channel_type: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Conversation {
    pub id: String,
    /// The conversation's contact: the truth about whom a session's token names.
    #[serde(default)]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub status: String,
    /// RFC 3339; moves with every message or status change (what delta sync keys on).
    #[serde(default)]
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Sender {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub avatar_url: Option<String>,
}

/// A message's file. Location messages carry other fields here; they lack a URL and are not attachments.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Media {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub mime: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub media: Option<Media>,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub sender: Sender,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub client_request_id: Option<String>,
    pub created_at: String,
}

/// A contact as `GET /contacts/{id}` answers and `PUT /contacts/{id}` takes it (the whole record: the
/// core replaces every field, so a field left out would be erased).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ContactRecord {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub lead_status: Option<String>,
    #[serde(default)]
    pub lead_source: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /messages/text` (documented): a message from the workspace's side, here always `as_system`.
#[derive(Clone, Debug, Serialize)]
pub struct NewSystemText<'a> {
    pub client_request_id: &'a str,
    pub conversation_id: &'a str,
    pub text: &'a str,
    pub as_system: bool,
}

/// `POST /contacts`.
#[derive(Clone, Debug, Serialize)]
pub struct NewContact<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    pub lead_source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<&'a str>,
}

/// `POST /livechat/conversations`.
#[derive(Clone, Debug, Serialize)]
pub struct NewLivechatConversation<'a> {
    pub client_request_id: &'a str,
    pub channel_id: &'a str,
    pub customer_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<&'a str>,
}

/// `POST /livechat/messages`.
#[derive(Clone, Debug, Serialize)]
pub struct NewInboundText<'a> {
    pub client_request_id: &'a str,
    pub conversation_id: &'a str,
    pub text: &'a str,
    /// Our addition to the assumed livechat contract (see ARCHITECTURE.md): the page the visitor wrote on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_url: Option<&'a str>,
}
