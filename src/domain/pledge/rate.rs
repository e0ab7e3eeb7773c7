//! Rates such as `5h/week`: parsing, canonical text, amounts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::domain::parse::{format_minutes, plural};
use crate::error::Error;

/// What a rate counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    /// Study minutes on the target.
    Minutes,
    /// Study days: days whose minutes on the target reach `min_minutes`.
    Days,
    /// Units (modules, lessons…) done on the target.
    Units,
}

/// How often a rate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Day,
    Week,
}

impl Per {
    /// Number of days in one period.
    pub fn days(self) -> i64 {
        match self {
            Per::Day => 1,
            Per::Week => 7,
        }
    }
}

/// A pledge rate such as `5h/week`. Minutes are stored as whole minutes.
///
/// Serialized (JSON) as its canonical text, e.g. `"1h30m/week"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate {
    pub amount: i64,
    pub unit: RateUnit,
    pub per: Per,
}

/// The accepted forms, for the `hint:` line under a rate that could not be parsed.
pub const RATE_HINT: &str = "rates look like 5h/week, 90m/week, 1h30m/week, 1.5h/week, \
     4d/week (study days), 3u/week (units) or 30m/day";

pub(super) const MINUTES_PER_DAY: i64 = 24 * 60;
/// Longest number accepted in one component; keeps all arithmetic far from overflow.
const MAX_DIGITS: usize = 9;

impl FromStr for Rate {
    type Err = Error;

    /// Accepts `AMOUNT/PER`, case-insensitive, whitespace ignored.
    /// AMOUNT: `5h`, `90m`, `1h30m`, `1.5h` (rounded to the minute), `4d`, `3u`
    /// (also `hr`/`hours`, `min`/`minutes`, `day(s)`, `unit(s)`).
    /// PER: `week` (`wk`, `w`) or `day` (`d`).
    /// Fails as `invalid rate '5x/week': unknown unit 'x'`, with [`RATE_HINT`].
    fn from_str(s: &str) -> Result<Self, Error> {
        let fail = |reason: String| Error::new(format!("invalid rate '{}': {reason}", s.trim()), RATE_HINT);
        let text: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        if text.is_empty() {
            return Err(fail("it is empty".into()));
        }
        let Some((amount, per)) = text.split_once('/') else {
            return Err(fail("missing the period: add /week or /day".into()));
        };
        let per = match per {
            "week" | "wk" | "w" => Per::Week,
            "day" | "d" => Per::Day,
            "" => return Err(fail("missing the period after '/': week or day".into())),
            other => {
                return Err(fail(format!("unknown period '{other}': use /week or /day")));
            }
        };
        let (amount, unit) = parse_amount(amount).map_err(fail)?;
        let rate = Rate { amount, unit, per };
        rate.check().map_err(fail)?;
        Ok(rate)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Hours,
    Minutes,
    Days,
    Units,
}

/// Parses the amount before `/`: one `d` or `u` component, or hours then
/// minutes (each at most once).
fn parse_amount(text: &str) -> Result<(i64, RateUnit), String> {
    if text.is_empty() {
        return Err("missing the amount before '/'".into());
    }
    if text.starts_with('-') {
        return Err("the amount must be greater than zero".into());
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut total: i64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (num, tail) = rest.split_at(n);
        let n = tail.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(tail.len());
        let (suffix, tail) = tail.split_at(n);
        rest = tail;
        if num.is_empty() {
            return Err(match suffix {
                "" => format!("unexpected '{}'", rest.chars().next().unwrap_or_default()),
                s => format!("expected a number before '{s}'"),
            });
        }
        let part = match suffix {
            "h" | "hr" | "hrs" | "hour" | "hours" => Part::Hours,
            "m" | "min" | "mins" | "minute" | "minutes" => Part::Minutes,
            "d" | "day" | "days" => Part::Days,
            "u" | "unit" | "units" => Part::Units,
            "" => {
                return Err(match rest.chars().next() {
                    Some(c) => format!("unexpected '{c}'"),
                    None => format!("'{num}' needs a unit: {num}m, {num}h, {num}d or {num}u"),
                });
            }
            other => return Err(format!("unknown unit '{other}'")),
        };
        let in_order = match part {
            Part::Hours => parts.is_empty(),
            Part::Minutes => parts.iter().all(|p| *p == Part::Hours),
            Part::Days | Part::Units => parts.is_empty() && rest.is_empty(),
        };
        if !in_order {
            return Err("write one amount: hours then minutes (1h30m), or days (4d), or units (3u)".into());
        }
        parts.push(part);
        let value = match part {
            Part::Hours => scaled(num, 60)?,
            _ if num.contains('.') => {
                return Err(format!("'{num}{suffix}' must be a whole number"));
            }
            _ => scaled(num, 1)?,
        };
        total += value;
    }
    let unit = match parts.first() {
        Some(Part::Days) => RateUnit::Days,
        Some(Part::Units) => RateUnit::Units,
        _ => RateUnit::Minutes,
    };
    Ok((total, unit))
}

/// `num × factor` for a decimal `num`, rounded half up, in integer arithmetic.
fn scaled(num: &str, factor: i64) -> Result<i64, String> {
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if (int.is_empty() && frac.is_empty()) || frac.contains('.') {
        return Err(format!("'{num}' is not a number"));
    }
    if int.len() > MAX_DIGITS || frac.len() > MAX_DIGITS {
        return Err(format!("'{num}' is too long"));
    }
    let digits = |s: &str| -> Result<i64, String> {
        if s.is_empty() { Ok(0) } else { s.parse().map_err(|_| format!("'{num}' is not a number")) }
    };
    let denom = 10_i64.pow(u32::try_from(frac.len()).unwrap_or(0));
    Ok(digits(int)? * factor + (digits(frac)? * factor * 2 + denom) / (2 * denom))
}

impl Rate {
    /// Rejects rates that cannot be kept or make no sense.
    fn check(&self) -> Result<(), String> {
        let most = self.per.days() * MINUTES_PER_DAY;
        match (self.unit, self.per) {
            _ if self.amount <= 0 => Err("the amount must be greater than zero (to stop, use `pledge end`)".into()),
            (RateUnit::Days, Per::Day) => Err("study days per day makes no sense: \
                 a /day pledge is already checked every day; \
                 use minutes or units per day (30m/day), or days per week (5d/week)"
                .into()),
            (RateUnit::Days, Per::Week) if self.amount > 7 => Err("a week has only 7 days".into()),
            (RateUnit::Minutes, _) if self.amount > most => {
                Err(format!("more than a {} holds", if self.per == Per::Day { "day" } else { "week" }))
            }
            _ => Ok(()),
        }
    }

    /// An amount in this rate's unit, for humans: `2h20`, `45m`, `3 days`, `1 unit`.
    pub fn format_amount(&self, amount: i64) -> String {
        self.unit.format_amount(amount)
    }
}

impl RateUnit {
    /// An amount in this unit, for humans: `2h20`, `45m`, `3 days`, `1 unit`.
    pub fn format_amount(self, amount: i64) -> String {
        match self {
            RateUnit::Minutes => format_minutes(amount),
            RateUnit::Days => plural(amount, "day"),
            RateUnit::Units => plural(amount, "unit"),
        }
    }
}

impl fmt::Display for Rate {
    /// Canonical form, parsed back by `FromStr`: minutes as `5h` (whole
    /// hours), `1h30m` or `45m`; then `4d`, `3u`; then `/week` or `/day`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.amount;
        match self.unit {
            RateUnit::Minutes => match (a / 60, a % 60) {
                (0, m) => write!(f, "{m}m")?,
                (h, 0) => write!(f, "{h}h")?,
                (h, m) => write!(f, "{h}h{m}m")?,
            },
            RateUnit::Days => write!(f, "{a}d")?,
            RateUnit::Units => write!(f, "{a}u")?,
        }
        match self.per {
            Per::Day => f.write_str("/day"),
            Per::Week => f.write_str("/week"),
        }
    }
}

impl TryFrom<String> for Rate {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<Rate> for String {
    fn from(rate: Rate) -> String {
        rate.to_string()
    }
}

/// Whether moving from `old` to `new` makes the pledge easier, so that the
/// akrasia horizon applies: a lower amount of the same unit and period, or
/// any change of unit or period (they cannot be compared, so they are
/// treated as easier, the cautious choice). The same rate is not easier.
pub fn is_easier(old: &Rate, new: &Rate) -> bool {
    old.unit != new.unit || old.per != new.per || new.amount < old.amount
}
