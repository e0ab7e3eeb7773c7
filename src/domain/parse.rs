//! Parsing what people type: dates, times, durations, Bloom levels.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime, Weekday};

use super::records::BloomLevel;
use crate::error::Error;

const DATE_HINT: &str = "use today, yesterday, tomorrow, a weekday (mon, last fri, next fri), YYYY-MM-DD, -3d or +2w";
const DURATION_HINT: &str = "use 45m, 1h, 1h30m, 1.5h, 90 (minutes) or 1:30; more than 0 and at most 24h";
const TIME_HINT: &str = "use 14:30, 9am or 9:15pm";

/// A date relative to `today`.
///
/// A bare weekday (`fri`) or `last fri` is the most recent one not after
/// today; `next fri` is the first one after today.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Error> {
    let invalid = || Error::new(format!("invalid date '{text}'"), DATE_HINT);
    let lower = text.trim().to_ascii_lowercase();
    match lower.as_str() {
        "today" => return Ok(today),
        "yesterday" => return today.pred_opt().ok_or_else(invalid),
        "tomorrow" => return today.succ_opt().ok_or_else(invalid),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix(['+', '-']) {
        let forward = lower.starts_with('+');
        return offset_date(rest, forward, today).ok_or_else(invalid);
    }
    if let Some(day) = lower.strip_prefix("next ").and_then(parse_weekday) {
        let back = days_back_to(today, day);
        return Ok(today + Duration::days(7 - back));
    }
    let weekday_word = lower.strip_prefix("last ").unwrap_or(&lower);
    if let Some(day) = parse_weekday(weekday_word) {
        return Ok(today - Duration::days(days_back_to(today, day)));
    }
    if looks_like_iso_date(&lower) {
        return NaiveDate::parse_from_str(&lower, "%Y-%m-%d").map_err(|_| {
            Error::new(format!("invalid date '{text}': no such day in the calendar"), "check the month and day")
        });
    }
    Err(invalid())
}

fn looks_like_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Days from the most recent `day` (not after today) to today: 0..=6.
fn days_back_to(today: NaiveDate, day: Weekday) -> i64 {
    let from = today.weekday().num_days_from_monday() as i64;
    let to = day.num_days_from_monday() as i64;
    (from - to).rem_euclid(7)
}

/// `3d`, `2w`, `1m` (months), `1y` after `+` or `-`.
fn offset_date(text: &str, forward: bool, today: NaiveDate) -> Option<NaiveDate> {
    let unit = text.chars().last()?;
    let count: u32 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let days = |n: i64| {
        let delta = Duration::try_days(n)?;
        if forward { today.checked_add_signed(delta) } else { today.checked_sub_signed(delta) }
    };
    let months = |n: u32| {
        if forward { today.checked_add_months(Months::new(n)) } else { today.checked_sub_months(Months::new(n)) }
    };
    match unit {
        'd' => days(i64::from(count)),
        'w' => days(i64::from(count) * 7),
        'm' => months(count),
        'y' => months(count.checked_mul(12)?),
        _ => None,
    }
}

pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.trim();
    if text.len() < 2 {
        return None;
    }
    // Accept any prefix of at least three letters (`wed`, `wedn`, `wednesday`), and `tu`/`th`.
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    let matches: Vec<Weekday> =
        NAMES.iter().filter(|(name, _)| name.starts_with(text) && text.len() >= 2).map(|(_, day)| *day).collect();
    match matches.as_slice() {
        [day] => Some(*day),
        _ => None,
    }
}

/// `14:30`, `9am`, `9:15pm`, `12am` (midnight), `12pm` (noon).
pub fn parse_time(text: &str) -> Result<NaiveTime, Error> {
    let invalid = || Error::new(format!("invalid time '{text}'"), TIME_HINT);
    let lower = text.trim().to_ascii_lowercase();
    let (clock, meridiem) = if let Some(rest) = lower.strip_suffix("am") {
        (rest.trim(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest.trim(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let (hour, minute) = match clock.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok(), m.parse::<u32>().ok()),
        Some(_) => (None, None),
        None if meridiem.is_some() => (clock.parse::<u32>().ok(), Some(0)),
        None => (None, None),
    };
    let (mut hour, minute) = (hour.ok_or_else(invalid)?, minute.ok_or_else(invalid)?);
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(invalid());
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(invalid)
}

/// The most a study day holds, and so the longest session.
pub const DAY_MINUTES: i64 = 24 * 60;

/// A duration in whole minutes: `45m`, `1h`, `1h30m`, `1h30`, `1.5h`, `90`,
/// `1:30`; unit letters in either case (`45M` is 45 minutes: a duration is
/// never counted in months). Zero, negative or more than 24 hours is an error.
pub fn parse_duration(text: &str) -> Result<i64, Error> {
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(Error::new(format!("invalid duration '{text}': it is negative"), DURATION_HINT));
    }
    let minutes =
        duration_minutes(trimmed).ok_or_else(|| Error::new(format!("invalid duration '{text}'"), DURATION_HINT))?;
    if minutes <= 0 {
        return Err(Error::new(format!("invalid duration '{text}': it is zero"), DURATION_HINT));
    }
    if minutes > DAY_MINUTES {
        return Err(Error::new(format!("invalid duration '{text}': more than 24 hours"), DURATION_HINT));
    }
    Ok(minutes)
}

/// A session of `minutes` on `day`, where the day already holds `others`
/// minutes, must not bring the study day past 24 hours.
pub fn check_day_total(day: NaiveDate, others: i64, minutes: i64) -> Result<(), Error> {
    let total = others.saturating_add(minutes);
    if total > DAY_MINUTES {
        let room = (DAY_MINUTES - others).max(0);
        let hint = if room > 0 {
            format!("{day} has {} logged; at most {} more fit in it", format_minutes(others), format_minutes(room))
        } else {
            format!("{day} already has 24h logged; see `learnlog list sessions --since {day}`")
        };
        return Err(Error::new(
            format!(
                "{} more on {day} would make {} in one study day (more than 24h)",
                format_minutes(minutes),
                format_minutes(total)
            ),
            hint,
        ));
    }
    Ok(())
}

/// Is this word a duration (as opposed to a reference)? Used by `checkin`,
/// whose REF and DURATION may come in either order, and by slugs, which
/// must never read as one.
pub fn looks_like_duration(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['-', '+']);
    t.starts_with(|c: char| c.is_ascii_digit() || c == '.') && duration_minutes(t).is_some()
}

/// The minutes a duration text means, before any range check; `None` when
/// it is not a duration.
fn duration_minutes(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let text = lower.as_str();
    if text.is_empty() {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    // 90: minutes.
    if digits(text) {
        return text.parse().ok();
    }
    // 1:30: hours and two-digit minutes.
    if let Some((h, m)) = text.split_once(':') {
        if !digits(h) || m.len() != 2 || !digits(m) {
            return None;
        }
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        return (m < 60).then_some(h * 60 + m);
    }
    // Up to two parts, hours then minutes: 1h, 1.5h, 1h30m, 1h30, 45m, 2 hours.
    let (number, rest) = split_number(text)?;
    let (unit, rest) = split_unit(rest);
    match unit {
        Unit::Hours => {
            let hour_minutes = decimal_hours_to_minutes(number)?;
            if rest.is_empty() {
                return Some(hour_minutes);
            }
            if number.contains('.') {
                return None;
            }
            let (minutes, rest) = split_number(rest)?;
            let (unit, rest) = split_unit(rest);
            if !digits(minutes) || !rest.is_empty() || !matches!(unit, Unit::Minutes | Unit::Bare) {
                return None;
            }
            let minutes: i64 = minutes.parse().ok()?;
            (minutes < 60).then_some(hour_minutes + minutes)
        }
        Unit::Minutes if rest.is_empty() && digits(number) => number.parse().ok(),
        _ => None,
    }
}

enum Unit {
    Hours,
    Minutes,
    /// No unit letters: minutes after hours (`1h30`).
    Bare,
    Other,
}

/// `1.5` and what follows it (spaces skipped).
fn split_number(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let number = &text[..end];
    if number.is_empty() || !number.bytes().any(|b| b.is_ascii_digit()) || number.matches('.').count() > 1 {
        return None;
    }
    Some((number, text[end..].trim_start()))
}

/// The unit word at the start of `text`, and what follows it (spaces skipped).
fn split_unit(text: &str) -> (Unit, &str) {
    let end = text.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(text.len());
    let unit = match &text[..end] {
        "" => Unit::Bare,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minutes,
        _ => Unit::Other,
    };
    (unit, text[end..].trim_start())
}

/// `1.5` hours → 90 minutes, rounded to the nearest minute; no float.
fn decimal_hours_to_minutes(number: &str) -> Option<i64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.len() > 9 || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    // Only the first four decimals matter to the minute.
    let fraction: String = fraction.chars().take(4).collect();
    let scale = 10i64.pow(fraction.len() as u32);
    let fraction: i64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    Some(whole * 60 + (fraction * 60 * 2 + scale) / (2 * scale))
}

/// Formats minutes the way people say them: `45m`, `2h`, `3h10`.
pub fn format_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.unsigned_abs();
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h{m:02}"),
    }
}

/// `1 day`, `3 days`, `2 matches`: a count and its word, in the plural
/// when the count is not one.
pub fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

/// A probability as a whole percentage (`12 %`), one decimal under 10 %,
/// and `<0.1 %` for what would round to nothing but is not zero.
pub fn format_percent(p: f64) -> String {
    let pct = p * 100.0;
    if pct > 0.0 && pct < 0.05 {
        "<0.1 %".into()
    } else if pct > 0.0 && pct < 10.0 {
        format!("{pct:.1} %")
    } else {
        format!("{pct:.0} %")
    }
}

/// A Bloom level as typed: any case, and the British `analyse`. The levels
/// are Bloom's taxonomy, revised (Anderson & Krathwohl 2001): [`BloomLevel::ALL`].
pub fn parse_bloom(text: &str) -> Result<BloomLevel, Error> {
    let lower = text.trim().to_ascii_lowercase();
    let lower = if lower == "analyse" { "analyze".to_string() } else { lower };
    lower.parse().map_err(|_| {
        let names: Vec<&str> = BloomLevel::ALL.iter().map(|l| l.as_str()).collect();
        Error::new(format!("invalid Bloom level '{text}'"), format!("use one of {}", names.join(", ")))
    })
}

/// `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A positive whole number given on the command line (units, weeks).
pub fn require_positive(what: &str, value: i64) -> Result<i64, Error> {
    if value <= 0 {
        Err(Error::new(format!("invalid {what} '{value}': it must be more than 0"), "give a whole number like 12"))
    } else {
        Ok(value)
    }
}

/// Validates an ISO date range `FROM..TO`.
pub fn parse_range(text: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Error> {
    match text.split_once("..") {
        Some((from, to)) => {
            let (from, to) = (parse_date(from, today)?, parse_date(to, today)?);
            if to < from {
                return Err(Error::new(format!("invalid range '{text}': it ends before it starts"), "write FROM..TO"));
            }
            Ok((from, to))
        }
        None => {
            let day = parse_date(text, today)?;
            Ok((day, day))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plural_and_minutes_read_as_people_say_them() {
        assert_eq!(
            (plural(1, "day"), plural(0, "day"), plural(3, "match")),
            ("1 day".into(), "0 days".into(), "3 matches".into())
        );
        assert_eq!(
            (format_minutes(-75), format_minutes(120), format_minutes(5)),
            ("-1h15".into(), "2h".into(), "5m".into())
        );
        // unsigned_abs: the most negative minute count does not overflow.
        assert!(format_minutes(i64::MIN).starts_with('-'));
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates() {
        let today = d("2026-11-23"); // a Monday
        assert_eq!(parse_date("today", today).unwrap(), today);
        assert_eq!(parse_date("yesterday", today).unwrap(), d("2026-11-22"));
        assert_eq!(parse_date("tomorrow", today).unwrap(), d("2026-11-24"));
        assert_eq!(parse_date("mon", today).unwrap(), today);
        assert_eq!(parse_date("last fri", today).unwrap(), d("2026-11-20"));
        assert_eq!(parse_date("friday", today).unwrap(), d("2026-11-20"));
        assert_eq!(parse_date("next mon", today).unwrap(), d("2026-11-30"));
        assert_eq!(parse_date("-3d", today).unwrap(), d("2026-11-20"));
        assert_eq!(parse_date("+2w", today).unwrap(), d("2026-12-07"));
        assert_eq!(parse_date("+1m", today).unwrap(), d("2026-12-23"));
        assert_eq!(parse_date("2026-02-28", today).unwrap(), d("2026-02-28"));
        for bad in ["2026-02-30", "abc", "", "+3x", "2026-13-01", "t", "-d", "26-1-1"] {
            assert!(parse_date(bad, today).is_err(), "{bad}");
        }
        assert!(parse_date("2026-02-30", today).unwrap_err().message.contains("no such day"));
    }

    #[test]
    fn times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_time("14:30").unwrap(), t(14, 30));
        assert_eq!(parse_time("9am").unwrap(), t(9, 0));
        assert_eq!(parse_time("9:15pm").unwrap(), t(21, 15));
        assert_eq!(parse_time("12am").unwrap(), t(0, 0));
        assert_eq!(parse_time("12pm").unwrap(), t(12, 0));
        for bad in ["25:00", "13pm", "9", "abc", "9:5", "0am"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        for (text, minutes) in [
            ("45m", 45),
            ("1h", 60),
            ("1h30m", 90),
            ("1h30", 90),
            ("1h05", 65),
            ("1.5h", 90),
            ("90", 90),
            ("1:30", 90),
            ("24h", 1440),
            ("1H", 60),
            ("45M", 45),
            ("1H30M", 90),
            ("2 hours", 120),
            ("1h 15m", 75),
            ("90min", 90),
            (".25h", 15),
            ("0:45", 45),
        ] {
            assert_eq!(parse_duration(text).unwrap(), minutes, "{text}");
        }
        for bad in [
            "0m",
            "-5m",
            "25h",
            "abc",
            "",
            "0",
            "1:75",
            "1.5x",
            "1h90",
            "1.5h30m",
            "2.5m",
            "1m30h",
            "h",
            "1:3",
            "1mo",
            "1d",
            "1h30x",
            "1.2.3h",
            "99999999999999999999",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(parse_duration("-5m").unwrap_err().message.contains("negative"));
        assert!(parse_duration("25h").unwrap_err().message.contains("24 hours"));
        assert!(parse_duration("1441").unwrap_err().message.contains("24 hours"));
    }

    #[test]
    fn a_study_day_holds_at_most_24_hours() {
        let day = d("2026-11-23");
        assert!(check_day_total(day, 1380, 60).is_ok());
        let err = check_day_total(day, 1400, 60).unwrap_err();
        assert!(err.message.contains("more than 24h"), "{}", err.message);
        assert!(err.hint.as_deref().unwrap_or("").contains("40m more"), "{:?}", err.hint);
    }

    #[test]
    fn minutes_format() {
        assert_eq!(format_minutes(45), "45m");
        assert_eq!(format_minutes(120), "2h");
        assert_eq!(format_minutes(190), "3h10");
    }

    proptest! {
        #[test]
        fn no_input_panics(text in "\\PC{0,20}") {
            let today = d("2026-11-23");
            let _ = parse_date(&text, today);
            let _ = parse_time(&text);
            let _ = parse_duration(&text);
            let _ = parse_bloom(&text);
            let _ = parse_range(&text, today);
        }

        #[test]
        fn formatted_minutes_parse_back(minutes in 1i64..=1440) {
            // Every duration learnlog prints is valid input, as printed.
            prop_assert_eq!(parse_duration(&format_minutes(minutes)).unwrap(), minutes);
            prop_assert_eq!(parse_duration(&format_minutes(minutes)).unwrap(), minutes);
            prop_assert_eq!(parse_duration(&format_minutes(minutes).to_uppercase()).unwrap(), minutes);
        }

        #[test]
        fn iso_dates_round_trip(days in 0i64..100_000) {
            let date = d("1900-01-01") + Duration::days(days);
            prop_assert_eq!(parse_date(&format_date(date), d("2026-11-23")).unwrap(), date);
        }
    }
}
