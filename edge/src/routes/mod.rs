//! Route logic, one module per resource. Handlers take parsed input and a [`Ctx`] and return protocol
//! types, calling the site's core through `core::Platform`; the rim (`rim/mod.rs`) turns worker requests
//! into that input and the results into responses.

pub mod feedback;
pub mod health;
pub mod inbound;
pub mod messages;
pub mod sessions;
pub mod table;

#[cfg(test)]
mod session_tests;

use std::collections::HashMap;
use std::rc::Rc;

use crate::config::{CoreKind, Secret, SiteConfig, Sites};
use crate::core::http::{CoreClient, Transport};
use crate::core::relasi::platform::Relasi;
use crate::core::respondio::{Channel, RespondIo};
use crate::core::{Adapter, Changes, Platform, Thread};
use crate::error::ApiError;
use crate::scope::IdScope;
use crate::token::{self, Claims};

/// What one request may use.
pub struct Ctx<T: Transport> {
    pub sites: Sites,
    /// The Relasi.U client (sites with `core = "relasi"`).
    pub core: CoreClient<T>,
    /// respond.io channels by site id (sites with `core = "respondio"` whose secrets are set).
    pub channels: HashMap<String, Channel<T>>,
    /// The edge's own record of conversations (their hubs).
    pub thread: Rc<dyn Thread>,
    pub session_secret: Secret,
    pub previous_session_secret: Option<Secret>,
    /// Scopes the idempotency ids sent to the core (derived from the session secret).
    pub ids: IdScope,
    /// UNIX seconds at the start of the request.
    pub now_s: i64,
    /// The same instant in milliseconds (what the edge stamps on a message it records itself).
    pub now_ms: i64,
    /// The request's `Origin` header.
    pub origin: Option<String>,
    /// Identity secrets by site id, for sites that name one.
    pub identity_secrets: HashMap<String, Secret>,
}

impl<T: Transport> Ctx<T> {
    /// The core behind a site, as its configuration names it.
    pub fn core<'a>(&'a self, site_id: &'a str) -> Result<Adapter<'a, T>, ApiError> {
        let site = self.sites.get(site_id).ok_or(ApiError::UnknownSite)?;
        match site.core {
            CoreKind::Relasi => Ok(Adapter::Relasi(Relasi { client: &self.core, ids: &self.ids })),
            CoreKind::Respondio => {
                let channel = self.channels.get(site_id).ok_or_else(|| {
                    ApiError::internal(format!("site {site_id}: its respond.io channel or its secrets are not set"))
                })?;
                Ok(Adapter::Respondio(RespondIo {
                    site: site_id,
                    channel,
                    ids: &self.ids,
                    thread: &*self.thread,
                    now_ms: self.now_ms,
                }))
            }
            CoreKind::Unknown => {
                Err(ApiError::internal(format!("site {site_id} names a core this edge does not have")))
            }
        }
    }

    /// The reader of the core's changes the poller runs (the one core with a delta sync).
    pub fn changes(&self) -> impl Changes + '_ {
        Relasi { client: &self.core, ids: &self.ids }
    }

    /// The site, if configured and open to this request's origin.
    pub fn site(&self, site_id: &str) -> Result<&SiteConfig, ApiError> {
        let site = self.sites.get(site_id).ok_or(ApiError::UnknownSite)?;
        if !site.allows_origin(self.origin.as_deref()) {
            return Err(ApiError::OriginNotAllowed);
        }
        Ok(site)
    }

    /// `GET /v1/sites/{id}`: the site's public settings, with what its core carries.
    pub fn public_site(&self, site_id: &str) -> Result<sapa_protocol::SitePublic, ApiError> {
        let site = self.site(site_id)?;
        Ok(site.public(site_id, self.now_s, self.core(site_id)?.capabilities().widget))
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
