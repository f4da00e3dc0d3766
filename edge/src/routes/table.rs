//! Every route the edge answers, in one table: its method, its path, and whether the session token is
//! needed. The 404 and 405 answers come from the table too, so a new route is one row.

use crate::error::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Health,
    /// `GET /v1/sites/{id}`: the site's public settings.
    Site,
    CreateSession,
    SendMessage,
    SendFile,
    Rate,
    SetAttributes,
    History,
    Stream,
    Webhook,
    /// `POST /core/respondio/{site}/{path secret}/message`: an agent's reply from respond.io.
    RespondioReply,
}

impl Route {
    /// Routes that act in the token's conversation: the token is checked before anything else.
    pub fn needs_session(self) -> bool {
        matches!(self, Self::SendMessage | Self::SendFile | Self::Rate | Self::SetAttributes | Self::History)
    }
}

/// A path to match: exactly, or anything under a prefix (the rest is the route's parameter).
#[derive(Clone, Copy, Debug)]
enum Path {
    Is(&'static str),
    Under(&'static str),
}

impl Path {
    fn matches(self, path: &str) -> bool {
        match self {
            Self::Is(p) => path == p,
            Self::Under(prefix) => path.len() > prefix.len() && path.starts_with(prefix),
        }
    }
}

const ROUTES: [(Method, Path, Route); 11] = [
    (Method::Get, Path::Is("/health"), Route::Health),
    (Method::Get, Path::Under("/v1/sites/"), Route::Site),
    (Method::Post, Path::Is("/v1/sessions"), Route::CreateSession),
    (Method::Post, Path::Is("/v1/messages"), Route::SendMessage),
    (Method::Get, Path::Is("/v1/messages"), Route::History),
    (Method::Post, Path::Is("/v1/attachments"), Route::SendFile),
    (Method::Post, Path::Is("/v1/rating"), Route::Rate),
    (Method::Post, Path::Is("/v1/contact"), Route::SetAttributes),
    (Method::Get, Path::Is("/v1/stream"), Route::Stream),
    (Method::Post, Path::Is("/webhooks/relasi"), Route::Webhook),
    (Method::Post, Path::Under(super::inbound::RESPONDIO_PREFIX), Route::RespondioReply),
];

/// The route for a request (`method` is `None` for any other method than GET and POST). A path no row has
/// is 404; a path some row has for another method is 405.
pub fn resolve(method: Option<Method>, path: &str) -> Result<Route, ApiError> {
    let mut known = false;
    for (m, p, route) in ROUTES {
        if p.matches(path) {
            if Some(m) == method {
                return Ok(route);
            }
            known = true;
        }
    }
    Err(if known { ApiError::MethodNotAllowed } else { ApiError::NotFound })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_resolves_and_other_methods_are_405() {
        for (method, path, route) in ROUTES {
            let path = match path {
                Path::Is(p) => p.to_owned(),
                Path::Under(prefix) => format!("{prefix}demo"),
            };
            assert_eq!(resolve(Some(method), &path).unwrap(), route, "{path}");
            assert!(matches!(resolve(None, &path), Err(ApiError::MethodNotAllowed)), "{path}");
        }
        // One path, two methods: each gets its own route, and neither is a 405.
        assert_eq!(resolve(Some(Method::Get), "/v1/messages").unwrap(), Route::History);
        assert_eq!(resolve(Some(Method::Post), "/v1/messages").unwrap(), Route::SendMessage);
        assert!(matches!(resolve(Some(Method::Post), "/health"), Err(ApiError::MethodNotAllowed)));
    }

    #[test]
    fn unknown_paths_are_404_including_a_prefix_with_nothing_after_it() {
        for path in ["/", "/v1", "/v1/sites/", "/v1/sessionsx", "/health/", "/webhooks/other"] {
            assert!(matches!(resolve(Some(Method::Get), path), Err(ApiError::NotFound)), "{path}");
        }
    }

    #[test]
    fn the_routes_in_a_conversation_are_the_ones_that_need_its_token() {
        let needing: Vec<Route> = ROUTES.iter().map(|r| r.2).filter(|r| r.needs_session()).collect();
        assert_eq!(needing, [Route::SendMessage, Route::History, Route::SendFile, Route::Rate, Route::SetAttributes]);
    }
}
