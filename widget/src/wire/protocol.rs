//! The wire types the widget exchanges with the edge, in the shapes `protocol`'s serde attributes give them.

use sapa_protocol::stream::Frame;
use sapa_protocol::{
    Attachment, Author, AuthorKind, Capabilities, ClientId, ContactAttributes, ConversationId, ConversationStatus,
    CreateSession, ErrorBody, ErrorCode, ErrorDetail, Message, MessageId, MessageStatus, PrechatField,
    RateConversation, Rating, ReplyTime, SendMessage, SentMessage, SessionCreated, SessionToken, SiteId, SitePublic,
};
use wasm_bindgen::JsValue;

use super::{field, field_or_default, names, transparent, Obj, Read, Write};

transparent!(MessageId, ClientId, ConversationId, SessionToken, SiteId);

names!(AuthorKind { Visitor = "visitor", Agent = "agent", System = "system" } other Unknown = "unknown");
names!(MessageStatus { Sent = "sent", Delivered = "delivered", Read = "read", Failed = "failed" } other Unknown = "unknown");
names!(ReplyTime { Minutes = "minutes", Hours = "hours", Day = "day" } other Unknown = "unknown");
names!(ConversationStatus { Open = "open", Resolved = "resolved", Closed = "closed", Snoozed = "snoozed" }
    other Unknown = "unknown");
names!(Rating { Good = "good", Bad = "bad" });
names!(ErrorCode {
    InvalidJson = "invalid_json", InvalidField = "invalid_field", PayloadTooLarge = "payload_too_large",
    UnknownSite = "unknown_site", OriginNotAllowed = "origin_not_allowed", TokenMissing = "token_missing",
    TokenInvalid = "token_invalid", TokenExpired = "token_expired", TokenWrongSite = "token_wrong_site",
    TokenWrongConversation = "token_wrong_conversation", IdentityRequired = "identity_required",
    IdentityInvalid = "identity_invalid", IdentityNotConfigured = "identity_not_configured",
    UnsupportedMedia = "unsupported_media", NotSupported = "not_supported", RateLimited = "rate_limited", CoreUnavailable = "core_unavailable",
    CoreMisconfigured = "core_misconfigured", WebhookSignatureInvalid = "webhook_signature_invalid",
    WebhookExpired = "webhook_expired", WebhooksNotConfigured = "webhooks_not_configured",
    UpgradeRequired = "upgrade_required", IdempotencyConflict = "idempotency_conflict", SessionBusy = "session_busy",
    WriteBusy = "write_busy", NotFound = "not_found", MethodNotAllowed = "method_not_allowed", Internal = "internal",
} other Unknown = "unknown");

impl Read for Author {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { kind: field(v, "kind")?, name: field(v, "name")?, avatar_url: field(v, "avatar_url")? })
    }
}

impl Write for Author {
    fn write(&self) -> JsValue {
        Obj::new().set("kind", &self.kind).opt("name", &self.name).opt("avatar_url", &self.avatar_url).done()
    }
}

impl Read for Attachment {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { url: field(v, "url")?, name: field(v, "name")?, mime: field(v, "mime")?, size: field(v, "size")? })
    }
}

impl Write for Attachment {
    fn write(&self) -> JsValue {
        Obj::new().set("url", &self.url).set("name", &self.name).set("mime", &self.mime).set("size", &self.size).done()
    }
}

impl Read for Message {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            id: field(v, "id")?,
            client_id: field(v, "client_id")?,
            author: field(v, "author")?,
            text: field(v, "text")?,
            created_at: field(v, "created_at")?,
            status: field(v, "status")?,
            attachment: field(v, "attachment")?,
        })
    }
}

impl Read for SentMessage {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { message: field(v, "message")? })
    }
}

impl Read for SessionCreated {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            token: field(v, "token")?,
            expires_at: field(v, "expires_at")?,
            conversation_id: field(v, "conversation_id")?,
        })
    }
}

impl Write for SessionCreated {
    fn write(&self) -> JsValue {
        Obj::new()
            .set("token", &self.token)
            .set("expires_at", &self.expires_at)
            .set("conversation_id", &self.conversation_id)
            .done()
    }
}

impl Read for PrechatField {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { field: field(v, "field")?, required: field_or_default(v, "required")? })
    }
}

impl Write for PrechatField {
    fn write(&self) -> JsValue {
        Obj::new().set("field", &self.field).set("required", &self.required).done()
    }
}

impl Read for Capabilities {
    fn read(v: &JsValue) -> Option<Self> {
        let all = Self::default();
        Some(Self {
            files: field::<Option<bool>>(v, "files")?.unwrap_or(all.files),
            rating: field::<Option<bool>>(v, "rating")?.unwrap_or(all.rating),
        })
    }
}

impl Write for Capabilities {
    fn write(&self) -> JsValue {
        Obj::new().set("files", &self.files).set("rating", &self.rating).done()
    }
}

impl Read for SitePublic {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            id: field(v, "id")?,
            name: field(v, "name")?,
            color: field(v, "color")?,
            greeting: field(v, "greeting")?,
            away_message: field(v, "away_message")?,
            open_now: field(v, "open_now")?,
            reply_time: field_or_default(v, "reply_time")?,
            prechat: field_or_default(v, "prechat")?,
            require_identity: field(v, "require_identity")?,
            capabilities: field_or_default(v, "capabilities")?,
        })
    }
}

impl Write for SitePublic {
    fn write(&self) -> JsValue {
        Obj::new()
            .set("id", &self.id)
            .set("name", &self.name)
            .set("color", &self.color)
            .opt("greeting", &self.greeting)
            .opt("away_message", &self.away_message)
            .set("open_now", &self.open_now)
            .set("reply_time", &self.reply_time)
            .set("prechat", &self.prechat)
            .set("require_identity", &self.require_identity)
            .set("capabilities", &self.capabilities)
            .done()
    }
}

impl Read for ErrorBody {
    fn read(v: &JsValue) -> Option<Self> {
        let e = super::get(v, "error");
        Some(Self {
            error: ErrorDetail { code: field(&e, "code")?, message: field(&e, "message")?, field: field(&e, "field")? },
        })
    }
}

impl Read for Frame {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            kind: field(v, "type")?,
            cursor: field(v, "cursor")?,
            message: field(v, "message")?,
            message_id: field(v, "message_id")?,
            status: field(v, "status")?,
        })
    }
}

impl Read for RateConversation {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { client_id: field(v, "client_id")?, rating: field(v, "rating")?, comment: field(v, "comment")? })
    }
}

impl Write for RateConversation {
    fn write(&self) -> JsValue {
        Obj::new().set("client_id", &self.client_id).set("rating", &self.rating).opt("comment", &self.comment).done()
    }
}

impl Read for ContactAttributes {
    fn read(v: &JsValue) -> Option<Self> {
        let mut attributes = Self::default();
        for (slot, name) in attributes.slots_mut().into_iter().zip(Self::FIELDS) {
            *slot = field(v, name)?;
        }
        Some(attributes)
    }
}

impl Write for ContactAttributes {
    fn write(&self) -> JsValue {
        Obj::new()
            .opt("phone", &self.phone)
            .opt("company", &self.company)
            .opt("job_title", &self.job_title)
            .opt("city", &self.city)
            .opt("country", &self.country)
            .done()
    }
}

impl Write for CreateSession {
    fn write(&self) -> JsValue {
        Obj::new()
            .set("site_id", &self.site_id)
            .set("client_id", &self.client_id)
            .opt("name", &self.name)
            .opt("email", &self.email)
            .opt("page_url", &self.page_url)
            .opt("locale", &self.locale)
            .opt("referrer", &self.referrer)
            .opt("user_id", &self.user_id)
            .opt("user_hash", &self.user_hash)
            .done()
    }
}

impl Write for SendMessage {
    fn write(&self) -> JsValue {
        Obj::new().set("client_id", &self.client_id).set("text", &self.text).opt("page_url", &self.page_url).done()
    }
}
