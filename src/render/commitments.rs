//! Pledges and debts.

use anyhow::Result;

use crate::output::Out;
use crate::report::pledges::{DebtView, PledgeView};

pub fn pledge_table(out: &mut Out, pledges: &[PledgeView]) -> Result<()> {
    if pledges.is_empty() {
        return out.line("No pledges. `learnlog pledge REF 5h/week` makes one.");
    }
    let mut table = out.table(&["#", "target", "rate", "this period", "verdict", "stake", "referee", "from"]);
    table.keep(&[0, 7]).cut_reference(&[1]).cut_text(&[5, 6]).droppable(&[6, 7]);
    for p in pledges {
        let (progress, verdict) = match &p.current {
            Some(c) => (
                format!("{}/{}", c.rate.format_amount(c.done), c.rate.format_amount(c.target)),
                verdict_text(out, c.verdict, c.needed, &c.rate, c.days_left, c.start),
            ),
            None => ("-".into(), p.status.as_str().to_string()),
        };
        let rate = match &p.pending {
            Some(change) => format!(
                "{} (→ {} from {})",
                p.rate.map_or("-".to_string(), |r| r.to_string()),
                change.rate.map_or("end".to_string(), |r| r.to_string()),
                change.effective_from
            ),
            None => p.rate.map_or("-".to_string(), |r| r.to_string()),
        };
        table.add_row(vec![
            p.id.to_string(),
            p.target.clone(),
            rate,
            progress,
            verdict,
            p.stake.clone().unwrap_or_else(|| "-".into()),
            p.referee.clone().unwrap_or_else(|| "-".into()),
            p.from.to_string(),
        ]);
    }
    out.print_table(&table)
}

/// `on track`, `behind: 1h50 left, 3 days left`, `kept`, `missed`,
/// `scheduled from 2026-11-30`.
pub fn verdict_text(
    out: &Out,
    verdict: crate::domain::pledge::Verdict,
    needed: i64,
    rate: &crate::domain::pledge::Rate,
    days_left: i64,
    start: chrono::NaiveDate,
) -> String {
    use crate::domain::pledge::Verdict;
    match verdict {
        Verdict::Kept => out.good("kept"),
        Verdict::OnTrack => out.good("on track"),
        Verdict::Missed => out.warn("missed"),
        Verdict::Scheduled => format!("scheduled from {start}"),
        Verdict::Behind => {
            out.warn(&format!("behind: {} to go, {} left", rate.format_amount(needed), super::plural(days_left, "day")))
        }
    }
}

pub fn debt_table(out: &mut Out, debts: &[DebtView]) -> Result<()> {
    if debts.is_empty() {
        return out.line("No stakes owed.");
    }
    let mut table = out.table(&["#", "pledge", "target", "period", "stake", "settled"]);
    table.keep(&[0, 1]).cut_reference(&[2]).cut_text(&[4]);
    for d in debts {
        table.add_row(vec![
            d.id.to_string(),
            d.pledge_id.to_string(),
            d.target.clone(),
            format!("{}..{}", d.period_start, d.period_end),
            d.stake.clone(),
            match (&d.settled_on, &d.note) {
                (Some(on), Some(note)) => format!("{on} ({note})"),
                (Some(on), None) => on.to_string(),
                _ => out.warn("owed"),
            } + &d.confirmation.as_ref().map(|c| format!("; {}", c.text())).unwrap_or_default(),
        ]);
    }
    out.print_table(&table)
}
