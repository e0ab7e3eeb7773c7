//! The mentor (`learnlog next`): from plain facts about today, a ranked list
//! of what to do, each with its reason and a concrete amount.
//!
//! Deterministic: the same facts give the same list. Suggestions are ranked
//! first by kind (the order of [`SuggestionKind`]: commitments already made
//! come before nudges), then within a kind by urgency, then by name.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::parse::{format_minutes, format_percent, plural};
use super::pledge::{Per, Rate, RateUnit, Verdict};

/// A course with buffer this small (in days) is close to falling behind.
pub const SMALL_BUFFER_DAYS: i64 = 2;
/// A deadline this close (in days) makes a course with low odds urgent.
pub const DEADLINE_SOON_DAYS: i64 = 14;
/// A project without a session for this many days has stalled.
pub const STALE_PROJECT_DAYS: i64 = 14;
/// A comeback message for a streak broken this many days ago or fewer.
pub const COMEBACK_DAYS: i64 = 3;
/// Credentials earned beyond projects shipped before the mentor says "ship".
pub const SHIP_GAP: i64 = 2;
/// Weeks of history behind a suggested pledge.
pub const PLEDGE_HISTORY_WEEKS: i64 = 4;

/// What a suggestion is about, in rank order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// A pledge behind in its current period.
    Pledge,
    /// A course behind its road (or past its deadline).
    Behind,
    /// The course with the lowest odds among those due soon.
    Deadline,
    /// A course on its road with little buffer left.
    Buffer,
    /// The daily streak broke in the last few days.
    Comeback,
    /// A project without a session for a while.
    Project,
    /// Many credentials, few projects shipped.
    Ship,
    /// A new week or month with no pledge in force.
    NewPledge,
}

/// One line of advice. JSON: `{rank, kind, action, reason}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// 1 for the first thing to do.
    pub rank: usize,
    pub kind: SuggestionKind,
    /// What to do, with the amount: `40m on ml`, `1 unit of rust-book`.
    pub action: String,
    /// Why: `pledge 5h/week: 2h20 left, 2 days left`.
    pub reason: String,
}

/// Everything the mentor knows about today.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub today: NaiveDate,
    /// The first day of today's week (`week_starts`).
    pub week_start: NaiveDate,
    /// The `default_minutes` of a check-in: the amount of an open-ended session.
    pub default_minutes: i64,
    /// `streak.min_minutes`: what makes a study day.
    pub min_minutes: i64,
    /// The current period of every pledge in force.
    pub pledges: Vec<PledgeFact>,
    /// Some pledge is active (in force now or starting later).
    pub has_pledge: bool,
    /// Active courses.
    pub courses: Vec<CourseFact>,
    /// Active projects.
    pub projects: Vec<ProjectFact>,
    /// Completed courses (each counts as a credential earned).
    pub completed_courses: Vec<CompletedCourse>,
    pub projects_shipped: i64,
    pub streak: StreakFact,
    /// Minutes logged in the weeks before this one (`PLEDGE_HISTORY_WEEKS` of them).
    pub recent_minutes: i64,
}

/// A pledge's current period.
#[derive(Debug, Clone)]
pub struct PledgeFact {
    pub id: i64,
    /// A slug, or `all`.
    pub target: String,
    pub rate: Rate,
    pub verdict: Verdict,
    /// Still missing, in the rate's unit.
    pub needed: i64,
    /// Days left in the period, today included.
    pub days_left: i64,
    pub staked: bool,
    /// Today already counts as a study day on the target.
    pub studied_today: bool,
}

/// An active course, as the odds model sees it.
#[derive(Debug, Clone)]
pub struct CourseFact {
    pub slug: String,
    /// What a unit is called (`module`, `lesson`); `unit` when not given.
    pub unit_name: Option<String>,
    pub probability: f64,
    pub buffer_days: Option<i64>,
    pub units_done: i64,
    pub units_total: Option<i64>,
    pub deadline: Option<NaiveDate>,
}

impl CourseFact {
    /// Every unit done: nothing left to suggest but `done`.
    fn finished(&self) -> bool {
        self.units_total.is_some_and(|total| self.units_done >= total)
    }
}

#[derive(Debug, Clone)]
pub struct ProjectFact {
    pub slug: String,
    /// The last day with a session on it.
    pub last_session: Option<NaiveDate>,
    /// When it started (or was added): silence counts from here without sessions.
    pub since: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct CompletedCourse {
    pub slug: String,
    pub ended_on: Option<NaiveDate>,
    /// Some project already applies it.
    pub applied: bool,
}

#[derive(Debug, Clone, Default)]
pub struct StreakFact {
    pub current: i64,
    pub today_studied: bool,
    /// The day the last run broke.
    pub last_break: Option<NaiveDate>,
}

/// A suggestion before ranking, with what orders it within its kind.
struct Candidate {
    kind: SuggestionKind,
    urgency: (i64, i64),
    name: String,
    action: String,
    reason: String,
}

/// Today's suggestions, ranked; empty when there is nothing to suggest.
pub fn suggest(facts: &Facts) -> Vec<Suggestion> {
    let mut candidates = Vec::new();
    pledges(facts, &mut candidates);
    courses(facts, &mut candidates);
    comeback(facts, &mut candidates);
    projects(facts, &mut candidates);
    ship(facts, &mut candidates);
    new_pledge(facts, &mut candidates);
    candidates.sort_by(|a, b| (a.kind, a.urgency, &a.name).cmp(&(b.kind, b.urgency, &b.name)));
    // A course gets one suggestion, the best ranked.
    let mut seen_courses: Vec<String> = Vec::new();
    candidates.retain(|c| {
        if !matches!(c.kind, SuggestionKind::Behind | SuggestionKind::Deadline | SuggestionKind::Buffer) {
            return true;
        }
        if seen_courses.contains(&c.name) {
            return false;
        }
        seen_courses.push(c.name.clone());
        true
    });
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| Suggestion { rank: i + 1, kind: c.kind, action: c.action, reason: c.reason })
        .collect()
}

/// `n / d` rounded up, for positive `d`.
fn div_up(n: i64, d: i64) -> i64 {
    if d <= 0 { n } else { (n + d - 1).div_euclid(d) }
}

/// Where a pledge's time goes: `on ml`, or just study for `all`.
fn on_target(amount: &str, target: &str) -> String {
    if target == "all" { format!("{amount} of study") } else { format!("{amount} on {target}") }
}

/// Pledges behind: the amount is what is still needed spread over the days
/// left (minutes rounded up to 5), or one study day for a `d/week` rate.
fn pledges(facts: &Facts, out: &mut Vec<Candidate>) {
    for p in facts.pledges.iter().filter(|p| p.verdict == Verdict::Behind && p.needed > 0) {
        let days_left = p.days_left.max(1);
        let (action, left) = match p.rate.unit {
            RateUnit::Minutes => {
                let per_day = div_up(div_up(p.needed, days_left), 5) * 5;
                (on_target(&format_minutes(per_day), &p.target), format_minutes(p.needed))
            }
            RateUnit::Units => {
                let per_day = div_up(p.needed, days_left);
                let units = plural(per_day, "unit");
                let action = if p.target == "all" {
                    format!("{units} of any course")
                } else {
                    format!("{units} of {}", p.target)
                };
                (action, plural(p.needed, "unit"))
            }
            RateUnit::Days => {
                // Today can add only one study day, and none once it counts.
                if p.studied_today {
                    continue;
                }
                let minutes = facts.default_minutes.max(facts.min_minutes);
                (on_target(&format_minutes(minutes), &p.target), plural(p.needed, "study day"))
            }
        };
        let target = if p.target == "all" { format!("all {}", p.rate) } else { p.rate.to_string() };
        out.push(Candidate {
            kind: SuggestionKind::Pledge,
            urgency: (p.days_left, i64::from(!p.staked)),
            name: format!("{:020}", p.id),
            action,
            reason: format!("pledge {target}: {left} left, {} left", plural(p.days_left, "day")),
        });
    }
}

/// `1 unit of ml`: what finishes the course by its deadline at an even pace
/// from today (at least one unit).
fn units_action(facts: &Facts, c: &CourseFact) -> String {
    let unit = c.unit_name.as_deref().unwrap_or("unit");
    match (c.units_total, c.deadline) {
        (Some(total), Some(deadline)) => {
            let remaining = (total - c.units_done).max(1);
            let days = (deadline - facts.today).num_days() + 1;
            format!("{} of {}", plural(div_up(remaining, days.max(1)).max(1), unit), c.slug)
        }
        (Some(_), None) => format!("{} of {}", plural(1, unit), c.slug),
        _ => format!("{} on {}", format_minutes(facts.default_minutes), c.slug),
    }
}

fn in_days(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

fn courses(facts: &Facts, out: &mut Vec<Candidate>) {
    for c in &facts.courses {
        let Some(buffer) = c.buffer_days else { continue };
        if c.finished() {
            continue;
        }
        match c.deadline {
            Some(deadline) if deadline < facts.today => out.push(Candidate {
                kind: SuggestionKind::Behind,
                urgency: (i64::MIN, 0),
                name: c.slug.clone(),
                action: format!("set a new deadline for {} or drop it", c.slug),
                reason: format!(
                    "its deadline {deadline} has passed with {} of {} done",
                    c.units_done,
                    plural(c.units_total.unwrap_or(0), c.unit_name.as_deref().unwrap_or("unit"))
                ),
            }),
            _ if buffer < 0 => out.push(Candidate {
                kind: SuggestionKind::Behind,
                urgency: (buffer, 0),
                name: c.slug.clone(),
                action: units_action(facts, c),
                reason: format!("behind the road by {}", plural(-buffer, "day")),
            }),
            _ if buffer <= SMALL_BUFFER_DAYS => out.push(Candidate {
                kind: SuggestionKind::Buffer,
                urgency: (buffer, 0),
                name: c.slug.clone(),
                action: units_action(facts, c),
                reason: match buffer {
                    0 => "on the road with no buffer left".to_string(),
                    n => format!("only {} of buffer left", plural(n, "day")),
                },
            }),
            _ => {}
        }
    }
    let soon = facts
        .courses
        .iter()
        .filter(|c| !c.finished() && c.probability < 1.0)
        .filter_map(|c| {
            let days = (c.deadline? - facts.today).num_days();
            (0..=DEADLINE_SOON_DAYS).contains(&days).then_some((c, days))
        })
        .min_by(|(a, _), (b, _)| a.probability.total_cmp(&b.probability).then(a.slug.cmp(&b.slug)));
    if let Some((c, days)) = soon {
        out.push(Candidate {
            kind: SuggestionKind::Deadline,
            urgency: (0, 0),
            name: c.slug.clone(),
            action: units_action(facts, c),
            reason: format!("lowest odds at {}, deadline {}", format_percent(c.probability), in_days(days)),
        });
    }
}

fn comeback(facts: &Facts, out: &mut Vec<Candidate>) {
    let s = &facts.streak;
    let Some(broke) = s.last_break else { return };
    let ago = (facts.today - broke).num_days();
    if s.current == 0 && !s.today_studied && (1..=COMEBACK_DAYS).contains(&ago) {
        out.push(Candidate {
            kind: SuggestionKind::Comeback,
            urgency: (0, 0),
            name: String::new(),
            action: "start a new streak today".to_string(),
            reason: format!("your streak broke on {}", broke.format("%a %Y-%m-%d")),
        });
    }
}

fn projects(facts: &Facts, out: &mut Vec<Candidate>) {
    for p in &facts.projects {
        let silent = (facts.today - p.last_session.unwrap_or(p.since)).num_days();
        if silent < STALE_PROJECT_DAYS {
            continue;
        }
        let reason = match p.last_session {
            Some(_) => format!("no session in {}", plural(silent, "day")),
            None => format!("no session since it started {} ago", plural(silent, "day")),
        };
        out.push(Candidate {
            kind: SuggestionKind::Project,
            urgency: (-silent, 0),
            name: p.slug.clone(),
            action: format!("{} on {}", format_minutes(facts.default_minutes), p.slug),
            reason,
        });
    }
}

/// Credentials outnumber shipped projects: work on the active project seen
/// last, or start one applying the latest course no project applies yet.
fn ship(facts: &Facts, out: &mut Vec<Candidate>) {
    let credentials = facts.completed_courses.len() as i64;
    if credentials - facts.projects_shipped < SHIP_GAP {
        return;
    }
    let active = facts.projects.iter().max_by(|a, b| {
        a.last_session.unwrap_or(a.since).cmp(&b.last_session.unwrap_or(b.since)).then(b.slug.cmp(&a.slug))
    });
    let action = match active {
        Some(project) => format!("ship {}", project.slug),
        None => {
            let latest = facts
                .completed_courses
                .iter()
                .max_by(|a, b| (!a.applied, a.ended_on, &b.slug).cmp(&(!b.applied, b.ended_on, &a.slug)));
            match latest {
                Some(course) => format!("start a project that applies {}", course.slug),
                None => "start a project".to_string(),
            }
        }
    };
    out.push(Candidate {
        kind: SuggestionKind::Ship,
        urgency: (0, 0),
        name: String::new(),
        action,
        reason: format!("{}, {} shipped", plural(credentials, "credential"), plural(facts.projects_shipped, "project")),
    });
}

/// First day of a week or month with no pledge: suggest one at about the
/// recent weekly average (rounded down to 30 minutes, at least 30).
fn new_pledge(facts: &Facts, out: &mut Vec<Candidate>) {
    if facts.has_pledge || !facts.pledges.is_empty() {
        return;
    }
    let starts = if facts.today == facts.week_start {
        "a new week starts today"
    } else if facts.today.day() == 1 {
        "a new month starts today"
    } else {
        return;
    };
    let average = facts.recent_minutes / PLEDGE_HISTORY_WEEKS;
    // Never more than a week holds, so the suggested command is valid.
    let amount = (average / 30 * 30).clamp(30, 7 * 24 * 60);
    let rate = Rate { amount, unit: RateUnit::Minutes, per: Per::Week };
    let reason = if average > 0 {
        format!(
            "{starts} and no pledge is in force; you averaged {} a week over the last {PLEDGE_HISTORY_WEEKS} weeks",
            format_minutes(average)
        )
    } else {
        format!("{starts} and no pledge is in force")
    };
    out.push(Candidate {
        kind: SuggestionKind::NewPledge,
        urgency: (0, 0),
        name: String::new(),
        action: format!("make a pledge: learnlog pledge all {rate}"),
        reason,
    });
}

/// The first day of the weeks `recent_minutes` covers.
pub fn history_start(week_start: NaiveDate) -> NaiveDate {
    week_start - Duration::weeks(PLEDGE_HISTORY_WEEKS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Wednesday 2026-11-25: neither a week's nor a month's first day.
    fn facts() -> Facts {
        Facts {
            today: d("2026-11-25"),
            week_start: d("2026-11-23"),
            default_minutes: 30,
            min_minutes: 1,
            ..Facts::default()
        }
    }

    fn pledge(id: i64, target: &str, rate: &str, needed: i64, days_left: i64) -> PledgeFact {
        PledgeFact {
            id,
            target: target.into(),
            rate: rate.parse().unwrap(),
            verdict: Verdict::Behind,
            needed,
            days_left,
            staked: false,
            studied_today: false,
        }
    }

    fn course(slug: &str, buffer: Option<i64>, done: i64, total: i64, deadline: &str, p: f64) -> CourseFact {
        CourseFact {
            slug: slug.into(),
            unit_name: None,
            probability: p,
            buffer_days: buffer,
            units_done: done,
            units_total: Some(total),
            deadline: Some(d(deadline)),
        }
    }

    fn lines(list: &[Suggestion]) -> Vec<String> {
        list.iter().map(|s| format!("{} {:?}: {} ({})", s.rank, s.kind, s.action, s.reason)).collect()
    }

    #[test]
    fn nothing_to_suggest() {
        assert!(suggest(&facts()).is_empty());
    }

    #[test]
    fn a_minutes_pledge_behind_spreads_what_is_needed_over_the_days_left() {
        let mut f = facts();
        f.pledges.push(pledge(1, "ml", "5h/week", 140, 5));
        assert_eq!(lines(&suggest(&f)), ["1 Pledge: 30m on ml (pledge 5h/week: 2h20 left, 5 days left)"]);
        f.pledges[0].days_left = 2;
        assert_eq!(lines(&suggest(&f)), ["1 Pledge: 1h10 on ml (pledge 5h/week: 2h20 left, 2 days left)"]);
        f.pledges[0].needed = 3;
        f.pledges[0].days_left = 1;
        assert_eq!(suggest(&f)[0].action, "5m on ml", "rounded up to 5 minutes");
    }

    #[test]
    fn met_pledges_say_nothing() {
        let mut f = facts();
        f.pledges.push(PledgeFact { verdict: Verdict::OnTrack, needed: 0, ..pledge(1, "ml", "5h/week", 0, 5) });
        assert!(suggest(&f).is_empty());
    }

    #[test]
    fn units_and_days_pledges() {
        let mut f = facts();
        f.pledges.push(pledge(1, "all", "3u/week", 3, 2));
        f.pledges.push(pledge(2, "rust", "4d/week", 2, 5));
        assert_eq!(
            lines(&suggest(&f)),
            [
                "1 Pledge: 2 units of any course (pledge all 3u/week: 3 units left, 2 days left)",
                "2 Pledge: 30m on rust (pledge 4d/week: 2 study days left, 5 days left)",
            ]
        );
        f.pledges[1].studied_today = true;
        assert_eq!(suggest(&f).len(), 1, "a day already studied cannot count twice");
    }

    #[test]
    fn pledges_rank_by_days_left_then_stake_then_number() {
        let mut f = facts();
        f.pledges.push(pledge(3, "a", "1h/week", 60, 5));
        f.pledges.push(pledge(1, "b", "1h/week", 60, 5));
        f.pledges.push(PledgeFact { staked: true, ..pledge(2, "c", "1h/week", 60, 5) });
        f.pledges.push(pledge(4, "all", "30m/day", 30, 1));
        let targets: Vec<String> = suggest(&f).iter().map(|s| s.action.clone()).collect();
        assert_eq!(targets, ["30m of study", "15m on c", "15m on b", "15m on a"]);
    }

    #[test]
    fn courses_behind_or_short_of_buffer() {
        let mut f = facts();
        f.courses.push(course("rust-book", Some(-3), 2, 10, "2026-12-31", 0.4));
        f.courses.push(course("ml", Some(2), 5, 10, "2027-03-01", 0.5));
        f.courses.push(course("easy", Some(10), 5, 10, "2027-03-01", 0.9));
        f.courses
            .push(CourseFact { unit_name: Some("module".into()), ..course("go", Some(0), 1, 40, "2026-12-04", 0.6) });
        assert_eq!(
            lines(&suggest(&f)),
            [
                "1 Behind: 1 unit of rust-book (behind the road by 3 days)",
                "2 Deadline: 4 modules of go (lowest odds at 60 %, deadline in 9 days)",
                "3 Buffer: 1 unit of ml (only 2 days of buffer left)",
            ]
        );
    }

    #[test]
    fn a_passed_deadline_asks_for_a_decision() {
        let mut f = facts();
        f.courses.push(course("old", Some(-40), 3, 10, "2026-11-20", 0.0));
        assert_eq!(
            lines(&suggest(&f)),
            [
                "1 Behind: set a new deadline for old or drop it (its deadline 2026-11-20 has passed with 3 of 10 units done)"
            ]
        );
    }

    #[test]
    fn the_lowest_odds_course_due_soon() {
        let mut f = facts();
        f.courses.push(course("a", Some(5), 5, 10, "2026-12-05", 0.7));
        f.courses.push(course("b", Some(5), 5, 10, "2026-12-06", 0.3));
        f.courses.push(course("c", Some(5), 1, 10, "2027-06-01", 0.1));
        f.courses.push(CourseFact {
            units_total: None,
            buffer_days: None,
            ..course("d", None, 0, 0, "2026-11-25", 0.5)
        });
        assert_eq!(lines(&suggest(&f)), ["1 Deadline: 1 unit of b (lowest odds at 30 %, deadline in 11 days)"]);
        f.courses.retain(|c| c.slug == "d");
        assert_eq!(lines(&suggest(&f)), ["1 Deadline: 30m on d (lowest odds at 50 %, deadline today)"]);
    }

    #[test]
    fn a_course_is_suggested_once() {
        let mut f = facts();
        f.courses.push(course("ml", Some(-2), 5, 10, "2026-12-01", 0.2));
        let list = suggest(&f);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].kind, SuggestionKind::Behind);
    }

    #[test]
    fn comeback_after_a_recent_break() {
        let mut f = facts();
        f.streak = StreakFact { current: 0, today_studied: false, last_break: Some(d("2026-11-23")) };
        assert_eq!(lines(&suggest(&f)), ["1 Comeback: start a new streak today (your streak broke on Mon 2026-11-23)"]);
        f.streak.last_break = Some(d("2026-11-21"));
        assert!(suggest(&f).is_empty(), "four days ago is not recent");
        f.streak = StreakFact { current: 0, today_studied: true, last_break: Some(d("2026-11-24")) };
        assert!(suggest(&f).is_empty(), "already back today");
        f.streak = StreakFact { current: 1, today_studied: false, last_break: Some(d("2026-11-23")) };
        assert!(suggest(&f).is_empty(), "a new run already started");
    }

    #[test]
    fn stalled_projects() {
        let mut f = facts();
        f.projects.push(ProjectFact {
            slug: "birds".into(),
            last_session: Some(d("2026-11-05")),
            since: d("2026-09-01"),
        });
        f.projects.push(ProjectFact {
            slug: "fresh".into(),
            last_session: Some(d("2026-11-20")),
            since: d("2026-09-01"),
        });
        f.projects.push(ProjectFact { slug: "never".into(), last_session: None, since: d("2026-10-01") });
        assert_eq!(
            lines(&suggest(&f)),
            [
                "1 Project: 30m on never (no session since it started 55 days ago)",
                "2 Project: 30m on birds (no session in 20 days)",
            ]
        );
    }

    #[test]
    fn ship_something_when_credentials_pile_up() {
        let mut f = facts();
        let done =
            |slug: &str, on: &str, applied: bool| CompletedCourse { slug: slug.into(), ended_on: Some(d(on)), applied };
        f.completed_courses = vec![done("ml", "2026-10-01", false), done("stats", "2026-06-01", false)];
        f.projects_shipped = 1;
        assert!(suggest(&f).is_empty(), "2 credentials, 1 project: a gap of 1");
        f.projects_shipped = 0;
        assert_eq!(
            lines(&suggest(&f)),
            ["1 Ship: start a project that applies ml (2 credentials, 0 projects shipped)"]
        );
        f.completed_courses[0].applied = true;
        assert_eq!(suggest(&f)[0].action, "start a project that applies stats", "a course no project applies yet");
        f.projects.push(ProjectFact {
            slug: "birds".into(),
            last_session: Some(d("2026-11-24")),
            since: d("2026-11-01"),
        });
        assert_eq!(suggest(&f)[0].action, "ship birds");
    }

    #[test]
    fn a_new_week_or_month_without_a_pledge() {
        let mut f = facts();
        f.today = d("2026-11-23");
        assert_eq!(
            lines(&suggest(&f)),
            [
                "1 NewPledge: make a pledge: learnlog pledge all 30m/week (a new week starts today and no pledge is in force)"
            ]
        );
        f.recent_minutes = 4 * 130;
        assert_eq!(suggest(&f)[0].action, "make a pledge: learnlog pledge all 2h/week");
        assert!(suggest(&f)[0].reason.ends_with("you averaged 2h10 a week over the last 4 weeks"));
        f.recent_minutes = 4 * 200 * 60;
        assert_eq!(suggest(&f)[0].action, "make a pledge: learnlog pledge all 168h/week", "a valid rate");
        f.today = d("2026-12-01");
        f.week_start = d("2026-11-30");
        assert!(suggest(&f)[0].reason.starts_with("a new month starts today"));
        f.has_pledge = true;
        assert!(suggest(&f).is_empty(), "a pledge that starts later counts");
        f.has_pledge = false;
        f.pledges.push(PledgeFact { verdict: Verdict::OnTrack, ..pledge(1, "all", "1h/week", 0, 5) });
        assert!(suggest(&f).is_empty());
    }

    #[test]
    fn every_kind_in_rank_order_and_deterministic() {
        let mut f = facts();
        f.today = d("2026-11-23");
        f.week_start = d("2026-11-23");
        f.projects.push(ProjectFact {
            slug: "birds".into(),
            last_session: Some(d("2026-11-01")),
            since: d("2026-09-01"),
        });
        f.completed_courses = vec![
            CompletedCourse { slug: "x".into(), ended_on: None, applied: false },
            CompletedCourse { slug: "y".into(), ended_on: None, applied: false },
        ];
        f.streak = StreakFact { current: 0, today_studied: false, last_break: Some(d("2026-11-22")) };
        f.courses.push(course("ml", Some(1), 5, 10, "2027-01-30", 0.5));
        f.courses.push(course("go", Some(4), 5, 10, "2026-12-01", 0.4));
        f.courses.push(course("rust", Some(-5), 5, 10, "2027-01-30", 0.3));
        f.pledges.push(pledge(1, "ml", "2h/week", 60, 7));
        let list = suggest(&f);
        let kinds: Vec<SuggestionKind> = list.iter().map(|s| s.kind).collect();
        use SuggestionKind::*;
        assert_eq!(kinds, [Pledge, Behind, Deadline, Buffer, Comeback, Project, Ship]);
        let ranks: Vec<usize> = list.iter().map(|s| s.rank).collect();
        assert_eq!(ranks, [1, 2, 3, 4, 5, 6, 7]);
        // The same facts in another order give the same list.
        let mut shuffled = f.clone();
        shuffled.courses.reverse();
        shuffled.completed_courses.reverse();
        assert_eq!(suggest(&shuffled), list);
    }
}
