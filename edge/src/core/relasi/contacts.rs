//! `POST /contacts` and `GET /contacts?search=` (documented).

use super::types::{Contact, ContactRecord, NewContact, Page};
use crate::core::http::{q, CoreClient, CoreError, CoreRequest, Retry, Transport};

/// Creates a contact. The core takes no idempotency id here, so this is sent once: a retry after a
/// lost answer could create a second contact.
pub async fn create<T: Transport>(core: &CoreClient<T>, contact: &NewContact<'_>) -> Result<Contact, CoreError> {
    core.call(CoreRequest::post_json("/contacts", contact), Retry::Never).await
}

/// The contact whose email is exactly `email` (case-insensitive). The core's search is fuzzy, so its
/// answers are filtered here.
pub async fn find_by_email<T: Transport>(core: &CoreClient<T>, email: &str) -> Result<Option<Contact>, CoreError> {
    let path = format!("/contacts?search={}&per_page=50", q(email));
    let page: Page<Contact> = core.call(CoreRequest::get(path), Retry::Safe).await?;
    Ok(page.data.into_iter().find(|c| c.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(email))))
}

/// `GET /contacts/{id}`: the whole contact, for a read-modify-write.
pub async fn get<T: Transport>(core: &CoreClient<T>, id: &str) -> Result<ContactRecord, CoreError> {
    core.call(CoreRequest::get(format!("/contacts/{}", q(id))), Retry::Safe).await
}

/// `PUT /contacts/{id}`: replaces the contact's fields. Sending the same state twice changes nothing, so
/// it may be retried.
pub async fn put<T: Transport>(core: &CoreClient<T>, id: &str, contact: &ContactRecord) -> Result<(), CoreError> {
    let _: serde::de::IgnoredAny =
        core.call(CoreRequest::put_json(format!("/contacts/{}", q(id)), contact), Retry::Safe).await?;
    Ok(())
}
