//! Route logic, one module per resource. Handlers take parsed input and a [`Ctx`] and return protocol
//! types; the rim (`rim/mod.rs`) turns worker requests into that input and the results into responses.

pub mod feedback;
pub mod health;
pub mod messages;
pub mod sessions;
pub mod table;

#[cfg(test)]
mod session_tests;

use std::collections::HashMap;

use crate::config::{Secret, SiteConfig, Sites};
use crate::core::{types, CoreClient, Transport};
use crate::error::ApiError;
use crate::scope::IdScope;
use crate::token::{self, Claims};

/// What one request may use.
pub struct Ctx<T: Transport> {
    pub sites: Sites,
    pub core: CoreClient<T>,
    pub session_secret: Secret,
    pub previous_session_secret: Option<Secret>,
    /// Scopes the idempotency ids sent to the core (derived from the session secret).
    pub ids: IdScope,
    /// UNIX seconds at the start of the request.
    pub now_s: i64,
    /// The request's `Origin` header.
    pub origin: Option<String>,
    /// Identity secrets by site id, for sites that name one.
    pub identity_secrets: HashMap<String, Secret>,
}

/// Where a verified user's contact id is remembered (Workers KV at the rim), so one user is one contact
/// across devices.
#[allow(async_fn_in_trait)]
pub trait LinkStore {
    async fn get(&self, key: &str) -> Option<String>;
    async fn put(&self, key: &str, value: &str);
}

impl<T: Transport> Ctx<T> {
    /// The site, if configured and open to this request's origin.
    pub fn site(&self, site_id: &str) -> Result<&SiteConfig, ApiError> {
        let site = self.sites.get(site_id).ok_or(ApiError::UnknownSite)?;
        if !site.allows_origin(self.origin.as_deref()) {
            return Err(ApiError::OriginNotAllowed);
        }
        Ok(site)
    }

    /// Verifies a bearer token, that its site still exists and admits this origin, and, where the site
    /// requires identity, that the session was opened with one.
    pub fn authenticate(&self, bearer: Option<&str>) -> Result<Claims, ApiError> {
        let token = bearer.ok_or(ApiError::TokenMissing)?;
        let claims = token::verify(token, self.now_s, &self.session_secret, self.previous_session_secret.as_ref())?;
        let site = self.site(&claims.site).map_err(|e| match e {
            // A token for a site that was removed from the configuration is no longer valid.
            ApiError::UnknownSite => ApiError::TokenInvalid,
            // The page belongs to another configured site: a token carried across sites.
            ApiError::OriginNotAllowed
                if self.origin.as_deref().is_some_and(|o| crate::config::any_site_allows(&self.sites, o)) =>
            {
                ApiError::TokenWrongSite
            }
            other => other,
        })?;
        if site.require_identity && claims.uid.is_none() {
            return Err(ApiError::IdentityRequired);
        }
        Ok(claims)
    }
}

/// The core's answer to a write, accepted only when it is the caller's own: in the token's conversation and,
/// where the core echoes it, under the id the edge sent. A replayed id that answers with someone else's record
/// is refused before anything is returned or pushed.
pub fn own(answer: types::Message, claims: &Claims, core_id: &str) -> Result<types::Message, ApiError> {
    if answer.conversation_id.as_deref() != Some(claims.conv.as_str()) {
        return Err(ApiError::IdempotencyConflict {
            detail: "the core answered a replayed id from another conversation".into(),
        });
    }
    if answer.client_request_id.as_deref().is_some_and(|echoed| echoed != core_id) {
        return Err(ApiError::IdempotencyConflict {
            detail: "the core answered a replayed id with another id's record".into(),
        });
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            site: "demo".into(),
            contact: "ct_1".into(),
            conv: "cv_1".into(),
            iat: 0,
            exp: 1,
            uid: None,
            own: None,
        }
    }

    fn answer(json: &str) -> types::Message {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_replayed_id_answering_another_conversations_message_is_refused() {
        let theirs =
            answer(r#"{"id":"m9","conversation_id":"cv_2","client_request_id":"sapa1.m.x.t","created_at":"x"}"#);
        let e = own(theirs, &claims(), "sapa1.m.x.t").unwrap_err();
        assert_eq!(e.code(), sapa_protocol::ErrorCode::IdempotencyConflict);
        assert_eq!(e.status(), 409);
        assert!(!serde_json::to_string(&e.body()).unwrap().contains("cv_2"), "nothing of theirs in the answer");
        let unnamed = answer(r#"{"id":"m9","created_at":"x"}"#);
        assert!(own(unnamed, &claims(), "sapa1.m.x.t").is_err(), "no conversation named: not provably ours");
    }

    #[test]
    fn an_answer_under_another_id_is_refused_and_our_own_passes() {
        let other =
            answer(r#"{"id":"m9","conversation_id":"cv_1","client_request_id":"agent-side-id","created_at":"x"}"#);
        assert!(own(other, &claims(), "sapa1.r.x.t").is_err());
        let ours = answer(r#"{"id":"m1","conversation_id":"cv_1","client_request_id":"sapa1.m.x.t","created_at":"x"}"#);
        assert_eq!(own(ours, &claims(), "sapa1.m.x.t").unwrap().id, "m1");
        let not_echoed = answer(r#"{"id":"m2","conversation_id":"cv_1","created_at":"x"}"#);
        assert!(own(not_echoed, &claims(), "sapa1.m.x.t").is_ok());
    }
}
