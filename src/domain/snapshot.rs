//! The whole record as plain data: what `export --format json` writes and
//! `import` reads. Records refer to each other by UUID, never by the
//! numeric ids of one database file, so a snapshot can be merged into any
//! other file. An absent optional field means "none" (null).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::money::Money;

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestDayRecord {
    pub uuid: String,
    pub day: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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
