//! Contacts (the reference's "customers").

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::{check_len, json_body, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::model::{Contact, Page};
use crate::store::APP_ID;
use crate::Sim;

const LEAD_STATUSES: [&str; 5] = ["new", "contacted", "qualified", "won", "lost"];

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    search: Option<String>,
    lead_status: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

pub async fn list(caller: Caller, State(sim): State<Sim>, Query(q): Query<ListQuery>) -> ApiResult<Json<Value>> {
    caller.require("customers:read")?;
    let (page, per_page) = q.page.checked()?;
    let store = sim.store.lock().await;
    let needle = q.search.as_deref().map(str::to_lowercase).filter(|s| !s.is_empty());
    let matches: Vec<Contact> = store
        .contacts
        .iter()
        .filter(|c| q.lead_status.as_deref().is_none_or(|s| c.lead_status == s))
        .filter(|c| {
            needle
                .as_deref()
                .is_none_or(|n| [&c.name, &c.email, &c.phone, &c.company].iter().any(|f| f.to_lowercase().contains(n)))
        })
        .cloned()
        .collect();
    Ok(Json(json!(Page::of(&matches, page, per_page))))
}

pub async fn show(caller: Caller, State(sim): State<Sim>, Path(id): Path<String>) -> ApiResult<Json<Contact>> {
    caller.require("customers:read")?;
    let store = sim.store.lock().await;
    store.contact(&id).cloned().map(Json).ok_or(ApiError::NotFound("Contact"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactBody {
    name: Option<String>,
    phone: String,
    email: String,
    company: String,
    job_title: String,
    lead_status: String,
    lead_source: String,
    address: String,
    city: String,
    country: String,
    comment: String,
}

impl ContactBody {
    fn check(&self) -> ApiResult<&str> {
        let name = self.name.as_deref().ok_or_else(|| ApiError::Unprocessable("The name field is required.".into()))?;
        check_len("name", name, 1, 200)?;
        check_len("phone", &self.phone, 0, 50)?;
        check_len("email", &self.email, 0, 200)?;
        check_len("company", &self.company, 0, 200)?;
        check_len("job_title", &self.job_title, 0, 200)?;
        check_len("address", &self.address, 0, 500)?;
        check_len("city", &self.city, 0, 100)?;
        check_len("country", &self.country, 0, 100)?;
        if !self.lead_status.is_empty() && !LEAD_STATUSES.contains(&self.lead_status.as_str()) {
            return Err(ApiError::Unprocessable("The selected lead_status is invalid.".into()));
        }
        if !self.email.is_empty() && !self.email.contains('@') {
            return Err(ApiError::Unprocessable("The email must be a valid email address.".into()));
        }
        Ok(name)
    }
}

/// `PUT /contacts/{id}`: the same body as create; answers `{message}`.
pub async fn update(
    caller: Caller,
    State(sim): State<Sim>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    caller.require("customers:write")?;
    let body: ContactBody = json_body(&body)?;
    let name = body.check()?.to_owned();
    let mut store = sim.store.lock().await;
    let contact = store.contacts.iter_mut().find(|c| c.id == id).ok_or(ApiError::NotFound("Contact"))?;
    contact.name = name;
    contact.phone = body.phone;
    contact.email = body.email;
    contact.company = body.company;
    contact.job_title = body.job_title;
    contact.lead_status = body.lead_status;
    contact.lead_source = body.lead_source;
    contact.address = body.address;
    contact.city = body.city;
    contact.country = body.country;
    contact.comment = body.comment;
    contact.updated_at = OffsetDateTime::now_utc();
    sim.webhooks.emit("contact.updated", &*contact);
    Ok(Json(json!({"message": "Contact updated"})))
}

#[derive(Debug, Deserialize)]
pub struct Merge {
    primary_id: String,
    secondary_id: String,
}

/// `POST /contacts/merge`: keeps the primary, fills its empty fields from the secondary, moves the
/// secondary's conversations to it and removes the secondary.
pub async fn merge(caller: Caller, State(sim): State<Sim>, body: Bytes) -> ApiResult<Json<Value>> {
    caller.require("customers:write")?;
    let body: Merge = json_body(&body)?;
    if body.primary_id == body.secondary_id {
        return Err(ApiError::Unprocessable("primary_id and secondary_id must differ".into()));
    }
    let mut store = sim.store.lock().await;
    let secondary = store.contact(&body.secondary_id).cloned().ok_or(ApiError::NotFound("Contact"))?;
    let primary = store.contacts.iter_mut().find(|c| c.id == body.primary_id).ok_or(ApiError::NotFound("Contact"))?;
    for (mine, theirs) in [
        (&mut primary.phone, &secondary.phone),
        (&mut primary.email, &secondary.email),
        (&mut primary.company, &secondary.company),
        (&mut primary.job_title, &secondary.job_title),
        (&mut primary.address, &secondary.address),
        (&mut primary.city, &secondary.city),
        (&mut primary.country, &secondary.country),
    ] {
        if mine.is_empty() {
            mine.clone_from(theirs);
        }
    }
    primary.updated_at = OffsetDateTime::now_utc();
    let merged = primary.clone();
    store.contacts.retain(|c| c.id != body.secondary_id);
    for c in store.conversations.iter_mut().filter(|c| c.customer_id == body.secondary_id) {
        c.customer_id = merged.id.clone();
    }
    sim.webhooks.emit("contact.updated", &merged);
    Ok(Json(json!({"message": "Contacts merged"})))
}

pub async fn create(caller: Caller, State(sim): State<Sim>, body: Bytes) -> ApiResult<(StatusCode, Json<Contact>)> {
    caller.require("customers:write")?;
    let body: ContactBody = json_body(&body)?;
    let name = body.check()?.to_owned();
    let mut store = sim.store.lock().await;
    let now = OffsetDateTime::now_utc();
    let contact = Contact {
        id: store.new_id("ct"),
        app_id: APP_ID.into(),
        name,
        phone: body.phone,
        email: body.email,
        company: body.company,
        job_title: body.job_title,
        lead_status: body.lead_status,
        lead_source: body.lead_source,
        address: body.address,
        city: body.city,
        country: body.country,
        comment: body.comment,
        created_at: now,
        updated_at: now,
    };
    store.contacts.push(contact.clone());
    sim.webhooks.emit("contact.created", &contact);
    Ok((StatusCode::CREATED, Json(contact)))
}
