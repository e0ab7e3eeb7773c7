//! The mentor's list.

use anyhow::Result;

use crate::domain::mentor::{Suggestion, SuggestionKind};
use crate::output::Out;
use crate::report::next::NextReport;

pub fn next(out: &mut Out, r: &NextReport) -> Result<()> {
    if r.suggestions.is_empty() {
        return out.prose(format!(
            "Nothing to suggest for {}: no pledge behind, no course at risk, no project stalled. Keep going.",
            r.today.format("%a %Y-%m-%d")
        ));
    }
    out.prose(out.bold(&format!("Next, for {}:", r.today.format("%a %Y-%m-%d"))))?;
    let width = r.suggestions.len().to_string().len();
    for s in &r.suggestions {
        out.prose(format!("{:>width$}. {}", s.rank, line(out, s)))?;
    }
    Ok(())
}

/// `40m on ml (pledge 5h/week: 2h20 left, 2 days left)`; the nudges read as
/// the spec words them.
fn line(out: &Out, s: &Suggestion) -> String {
    match s.kind {
        SuggestionKind::Ship => {
            format!("ship something: {} {} {}", s.reason, if out.unicode { "—" } else { "--" }, s.action)
        }
        SuggestionKind::Comeback => format!("welcome back: {} ({})", s.action, s.reason),
        _ => format!("{} ({})", s.action, s.reason),
    }
}
