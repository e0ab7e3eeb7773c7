//! Periods: days, or weeks from the pledge's `week_starts`.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::rate::{Per, Rate};

/// First day of the period containing `day`: the day itself, or the most
/// recent `week_start` not after it.
pub fn period_start(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    match per {
        Per::Day => day,
        Per::Week => {
            let back = (7 + day.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
            day.checked_sub_days(Days::new(back.into())).unwrap_or(NaiveDate::MIN)
        }
    }
}

/// Last day (inclusive) of the period containing `day`.
pub fn period_end(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    match per {
        Per::Day => day,
        Per::Week => period_start(day, per, week_start).checked_add_days(Days::new(6)).unwrap_or(NaiveDate::MAX),
    }
}

/// First period start on or after `day`.
pub(super) fn align_up(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    if period_start(day, per, week_start) == day {
        day
    } else {
        period_end(day, per, week_start).succ_opt().unwrap_or(NaiveDate::MAX)
    }
}

/// The period grid a change between two rates must respect: weeks as soon as
/// either side is weekly, so that no week is split between two rates.
pub(super) fn grid(a: Option<Rate>, b: Option<Rate>) -> Per {
    if [a, b].iter().flatten().any(|r| r.per == Per::Week) { Per::Week } else { Per::Day }
}
