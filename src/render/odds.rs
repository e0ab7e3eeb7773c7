//! Completion odds: one row per course, and the factor lines of `--explain`.

use anyhow::Result;

use super::{percent, plural};
use crate::output::Out;
use crate::report::odds::CourseOdds;

pub fn table(out: &mut Out, odds: &[CourseOdds], explain: bool) -> Result<()> {
    if odds.is_empty() {
        return out.prose("No active courses. `learnlog add course TITLE` adds one.");
    }
    let mut table = out.table(&["course", "odds", "progress", "buffer", "units/wk needed", "units/wk pace"]);
    table.keep(&[1, 2]).cut_reference(&[0]);
    for o in odds {
        let odds_text = if o.probability < 0.10 { out.warn(&percent(o.probability)) } else { percent(o.probability) };
        table.add_row(vec![
            o.reference.clone(),
            odds_text,
            match o.units_total {
                Some(total) => format!("{}/{total}", o.units_done),
                None => "-".into(),
            },
            o.buffer_days.map(|b| plural(b, "day")).unwrap_or_else(|| "-".into()),
            o.units_per_week_needed.map(|n| format!("{n:.1}")).unwrap_or_else(|| "-".into()),
            o.units_per_week_pace.map(|n| format!("{n:.1}")).unwrap_or_else(|| "-".into()),
        ]);
    }
    out.print_table(&table)?;
    if explain {
        for o in odds {
            out.prose("")?;
            out.prose(out.bold(&format!("{} — {}", o.reference, percent(o.probability))))?;
            for factor in &o.factors {
                out.prose(format!(
                    "  {:>6}  {:<10}  {}",
                    percent(factor.value),
                    format!("{:?}", factor.kind).to_lowercase(),
                    factor.label
                ))?;
            }
        }
        out.prose("")?;
        out.prose(out.dim(
            "Priors: Reich & Ruipérez-Valiente 2019; decay and progress: Ho et al. 2014. See ODDS in the README.",
        ))?;
    }
    Ok(())
}
