//! What the visitor and the site tell the core besides messages: the visitor's rating of a finished
//! conversation, and the site's attributes for the visitor's contact (`Sapa('setAttributes', …)`).

use serde::{Deserialize, Serialize};

use crate::ids::ClientId;
use crate::validate::{self, optional, FieldError, Validate};

/// The longest comment a rating may carry.
pub const RATING_COMMENT_MAX: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Good,
    Bad,
}

/// `POST /v1/rating`: the visitor's verdict once the agent has resolved the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateConversation {
    /// Made when the visitor pressed the button; the same id on every retry, so a rating is recorded once.
    pub client_id: ClientId,
    pub rating: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl RateConversation {
    /// The comment as it should be shown, trimmed; `None` when it is absent or blank.
    pub fn comment_text(&self) -> Option<&str> {
        self.comment.as_deref().filter(|c| !validate::is_blank(c)).map(str::trim)
    }
}

impl Validate for RateConversation {
    fn validate(&self) -> Result<(), FieldError> {
        validate::client_id("client_id", self.client_id.as_str())?;
        optional(self.comment.as_deref(), |c| validate::bounded_text("comment", c, RATING_COMMENT_MAX))
    }
}

/// `POST /v1/contact`: contact fields the site knows about its visitor. Only the core's own contact fields
/// are accepted (it has no custom ones); anything else is refused by name, so a typo is not silently lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAttributes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl ContactAttributes {
    /// The fields' wire names, in the order of every array here.
    pub const FIELDS: [&'static str; 5] = ["phone", "company", "job_title", "city", "country"];
    /// The core's limit for each field, in the same order.
    const LIMITS: [usize; 5] = [50, 200, 200, 100, 100];

    /// The fields to write into, in [`Self::FIELDS`] order.
    pub fn slots_mut(&mut self) -> [&mut Option<String>; 5] {
        [&mut self.phone, &mut self.company, &mut self.job_title, &mut self.city, &mut self.country]
    }

    /// The field with this wire name, if it is one of [`Self::FIELDS`].
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        let index = Self::FIELDS.iter().position(|f| *f == name)?;
        self.slots_mut().into_iter().nth(index)
    }

    /// Writes the fields this names over `slots` ([`Self::FIELDS`] order), leaving the others as they are: a
    /// later call adds to an earlier one instead of erasing it.
    pub fn write_over(self, slots: [&mut Option<String>; 5]) {
        let Self { phone, company, job_title, city, country } = self;
        for (slot, value) in slots.into_iter().zip([phone, company, job_title, city, country]) {
            if value.is_some() {
                *slot = value;
            }
        }
    }
}

impl Validate for ContactAttributes {
    fn validate(&self) -> Result<(), FieldError> {
        let values = [&self.phone, &self.company, &self.job_title, &self.city, &self.country].map(Option::as_deref);
        if values.iter().all(Option::is_none) {
            let known = Self::FIELDS.join(", ");
            return Err(FieldError::new("attributes", format!("must set at least one of {known}")));
        }
        for ((field, value), max) in Self::FIELDS.into_iter().zip(values).zip(Self::LIMITS) {
            optional(value, |v| {
                validate::single_line(field, v)?;
                validate::bounded_text(field, v, max)
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_checks_id_and_comment() {
        let ok = RateConversation { client_id: "7b1f1a52-3a41-4c7e".into(), rating: Rating::Good, comment: None };
        assert!(ok.validate().is_ok());
        let long = RateConversation { comment: Some("a".repeat(RATING_COMMENT_MAX + 1)), ..ok.clone() };
        assert_eq!(long.validate().unwrap_err().field, "comment");
        let json = r#"{"client_id":"7b1f1a52-3a41-4c7e","rating":"meh"}"#;
        assert!(serde_json::from_str::<RateConversation>(json).is_err());
    }

    #[test]
    fn zero_width_rating_comment_counts_as_none() {
        let ok = RateConversation { client_id: "7b1f1a52-3a41-4c7e".into(), rating: Rating::Bad, comment: None };
        assert_eq!(ok.comment_text(), None);
        for blank in ["", "   ", "\u{200B}", " \u{FEFF}\u{200D} ", "\u{3164}\n"] {
            let r = RateConversation { comment: Some(blank.into()), ..ok.clone() };
            assert_eq!(r.comment_text(), None, "{blank:?}");
            assert!(r.validate().is_ok(), "a blank comment is no comment, not an error");
        }
        let r = RateConversation { comment: Some("  Too slow \n".into()), ..ok };
        assert_eq!(r.comment_text(), Some("Too slow"));
    }

    #[test]
    fn unicode_line_separators_break_a_single_line_attribute() {
        for sep in ['\u{2028}', '\u{2029}', '\u{85}', '\u{0B}', '\u{0C}', '\r'] {
            let a = ContactAttributes { company: Some(format!("Acme{sep}Corp")), ..Default::default() };
            let err = a.validate().unwrap_err();
            assert_eq!((err.field, err.message.as_str()), ("company", "must be a single line"), "{sep:?}");
        }
        let tab_is_fine = ContactAttributes { job_title: Some("Owner\tCEO".into()), ..Default::default() };
        assert!(tab_is_fine.validate().is_ok());
    }

    #[test]
    fn attributes_are_the_core_fields_only() {
        let ok: ContactAttributes = serde_json::from_str(r#"{"company":"Acme","city":"Bandung"}"#).unwrap();
        assert!(ok.validate().is_ok());
        assert!(serde_json::from_str::<ContactAttributes>(r#"{"plan":"pro"}"#).is_err());
        assert_eq!(ContactAttributes::default().validate().unwrap_err().field, "attributes");
        let two_lines = ContactAttributes { city: Some("a\nb".into()), ..ok.clone() };
        assert_eq!(two_lines.validate().unwrap_err().field, "city");
        let long = ContactAttributes { phone: Some("1".repeat(51)), ..ok };
        assert_eq!(long.validate().unwrap_err().field, "phone");
        let none = ContactAttributes::default().validate().unwrap_err();
        assert_eq!(none.message, "must set at least one of phone, company, job_title, city, country");
    }

    #[test]
    fn fields_by_wire_name() {
        let mut a = ContactAttributes::default();
        *a.field_mut("job_title").unwrap() = Some("Owner".into());
        assert_eq!(a.job_title.as_deref(), Some("Owner"));
        assert!(a.field_mut("plan").is_none());
        // Every name reaches its own field, in the order the arrays use.
        for (i, name) in ContactAttributes::FIELDS.into_iter().enumerate() {
            let mut b = ContactAttributes::default();
            *b.field_mut(name).unwrap() = Some(name.into());
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(json, format!(r#"{{"{name}":"{name}"}}"#), "field {i}");
        }
    }
}
