//! Time by Bloom level.

use maud::{Markup, html};

use super::{figure, px, svg, table_box};
use crate::domain::parse::format_minutes;
use crate::render::{minutes_or_dash, percent};
use crate::report::page::Page;

const W: f64 = 560.0;
const L: f64 = 96.0;
const R: f64 = 64.0;
const ROW: f64 = 26.0;

pub fn section(page: &Page) -> Markup {
    let bloom = &page.report.bloom;
    let levels = crate::render::bloom_rows(bloom);
    let total = bloom.total();
    let most = levels.iter().map(|l| l.1).max().unwrap_or(0).max(1) as f64;
    let inner = W - L - R;
    let share = |m: i64| if total > 0 { m as f64 / total as f64 } else { 0.0 };
    let parts: Vec<String> =
        levels.iter().filter(|l| l.1 > 0).map(|(level, m)| format!("{level} {}", format_minutes(*m))).collect();
    let desc = if parts.is_empty() {
        "No time logged in the period.".to_string()
    } else {
        format!("Minutes by Bloom level: {}.", parts.join(", "))
    };
    let chart = svg(
        "bloom",
        "Time by Bloom level",
        &desc,
        W,
        levels.len() as f64 * ROW + 4.0,
        html! {
            @for (i, (level, m)) in levels.iter().enumerate() {
                @let y = 2.0 + i as f64 * ROW;
                text x=(px(L - 8.0)) y=(px(y + 14.0)) text-anchor="end" { (level) }
                rect.b-track x=(px(L)) y=(px(y + 2.0)) width=(px(inner)) height="16" rx="3" {}
                @if *m > 0 {
                    rect class=(if *level == "unspecified" { "b-general" } else { "b-course" }) x=(px(L)) y=(px(y + 2.0)) width=(px(*m as f64 / most * inner)) height="16" rx="3" {}
                }
                text x=(px(W - R + 6.0)) y=(px(y + 14.0)) { (minutes_or_dash(*m)) }
            }
        },
    );
    let table = table_box(
        "Time by Bloom level",
        html! {
            table #bloom-table {
                thead { tr { th scope="col" { "Level" } th.n scope="col" { "Time" } th.n scope="col" { "Share" } } }
                tbody {
                    @for (level, m) in &levels {
                        tr { th scope="row" { (level) } td.n data-key=(level) data-value=(m) { (minutes_or_dash(*m)) } td.n { (percent(share(*m))) } }
                    }
                }
            }
        },
    );
    html! {
        section #bloom aria-labelledby="bloom-h" {
            h2 #bloom-h { "Time by Bloom level" }
            p.lead { "From remembering to creating: where the period's time went (sessions logged without a level are unspecified)." }
            (figure(chart, table))
        }
    }
}
