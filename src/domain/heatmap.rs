//! The heatmap's arithmetic: which days it covers, and the shade of each
//! day from quantiles of the study minutes in the window.

use chrono::{Duration, NaiveDate, Weekday};

use super::streak::week_start;
use crate::error::Error;

/// Weeks shown by default (about six months).
pub const DEFAULT_WEEKS: u32 = 26;
/// Ten years of weeks: beyond that a calendar stops being readable.
pub const MAX_WEEKS: u32 = 520;

/// The span of a heatmap, as asked on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The last N weeks, the current week last.
    Weeks(u32),
    /// A calendar year.
    Year(i32),
}

/// First and last day of the window. For `Weeks` the window starts on the
/// first day of the oldest week and ends today; for `Year` it is the whole
/// year (days after today are drawn blank).
pub fn window(span: Span, today: NaiveDate, starts: Weekday) -> Result<(NaiveDate, NaiveDate), Error> {
    match span {
        Span::Weeks(n) if n == 0 || n > MAX_WEEKS => Err(Error::new(
            format!("--weeks {n} is out of range"),
            format!("give a number of weeks from 1 to {MAX_WEEKS}, or --year YYYY"),
        )),
        Span::Weeks(n) => Ok((week_start(today, starts) - Duration::weeks(i64::from(n) - 1), today)),
        Span::Year(year) => {
            let first = NaiveDate::from_ymd_opt(year, 1, 1);
            let last = NaiveDate::from_ymd_opt(year, 12, 31);
            match (first, last) {
                (Some(first), Some(last)) if (1..=9999).contains(&year) => Ok((first, last)),
                _ => Err(Error::new(
                    format!("--year {year} is not a year learnlog can draw"),
                    "give a year such as 2026",
                )),
            }
        }
    }
}

/// The least minutes of shades 1–4: the minutes found at ranks 0, n/4, n/2
/// and 3n/4 of the window's study days (those with minutes > 0), sorted.
/// A day's shade is the highest whose threshold it reaches, so each shade
/// holds about a quarter of the study days and ties go to the darker shade
/// (a learner who always studies 30 minutes sees full squares, not faint
/// ones). Empty when no day has minutes.
pub fn thresholds(minutes: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut studied: Vec<i64> = minutes.into_iter().filter(|m| *m > 0).collect();
    if studied.is_empty() {
        return Vec::new();
    }
    studied.sort_unstable();
    let n = studied.len();
    [0, n / 4, n / 2, 3 * n / 4].iter().map(|rank| studied[*rank]).collect()
}

/// The shade of a day: 0 with no minutes, else 1–4 by the thresholds.
pub fn level(minutes: i64, thresholds: &[i64]) -> u8 {
    if minutes <= 0 {
        return 0;
    }
    let reached = thresholds.iter().filter(|t| minutes >= **t).count();
    // A day below every threshold can only come from outside the window;
    // it still studied, so it gets the lightest shade.
    reached.clamp(1, 4) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_end_today_and_start_on_a_week_start() {
        let today = d("2026-11-25"); // a Wednesday
        assert_eq!(window(Span::Weeks(1), today, Weekday::Mon).unwrap(), (d("2026-11-23"), today));
        assert_eq!(window(Span::Weeks(26), today, Weekday::Mon).unwrap().0, d("2026-06-01"));
        assert_eq!(window(Span::Weeks(2), today, Weekday::Sun).unwrap().0, d("2026-11-15"));
    }

    #[test]
    fn weeks_out_of_range_are_refused() {
        let today = d("2026-11-25");
        assert!(window(Span::Weeks(0), today, Weekday::Mon).is_err());
        assert!(window(Span::Weeks(521), today, Weekday::Mon).is_err());
        assert!(window(Span::Weeks(520), today, Weekday::Mon).is_ok());
    }

    #[test]
    fn a_year_is_the_calendar_year() {
        let today = d("2026-11-25");
        assert_eq!(window(Span::Year(2026), today, Weekday::Mon).unwrap(), (d("2026-01-01"), d("2026-12-31")));
        assert!(window(Span::Year(0), today, Weekday::Mon).is_err());
        assert!(window(Span::Year(1_000_000), today, Weekday::Mon).is_err());
    }

    #[test]
    fn quartiles_split_distinct_days_evenly() {
        let t = thresholds([0, 10, 20, 30, 40, 50, 60, 70, 80]);
        assert_eq!(t, vec![10, 30, 50, 70]);
        let levels: Vec<u8> = [0, 10, 20, 30, 40, 50, 60, 70, 80].iter().map(|m| level(*m, &t)).collect();
        assert_eq!(levels, vec![0, 1, 1, 2, 2, 3, 3, 4, 4]);
    }

    #[test]
    fn ties_take_the_darker_shade() {
        let t = thresholds([30, 30, 30]);
        assert_eq!(t, vec![30, 30, 30, 30]);
        assert_eq!(level(30, &t), 4);
        let one = thresholds([45]);
        assert_eq!(level(45, &one), 4);
    }

    #[test]
    fn no_study_has_no_thresholds() {
        assert!(thresholds([0, 0]).is_empty());
        assert_eq!(level(0, &[]), 0);
        assert_eq!(level(5, &[]), 1);
        assert_eq!(level(5, &[10, 20, 30, 40]), 1);
    }

    #[test]
    fn levels_never_decrease_with_minutes() {
        let t = thresholds([5, 12, 12, 40, 90, 200, 15]);
        let mut previous = 0;
        for m in 0..300 {
            let l = level(m, &t);
            assert!(l >= previous && l <= 4);
            previous = l;
        }
    }
}
