//! The terms a pledge was made under: the
//! settings in force when it was made, kept with it so that changing the
//! config later neither shortens nor eases it.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// The settings a pledge is judged by, copied from the config when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeTerms {
    /// Days an easier change (or an end) waits: the akrasia horizon.
    pub horizon_days: i64,
    /// Study days after a period's last day before its verdict closes.
    pub grace_days: i64,
    pub week_starts: Weekday,
    /// When a study day begins, for telling on which study day a record was made.
    pub day_starts_at: NaiveTime,
    /// Minutes that make a study day for a `d/week` rate.
    pub min_minutes: i64,
    /// Weekdays that are always rest days.
    pub rest_weekdays: Vec<Weekday>,
}

impl Default for PledgeTerms {
    /// learnlog's default settings.
    fn default() -> Self {
        PledgeTerms {
            horizon_days: 7,
            grace_days: 1,
            week_starts: Weekday::Mon,
            day_starts_at: NaiveTime::from_hms_opt(4, 0, 0).unwrap_or(NaiveTime::MIN),
            min_minutes: 1,
            rest_weekdays: Vec::new(),
        }
    }
}

fn plus_days(day: NaiveDate, n: i64) -> NaiveDate {
    day.checked_add_days(Days::new(u64::try_from(n).unwrap_or(0))).unwrap_or(NaiveDate::MAX)
}

impl PledgeTerms {
    /// The study day a local instant falls on (before `day_starts_at`, the day before).
    pub fn study_day(&self, local: NaiveDateTime) -> NaiveDate {
        (local - self.day_starts_at.signed_duration_since(NaiveTime::MIN)).date()
    }

    /// The last study day a period ending on `end` is still open: its
    /// verdict closes at the end of this day.
    pub fn close_day(&self, end: NaiveDate) -> NaiveDate {
        plus_days(end, self.grace_days)
    }

    /// Whether the period ending on `end` has closed by study day `today`.
    pub fn is_closed(&self, end: NaiveDate, today: NaiveDate) -> bool {
        today > self.close_day(end)
    }

    /// Whether a rest day declared at the local instant `declared` excuses
    /// `day`: only when declared at least the horizon before it.
    pub fn rest_excuses(&self, day: NaiveDate, declared: NaiveDateTime) -> bool {
        plus_days(self.study_day(declared), self.horizon_days) <= day
    }

    /// Whether `day` is one of the rest weekdays.
    pub fn is_rest_weekday(&self, day: NaiveDate) -> bool {
        self.rest_weekdays.contains(&day.weekday())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    #[test]
    fn study_day_starts_at_day_starts_at() {
        let t = PledgeTerms::default();
        assert_eq!(t.study_day(at("2026-11-03T01:30:00")), "2026-11-02".parse().unwrap());
        assert_eq!(t.study_day(at("2026-11-03T04:00:00")), "2026-11-03".parse().unwrap());
    }

    #[test]
    fn closes_after_grace_and_rest_needs_the_horizon() {
        let t = PledgeTerms { grace_days: 2, horizon_days: 3, ..PledgeTerms::default() };
        let end: NaiveDate = "2026-11-08".parse().unwrap();
        assert_eq!(t.close_day(end), "2026-11-10".parse().unwrap());
        assert!(!t.is_closed(end, "2026-11-10".parse().unwrap()));
        assert!(t.is_closed(end, "2026-11-11".parse().unwrap()));
        let day: NaiveDate = "2026-11-10".parse().unwrap();
        assert!(t.rest_excuses(day, at("2026-11-07T12:00:00")));
        assert!(!t.rest_excuses(day, at("2026-11-08T12:00:00")));
        // Declared at 02:00 on the 8th: still the study day of the 7th.
        assert!(t.rest_excuses(day, at("2026-11-08T02:00:00")));
    }
}
