//! `POST /contacts` (documented).

use super::types::{Contact, NewContact};
use super::{CoreClient, CoreError, CoreRequest, Retry, Transport};

/// Creates a contact. The core takes no idempotency id here, so this is sent once: a retry after a
/// lost answer could create a second contact.
pub async fn create<T: Transport>(core: &CoreClient<T>, contact: &NewContact<'_>) -> Result<Contact, CoreError> {
    core.call(CoreRequest::post_json("/contacts", contact), Retry::Never).await
}
