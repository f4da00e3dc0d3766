//! A site's public settings: what the widget shows before the visitor writes (`GET /v1/sites/{id}`).

use serde::{Deserialize, Serialize};

/// One pre-chat form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatField {
    /// `name` or `email`.
    pub field: String,
    #[serde(default)]
    pub required: bool,
}

/// How soon the site's agents usually answer, shown in the header in the visitor's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyTime {
    #[default]
    Minutes,
    Hours,
    Day,
    /// A value from a newer edge: shown as the default.
    #[serde(other)]
    Unknown,
}

/// Opening hours in one fixed UTC offset, e.g. `{"utc_offset_minutes": 420, "days": {"mon": ["09:00", "17:00"]}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub utc_offset_minutes: i32,
    /// `mon`..`sun` to `[open, close]` as `HH:MM`; a missing day is closed.
    pub days: std::collections::BTreeMap<String, [String; 2]>,
}

/// What the site's core platform can carry, so the widget offers only what works there. An edge that sends
/// none (an older one) carries everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Visitors may send files (the attach button, paste and drop).
    #[serde(default = "yes")]
    pub files: bool,
    /// The visitor may rate the conversation when it ends.
    #[serde(default = "yes")]
    pub rating: bool,
}

fn yes() -> bool {
    true
}

impl Default for Capabilities {
    fn default() -> Self {
        Self { files: true, rating: true }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePublic {
    pub id: String,
    pub name: String,
    /// The accent colour, `#rrggbb`.
    pub color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub away_message: Option<String>,
    /// Whether agents are expected now (always true without business hours). The hours themselves stay at the
    /// edge, which decides this: the widget's bytes are paid by every visitor.
    pub open_now: bool,
    /// What the header promises while agents are expected (`minutes`, `hours` or `day`).
    #[serde(default)]
    pub reply_time: ReplyTime,
    #[serde(default)]
    pub prechat: Vec<PrechatField>,
    /// Anonymous visitors cannot chat; the site must call `identify` first.
    pub require_identity: bool,
    /// What the site's core can carry.
    #[serde(default)]
    pub capabilities: Capabilities,
}

impl BusinessHours {
    /// Whether `now_s` (UNIX seconds) falls inside the day's hours.
    pub fn open_at(&self, now_s: i64) -> bool {
        let local = now_s + i64::from(self.utc_offset_minutes) * 60;
        let days_since_epoch = local.div_euclid(86_400);
        // 1970-01-01 was a Thursday.
        let weekday = ["thu", "fri", "sat", "sun", "mon", "tue", "wed"][days_since_epoch.rem_euclid(7) as usize];
        let minute = (local.rem_euclid(86_400) / 60) as u32;
        let parse = |hhmm: &str| -> Option<u32> {
            let (h, m) = hhmm.split_once(':')?;
            Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
        };
        match self.days.get(weekday) {
            Some([open, close]) => match (parse(open), parse(close)) {
                (Some(o), Some(c)) => (o..c).contains(&minute),
                _ => false,
            },
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_in_a_fixed_offset() {
        let mut days = std::collections::BTreeMap::new();
        days.insert("mon".to_owned(), ["09:00".to_owned(), "17:00".to_owned()]);
        let wib = BusinessHours { utc_offset_minutes: 420, days };
        // Monday 2026-11-23 02:00 UTC is 09:00 in UTC+7: open. 10:00 UTC is 17:00: closed.
        let monday_0200_utc = 1_795_399_200;
        assert!(wib.open_at(monday_0200_utc));
        assert!(!wib.open_at(monday_0200_utc - 60));
        assert!(!wib.open_at(monday_0200_utc + 8 * 3600));
        assert!(!wib.open_at(monday_0200_utc + 24 * 3600), "Tuesday is closed");
    }
}
