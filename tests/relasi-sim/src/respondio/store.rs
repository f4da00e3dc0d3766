//! What the respond.io simulator remembers: contacts per channel and each contact's thread. In memory only;
//! `POST /__sim/reset` empties it.

use serde::Serialize;
use serde_json::Value;

/// The optional profile sent with a webhook call; respond.io uses it when it creates the contact.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Profile {
    /// Reads the known fields that are strings; anything else in `contact` is ignored, as a lenient
    /// receiver would.
    pub fn from_json(v: &Value) -> Self {
        let field = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
        Self {
            first_name: field("firstName"),
            last_name: field("lastName"),
            email: field("email"),
            phone: field("phone"),
            country_code: field("countryCode"),
            language: field("language"),
        }
    }

    /// "First Last", or `None` when neither is known.
    pub fn name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.last_name].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// How one delivery of an agent reply to the edge ended.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// `sending`, then `sent` or `failed`.
    pub status: String,
    pub attempts: u32,
    /// The id the edge answered with.
    #[serde(rename = "mId")]
    pub m_id: Option<String>,
    pub last_error: Option<String>,
}

/// One message in a thread.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The simulator's own sequence number (unique across channels).
    pub id: u64,
    /// `incoming` (from the contact), `echo` (a `message_echo` event) or `outgoing` (an agent reply).
    pub direction: &'static str,
    /// The message type (`text`, `attachment`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    /// The caller's `mId` for incoming and echo messages, the edge's answer for outgoing ones.
    #[serde(rename = "mId")]
    pub m_id: Option<String>,
    /// `received` for incoming and echo messages; the delivery status for outgoing ones.
    pub status: String,
    /// Epoch milliseconds: the event's `timestamp`, or when the agent replied.
    pub timestamp: i64,
    /// Outgoing only: POSTs made for the (first) delivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Outgoing only, with `duplicate_replies` on: how the second copy went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<Delivery>,
    /// The last `message_status` value the edge posted for this message's `mId` (`delivered`, `read`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// The event's `message` object as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Value>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub channel_id: String,
    pub contact_id: String,
    pub profile: Profile,
    pub created_at: i64,
    #[serde(skip)]
    pub messages: Vec<Message>,
    /// Epoch milliseconds of the last message either way, for ordering the inbox.
    #[serde(skip)]
    pub last_activity: i64,
}

#[derive(Default)]
pub struct RioStore {
    /// In order of first sight; few enough in a test or dev session that scanning is fine.
    pub contacts: Vec<Contact>,
    next_id: u64,
}

pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

impl RioStore {
    pub fn contact(&self, channel_id: &str, contact_id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.channel_id == channel_id && c.contact_id == contact_id)
    }

    fn contact_mut(&mut self, channel_id: &str, contact_id: &str) -> Option<&mut Contact> {
        self.contacts.iter_mut().find(|c| c.channel_id == channel_id && c.contact_id == contact_id)
    }

    /// The contact, created with `profile` on first sight (a later profile does not overwrite it).
    pub fn touch(&mut self, channel_id: &str, contact_id: &str, profile: Option<Profile>) -> &mut Contact {
        if self.contact(channel_id, contact_id).is_none() {
            self.contacts.push(Contact {
                channel_id: channel_id.to_owned(),
                contact_id: contact_id.to_owned(),
                profile: profile.unwrap_or_default(),
                created_at: now_ms(),
                messages: vec![],
                last_activity: now_ms(),
            });
        }
        self.contact_mut(channel_id, contact_id).expect("just ensured")
    }

    /// Whether an incoming or echo message with this `mId` is already stored on the channel.
    pub fn has_mid(&self, channel_id: &str, m_id: &str) -> bool {
        self.contacts
            .iter()
            .filter(|c| c.channel_id == channel_id)
            .flat_map(|c| &c.messages)
            .any(|m| m.direction != "outgoing" && m.m_id.as_deref() == Some(m_id))
    }

    /// Stores `message` (its `id` is assigned here) on the contact; answers the id.
    pub fn push(&mut self, channel_id: &str, contact_id: &str, mut message: Message) -> u64 {
        self.next_id += 1;
        message.id = self.next_id;
        let contact = self.touch(channel_id, contact_id, None);
        contact.last_activity = now_ms();
        contact.messages.push(message);
        self.next_id
    }

    pub fn message_mut(&mut self, channel_id: &str, contact_id: &str, id: u64) -> Option<&mut Message> {
        self.contact_mut(channel_id, contact_id)?.messages.iter_mut().find(|m| m.id == id)
    }

    /// Records a `message_status` receipt on the outgoing message the edge gave this `mId`, if any.
    pub fn receipt(&mut self, channel_id: &str, contact_id: &str, m_id: &str, value: &str) -> bool {
        let Some(contact) = self.contact_mut(channel_id, contact_id) else { return false };
        match contact.messages.iter_mut().find(|m| m.direction == "outgoing" && m.m_id.as_deref() == Some(m_id)) {
            Some(m) => {
                m.receipt = Some(value.to_owned());
                true
            }
            None => false,
        }
    }

    pub fn by_activity(&self) -> Vec<&Contact> {
        let mut all: Vec<&Contact> = self.contacts.iter().collect();
        all.sort_by_key(|c| std::cmp::Reverse(c.last_activity));
        all
    }
}
