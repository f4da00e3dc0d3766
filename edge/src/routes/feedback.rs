//! `POST /v1/rating` and `POST /v1/contact`: what the visitor and the site say besides messages.

use sapa_protocol::{ContactAttributes, RateConversation, SentMessage, Validate};

use super::Ctx;
use crate::core::http::Transport;
use crate::core::Platform;
use crate::error::ApiError;
use crate::token::Claims;

/// A rating that passed validation (see `messages::Checked` for why checking is separate).
pub struct CheckedRating(RateConversation);

pub fn check_rating(request: RateConversation) -> Result<CheckedRating, ApiError> {
    request.validate()?;
    Ok(CheckedRating(request))
}

pub async fn rate<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    CheckedRating(rating): CheckedRating,
) -> Result<SentMessage, ApiError> {
    Ok(SentMessage { message: ctx.core(&claims.site)?.rate(claims, &rating).await? })
}

/// Attributes that passed validation.
pub struct CheckedAttributes(ContactAttributes);

pub fn check_attributes(request: ContactAttributes) -> Result<CheckedAttributes, ApiError> {
    request.validate()?;
    Ok(CheckedAttributes(request))
}

/// The site's attributes written over the token's contact.
pub async fn set_attributes<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    CheckedAttributes(attributes): CheckedAttributes,
) -> Result<(), ApiError> {
    ctx.core(&claims.site)?.set_attributes(claims, attributes).await
}
