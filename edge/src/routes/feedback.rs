//! `POST /v1/rating` and `POST /v1/contact`: what the visitor and the site say besides messages.
//!
//! The core documents no rating endpoint, so a rating is recorded as a system line in the conversation
//! (`POST /messages/text` with `as_system`): agents see it in their inbox next to what was said, and the
//! visitor sees it as the confirmation. When the core gains a rating endpoint, only `rate` changes.

use sapa_protocol::{ContactAttributes, RateConversation, Rating, SentMessage, Validate};

use super::{own, Ctx};
use crate::convert;
use crate::core::types::{ContactRecord, NewSystemText};
use crate::core::{contacts, messages, Transport};
use crate::error::ApiError;
use crate::scope::Kind;
use crate::token::Claims;

/// A rating that passed validation (see `messages::Checked` for why checking is separate).
pub struct CheckedRating(RateConversation);

pub fn check_rating(request: RateConversation) -> Result<CheckedRating, ApiError> {
    request.validate()?;
    Ok(CheckedRating(request))
}

/// The line agents read: the verdict first, then the visitor's words, quoted.
pub fn rating_line(rating: &RateConversation) -> String {
    let verdict = match rating.rating {
        Rating::Good => "Visitor rated this conversation: good 👍",
        Rating::Bad => "Visitor rated this conversation: bad 👎",
    };
    match rating.comment_text() {
        Some(comment) => format!("{verdict}\n“{comment}”"),
        None => verdict.to_owned(),
    }
}

pub async fn rate<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    CheckedRating(rating): CheckedRating,
) -> Result<SentMessage, ApiError> {
    let text = rating_line(&rating);
    let core_id = ctx.ids.write(Kind::Rating, &claims.conv, &rating.client_id);
    let body =
        NewSystemText { client_request_id: &core_id, conversation_id: &claims.conv, text: &text, as_system: true };
    let sent = messages::send_system(&ctx.core, &body).await?;
    Ok(SentMessage { message: convert::message(own(sent, claims, &core_id)?, &ctx.ids) })
}

/// Attributes that passed validation.
pub struct CheckedAttributes(ContactAttributes);

pub fn check_attributes(request: ContactAttributes) -> Result<CheckedAttributes, ApiError> {
    request.validate()?;
    Ok(CheckedAttributes(request))
}

/// The contact with the site's attributes written over it; fields the site did not name stay as they are.
pub fn merged(mut contact: ContactRecord, attributes: ContactAttributes) -> ContactRecord {
    let c = &mut contact;
    attributes.write_over([&mut c.phone, &mut c.company, &mut c.job_title, &mut c.city, &mut c.country]);
    contact
}

/// Reads the token's contact and writes it back with the attributes: the core's `PUT` replaces the whole
/// record, so anything not read first would be erased.
pub async fn set_attributes<T: Transport>(
    ctx: &Ctx<T>,
    claims: &Claims,
    CheckedAttributes(attributes): CheckedAttributes,
) -> Result<(), ApiError> {
    let contact = contacts::get(&ctx.core, &claims.contact).await?;
    contacts::put(&ctx.core, &claims.contact, &merged(contact, attributes)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rating_line_quotes_a_comment_and_skips_a_blank_one() {
        let mut rating = RateConversation {
            client_id: "7b1f1a52-3a41-4c7e".into(),
            rating: Rating::Bad,
            comment: Some("  ".into()),
        };
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: bad 👎");
        rating.comment = Some("\u{200B}\u{200F} ".into());
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: bad 👎", "only invisible characters");
        rating.comment = Some("Too slow".into());
        rating.rating = Rating::Good;
        assert_eq!(rating_line(&rating), "Visitor rated this conversation: good 👍\n“Too slow”");
    }

    #[test]
    fn attributes_overwrite_only_what_they_name() {
        let contact = ContactRecord {
            name: "Dewi".into(),
            email: Some("dewi@example.com".into()),
            company: Some("Old Co".into()),
            city: Some("Jakarta".into()),
            ..Default::default()
        };
        let attributes =
            ContactAttributes { company: Some("Acme".into()), phone: Some("+62 811".into()), ..Default::default() };
        let out = merged(contact, attributes);
        assert_eq!(out.company.as_deref(), Some("Acme"));
        assert_eq!(out.phone.as_deref(), Some("+62 811"));
        assert_eq!(out.city.as_deref(), Some("Jakarta"));
        assert_eq!(out.email.as_deref(), Some("dewi@example.com"));
        assert_eq!(out.name, "Dewi");
    }
}
