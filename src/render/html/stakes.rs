//! Stakes owed and settled.

use maud::{Markup, html};

use super::{clean, px, stacked, svg, table_box};
use crate::report::page::Page;

const W: f64 = 560.0;
const L: f64 = 70.0;
const R: f64 = 40.0;

pub fn section(page: &Page) -> Markup {
    let s = &page.report.stakes;
    let owed = s.owed.len() as i64;
    let settled = s.settled.len() as i64;
    let most = owed.max(settled).max(1) as f64;
    let inner = W - L - R;
    let desc = format!("{owed} stakes owed and {settled} settled. The table beside it lists each one.");
    let chart = svg(
        "stakes",
        "Stakes owed and settled",
        &desc,
        W,
        64.0,
        html! {
            @for (i, (label, n, class)) in [("Owed", owed, "v-missed"), ("Settled", settled, "v-kept")].into_iter().enumerate() {
                @let y = 4.0 + i as f64 * 30.0;
                text.strong x=(px(L - 8.0)) y=(px(y + 14.0)) text-anchor="end" { (label) }
                rect.b-track x=(px(L)) y=(px(y + 2.0)) width=(px(inner)) height="16" rx="3" {}
                @if n > 0 {
                    rect class=(class) x=(px(L)) y=(px(y + 2.0)) width=(px(n as f64 / most * inner)) height="16" rx="3" {}
                }
                text x=(px(W - R + 6.0)) y=(px(y + 14.0)) { (n) }
            }
        },
    );
    let table = table_box(
        "Stakes owed and settled",
        html! {
            table #stakes-table {
                thead { tr {
                    th.n scope="col" { "Debt" }
                    th scope="col" { "Pledge" }
                    th scope="col" { "Period" }
                    th scope="col" { "Stake" }
                    th scope="col" { "Status" }
                } }
                tbody {
                    @if s.owed.is_empty() && s.settled.is_empty() {
                        tr { td.none colspan="5" { "No stake owed or settled." } }
                    }
                    @for d in &s.owed {
                        tr data-debt=(d.id) data-state="owed" {
                            th.n scope="row" { (d.id) }
                            td { (clean(&d.target)) " (" (d.pledge_id) ")" }
                            td.date { (d.period_start) " – " (d.period_end) }
                            td { (clean(&d.stake)) }
                            td { "owed" }
                        }
                    }
                    @for d in &s.settled {
                        tr data-debt=(d.stake.id) data-state="settled" {
                            th.n scope="row" { (d.stake.id) }
                            td { (clean(&d.stake.target)) " (" (d.stake.pledge_id) ")" }
                            td.date { (d.stake.period_start) " – " (d.stake.period_end) }
                            td { (clean(&d.stake.stake)) }
                            td { "settled " (d.settled_on) @if let Some(note) = &d.note { ": " (clean(note)) } }
                        }
                    }
                }
            }
        },
    );
    html! {
        section #stakes aria-labelledby="stakes-h" {
            h2 #stakes-h { "Stakes" }
            p.lead { "What missed periods of staked pledges cost, and what has been paid (" code { "learnlog settle" } ")." }
            (stacked(chart, table))
        }
    }
}
