//! The widget's own stored shapes (`thread.rs`, `storage.rs`, `past.rs`) and the loader's settings, as earlier
//! releases wrote them with serde: a returning visitor's saved state still reads.

use wasm_bindgen::JsValue;

use super::{field, field_or_default, Obj, Read, Write};
use crate::past::Past;
use crate::settings::Settings;
use crate::storage::{Profile, Saved};
use crate::thread::{ChatMessage, State, Thread};

/// serde's externally tagged enum: `"Sending"`, or `{"Confirmed": "read"}`.
impl Read for State {
    fn read(v: &JsValue) -> Option<Self> {
        if let Some(name) = v.as_string() {
            return match name.as_str() {
                "Sending" => Some(Self::Sending),
                "Failed" => Some(Self::Failed),
                "Uploading" => Some(Self::Uploading),
                _ => None,
            };
        }
        field(v, "Confirmed").map(Self::Confirmed)
    }
}

impl Write for State {
    fn write(&self) -> JsValue {
        match self {
            Self::Sending => "Sending".write(),
            Self::Failed => "Failed".write(),
            Self::Uploading => "Uploading".write(),
            Self::Confirmed(status) => Obj::new().set("Confirmed", status).done(),
        }
    }
}

impl Read for ChatMessage {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            key: field(v, "key")?,
            id: field(v, "id")?,
            client_id: field(v, "client_id")?,
            author: field(v, "author")?,
            text: field(v, "text")?,
            created_at: field(v, "created_at")?,
            state: field(v, "state")?,
            attachment: field(v, "attachment")?,
            page_url: field(v, "page_url")?,
            rated: field(v, "rated")?,
        })
    }
}

impl Write for ChatMessage {
    fn write(&self) -> JsValue {
        Obj::new()
            .set("key", &self.key)
            .set("id", &self.id)
            .set("client_id", &self.client_id)
            .set("author", &self.author)
            .set("text", &self.text)
            .set("created_at", &self.created_at)
            .set("state", &self.state)
            .set("attachment", &self.attachment)
            .set("page_url", &self.page_url)
            .set("rated", &self.rated)
            .done()
    }
}

impl Read for Profile {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { name: field(v, "name")?, email: field(v, "email")? })
    }
}

impl Write for Profile {
    fn write(&self) -> JsValue {
        Obj::new().set("name", &self.name).set("email", &self.email).done()
    }
}

impl Read for Saved {
    fn read(v: &JsValue) -> Option<Self> {
        // The thread's entry holds its messages and the stream's cursor (as every release stored them).
        let thread = super::get(v, "thread");
        if !thread.is_object() {
            return None;
        }
        Some(Self {
            profile: field(v, "profile")?,
            session: field(v, "session")?,
            session_user: field(v, "session_user")?,
            session_client_id: field(v, "session_client_id")?,
            thread: Thread { messages: field(&thread, "messages")? },
            cursor: field(&thread, "cursor")?,
            status: field(v, "status")?,
            attributes: field(v, "attributes")?,
            rating: field(v, "rating")?,
        })
    }
}

impl Write for Saved {
    fn write(&self) -> JsValue {
        Obj::new()
            .set("profile", &self.profile)
            .set("session", &self.session)
            .set("session_user", &self.session_user)
            .set("session_client_id", &self.session_client_id)
            .set("thread", &Obj::new().set("messages", &self.thread.messages).set("cursor", &self.cursor).done())
            .set("status", &self.status)
            .set("attributes", &self.attributes)
            .set("rating", &self.rating)
            .done()
    }
}

impl Read for Past {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self { ended_at: field(v, "ended_at")?, messages: field(v, "messages")? })
    }
}

impl Write for Past {
    fn write(&self) -> JsValue {
        Obj::new().set("ended_at", &self.ended_at).set("messages", &self.messages).done()
    }
}

impl Read for Settings {
    fn read(v: &JsValue) -> Option<Self> {
        Some(Self {
            site_id: field(v, "site_id")?,
            api_base: field(v, "api_base")?,
            open: field_or_default(v, "open")?,
            title: field(v, "title")?,
            locale: field(v, "locale")?,
            color: field(v, "color")?,
            theme: field(v, "theme")?,
            position: field(v, "position")?,
            offset_x: field(v, "offset_x")?,
            offset_y: field(v, "offset_y")?,
            z_index: field(v, "z_index")?,
        })
    }
}
