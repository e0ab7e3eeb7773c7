//! `cohort board`: a table sized to the terminal, a Markdown message for the
//! group, and an HTML page under the report's rules (self-contained,
//! escaped, the same Content-Security-Policy and stylesheet).

use anyhow::Result;
use maud::{DOCTYPE, html};

use super::html::{clean, head};
use super::markdown::escape;
use crate::output::Out;
use crate::report::cohort::{Board, BoardMember, BoardPledge};

fn marks(p: &BoardPledge) -> String {
    p.history.iter().map(|h| if h.verdict == "kept" { '✓' } else { '✗' }).collect()
}

fn pledge_cell(p: &BoardPledge) -> String {
    format!("{} {}/{} {}", p.target, p.done, p.needed, p.verdict.replace('_', " "))
}

fn pledges_cell(m: &BoardMember) -> String {
    if m.pledges.is_empty() {
        return "-".into();
    }
    m.pledges.iter().map(pledge_cell).collect::<Vec<_>>().join("; ")
}

fn history_cell(m: &BoardMember) -> String {
    let all: Vec<String> = m.pledges.iter().map(marks).filter(|s| !s.is_empty()).collect();
    if all.is_empty() { "-".into() } else { all.join(" ") }
}

fn stakes_cell(m: &BoardMember) -> String {
    let mut text = format!("{} owed", m.stakes.owed);
    for s in &m.settled {
        text.push_str("; ");
        text.push_str(s);
    }
    text
}

fn late_cell(m: &BoardMember) -> String {
    if m.late.is_empty() {
        String::new()
    } else {
        format!("late: {}", m.late.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
    }
}

fn last_day(m: &BoardMember) -> String {
    m.last_study_day.map_or_else(|| "-".into(), |d| d.to_string())
}

pub fn table(out: &mut Out, b: &Board) -> Result<()> {
    out.line(format!("Cohort {} — week {} to {}", out.one_line_safe(&b.cohort), b.week.from, b.week.to))?;
    let mut t =
        out.table(&["member", "streak", "minutes", "days", "pledges", "last 6", "stakes", "last study", "late"]);
    for m in &b.members {
        t.add_row(vec![
            m.name.clone(),
            m.streak.current.to_string(),
            m.week.minutes.to_string(),
            m.week.study_days.to_string(),
            pledges_cell(m),
            history_cell(m),
            stakes_cell(m),
            last_day(m),
            late_cell(m),
        ]);
    }
    t.cut_text(&[0, 4, 6, 8]);
    out.print_table(&t)
}

pub fn markdown(b: &Board) -> String {
    let mut s = format!("## Cohort {} — week {} to {}\n\n", escape(&b.cohort), b.week.from, b.week.to);
    s.push_str("| Member | Streak | Minutes | Days | Pledges | Last 6 | Stakes | Last study | Late |\n");
    s.push_str("|---|---:|---:|---:|---|---|---|---|---|\n");
    for m in &b.members {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            escape(&m.name),
            m.streak.current,
            m.week.minutes,
            m.week.study_days,
            if m.pledges.is_empty() { "-".to_string() } else { escape(&pledges_cell(m)) },
            history_cell(m),
            escape(&stakes_cell(m)),
            last_day(m),
            late_cell(m),
        ));
    }
    s
}

pub fn html(b: &Board) -> String {
    let title = format!("learnlog cohort {}, {} to {}", clean(&b.cohort), b.week.from, b.week.to);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&title))
            body {
                main {
                    header {
                        p.kicker { "learnlog · cohort" }
                        h1 { (clean(&b.cohort)) }
                        p.sub { "Week " (b.week.from.to_string()) " – " (b.week.to.to_string()) "." }
                    }
                    section #board aria-labelledby="board-h" {
                        h2 #board-h { "Board" }
                        table {
                            thead { tr {
                                th { "Member" } th { "Streak" } th { "Minutes" } th { "Days" }
                                th { "Pledges" } th { "Last 6" } th { "Stakes" } th { "Last study" } th { "Late" }
                            } }
                            tbody {
                                @for m in &b.members {
                                    tr {
                                        td { (clean(&m.name)) }
                                        td { (m.streak.current) }
                                        td { (m.week.minutes) }
                                        td { (m.week.study_days) }
                                        td { (clean(&pledges_cell(m))) }
                                        td { (history_cell(m)) }
                                        td { (clean(&stakes_cell(m))) }
                                        td { (last_day(m)) }
                                        td { (late_cell(m)) }
                                    }
                                }
                            }
                        }
                    }
                    footer { p { "learnlog cohort board --format html" } }
                }
            }
        }
    };
    let mut text = markup.into_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::cohort::{HistoryEntry, Stakes, StreakPair, WeekRange, WeekTotals};

    fn board(name: &str) -> Board {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        Board {
            cohort: "evenings".into(),
            week: WeekRange { from: day, to: day + chrono::Duration::days(6) },
            members: vec![BoardMember {
                name: name.into(),
                streak: StreakPair { current: 2, longest: 5 },
                week: WeekTotals { minutes: 90, study_days: 2 },
                pledges: vec![BoardPledge {
                    target: "ml".into(),
                    rate: "2h/week".into(),
                    done: 90,
                    needed: 120,
                    verdict: "behind".into(),
                    referee: None,
                    history: vec![
                        HistoryEntry { start: day - chrono::Duration::weeks(2), verdict: "kept".into() },
                        HistoryEntry { start: day - chrono::Duration::weeks(1), verdict: "missed".into() },
                    ],
                }],
                stakes: Stakes::default(),
                last_study_day: Some(day),
                late: vec![],
                settled: vec!["settled (self-reported)".into()],
            }],
        }
    }

    #[test]
    fn markdown_escapes_names_and_marks_verdicts() {
        let md = markdown(&board("<b>|Eve"));
        assert!(
            md.contains("| \\<b\\>\\|Eve | 2 | 90 | 2 | ml 90/120 behind | ✓✗ | 0 owed; settled (self-reported) |"),
            "{md}"
        );
    }

    #[test]
    fn html_is_escaped_and_self_contained() {
        let page = html(&board("<script>alert(1)</script>"));
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains(super::super::html::CSP));
    }
}
