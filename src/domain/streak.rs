//! Streaks: daily streak with rest days and freezes, weekly streak.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// The configuration that shapes a streak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreakRules {
    /// Minutes that make a studied day.
    pub min_minutes: i64,
    /// The n-th studied day of a run earns a freeze when n is a multiple of this.
    pub freeze_every: i64,
    /// Freezes held at most; one earned beyond this is lost.
    pub max_freezes: i64,
    /// Weekdays that are always rest days.
    pub rest_weekdays: Vec<Weekday>,
}

impl Default for StreakRules {
    fn default() -> Self {
        StreakRules { min_minutes: 1, freeze_every: 7, max_freezes: 2, rest_weekdays: Vec::new() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DailyStreak {
    /// Studied days in the current unbroken run (today included once studied).
    pub current: i64,
    pub longest: i64,
    pub today_studied: bool,
    pub freezes_held: i64,
    /// Days of the current run that a freeze covered.
    pub frozen_days: i64,
    /// The last day that broke a run (a past day neither studied, rest nor frozen).
    #[serde(skip)]
    pub last_break: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WeeklyStreak {
    pub current: i64,
    pub longest: i64,
}

/// The daily streak from per-day study minutes (only days with sessions need
/// be present) and declared rest days, judged on `today`.
pub fn daily_streak(
    day_minutes: &BTreeMap<NaiveDate, i64>,
    rest_days: &BTreeSet<NaiveDate>,
    rules: &StreakRules,
    today: NaiveDate,
) -> DailyStreak {
    let studied = |day: NaiveDate| day_minutes.get(&day).is_some_and(|m| *m >= rules.min_minutes && *m > 0);
    let is_rest = |day: NaiveDate| rest_days.contains(&day) || rules.rest_weekdays.contains(&day.weekday());
    let mut streak = DailyStreak { today_studied: studied(today), ..DailyStreak::default() };
    let Some(first) = day_minutes.iter().find(|(_, m)| **m >= rules.min_minutes && **m > 0).map(|(d, _)| *d) else {
        return streak;
    };
    // Studied days of the run so far, for earning freezes.
    let mut earned_count = 0i64;
    let mut day = first;
    while day <= today {
        if studied(day) {
            streak.current += 1;
            earned_count += 1;
            if rules.freeze_every > 0
                && earned_count % rules.freeze_every == 0
                && streak.freezes_held < rules.max_freezes
            {
                streak.freezes_held += 1;
            }
            streak.longest = streak.longest.max(streak.current);
        } else if day == today || is_rest(day) {
            // Today is at stake, not lost; rest days keep the run without adding to it.
        } else if streak.freezes_held > 0 {
            streak.freezes_held -= 1;
            streak.frozen_days += 1;
        } else {
            if streak.current > 0 {
                streak.last_break = Some(day);
            }
            streak.current = 0;
            streak.frozen_days = 0;
            earned_count = 0;
        }
        day += Duration::days(1);
    }
    streak
}

/// The weekly streak from the verdicts of complete weeks, oldest first, and
/// whether the current week is already kept. The current week adds to the
/// streak once kept and never breaks it.
pub fn weekly_streak(past_weeks_kept: &[bool], current_kept: bool) -> WeeklyStreak {
    let mut run = 0;
    let mut longest = 0;
    for kept in past_weeks_kept {
        run = if *kept { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if current_kept {
        run += 1;
        longest = longest.max(run);
    }
    WeeklyStreak { current: run, longest }
}

/// The first day of the week that contains `day`.
pub fn week_start(day: NaiveDate, starts: Weekday) -> NaiveDate {
    let back = (day.weekday().num_days_from_monday() as i64 - starts.num_days_from_monday() as i64).rem_euclid(7);
    day - Duration::days(back)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(list: &[(&str, i64)]) -> BTreeMap<NaiveDate, i64> {
        list.iter().map(|(day, m)| (d(day), *m)).collect()
    }

    #[test]
    fn empty_history_has_no_streak() {
        let s = daily_streak(&BTreeMap::new(), &BTreeSet::new(), &StreakRules::default(), d("2026-11-23"));
        assert_eq!(s, DailyStreak::default());
    }

    #[test]
    fn consecutive_days_count_and_today_is_at_stake() {
        let history = days(&[("2026-11-20", 30), ("2026-11-21", 30), ("2026-11-22", 30)]);
        let s = daily_streak(&history, &BTreeSet::new(), &StreakRules::default(), d("2026-11-23"));
        assert_eq!((s.current, s.longest, s.today_studied), (3, 3, false));
    }

    #[test]
    fn a_missed_day_breaks_without_freezes() {
        let history = days(&[("2026-11-19", 30), ("2026-11-21", 30), ("2026-11-22", 30)]);
        let s = daily_streak(&history, &BTreeSet::new(), &StreakRules::default(), d("2026-11-22"));
        assert_eq!((s.current, s.longest, s.today_studied), (2, 2, true));
        assert_eq!(s.last_break, Some(d("2026-11-20")));
    }

    #[test]
    fn min_minutes_decides_a_studied_day() {
        let history = days(&[("2026-11-21", 5), ("2026-11-22", 30)]);
        let rules = StreakRules { min_minutes: 10, ..StreakRules::default() };
        let s = daily_streak(&history, &BTreeSet::new(), &rules, d("2026-11-23"));
        assert_eq!(s.current, 1);
    }

    #[test]
    fn rest_days_keep_the_run_without_adding() {
        let history = days(&[("2026-11-20", 30), ("2026-11-22", 30)]);
        let rest: BTreeSet<_> = [d("2026-11-21")].into();
        let s = daily_streak(&history, &rest, &StreakRules::default(), d("2026-11-23"));
        assert_eq!(s.current, 2);
        let sundays = StreakRules { rest_weekdays: vec![Weekday::Sat], ..StreakRules::default() };
        let s = daily_streak(&history, &BTreeSet::new(), &sundays, d("2026-11-23"));
        assert_eq!(s.current, 2, "2026-11-21 is a Saturday");
    }

    #[test]
    fn the_seventh_day_earns_a_freeze_that_covers_a_gap() {
        let mut history = BTreeMap::new();
        for n in 0..7 {
            history.insert(d("2026-11-01") + Duration::days(n), 20);
        }
        // 2026-11-08 missed, 11-09 studied
        history.insert(d("2026-11-09"), 20);
        let s = daily_streak(&history, &BTreeSet::new(), &StreakRules::default(), d("2026-11-09"));
        assert_eq!((s.current, s.freezes_held, s.frozen_days), (8, 0, 1));
    }

    #[test]
    fn freezes_beyond_the_maximum_are_lost() {
        let mut history = BTreeMap::new();
        for n in 0..28 {
            history.insert(d("2026-10-01") + Duration::days(n), 20);
        }
        let s = daily_streak(&history, &BTreeSet::new(), &StreakRules::default(), d("2026-10-28"));
        assert_eq!((s.current, s.freezes_held), (28, 2));
    }

    #[test]
    fn weekly_runs() {
        assert_eq!(weekly_streak(&[true, true, false, true], true), WeeklyStreak { current: 2, longest: 2 });
        assert_eq!(weekly_streak(&[true, true, true, false], false), WeeklyStreak { current: 0, longest: 3 });
        assert_eq!(weekly_streak(&[], true), WeeklyStreak { current: 1, longest: 1 });
    }

    #[test]
    fn weeks_start_on_the_configured_day() {
        assert_eq!(week_start(d("2026-11-25"), Weekday::Mon), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-25"), Weekday::Sun), d("2026-11-22"));
        assert_eq!(week_start(d("2026-11-22"), Weekday::Sun), d("2026-11-22"));
    }

    proptest! {
        #[test]
        fn streak_invariants(
            studied in proptest::collection::vec(proptest::bool::ANY, 0..120),
            rest in proptest::collection::vec(proptest::bool::ANY, 0..120),
            every in 1i64..10, max in 0i64..4,
        ) {
            let start = d("2026-01-01");
            let history: BTreeMap<_, _> = studied.iter().enumerate().filter(|(_, s)| **s)
                .map(|(i, _)| (start + Duration::days(i as i64), 30)).collect();
            let rest_days: BTreeSet<_> = rest.iter().enumerate().filter(|(_, r)| **r)
                .map(|(i, _)| start + Duration::days(i as i64)).collect();
            let today = start + Duration::days(studied.len() as i64);
            let rules = StreakRules { min_minutes: 1, freeze_every: every, max_freezes: max, rest_weekdays: vec![] };
            let s = daily_streak(&history, &rest_days, &rules, today);
            prop_assert!(s.current <= s.longest);
            prop_assert!(s.longest <= history.len() as i64);
            prop_assert!(s.freezes_held <= max && s.freezes_held >= 0);
            // Studying today never lowers the streak.
            let mut with_today = history.clone();
            with_today.insert(today, 30);
            let s2 = daily_streak(&with_today, &rest_days, &rules, today);
            prop_assert_eq!(s2.current, s.current + 1);
            // Declaring more rest days never lowers it.
            let all_rest: BTreeSet<_> = (0..=studied.len() as i64).map(|i| start + Duration::days(i)).collect();
            let s3 = daily_streak(&history, &all_rest, &rules, today);
            prop_assert!(s3.current >= s.current);
        }
    }
}
