//! The only place that reads the system clock or `LEARNLOG_NOW`.
//!
//! Everything else takes `today` or `now` as a parameter, so the whole program
//! can be run at a pinned instant (tests, demos, backfilling scripts).

use anyhow::Result;
use chrono::{DateTime, Duration, FixedOffset, Local, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::error::user_hint;

/// The environment variable that replaces the clock.
pub const NOW_VAR: &str = "LEARNLOG_NOW";

#[derive(Debug, Clone)]
pub struct Clock {
    now: DateTime<Utc>,
    day_starts_at: NaiveTime,
    zone: Zone,
}

/// The time zone wall-clock times are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's zone (`TZ`, /etc/localtime).
    Local,
    /// UTC: the demo's, so its sample reads the same everywhere.
    Utc,
}

impl Clock {
    /// The system clock, or `LEARNLOG_NOW` when it is set.
    pub fn from_env(day_starts_at: NaiveTime) -> Result<Clock> {
        let now = match std::env::var(NOW_VAR) {
            Ok(text) if !text.trim().is_empty() => parse_now(text.trim())?,
            _ => Utc::now(),
        };
        Ok(Clock { now, day_starts_at, zone: Zone::Local })
    }

    /// A clock pinned at `now` in a given zone (the demo's sample data).
    pub fn fixed(now: DateTime<Utc>, day_starts_at: NaiveTime, zone: Zone) -> Clock {
        Clock { now, day_starts_at, zone }
    }

    /// An instant in this clock's zone.
    fn in_zone(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self.zone {
            Zone::Local => instant.with_timezone(&Local).fixed_offset(),
            Zone::Utc => instant.fixed_offset(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Now in the local time zone, with the offset in force.
    pub fn local_now(&self) -> DateTime<FixedOffset> {
        self.in_zone(self.now)
    }

    /// Today's study day: a day starts at `day_starts_at`, not at midnight.
    pub fn today(&self) -> NaiveDate {
        self.study_day(self.local_now().naive_local())
    }

    /// The study day a local wall-clock moment belongs to.
    pub fn study_day(&self, local: NaiveDateTime) -> NaiveDate {
        (local - self.day_starts_offset()).date()
    }

    /// The study day an instant belongs to, in the local time zone.
    pub fn study_day_at(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.study_day(self.in_zone(instant).naive_local())
    }

    /// The local wall-clock time of an instant.
    pub fn local_time_of(&self, instant: DateTime<Utc>) -> NaiveTime {
        self.in_zone(instant).time()
    }

    fn day_starts_offset(&self) -> Duration {
        self.day_starts_at.signed_duration_since(NaiveTime::MIN)
    }

    /// The local moment at `time` on study day `day`: a time before
    /// `day_starts_at` is the night after that day (01:30 on Monday's study
    /// day is Tuesday 01:30 on the calendar).
    pub fn local_moment(&self, day: NaiveDate, time: NaiveTime) -> Result<DateTime<FixedOffset>> {
        let date = if time < self.day_starts_at { day.succ_opt().unwrap_or(day) } else { day };
        match self.zone {
            Zone::Local => resolve_local(date.and_time(time)),
            Zone::Utc => Ok(date.and_time(time).and_utc().fixed_offset()),
        }
    }

    /// The UTC offset in force in the local zone at an instant.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        *self.in_zone(instant).offset()
    }

    /// The offset in force now.
    pub fn offset_now(&self) -> FixedOffset {
        self.offset_at(self.now)
    }
}

/// A local wall-clock time made into an instant; a time skipped by a DST
/// change is an error, a repeated one takes the earlier instant.
fn resolve_local(local: NaiveDateTime) -> Result<DateTime<FixedOffset>> {
    match Local.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.fixed_offset()),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.fixed_offset()),
        LocalResult::None => Err(user_hint(
            format!("{local} does not exist in the local time zone (a daylight-saving change skips it)"),
            "pick a time an hour later or earlier",
        )),
    }
}

/// `LEARNLOG_NOW`: an RFC 3339 instant, or a date meaning local noon.
fn parse_now(text: &str) -> Result<DateTime<Utc>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let noon = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN));
        return Ok(resolve_local(noon)?.with_timezone(&Utc));
    }
    Err(user_hint(
        format!("{NOW_VAR}='{text}' is neither an RFC 3339 instant nor a date"),
        "use e.g. 2026-11-23T08:30:00Z or 2026-11-23",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn night_owl_sessions_belong_to_the_previous_day() {
        let clock = Clock::fixed(Utc::now(), NaiveTime::from_hms_opt(4, 0, 0).unwrap(), Zone::Utc);
        let late = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(1, 30, 0).unwrap();
        assert_eq!(clock.study_day(late), NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        let early = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(4, 0, 0).unwrap();
        assert_eq!(clock.study_day(early), NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
    }

    #[test]
    fn now_accepts_instants_and_dates() {
        assert_eq!(parse_now("2026-11-23T08:30:00Z").unwrap().to_rfc3339(), "2026-11-23T08:30:00+00:00");
        assert!(parse_now("2026-11-23").is_ok());
        assert!(parse_now("tomorrow-ish").is_err());
    }
}
