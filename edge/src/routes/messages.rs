//! `POST /v1/messages` and `GET /v1/messages`: the visitor's side of their one conversation.

use sapa_protocol::{limits, FieldError, MessageList, SendMessage, SentMessage, Validate};

use super::Ctx;
use crate::attachments::Upload;
use crate::core::http::Transport;
use crate::core::Platform;
use crate::error::ApiError;
use crate::history;
use crate::token::Claims;

/// A visitor message that passed validation. Only [`check`] makes one, so [`send`] never sees unchecked
/// input, and the rim can check before counting the request against rate limits.
pub struct Checked(SendMessage);

pub fn check(request: SendMessage) -> Result<Checked, ApiError> {
    request.validate()?;
    Ok(Checked(request))
}

pub async fn send<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    Checked(request): Checked,
) -> Result<SentMessage, ApiError> {
    Ok(SentMessage { message: ctx.core(&claims.site)?.send_text(claims, &request).await? })
}

/// `POST /v1/attachments`: a checked file into the token's conversation.
pub async fn send_file<T: Transport>(ctx: &Ctx<T>, claims: &Claims, upload: Upload) -> Result<SentMessage, ApiError> {
    Ok(SentMessage { message: ctx.core(&claims.site)?.send_file(claims, upload).await? })
}

/// `limit` from the query string: 1..=100, default 50.
pub fn parse_limit(raw: Option<&str>) -> Result<usize, FieldError> {
    match raw {
        None => Ok(50),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=limits::HISTORY_PAGE_MAX).contains(n))
            .ok_or_else(|| FieldError::new("limit", "must be a number from 1 to 100")),
    }
}

pub async fn list<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    after: Option<&str>,
    limit: usize,
) -> Result<MessageList, ApiError> {
    // A malformed cursor is refused before the core is asked anything.
    after.map(history::parse_cursor).transpose()?;
    // As many pages as the edge reads (`None`: no watermark to stop at).
    let (all, _) = ctx.core(&claims.site)?.history(&claims.conv, None).await?;
    Ok(history::window(all, after, limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(parse_limit(None), Ok(50));
        assert_eq!(parse_limit(Some("100")), Ok(100));
        for bad in ["0", "101", "-1", "ten"] {
            assert_eq!(parse_limit(Some(bad)).unwrap_err().field, "limit");
        }
    }
}
