//! The agent inbox: a server-rendered page where a person plays the agent during `make dev`.
//! Works without JavaScript (plain form posts); a little script refreshes it and keeps focus in the reply box.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::messages::{outbound_sender, AGENTS};
use crate::store::Store;
use crate::Sim;

pub fn router() -> Router<Sim> {
    Router::new()
        .route("/inbox", get(page))
        .route("/inbox/reply", post(reply))
        .route("/inbox/status", post(set_status))
        .route("/inbox/read", post(mark_read))
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    conversation_id: String,
    status: String,
}

/// Resolve, close, snooze or reopen: emits `conversation.status_changed`.
async fn set_status(State(sim): State<Sim>, Form(form): Form<StatusForm>) -> Response {
    if ["open", "resolved", "closed", "snoozed"].contains(&form.status.as_str()) {
        if let Some(conversation) = sim.store.lock().await.set_status(&form.conversation_id, &form.status) {
            sim.webhooks.emit("conversation.status_changed", &conversation);
        }
    }
    Redirect::to(&format!("/inbox?c={}", form.conversation_id)).into_response()
}

#[derive(Debug, Deserialize)]
struct ReadForm {
    conversation_id: String,
}

/// Marks the visitor's messages read: emits `message.updated` with status `read` for each.
async fn mark_read(State(sim): State<Sim>, Form(form): Form<ReadForm>) -> Response {
    for message in sim.store.lock().await.mark_read(&form.conversation_id) {
        sim.webhooks.emit("message.updated", &message);
    }
    Redirect::to(&format!("/inbox?c={}", form.conversation_id)).into_response()
}

/// A round avatar with the agent's initial.
pub async fn avatar(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let id = file.trim_end_matches(".svg");
    let Some((_, name)) = AGENTS.iter().find(|(agent, _)| *agent == id) else {
        return (axum::http::StatusCode::NOT_FOUND, "no such agent").into_response();
    };
    let hue = name.bytes().map(u32::from).sum::<u32>() % 360;
    let initial = name.chars().next().unwrap_or('?');
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="20" fill="hsl({hue},55%,45%)"/><text x="20" y="26" font-family="sans-serif" font-size="18" fill="#fff" text-anchor="middle">{initial}</text></svg>"##
    );
    ([(axum::http::header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

#[derive(Debug, Deserialize)]
struct Selected {
    c: Option<String>,
}

async fn page(State(sim): State<Sim>, Query(q): Query<Selected>) -> Html<String> {
    let mut store = sim.store.lock().await;
    let selected = q.c.filter(|id| store.conversation(id).is_some());
    if let Some(id) = &selected {
        // Opening a conversation reads it.
        store.unread.remove(id);
    }
    Html(render(&store, selected.as_deref()).into_string())
}

#[derive(Debug, Deserialize)]
struct Reply {
    conversation_id: String,
    agent: String,
    text: String,
}

async fn reply(State(sim): State<Sim>, Form(form): Form<Reply>) -> Response {
    let text = form.text.trim().to_owned();
    let mut store = sim.store.lock().await;
    let known = store.conversation(&form.conversation_id).is_some();
    let len = text.chars().count();
    if known && (1..=4000).contains(&len) {
        if let Ok(sender) = outbound_sender(false, Some(&form.agent), "inbox", &sim.public_url) {
            let request_id = store.new_id("inbox");
            let message = store.add_message(&form.conversation_id, "out", text, sender, Some(request_id));
            sim.webhooks.emit("message.created", &message);
        }
    }
    Redirect::to(&format!("/inbox?c={}", form.conversation_id)).into_response()
}

fn render(store: &Store, selected: Option<&str>) -> Markup {
    let header = html! { strong { "Relasi.U simulator" } " · agent inbox" };
    let body = html! {
        main {
            nav #list aria-label="Conversations" { (conversation_list(store, selected)) }
            section #thread aria-live="polite" { (thread(store, selected)) }
        }
        @if let Some(id) = selected {
            @let status = store.conversation(id).map(|c| c.status.clone()).unwrap_or_default();
            div #actions {
                span { "Status: " strong data-testid="inbox-status" { (status) } }
                form method="post" action="/inbox/read" { input type="hidden" name="conversation_id" value=(id); button { "Mark read" } }
                @for (label, next) in [("Resolve", "resolved"), ("Close", "closed"), ("Reopen", "open")] {
                    @if status != next {
                        form method="post" action="/inbox/status" {
                            input type="hidden" name="conversation_id" value=(id);
                            input type="hidden" name="status" value=(next);
                            button data-testid={ "inbox-" (next) } { (label) }
                        }
                    }
                }
            }
            form #reply method="post" action="/inbox/reply" data-testid="inbox-reply" {
                input type="hidden" name="conversation_id" value=(id);
                label { "Reply as "
                    select name="agent" {
                        @for (agent_id, name) in AGENTS { option value=(agent_id) { (name) } }
                    }
                }
                textarea name="text" rows="2" required maxlength="4000" placeholder="Type a reply, Enter to send" autofocus {}
                button type="submit" { "Send" }
            }
        }
        script { (maud::PreEscaped(SCRIPT)) }
    };
    crate::page::inbox("relasi-sim", STYLE, header, body)
}

fn conversation_list(store: &Store, selected: Option<&str>) -> Markup {
    let conversations = store.conversations_by_activity();
    html! {
        @if conversations.is_empty() {
            p.empty { "No conversations yet. Open the demo page and say hello." }
        }
        ul {
            @for c in &conversations {
                @let name = store.contact(&c.customer_id).map(|ct| ct.name.as_str()).unwrap_or("Visitor");
                @let unread = store.unread.get(&c.id).copied().unwrap_or(0);
                @let last = store.messages_of(&c.id).into_iter().next();
                li.selected[selected == Some(c.id.as_str())].unread[unread > 0] data-testid="inbox-conversation" {
                    a href={ "/inbox?c=" (c.id) } {
                        span.name { (name) }
                        @if unread > 0 { span.badge aria-label="unread messages" { (unread) } }
                        span.preview { (last.map(|m| m.text).unwrap_or_default()) }
                        span.meta { (c.status) " · " (c.id) }
                    }
                }
            }
        }
    }
}

fn thread(store: &Store, selected: Option<&str>) -> Markup {
    let Some(id) = selected else {
        return html! { p.empty { "Pick a conversation." } };
    };
    let mut messages = store.messages_of(id);
    messages.reverse();
    html! {
        @for m in &messages {
            div.msg.(m.direction) data-testid="inbox-message" {
                span.who { (m.sender.name.as_deref().unwrap_or(if m.direction == "in" { "Visitor" } else { "System" })) }
                @if let Some(media) = &m.media {
                    @let url = media["url"].as_str().unwrap_or_default();
                    @let name = media["name"].as_str().unwrap_or("attachment");
                    @if m.kind == "image" { a href=(url) { img.media src=(url) alt=(name); } }
                    @else if !url.is_empty() { a href=(url) download=(name) { "📎 " (name) } }
                }
                @if !m.text.is_empty() { p { (m.text) } }
                span.meta {
                    (clock(m.created_at)) " · " (m.status)
                    @if let Some(page) = &m.page_url { " · on " a.page href=(page) data-testid="inbox-page" { (page) } }
                }
            }
        }
    }
}

/// `HH:MM:SS UTC`: enough to tell messages apart while testing.
fn clock(at: time::OffsetDateTime) -> String {
    format!("{:02}:{:02}:{:02} UTC", at.hour(), at.minute(), at.second())
}

const STYLE: &str = "
body{margin:0;font:15px/1.4 system-ui,sans-serif;color:#1d2330;background:#f4f5f8;display:flex;flex-direction:column;height:100vh}
header{padding:10px 16px;background:#1d2330;color:#fff}
main{flex:1;display:flex;min-height:0}
#list{width:300px;overflow:auto;border-right:1px solid #dde1ea;background:#fff}
#list ul{list-style:none;margin:0;padding:0}
#list a{display:grid;grid-template-columns:1fr auto;gap:2px 8px;padding:10px 14px;color:inherit;text-decoration:none;border-bottom:1px solid #eef0f4}
#list li.selected a{background:#e8efff}
#list li.unread .name{font-weight:700}
.badge{background:#d33;color:#fff;border-radius:10px;padding:0 7px;font-size:12px}
.preview{grid-column:1/3;color:#556;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.meta{grid-column:1/3;color:#889;font-size:12px}
#thread{flex:1;overflow:auto;padding:16px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:70%;padding:8px 12px;border-radius:12px;background:#fff;box-shadow:0 1px 2px #0001}
.msg.out{align-self:flex-end;background:#2f6df6;color:#fff}.msg.out .meta{color:#dfe8ff}
.msg p{margin:2px 0;white-space:pre-wrap;overflow-wrap:anywhere}.who{font-size:12px;font-weight:600}
#reply{display:flex;gap:8px;padding:10px 16px;background:#fff;border-top:1px solid #dde1ea;align-items:center}
#reply textarea{flex:1;font:inherit;padding:8px;resize:none}
#reply button{font:inherit;padding:8px 16px;background:#2f6df6;color:#fff;border:0;border-radius:6px}
.empty{color:#778;padding:16px}
#actions{display:flex;gap:8px;align-items:center;padding:8px 16px;background:#fff;border-top:1px solid #dde1ea}
#actions form{margin:0}#actions button{font:inherit;padding:4px 10px;border:1px solid #c5cbd8;border-radius:6px;background:#f7f8fb}
#actions span{margin-right:auto}.media{max-width:240px;max-height:200px;border-radius:8px;display:block}
";

/// Refreshes the list and thread every 2 s without touching the reply box; Enter sends, Shift+Enter breaks.
const SCRIPT: &str = "
(function(){
  var thread=document.getElementById('thread');
  function bottom(){thread.scrollTop=thread.scrollHeight}
  bottom();
  async function refresh(){
    var atEnd=thread.scrollHeight-thread.scrollTop-thread.clientHeight<40;
    var res=await fetch(location.href,{cache:'no-store'});
    var doc=new DOMParser().parseFromString(await res.text(),'text/html');
    ['list','thread'].forEach(function(id){document.getElementById(id).innerHTML=doc.getElementById(id).innerHTML});
    if(atEnd)bottom();
  }
  setInterval(function(){refresh().catch(function(){})},2000);
  var form=document.getElementById('reply');
  if(!form)return;
  var box=form.querySelector('textarea');
  box.addEventListener('keydown',function(e){if(e.key==='Enter'&&!e.shiftKey){e.preventDefault();form.requestSubmit()}});
  form.addEventListener('submit',async function(e){
    e.preventDefault();
    if(!box.value.trim())return;
    await fetch(form.action,{method:'POST',body:new URLSearchParams(new FormData(form))});
    box.value='';
    await refresh();bottom();box.focus();
  });
})();
";
