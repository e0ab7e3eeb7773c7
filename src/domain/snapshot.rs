//! The whole record as plain data: what `export --format json` writes and
//! `import` reads. Records refer to each other by UUID, never by the
//! numeric ids of one database file, so a snapshot can be merged into any
//! other file. An absent optional field means "none" (null).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::money::Money;
use super::pledge::PledgeTerms;

/// Every record of one database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(default)]
    pub goals: Vec<ItemRecord>,
    #[serde(default)]
    pub courses: Vec<ItemRecord>,
    #[serde(default)]
    pub projects: Vec<ItemRecord>,
    #[serde(default)]
    pub sessions: Vec<SessionRecord>,
    #[serde(default)]
    pub rest_days: Vec<RestDayRecord>,
    #[serde(default)]
    pub pledges: Vec<PledgeRecord>,
}

impl Snapshot {
    /// How many records it holds, nested rate changes and settlements included.
    pub fn len(&self) -> usize {
        self.goals.len()
            + self.courses.len()
            + self.projects.len()
            + self.sessions.len()
            + self.rest_days.len()
            + self.pledges.iter().map(|p| 1 + p.rates.len() + p.settlements.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A goal, course or project; the array it sits in says which. Fields that
/// do not apply to a kind are absent. A goal's "why" is its `description`
/// and its "by" its `due_date`; a course's deadline is its `due_date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub uuid: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    /// The UUID of the goal it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_total: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// The UUIDs of the courses a project applies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub uuid: String,
    /// The UUID of its course or project; absent for general study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub study_day: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// The UTC offset in force when it was logged, in seconds east of UTC.
    #[serde(default)]
    pub utc_offset: i32,
    pub minutes: i64,
    #[serde(default)]
    pub units: i64,
    /// A progress mark: the units done it sets in its course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_to: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The latest edit of its day, target, minutes or units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amended_at: Option<DateTime<Utc>>,
    /// Where it counted before the first such edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<PriorRecord>,
}

/// A session's placement before its first edit of day, target, minutes or units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorRecord {
    pub study_day: NaiveDate,
    /// The UUID of its course or project then; absent for general study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub minutes: i64,
    #[serde(default)]
    pub units: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestDayRecord {
    pub uuid: String,
    pub day: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The UTC offset in force when it was declared, in seconds east of UTC.
    #[serde(default)]
    pub utc_offset: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A pledge with its rate history and settled debts (which belong to it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PledgeRecord {
    pub uuid: String,
    /// The UUID of its course, project or goal; absent for `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stake: Option<String>,
    /// The stake as an amount, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stake_amount: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referee: Option<String>,
    pub from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// In the order they were made: of two with the same `effective_from`,
    /// the later one applies.
    #[serde(default)]
    pub rates: Vec<RateRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settlements: Vec<SettlementRecord>,
    /// The settings it was made under; absent: judged by the importing
    /// file's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<TermsRecord>,
    /// `done` on its target: it ends with the period holding this day…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<NaiveDate>,
    /// …and that period is kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub completion_kept: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A change of a pledge's rate; `rate: null` ends the pledge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRecord {
    pub uuid: String,
    pub rate: Option<String>,
    pub effective_from: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A missed, staked period that was paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettlementRecord {
    pub uuid: String,
    pub period_start: NaiveDate,
    pub settled_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A pledge's terms as text (in its `terms` column and in exports):
/// weekdays as full lowercase names, the time as `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsRecord {
    pub horizon_days: i64,
    pub grace_days: i64,
    pub week_starts: String,
    pub day_starts_at: String,
    pub min_minutes: i64,
    #[serde(default)]
    pub rest_weekdays: Vec<String>,
}

fn weekday_name(day: chrono::Weekday) -> String {
    use chrono::Weekday::*;
    match day {
        Mon => "monday",
        Tue => "tuesday",
        Wed => "wednesday",
        Thu => "thursday",
        Fri => "friday",
        Sat => "saturday",
        Sun => "sunday",
    }
    .to_string()
}

impl From<&PledgeTerms> for TermsRecord {
    fn from(t: &PledgeTerms) -> Self {
        TermsRecord {
            horizon_days: t.horizon_days,
            grace_days: t.grace_days,
            week_starts: weekday_name(t.week_starts),
            day_starts_at: t.day_starts_at.format("%H:%M").to_string(),
            min_minutes: t.min_minutes,
            rest_weekdays: t.rest_weekdays.iter().map(|d| weekday_name(*d)).collect(),
        }
    }
}

impl TermsRecord {
    /// The typed terms, or why not.
    pub fn to_terms(&self) -> Result<PledgeTerms, String> {
        let weekday = |text: &str| text.parse::<chrono::Weekday>().map_err(|_| format!("'{text}' is not a weekday"));
        if self.horizon_days < 0 || self.grace_days < 0 || self.min_minutes < 1 {
            return Err("terms: horizon_days and grace_days must be 0 or more, min_minutes 1 or more".into());
        }
        Ok(PledgeTerms {
            horizon_days: self.horizon_days,
            grace_days: self.grace_days,
            week_starts: weekday(&self.week_starts)?,
            day_starts_at: chrono::NaiveTime::parse_from_str(&self.day_starts_at, "%H:%M")
                .map_err(|_| format!("'{}' is not a time like 04:00", self.day_starts_at))?,
            min_minutes: self.min_minutes,
            rest_weekdays: self.rest_weekdays.iter().map(|d| weekday(d)).collect::<Result<_, _>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, Weekday};

    #[test]
    fn terms_round_trip_as_text() {
        let terms = PledgeTerms {
            horizon_days: 3,
            grace_days: 0,
            week_starts: Weekday::Sun,
            day_starts_at: NaiveTime::from_hms_opt(5, 30, 0).unwrap(),
            min_minutes: 10,
            rest_weekdays: vec![Weekday::Sat, Weekday::Sun],
        };
        let record = TermsRecord::from(&terms);
        assert_eq!(record.week_starts, "sunday");
        assert_eq!(record.day_starts_at, "05:30");
        assert_eq!(record.rest_weekdays, ["saturday", "sunday"]);
        let text = serde_json::to_string(&record).unwrap();
        let back: TermsRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back.to_terms(), Ok(terms));
        let bad = TermsRecord { week_starts: "someday".into(), ..record.clone() };
        assert!(bad.to_terms().unwrap_err().contains("someday"));
        assert!(TermsRecord { grace_days: -1, ..record }.to_terms().is_err());
    }
}
