//! The agent inbox: one plain HTML page (no script) listing each channel's contacts, newest activity first,
//! with their threads and a reply form each. A reply is a form post that waits for the delivery to end and
//! then redirects back (POST-redirect-GET), so the page shows the final status.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;

use super::outbound::{reply as send, ReplyError};
use super::store::{Contact, Message, RioStore};
use super::{Channel, RioSim};

pub fn router() -> Router<RioSim> {
    Router::new().route("/inbox", get(page)).route("/inbox/reply", post(reply))
}

#[derive(Deserialize)]
struct Note {
    note: Option<String>,
}

async fn page(State(sim): State<RioSim>, Query(q): Query<Note>) -> Html<String> {
    let store = sim.store.lock().await;
    Html(render(&sim.channels, &store, q.note.as_deref()).into_string())
}

#[derive(Deserialize)]
struct ReplyForm {
    channel_id: String,
    contact_id: String,
    text: String,
}

async fn reply(State(sim): State<RioSim>, Form(form): Form<ReplyForm>) -> Response {
    let note = match send(&sim, &form.channel_id, &form.contact_id, form.text.trim()).await {
        Ok(_) => None,
        Err(ReplyError::EmptyText) => Some("empty"),
        Err(ReplyError::UnknownChannel | ReplyError::UnknownContact) => Some("unknown"),
    };
    let anchor = {
        let store = sim.store.lock().await;
        store.contacts.iter().position(|c| c.channel_id == form.channel_id && c.contact_id == form.contact_id)
    };
    let mut to = String::from("/inbox");
    if let Some(note) = note {
        to.push_str("?note=");
        to.push_str(note);
    }
    if let Some(i) = anchor {
        to.push_str(&format!("#contact-{i}"));
    }
    Redirect::to(&to).into_response()
}

fn render(channels: &[Channel], store: &RioStore, note: Option<&str>) -> Markup {
    let header = html! { strong { "respond.io simulator" } " · agent inbox · " a href="/inbox" { "refresh" } };
    let body = html! {
        @match note {
            Some("empty") => p.note { "A reply needs some text." },
            Some("unknown") => p.note { "That contact is not on that channel." },
            _ => {}
        }
        @for channel in channels {
            section.channel data-testid="rio-channel" {
                h2 { "Channel " code { (channel.id) } }
                p.meta { "Replies go to " code { (channel.message_url()) } }
                @let contacts: Vec<&Contact> =
                    store.by_activity().into_iter().filter(|c| c.channel_id == channel.id).collect();
                @if contacts.is_empty() {
                    p.empty { "No contacts yet. Send a message from the widget." }
                }
                @for contact in contacts {
                    (contact_card(store, contact))
                }
            }
        }
    };
    crate::page::inbox("respondio-sim", STYLE, header, body)
}

fn contact_card(store: &RioStore, contact: &Contact) -> Markup {
    let index = store.contacts.iter().position(|c| std::ptr::eq(c, contact)).unwrap_or_default();
    let p = &contact.profile;
    html! {
        article.contact id={ "contact-" (index) } data-testid="rio-contact" {
            h3 {
                (p.name().unwrap_or_else(|| "Visitor".into()))
                " " code { (contact.contact_id) }
            }
            @let details: Vec<&String> = [&p.email, &p.phone, &p.country_code, &p.language].into_iter().flatten().collect();
            @if !details.is_empty() {
                p.meta { @for (i, d) in details.iter().enumerate() { @if i > 0 { " · " } (d) } }
            }
            ol.thread {
                @for m in &contact.messages { (message(m)) }
            }
            form.reply method="post" action="/inbox/reply" {
                input type="hidden" name="channel_id" value=(contact.channel_id);
                input type="hidden" name="contact_id" value=(contact.contact_id);
                textarea name="text" rows="2" required placeholder="Reply as the agent" {}
                button type="submit" { "Send" }
            }
        }
    }
}

fn message(m: &Message) -> Markup {
    html! {
        li.msg.(m.direction) data-testid="rio-message" {
            span.who { (m.direction) }
            p { (m.text) }
            span.meta {
                (clock(m.timestamp)) " · " (m.status)
                " · mId " code { (m.m_id.as_deref().unwrap_or("none")) }
                @if let Some(n) = m.attempts { " · " (n) @if n == 1 { " attempt" } @else { " attempts" } }
                @if let Some(r) = &m.receipt { " · receipt " (r) }
                @if let Some(e) = &m.last_error { br; span.error { (e) } }
                @if let Some(d) = &m.duplicate {
                    br; "duplicate copy: " (d.status) " · mId " code { (d.m_id.as_deref().unwrap_or("none")) }
                    " · " (d.attempts) " attempts"
                }
            }
        }
    }
}

/// `HH:MM:SS UTC` from epoch milliseconds.
fn clock(ms: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) {
        Ok(at) => format!("{:02}:{:02}:{:02} UTC", at.hour(), at.minute(), at.second()),
        Err(_) => ms.to_string(),
    }
}

const STYLE: &str = "
body{margin:0;font:15px/1.4 system-ui,sans-serif;color:#1d2330;background:#f4f5f8}
header{padding:10px 16px;background:#0b3b5c;color:#fff}header a{color:#cfe6ff}
.channel{padding:8px 16px}.contact{background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002;padding:8px 14px;margin:12px 0}
h2{font-size:17px;margin:8px 0 0}h3{font-size:15px;margin:4px 0}
.thread{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.msg{max-width:70%;padding:6px 10px;border-radius:10px;background:#eef1f6}
.msg.outgoing{align-self:flex-end;background:#d8e6ff}.msg.echo{background:#f3ecd8}
.msg p{margin:2px 0;white-space:pre-wrap;overflow-wrap:anywhere}.who{font-size:12px;font-weight:600}
.meta{color:#667;font-size:12px}.error{color:#b00}.note{margin:8px 16px;padding:6px 10px;background:#fff3cd}
.reply{display:flex;gap:8px;margin-top:8px}.reply textarea{flex:1;font:inherit;padding:6px}
.empty{color:#778}
";
