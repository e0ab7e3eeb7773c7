//! Learning vs building: minutes on courses vs projects, credentials
//! earned vs projects shipped.

use maud::{Markup, html};

use super::{clean, figure, px, svg, table_box};
use crate::domain::parse::format_minutes;
use crate::render::{minutes_or_dash, percent};
use crate::report::page::Page;

const W: f64 = 560.0;
const L: f64 = 136.0;
const R: f64 = 16.0;

pub fn section(page: &Page) -> Markup {
    let b = &page.report.balance;
    let minutes = [
        ("b-course", "Courses", b.course_minutes),
        ("b-project", "Projects", b.project_minutes),
        ("b-general", "General study", b.general_minutes),
    ];
    let total: i64 = minutes.iter().map(|m| m.2).sum();
    let inner = W - L - R;
    let most = b.credentials.max(b.projects_shipped).max(1) as f64;
    let share = |m: i64| if total > 0 { m as f64 / total as f64 } else { 0.0 };
    let mut segments = Vec::new();
    let mut x = L;
    for (class, label, m) in minutes {
        let w = share(m) * inner;
        segments.push((class, label, m, x, w));
        x += w;
    }
    let desc = format!(
        "{} on courses, {} on projects and {} of general study ({} learning); {} credentials earned and {} projects shipped in the period.",
        format_minutes(b.course_minutes),
        format_minutes(b.project_minutes),
        format_minutes(b.general_minutes),
        percent(share(b.course_minutes)),
        b.credentials,
        b.projects_shipped
    );
    let chart = svg(
        "balance",
        "Learning vs building",
        &desc,
        W,
        170.0,
        html! {
            text.strong x="0" y="16" { "Time" }
            rect.b-track x=(px(L)) y="4" width=(px(inner)) height="18" rx="3" {}
            @for (class, label, m, x, w) in &segments {
                @if *w > 0.0 {
                    rect class=(class) x=(px(*x)) y="4" width=(px(*w)) height="18" { title { (label) ": " (format_minutes(*m)) } }
                }
            }
            @for (i, (class, label, m)) in minutes.into_iter().enumerate() {
                @let lx = L + i as f64 * 136.0;
                rect class=(class) x=(px(lx)) y="32" width="10" height="10" rx="2" {}
                text x=(px(lx + 15.0)) y="41" { (label) " " (minutes_or_dash(m)) }
            }
            @for (i, (class, label, n)) in [("b-course", "Credentials earned", b.credentials), ("b-project", "Projects shipped", b.projects_shipped)].into_iter().enumerate() {
                @let y = 78.0 + i as f64 * 40.0;
                text.strong x="0" y=(px(y + 13.0)) { (label) }
                rect.b-track x=(px(L)) y=(px(y)) width=(px(inner)) height="18" rx="3" {}
                @if n > 0 {
                    rect class=(class) x=(px(L)) y=(px(y)) width=(px(n as f64 / most * inner)) height="18" rx="3" {}
                }
                text x=(px(L)) y=(px(y + 32.0)) { (n) }
            }
        },
    );
    let table = table(page);
    let earned: Vec<String> = b.credential_refs.iter().chain(&b.shipped_refs).cloned().collect();
    html! {
        section #balance aria-labelledby="balance-h" {
            h2 #balance-h { "Learning vs building" }
            p.lead { "Time on courses against time on projects, and what each produced in the period." }
            (figure(chart, table))
            @if !earned.is_empty() {
                p { "Finished in the period: "
                    @for (i, reference) in earned.iter().enumerate() {
                        @if i > 0 { ", " }
                        @match page.links.get(reference).and_then(|u| super::link_target(u)) {
                            Some(url) => a href=(url) rel="noopener noreferrer" { (clean(reference)) },
                            None => (clean(reference)),
                        }
                    }
                    "."
                }
            }
        }
    }
}

/// The figures behind the chart, as a table.
fn table(page: &Page) -> Markup {
    let b = &page.report.balance;
    let rows: [(&str, &str, i64, String); 5] = [
        ("course_minutes", "Minutes on courses", b.course_minutes, minutes_or_dash(b.course_minutes)),
        ("project_minutes", "Minutes on projects", b.project_minutes, minutes_or_dash(b.project_minutes)),
        ("general_minutes", "General study", b.general_minutes, minutes_or_dash(b.general_minutes)),
        ("credentials", "Credentials earned", b.credentials, b.credentials.to_string()),
        ("projects_shipped", "Projects shipped", b.projects_shipped, b.projects_shipped.to_string()),
    ];
    table_box(
        "Learning vs building",
        html! {
            table #balance-table {
                thead { tr { th scope="col" { "What" } th.n scope="col" { "Amount" } } }
                tbody {
                    @for (key, label, value, shown) in &rows {
                        tr { th scope="row" { (label) } td.n data-key=(key) data-value=(value) { (shown) } }
                    }
                }
            }
        },
    )
}
