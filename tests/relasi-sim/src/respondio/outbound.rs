//! Agent replies, sent the way respond.io sends them: `POST <API Base URL>/message` with the channel's API
//! token as a Bearer token and `{channelId, contactId, message: {type: "text", text}}`, expecting
//! `200 {"mId": "..."}`. respond.io's timeout and retry policy is not documented; the simulator retries a
//! network error, a timeout or a 5xx (same body), and gives up at once on any other answer, so the edge's
//! behaviour under both is visible.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::store::{now_ms, Delivery, Message};
use super::RioSim;

/// Whether `/message` calls carry `Authorization: Bearer <API token>`. Which one respond.io does is an
/// open question (respondio.md, question 1), so the edge must cope with both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboundAuth {
    #[default]
    Bearer,
    None,
}

/// Runtime switches (`POST /__sim/switches`).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Switches {
    /// Drop a webhook message whose `mId` is already stored on the channel. Off: stored again, the worst
    /// case, since nothing documents that respond.io drops repeats.
    pub dedupe_mid: bool,
    pub outbound_auth: OutboundAuth,
    /// Deliver every agent reply twice (a second full delivery once the first has ended).
    pub duplicate_replies: bool,
}

/// A change to the switches: the fields given are set, the others are kept.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchPatch {
    pub dedupe_mid: Option<bool>,
    pub outbound_auth: Option<OutboundAuth>,
    pub duplicate_replies: Option<bool>,
}

impl Switches {
    pub fn apply(&mut self, patch: SwitchPatch) {
        self.dedupe_mid = patch.dedupe_mid.unwrap_or(self.dedupe_mid);
        self.outbound_auth = patch.outbound_auth.unwrap_or(self.outbound_auth);
        self.duplicate_replies = patch.duplicate_replies.unwrap_or(self.duplicate_replies);
    }
}

/// How hard one delivery is tried: `backoff.len() + 1` attempts, waiting `backoff[i]` before retry `i + 1`.
#[derive(Clone, Debug)]
pub struct ReplyPolicy {
    pub timeout: Duration,
    pub backoff: Vec<Duration>,
}

impl Default for ReplyPolicy {
    /// 3 attempts, 5 s each, 200 ms then 1 s apart.
    fn default() -> Self {
        Self { timeout: Duration::from_secs(5), backoff: vec![Duration::from_millis(200), Duration::from_secs(1)] }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ReplyError {
    UnknownChannel,
    UnknownContact,
    EmptyText,
}

/// The stored reply once its deliveries have ended.
#[derive(Clone, Debug, Serialize)]
pub struct Reply {
    /// The message's id in the simulator.
    pub id: u64,
    #[serde(flatten)]
    pub delivery: Delivery,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<Delivery>,
}

/// An agent replies `text` to a known contact: stores the message, delivers it (twice with
/// `duplicate_replies`), and answers once the deliveries have ended.
pub async fn reply(sim: &RioSim, channel_id: &str, contact_id: &str, text: &str) -> Result<Reply, ReplyError> {
    let channel = sim.channel(channel_id).cloned().ok_or(ReplyError::UnknownChannel)?;
    if text.trim().is_empty() {
        return Err(ReplyError::EmptyText);
    }
    let id = {
        let mut store = sim.store.lock().await;
        if store.contact(channel_id, contact_id).is_none() {
            return Err(ReplyError::UnknownContact);
        }
        let message = Message {
            id: 0,
            direction: "outgoing",
            kind: "text".into(),
            text: text.to_owned(),
            m_id: None,
            status: "sending".into(),
            timestamp: now_ms(),
            attempts: Some(0),
            last_error: None,
            duplicate: None,
            receipt: None,
            raw: None,
        };
        store.push(channel_id, contact_id, message)
    };
    let switches = *sim.switches.lock().await;
    let body = json!({"channelId": channel_id, "contactId": contact_id, "message": {"type": "text", "text": text}});
    let body = serde_json::to_vec(&body).expect("serialize");
    let target = Target { sim, channel_id, contact_id, id, url: channel.message_url() };
    let token = (switches.outbound_auth == OutboundAuth::Bearer).then_some(channel.token.as_str());

    let delivery = target.deliver(&body, token, false).await;
    let duplicate = if switches.duplicate_replies { Some(target.deliver(&body, token, true).await) } else { None };
    Ok(Reply { id, delivery, duplicate })
}

/// Where one reply goes, and where its progress is written.
struct Target<'a> {
    sim: &'a RioSim,
    channel_id: &'a str,
    contact_id: &'a str,
    id: u64,
    url: String,
}

impl Target<'_> {
    async fn deliver(&self, body: &[u8], token: Option<&str>, duplicate: bool) -> Delivery {
        let policy = &self.sim.reply_policy;
        let mut d = Delivery { status: "sending".into(), ..Delivery::default() };
        for attempt in 0..=policy.backoff.len() {
            if attempt > 0 {
                tokio::time::sleep(policy.backoff[attempt - 1]).await;
            }
            d.attempts += 1;
            match self.attempt(body, token, policy.timeout).await {
                Outcome::Sent(m_id) => {
                    (d.status, d.m_id, d.last_error) = ("sent".into(), Some(m_id), None);
                    break;
                }
                Outcome::Final(why) => {
                    (d.status, d.last_error) = ("failed".into(), Some(why));
                    break;
                }
                Outcome::Retry(why) => {
                    (d.status, d.last_error) = ("failed".into(), Some(why));
                    if attempt < policy.backoff.len() {
                        // Shown as still sending while a retry is due.
                        d.status = "sending".into();
                    }
                }
            }
            self.save(&d, duplicate).await;
        }
        self.save(&d, duplicate).await;
        d
    }

    async fn attempt(&self, body: &[u8], token: Option<&str>, timeout: Duration) -> Outcome {
        let mut req = self
            .sim
            .client
            .post(&self.url)
            .header("Content-Type", "application/json")
            .timeout(timeout)
            .body(body.to_vec());
        if let Some(token) = token {
            req = req.header("Authorization", format!("Bearer {token}"));
        }
        let resp = match req.send().await {
            Ok(resp) => resp,
            Err(e) => return Outcome::Retry(describe(&e)),
        };
        let status = resp.status();
        // The body is read in full first: a timeout or a break while reading is a network failure.
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => return Outcome::Retry(describe(&e)),
        };
        let snippet: String = String::from_utf8_lossy(&bytes).chars().take(200).collect();
        if status.is_server_error() {
            return Outcome::Retry(format!("HTTP {}: {snippet}", status.as_u16()));
        }
        if !status.is_success() {
            return Outcome::Final(format!("HTTP {}: {snippet}", status.as_u16()));
        }
        let m_id = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v["mId"].as_str().filter(|m| !m.is_empty()).map(str::to_owned));
        match m_id {
            Some(m_id) => Outcome::Sent(m_id),
            // Accepted but unusable: retrying could deliver it twice, so it is not retried.
            None => Outcome::Final(format!("HTTP {} without a non-empty mId: {snippet}", status.as_u16())),
        }
    }

    /// Writes the progress so the inbox and `/__sim` show it while retries are pending.
    async fn save(&self, d: &Delivery, duplicate: bool) {
        let mut store = self.sim.store.lock().await;
        let Some(m) = store.message_mut(self.channel_id, self.contact_id, self.id) else { return };
        if duplicate {
            m.duplicate = Some(d.clone());
        } else {
            m.status = d.status.clone();
            m.m_id = d.m_id.clone();
            m.attempts = Some(d.attempts);
            m.last_error = d.last_error.clone();
        }
    }
}

enum Outcome {
    Sent(String),
    Retry(String),
    Final(String),
}

/// reqwest's top-level message hides the cause; the chain says "connection refused" or the like.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
