//! The period report as tables (`--format table`) or as a Markdown message
//! for a referee or a study group (`--format markdown`).

use anyhow::Result;
use chrono::NaiveDate;

use super::markdown::escape;
use super::{minutes_or_dash, percent, plural};
use crate::domain::parse::format_minutes;
use crate::domain::pledge::{PeriodResult, Verdict};
use crate::domain::records::{Kind, Status};
use crate::output::Out;
use crate::report::period::{ItemLine, PeriodReport, PledgeLine};

// ---------------------------------------------------------------------------
// Shared wording
// ---------------------------------------------------------------------------

/// `Last week`, `This month`, …: how the period is named in a sentence.
fn period_name(label: &str) -> &'static str {
    match label {
        "week" => "This week",
        "last_week" => "Last week",
        "month" => "This month",
        "last_month" => "Last month",
        "year" => "This year",
        _ => "In this period",
    }
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Kept => "kept",
        Verdict::Missed => "missed",
        Verdict::OnTrack => "on track",
        Verdict::Behind => "behind",
        Verdict::Scheduled => "scheduled",
    }
}

/// `kept`, or `2 kept, 1 missed` for several periods; `-` for none.
pub fn verdict_summary(verdicts: &[Verdict]) -> String {
    if let [one] = verdicts {
        return verdict_word(*one).to_string();
    }
    let parts: Vec<String> = [Verdict::Kept, Verdict::Missed, Verdict::OnTrack, Verdict::Behind, Verdict::Scheduled]
        .into_iter()
        .filter_map(|v| {
            let n = verdicts.iter().filter(|x| **x == v).count();
            (n > 0).then(|| format!("{n} {}", verdict_word(v)))
        })
        .collect();
    if parts.is_empty() { "-".into() } else { parts.join(", ") }
}

/// `3h10/5h`, `2/4 days`.
fn done_of_target(p: &PeriodResult) -> String {
    format!("{}/{}", p.rate.format_amount(p.done), p.rate.format_amount(p.target))
}

/// `1h15/3h`, and for a period still running what it still needs:
/// `30m/3h (2h30 to go, 7 days left)`.
fn latest_text(p: &PeriodResult) -> String {
    match p.verdict {
        Verdict::Behind => {
            format!(
                "{} ({} to go, {} left)",
                done_of_target(p),
                p.rate.format_amount(p.needed),
                plural(p.days_left, "day")
            )
        }
        Verdict::Scheduled => format!("{} from {}", p.rate, p.start),
        _ => done_of_target(p),
    }
}

fn progress_text(item: &ItemLine) -> String {
    match (item.units_total, item.progress) {
        (Some(total), Some(p)) => format!("{}/{total} ({})", item.units_done, percent(p)),
        (Some(total), None) => format!("{}/{total}", item.units_done),
        (None, _) if item.units_done != 0 => item.units_done.to_string(),
        _ => "-".into(),
    }
}

fn odds_text(item: &ItemLine, arrow: &str) -> String {
    match (item.odds_start, item.odds_end) {
        (None, None) => "-".into(),
        (Some(a), Some(b)) => format!("{} {arrow} {}", percent(a), percent(b)),
        (None, Some(b)) => format!("new {arrow} {}", percent(b)),
        (Some(a), None) => format!("{} {arrow} -", percent(a)),
    }
}

fn status_text(item: &ItemLine) -> String {
    match item.ended_on {
        Some(day) if item.status != Status::Active => format!("{} {day}", item.status),
        _ => item.status.to_string(),
    }
}

/// `, 1 rest day` after "studied 5 of 6 days"; nothing without rest days.
fn rest_text(rest_days: i64) -> String {
    if rest_days == 0 { String::new() } else { format!(", {}", plural(rest_days, "rest day")) }
}

fn range_text(from: NaiveDate, to: NaiveDate, dash: &str) -> String {
    format!("{from} {dash} {to}")
}

fn item_verdicts(item: &ItemLine) -> Vec<Verdict> {
    item.pledges.iter().map(|p| p.verdict).collect()
}

// ---------------------------------------------------------------------------
// --format table
// ---------------------------------------------------------------------------

/// The sections of `--format table`, in order.
const TABLE_SECTIONS: [fn(&mut Out, &PeriodReport) -> Result<()>; 7] =
    [table_summary, table_items, table_pledges, table_stakes, table_balance, table_money, table_bloom];

pub fn table(out: &mut Out, r: &PeriodReport) -> Result<()> {
    TABLE_SECTIONS.iter().try_for_each(|section| section(out, r))
}

fn table_summary(out: &mut Out, r: &PeriodReport) -> Result<()> {
    let dash = if out.unicode { "–" } else { "-" };
    let t = &r.totals;
    let on = r.target.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
    out.prose(out.bold(&format!(
        "{}{on}: {}",
        period_name(&r.period.label),
        range_text(r.period.from, r.period.to, dash)
    )))?;
    out.prose(format!(
        "Studied {} of {}{} ({}){}{} in {}{}{}",
        t.study_days,
        plural(t.days, "day"),
        rest_text(t.rest_days),
        percent(t.consistency),
        out.dot(),
        format_minutes(t.minutes),
        plural(t.sessions, "session"),
        out.dot(),
        plural(t.units, "unit"),
    ))?;
    let mut line =
        format!("Streak {}{}weekly {}", plural(t.daily_streak, "day"), out.dot(), plural(t.weekly_streak, "week"));
    if !r.pledges.is_empty() {
        line.push_str(&format!("{}pledges: {} kept, {} missed", out.dot(), t.pledges_kept, t.pledges_missed));
        if t.pledges_on_track + t.pledges_behind > 0 {
            line.push_str(&format!(", {} on track, {} behind", t.pledges_on_track, t.pledges_behind));
        }
    }
    if t.stakes_owed > 0 {
        line.push_str(out.dot());
        line.push_str(&out.warn(&format!("{} owed", plural(t.stakes_owed, "stake"))));
    }
    out.prose(line)?;
    Ok(())
}

fn table_items(out: &mut Out, r: &PeriodReport) -> Result<()> {
    let arrow = if out.unicode { "→" } else { "->" };
    out.prose("")?;
    out.prose(out.bold("Courses and projects"))?;
    if r.items.is_empty() {
        out.prose("Nothing active or logged in this period.")?;
    } else {
        let mut table =
            out.table(&["ref", "kind", "status", "time", "sessions", "units", "progress", "pledges", "odds"]);
        table.keep(&[3, 4, 5]).cut_reference(&[0]).droppable(&[1, 5]);
        for item in &r.items {
            table.add_row(vec![
                item.reference.clone(),
                item.kind.to_string(),
                item.status.to_string(),
                minutes_or_dash(item.minutes),
                item.sessions.to_string(),
                item.units.to_string(),
                progress_text(item),
                verdict_summary(&item_verdicts(item)),
                odds_text(item, arrow),
            ]);
        }
        out.print_table(&table)?;
    }
    Ok(())
}

fn table_pledges(out: &mut Out, r: &PeriodReport) -> Result<()> {
    if !r.pledges.is_empty() {
        out.prose("")?;
        out.prose(out.bold("Pledges"))?;
        let mut table = out.table(&["#", "target", "rate", "verdicts", "latest period", "stake"]);
        table.keep(&[0]).cut_reference(&[1]).cut_text(&[5]);
        for p in &r.pledges {
            let verdicts = verdict_summary(&p.periods.iter().map(|x| x.verdict).collect::<Vec<_>>());
            let verdicts =
                match p.periods.iter().map(|x| x.verdict).find(|v| *v == Verdict::Missed || *v == Verdict::Behind) {
                    Some(_) => out.warn(&verdicts),
                    None => out.good(&verdicts),
                };
            table.add_row(vec![
                p.id.to_string(),
                p.target.clone(),
                p.rate.clone(),
                verdicts,
                p.periods.last().map(latest_text).unwrap_or_default(),
                p.stake.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        out.print_table(&table)?;
    }
    Ok(())
}

fn table_stakes(out: &mut Out, r: &PeriodReport) -> Result<()> {
    if !r.stakes.owed.is_empty() || !r.stakes.settled.is_empty() {
        out.prose("")?;
        out.prose(out.bold("Stakes"))?;
        let mut table = out.table(&["#", "pledge", "target", "period", "stake", "settled"]);
        table.keep(&[0, 1]).cut_reference(&[2]).cut_text(&[4]);
        for s in &r.stakes.owed {
            table.add_row(vec![
                s.id.to_string(),
                s.pledge_id.to_string(),
                s.target.clone(),
                format!("{}..{}", s.period_start, s.period_end),
                s.stake.clone(),
                out.warn("owed"),
            ]);
        }
        for s in &r.stakes.settled {
            let mut settled = match &s.note {
                Some(note) => format!("{} ({note})", s.settled_on),
                None => s.settled_on.to_string(),
            };
            if let Some(c) = &s.confirmation {
                settled = format!("{settled}; {}", c.text());
            }
            let st = &s.stake;
            table.add_row(vec![
                st.id.to_string(),
                st.pledge_id.to_string(),
                st.target.clone(),
                format!("{}..{}", st.period_start, st.period_end),
                st.stake.clone(),
                settled,
            ]);
        }
        out.print_table(&table)?;
    }
    Ok(())
}

fn table_balance(out: &mut Out, r: &PeriodReport) -> Result<()> {
    let b = &r.balance;
    out.prose("")?;
    out.prose(out.bold("Learning vs building"))?;
    out.prose(format!(
        "courses {}{}projects {}{}general {}",
        format_minutes(b.course_minutes),
        out.dot(),
        format_minutes(b.project_minutes),
        out.dot(),
        format_minutes(b.general_minutes)
    ))?;
    out.prose(format!(
        "credentials earned: {}{}projects shipped: {}",
        with_refs(b.credentials, &b.credential_refs),
        out.dot(),
        with_refs(b.projects_shipped, &b.shipped_refs)
    ))?;
    Ok(())
}

fn table_money(out: &mut Out, r: &PeriodReport) -> Result<()> {
    if !r.money.is_empty() {
        out.prose("")?;
        out.prose(out.bold("Money paid for courses"))?;
        let mut table = out.table(&["paid", "to dropped courses", "to stalled courses"]);
        for m in &r.money {
            table.add_row(vec![
                m.paid.to_string(),
                money_with_refs(&m.dropped, &m.dropped_refs),
                money_with_refs(&m.stalled, &m.stalled_refs),
            ]);
        }
        out.print_table(&table)?;
    }
    Ok(())
}

fn table_bloom(out: &mut Out, r: &PeriodReport) -> Result<()> {
    if r.bloom.total() > 0 {
        out.prose("")?;
        out.prose(out.bold("Time by Bloom level"))?;
        let mut table = out.table(&["level", "time", "share"]);
        let total = r.bloom.total();
        for (level, minutes) in super::bloom_rows(&r.bloom).into_iter().filter(|(_, m)| *m > 0) {
            table.add_row(vec![level.to_string(), format_minutes(minutes), percent(minutes as f64 / total as f64)]);
        }
        out.print_table(&table)?;
    }
    Ok(())
}

fn with_refs(count: i64, refs: &[String]) -> String {
    if refs.is_empty() { count.to_string() } else { format!("{count} ({})", refs.join(", ")) }
}

fn money_with_refs(amount: &crate::domain::money::Money, refs: &[String]) -> String {
    if refs.is_empty() { "-".into() } else { format!("{amount} ({})", refs.join(", ")) }
}

// ---------------------------------------------------------------------------
// --format markdown
// ---------------------------------------------------------------------------

/// A pipe table; cells are already escaped. `right` marks numeric columns.
fn md_table(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut text = format!("| {} |\n", header.join(" | "));
    let rule: Vec<&str> =
        (0..header.len()).map(|i| if right.get(i).copied().unwrap_or(false) { "---:" } else { "---" }).collect();
    text.push_str(&format!("|{}|\n", rule.join("|")));
    for row in rows {
        text.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    text
}

fn pledge_sentence(p: &PledgeLine, dash: &str) -> String {
    let mut line = format!("- Pledge #{}, {} on {}", p.id, p.rate, escape(&p.target));
    let mut terms = Vec::new();
    if let Some(stake) = &p.stake {
        terms.push(format!("stake: {}", escape(stake)));
    }
    if let Some(referee) = &p.referee {
        terms.push(format!("referee: {}", escape(referee)));
    }
    if !terms.is_empty() {
        line.push_str(&format!(" ({})", terms.join("; ")));
    }
    line.push_str(": ");
    let describe = |x: &PeriodResult| {
        format!("**{}** for {}, {}", verdict_word(x.verdict), range_text(x.start, x.end, dash), latest_text(x))
    };
    match p.periods.as_slice() {
        [one] => line.push_str(&describe(one)),
        periods => {
            let verdicts: Vec<Verdict> = periods.iter().map(|x| x.verdict).collect();
            let judged = periods.iter().filter(|x| matches!(x.verdict, Verdict::Kept | Verdict::Missed)).count() as i64;
            let kept = periods.iter().filter(|x| x.verdict == Verdict::Kept).count();
            line.push_str(&format!("kept {kept} of {} ({})", plural(judged, "period"), verdict_summary(&verdicts)));
            let missed: Vec<String> =
                periods.iter().filter(|x| x.verdict == Verdict::Missed).map(|x| x.start.to_string()).collect();
            if !missed.is_empty() {
                const SHOWN: usize = 10;
                let more = missed.len().saturating_sub(SHOWN);
                let mut list = missed.into_iter().take(SHOWN).collect::<Vec<_>>().join(", ");
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
                line.push_str(&format!("; missed the periods starting {list}"));
            }
            if let Some(current) = periods.last().filter(|x| matches!(x.verdict, Verdict::OnTrack | Verdict::Behind)) {
                line.push_str(&format!("; now {}", describe(current)));
            }
        }
    }
    line.push('.');
    line
}

/// The dash and arrow the output can show.
struct Marks {
    dash: &'static str,
    arrow: &'static str,
}

/// The sections of `--format markdown`, in order.
const MARKDOWN_SECTIONS: [fn(&mut String, &PeriodReport, &Marks); 7] =
    [md_summary, md_pledges, md_stakes, md_items, md_balance, md_money, md_bloom];

pub fn markdown(out: &mut Out, r: &PeriodReport) -> Result<()> {
    let marks = if out.unicode { Marks { dash: "–", arrow: "→" } } else { Marks { dash: "-", arrow: "->" } };
    let dash = marks.dash;
    let on = r.target.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
    let mut doc = format!("# Study report{on}, {}\n\n", range_text(r.period.from, r.period.to, dash));
    for section in MARKDOWN_SECTIONS {
        section(&mut doc, r, &marks);
    }
    out.text(doc)
}

fn md_summary(doc: &mut String, r: &PeriodReport, _marks: &Marks) {
    let t = &r.totals;
    let mut summary = if t.days + t.rest_days == 0 {
        "The period has not started yet.".to_string()
    } else {
        format!(
            "{} I studied on {} of {}{} ({}): {} in {}, {} done.",
            period_name(&r.period.label),
            t.study_days,
            plural(t.days, "day"),
            rest_text(t.rest_days),
            percent(t.consistency),
            format_minutes(t.minutes),
            plural(t.sessions, "session"),
            plural(t.units, "unit")
        )
    };
    summary.push_str(&format!(
        " Current streak: {} (weekly: {}).",
        plural(t.daily_streak, "day"),
        plural(t.weekly_streak, "week")
    ));
    doc.push_str(&summary);
    doc.push_str("\n\n");
}

fn md_pledges(doc: &mut String, r: &PeriodReport, marks: &Marks) {
    let dash = marks.dash;
    let t = &r.totals;
    doc.push_str("## Pledges\n\n");
    if r.pledges.is_empty() {
        doc.push_str("No pledges in force in this period.\n\n");
    } else {
        let judged = t.pledges_kept + t.pledges_missed;
        let mut sentences = Vec::new();
        if judged > 0 {
            sentences.push(format!(
                "Kept {} of {}, missed {}.",
                t.pledges_kept,
                plural(judged, "pledge period"),
                t.pledges_missed
            ));
        }
        if t.pledges_on_track + t.pledges_behind > 0 {
            sentences.push(format!("Still running: {} on track, {} behind.", t.pledges_on_track, t.pledges_behind));
        }
        doc.push_str(&sentences.join(" "));
        doc.push_str("\n\n");
        for p in &r.pledges {
            doc.push_str(&pledge_sentence(p, dash));
            doc.push('\n');
        }
        doc.push('\n');
    }
}

fn md_stakes(doc: &mut String, r: &PeriodReport, marks: &Marks) {
    let dash = marks.dash;
    doc.push_str("## Stakes\n\n");
    if r.stakes.owed.is_empty() {
        doc.push_str("No stakes owed.\n");
    } else {
        doc.push_str(&format!("Owed ({}):\n\n", r.stakes.owed.len()));
        for s in &r.stakes.owed {
            doc.push_str(&format!(
                "- #{}: {}, for missing pledge #{} on {} in {}.\n",
                s.id,
                escape(&s.stake),
                s.pledge_id,
                escape(&s.target),
                range_text(s.period_start, s.period_end, dash)
            ));
        }
    }
    if !r.stakes.settled.is_empty() {
        doc.push_str("\nSettled:\n\n");
        for s in &r.stakes.settled {
            let st = &s.stake;
            let mut note = s.note.as_deref().map(|n| format!(" ({})", escape(n))).unwrap_or_default();
            if let Some(c) = &s.confirmation {
                note = format!("{note}; {}", escape(&c.text()));
            }
            doc.push_str(&format!(
                "- #{}: {}, for pledge #{} on {} in {}, paid on {}{note}.\n",
                st.id,
                escape(&st.stake),
                st.pledge_id,
                escape(&st.target),
                range_text(st.period_start, st.period_end, dash),
                s.settled_on
            ));
        }
    }
    doc.push('\n');
}

fn md_items(doc: &mut String, r: &PeriodReport, marks: &Marks) {
    let arrow = marks.arrow;
    doc.push_str("## Courses and projects\n\n");
    if r.items.is_empty() {
        doc.push_str("Nothing active or logged in this period.\n\n");
    } else {
        let rows: Vec<Vec<String>> = r
            .items
            .iter()
            .map(|item| {
                vec![
                    format!("{} ({})", escape(&item.title), escape(&item.reference)),
                    item.kind.to_string(),
                    escape(&status_text(item)),
                    minutes_or_dash(item.minutes),
                    item.sessions.to_string(),
                    item.units.to_string(),
                    progress_text(item),
                    verdict_summary(&item_verdicts(item)),
                    if item.kind == Kind::Course { odds_text(item, arrow) } else { "-".into() },
                ]
            })
            .collect();
        doc.push_str(&md_table(
            &["Course or project", "Kind", "Status", "Time", "Sessions", "Units", "Progress", "Pledges", "Odds"],
            &[false, false, false, true, true, true, true, false, false],
            &rows,
        ));
        doc.push('\n');
    }
}

fn md_balance(doc: &mut String, r: &PeriodReport, _marks: &Marks) {
    let b = &r.balance;
    doc.push_str("## Learning vs building\n\n");
    doc.push_str(&format!(
        "Courses: {}, projects: {}, general study: {}. Credentials earned: {}. Projects shipped: {}.\n\n",
        format_minutes(b.course_minutes),
        format_minutes(b.project_minutes),
        format_minutes(b.general_minutes),
        escape(&with_refs(b.credentials, &b.credential_refs)),
        escape(&with_refs(b.projects_shipped, &b.shipped_refs)),
    ));
}

fn md_money(doc: &mut String, r: &PeriodReport, _marks: &Marks) {
    doc.push_str("## Money\n\n");
    if r.money.is_empty() {
        doc.push_str("No money paid for courses.\n\n");
    } else {
        for m in &r.money {
            let refs = |refs: &[String]| {
                if refs.is_empty() { String::new() } else { format!(" ({})", escape(&refs.join(", "))) }
            };
            doc.push_str(&format!(
                "- {} paid for courses: {} went to dropped courses{}, {} to stalled ones{}.\n",
                m.paid,
                m.dropped,
                refs(&m.dropped_refs),
                m.stalled,
                refs(&m.stalled_refs)
            ));
        }
        doc.push('\n');
    }
}

fn md_bloom(doc: &mut String, r: &PeriodReport, _marks: &Marks) {
    doc.push_str("## Time by Bloom level\n\n");
    let total = r.bloom.total();
    if total == 0 {
        doc.push_str("No study time in this period.\n");
    } else {
        let rows: Vec<Vec<String>> = super::bloom_rows(&r.bloom)
            .into_iter()
            .filter(|(_, m)| *m > 0)
            .map(|(level, minutes)| {
                vec![level.to_string(), format_minutes(minutes), percent(minutes as f64 / total as f64)]
            })
            .collect();
        doc.push_str(&md_table(&["Level", "Time", "Share"], &[false, true, true], &rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_summarised() {
        assert_eq!(verdict_summary(&[]), "-");
        assert_eq!(verdict_summary(&[Verdict::Missed]), "missed");
        assert_eq!(
            verdict_summary(&[Verdict::Kept, Verdict::Missed, Verdict::Kept, Verdict::Behind]),
            "2 kept, 1 missed, 1 behind"
        );
    }

    #[test]
    fn tables_have_a_rule_row() {
        let text = md_table(&["A", "B"], &[false, true], &[vec!["x".into(), "1".into()]]);
        assert_eq!(text, "| A | B |\n|---|---:|\n| x | 1 |\n");
    }
}
