//! Refusals that retrying cannot fix: the page's origin is not allowed, the site id is unknown, the site's
//! identity settings do not match what the page sends, the edge cannot use its core key. The widget stops
//! retrying, tells the visitor that chat is unavailable here, and prints one console line that tells the
//! site owner what to change. Messages written meanwhile stay in the outbox (nothing is lost): a fix that
//! reaches this page (`Sapa('identify')` for the identity ones) sends them.

use sapa_protocol::ErrorCode;

use crate::api::ApiFailure;

/// The refusal in a failure, if it is one that no retry can fix.
pub fn of(failure: &ApiFailure) -> Option<ErrorCode> {
    let ApiFailure::Edge { code, .. } = failure else { return None };
    matches!(
        code,
        ErrorCode::OriginNotAllowed
            | ErrorCode::UnknownSite
            | ErrorCode::IdentityRequired
            | ErrorCode::IdentityInvalid
            | ErrorCode::IdentityNotConfigured
            | ErrorCode::CoreMisconfigured
            | ErrorCode::TokenWrongSite
    )
    .then_some(*code)
}

/// Whether `Sapa('identify', …)` may fix this refusal (then it is lifted when the page calls it).
pub fn identify_may_fix(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::IdentityRequired | ErrorCode::IdentityInvalid | ErrorCode::IdentityNotConfigured)
}

/// The one console line for the site owner: what is wrong, and what to change.
pub fn owner_hint(code: ErrorCode, site: &str, origin: &str, edge: &str) -> String {
    let fix = match code {
        ErrorCode::OriginNotAllowed => format!(
            "this page's origin {origin} is not allowed for site \"{site}\". Add \"{origin}\" to the site's \"origins\" in SITES on the edge at {edge}."
        ),
        ErrorCode::UnknownSite => format!(
            "no site \"{site}\" is configured on the edge at {edge}. Check data-site on the script tag, or add the site to SITES."
        ),
        ErrorCode::IdentityNotConfigured => format!(
            "Sapa('identify') sent a user_hash, but site \"{site}\" has no identity secret. Set \"identity_secret\" for it in SITES and the secret on the edge (wrangler secret put), or stop sending user_hash."
        ),
        ErrorCode::IdentityRequired => format!(
            "site \"{site}\" requires a signed-in user. Call Sapa('identify', {{user_id, user_hash}}) before the chat opens."
        ),
        ErrorCode::IdentityInvalid => format!(
            "user_hash does not match user_id for site \"{site}\". Compute it on your server as hex(HMAC-SHA256(identity secret, user_id))."
        ),
        ErrorCode::CoreMisconfigured => {
            format!("the edge at {edge} cannot use its key for the chat service (see {edge}/health). The edge's operator must fix its key.")
        }
        other => format!("the edge at {edge} refused this page ({}).", other.as_str()),
    };
    format!("Sapa: {fix}")
}
