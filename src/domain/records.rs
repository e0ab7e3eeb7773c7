//! The records learnlog keeps, as the rest of the program sees them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::money::Money;
use crate::error::Error;

/// A text-backed enum: its variants, their names, `Display` and `FromStr`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(text: &str) -> Result<$name, Error> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| Error::new(
                    format!("'{text}' is not a {}", $what),
                    format!("use one of {}", $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")),
                ))
            }
        }
    };
}

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
    pub fn statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            Kind::Goal => &[Active, Achieved, Dropped],
            Kind::Course => &[Active, Paused, Completed, Dropped],
            Kind::Project => &[Idea, Active, Paused, Shipped, Dropped],
        }
    }

    /// The statuses of this kind as `a, b, c`, for messages.
    pub fn statuses_text(self) -> String {
        self.statuses().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The status `done` moves a record to.
    pub fn done_status(self) -> Status {
        match self {
            Kind::Goal => Status::Achieved,
            Kind::Course => Status::Completed,
            Kind::Project => Status::Shipped,
        }
    }
}

/// The kinds a reference may name, for messages: `course or project`.
pub fn kinds_text(kinds: &[Kind]) -> String {
    match kinds {
        [] | [Kind::Goal, Kind::Course, Kind::Project] => "goal, course or project".into(),
        [one] => one.to_string(),
        [a, b] => format!("{a} or {b}"),
        many => many.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

named_enum!(
    /// Where a goal, course or project stands. Which statuses a
    /// record may take depends on its kind: [`Kind::statuses`].
    Status, "status" {
        Idea => "idea",
        Active => "active",
        Paused => "paused",
        Completed => "completed",
        Shipped => "shipped",
        Achieved => "achieved",
        Dropped => "dropped",
    }
);

impl Status {
    /// Still going or yet to start: not finished, not dropped.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Active | Status::Paused | Status::Idea)
    }

    /// Finished the way it was meant to: completed, shipped or achieved.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Completed | Status::Shipped | Status::Achieved)
    }
}

named_enum!(
    /// A course's certificate track.
    Track, "track" { Audit => "audit", Verified => "verified" }
);

named_enum!(
    /// Whether a course is meant to be finished or only looked into.
    Intent, "intent" { Complete => "complete", Explore => "explore" }
);

named_enum!(
    /// A level of Bloom's taxonomy, from remembering to creating.
    BloomLevel, "Bloom level" {
        Remember => "remember",
        Understand => "understand",
        Apply => "apply",
        Analyze => "analyze",
        Evaluate => "evaluate",
        Create => "create",
    }
);

/// A goal, course or project. Fields that do not apply to a kind are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    #[serde(skip)]
    pub id: i64,
    pub uuid: String,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub status: Status,
    /// The goal this course or project serves (its slug).
    pub goal: Option<String>,
    #[serde(skip)]
    pub goal_id: Option<i64>,
    pub url: Option<String>,
    /// A goal's "why", a project's description.
    pub description: Option<String>,
    pub platform: Option<String>,
    pub track: Option<Track>,
    pub price: Option<Money>,
    pub units_total: Option<i64>,
    pub unit_name: Option<String>,
    pub weeks: Option<i64>,
    pub start_date: Option<NaiveDate>,
    /// A course's deadline, a project's due date, a goal's "by".
    pub due_date: Option<NaiveDate>,
    pub intent: Option<Intent>,
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
        self.status.is_open()
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
    pub level: Option<BloomLevel>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A journaled write that `undo` can reverse.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub summary: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_text_and_json() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
            assert_eq!(serde_json::to_string(status).unwrap(), format!("\"{status}\""));
        }
        for level in BloomLevel::ALL {
            assert_eq!(level.to_string().parse::<BloomLevel>(), Ok(*level));
        }
        assert_eq!("verified".parse::<Track>(), Ok(Track::Verified));
        assert_eq!("explore".parse::<Intent>(), Ok(Intent::Explore));
    }

    #[test]
    fn unknown_names_are_refused_with_the_choices() {
        let err = "finished".parse::<Status>().unwrap_err();
        assert_eq!(err.message, "'finished' is not a status");
        assert!(err.hint.unwrap().contains("idea, active, paused"));
        assert!("Apply".parse::<BloomLevel>().is_err(), "the column form is exact; parse_bloom folds case");
    }

    #[test]
    fn each_kind_starts_open_and_is_done_in_a_status_of_its_own() {
        for kind in [Kind::Goal, Kind::Course, Kind::Project] {
            assert!(kind.statuses()[0].is_open());
            assert!(kind.statuses().contains(&kind.done_status()));
            assert!(kind.done_status().is_done());
        }
        assert_eq!(Kind::Goal.statuses_text(), "active, achieved, dropped");
    }
}
