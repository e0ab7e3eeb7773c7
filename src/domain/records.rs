//! The records learnlog keeps (SPEC §1.1), as the rest of the program sees them.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Goal,
    Course,
    Project,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Goal => "goal",
            Kind::Course => "course",
            Kind::Project => "project",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "goal" | "goals" => Some(Kind::Goal),
            "course" | "courses" => Some(Kind::Course),
            "project" | "projects" => Some(Kind::Project),
            _ => None,
        }
    }

    /// The statuses a record of this kind can have, the first being where it starts.
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            Kind::Goal => &["active", "achieved", "dropped"],
            Kind::Course => &["active", "paused", "completed", "dropped"],
            Kind::Project => &["idea", "active", "paused", "shipped", "dropped"],
        }
    }

    /// The status `done` moves a record to.
    pub fn done_status(self) -> &'static str {
        match self {
            Kind::Goal => "achieved",
            Kind::Course => "completed",
            Kind::Project => "shipped",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A goal, course or project. Fields that do not apply to a kind are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    #[serde(skip)]
    pub id: i64,
    pub uuid: String,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub status: String,
    /// The goal this course or project serves (its slug).
    pub goal: Option<String>,
    #[serde(skip)]
    pub goal_id: Option<i64>,
    pub url: Option<String>,
    /// A goal's "why", a project's description.
    pub description: Option<String>,
    pub platform: Option<String>,
    pub track: Option<String>,
    pub price: Option<Money>,
    pub units_total: Option<i64>,
    pub unit_name: Option<String>,
    pub weeks: Option<i64>,
    pub start_date: Option<NaiveDate>,
    /// A course's deadline, a project's due date, a goal's "by".
    pub due_date: Option<NaiveDate>,
    pub intent: Option<String>,
    pub credential_url: Option<String>,
    pub score: Option<f64>,
    pub skills: Vec<String>,
    /// Courses a project applies (slugs).
    pub courses: Vec<String>,
    #[serde(skip)]
    pub course_ids: Vec<i64>,
    /// When it was completed, shipped, achieved or dropped.
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Item {
    /// `course:ml`, the unambiguous form of a reference.
    pub fn qualified(&self) -> String {
        format!("{}:{}", self.kind, self.slug)
    }

    pub fn is_open(&self) -> bool {
        matches!(self.status.as_str(), "active" | "paused" | "idea")
    }
}

/// A study session (or a zero-minute progress mark).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// Its row in this database (differs between devices).
    #[serde(skip)]
    pub id: i64,
    /// Its number, as shown in `list sessions`: its rank in the order (study
    /// day, start, uuid), the same on every device.
    #[serde(rename = "id")]
    pub number: i64,
    pub uuid: String,
    /// The course or project's slug; `None` for general study.
    pub target: Option<String>,
    #[serde(skip)]
    pub item_id: Option<i64>,
    pub study_day: NaiveDate,
    /// When it started, when known.
    pub started_at: Option<DateTime<Utc>>,
    /// The UTC offset in force when it was logged, in seconds east of UTC.
    pub utc_offset: i32,
    pub minutes: i64,
    pub units: i64,
    /// A progress mark: the units done it sets in its course.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_to: Option<i64>,
    pub note: Option<String>,
    pub level: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A rest day declared in advance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestDay {
    pub uuid: String,
    pub day: NaiveDate,
    pub reason: Option<String>,
    /// The UTC offset in force when it was declared, in seconds east of UTC.
    #[serde(skip)]
    pub utc_offset: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
