//! Burn-ups: units done against the road from the start to the deadline,
//! with today and the pledge horizon marked.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::{clean, figure, num, px, svg, table_box};
use crate::report::page::{Burnup, Page};

const W: f64 = 560.0;
const H: f64 = 240.0;
const L: f64 = 36.0;
const R: f64 = 16.0;
const T: f64 = 28.0;
const B: f64 = 36.0;

pub fn section(page: &Page) -> Markup {
    html! {
        section #burnups aria-labelledby="burnups-h" {
            h2 #burnups-h { "Burn-ups" }
            @if page.burnups.is_empty() {
                p.lead { "No course in this period has both a number of units and a deadline." }
            } @else {
                p.lead {
                    "Units done (solid) against the straight road from the start to the deadline (dashed). "
                    "The red line is today; the dotted one is the pledge horizon, "
                    (crate::render::plural(page.horizon_days, "day")) " ahead (" (page.horizon)
                    "): no pledge can be made easier before it."
                }
                @for (i, b) in page.burnups.iter().enumerate() { (one(page, b, i)) }
            }
        }
    }
}

/// A tick step giving about four ticks up to `max`.
fn step(max: i64) -> i64 {
    let rough = (max as f64 / 4.0).ceil().max(1.0) as i64;
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].into_iter().find(|s| *s >= rough).unwrap_or(rough)
}

fn one(page: &Page, b: &Burnup, index: usize) -> Markup {
    let id = format!("burnup-{index}");
    let unit = b.unit_name.as_deref().map(clean).unwrap_or_else(|| "unit".into());
    let last = b.points.last();
    // A deadline before the start (a typo) draws the road as a wall at the start.
    let due = b.deadline.max(b.start);
    let end = due.max(last.map_or(b.start, |p| p.day)).max(b.start + chrono::Duration::days(1));
    let span = (end - b.start).num_days().max(1) as f64;
    let top = b.total.max(b.points.iter().map(|p| p.done).max().unwrap_or(0)).max(1);
    let x = |day: NaiveDate| L + (day - b.start).num_days() as f64 / span * (W - L - R);
    let y = |v: f64| H - B - v / top as f64 * (H - T - B);
    let path: Vec<String> = b.points.iter().map(|p| format!("{},{}", px(x(p.day)), px(y(p.done as f64)))).collect();
    let desc = match last {
        Some(p) => format!(
            "{} of {} {unit}s done by {}, where the road to {} stands at {}. The table beside it gives each week.",
            p.done,
            b.total,
            p.day,
            b.deadline,
            num(p.road, 1)
        ),
        None => format!("Starts {}; nothing to draw yet.", b.start),
    };
    let marker = |day: NaiveDate| (b.start..=end).contains(&day).then(|| x(day));
    let chart = svg(
        &id,
        &format!("Burn-up of {}", b.title),
        &desc,
        W,
        H,
        html! {
            @let s = step(top);
            @for tick in (0..=top).step_by(s as usize) {
                line.gridline x1=(px(L)) x2=(px(W - R)) y1=(px(y(tick as f64))) y2=(px(y(tick as f64))) {}
                text x=(px(L - 6.0)) y=(px(y(tick as f64) + 4.0)) text-anchor="end" { (tick) }
            }
            line.axis x1=(px(L)) x2=(px(W - R)) y1=(px(H - B)) y2=(px(H - B)) {}
            text x=(px(L)) y=(px(H - B + 16.0)) { (b.start.format("%-d %b")) }
            @let (dx, anchor) = if x(due) - L < 160.0 { (x(due).max(L + 60.0), "start") } else { (x(due), "end") };
            text x=(px(dx)) y=(px(H - B + 16.0)) text-anchor=(anchor) { "deadline " (b.deadline.format("%-d %b")) }
            line.gridline x1=(px(L)) x2=(px(W - R)) y1=(px(y(b.total as f64))) y2=(px(y(b.total as f64))) {}
            line.road x1=(px(x(b.start))) y1=(px(y(0.0))) x2=(px(x(due))) y2=(px(y(b.total as f64))) {}
            @if let Some(tx) = marker(page.today) {
                line.today x1=(px(tx)) x2=(px(tx)) y1=(px(T - 6.0)) y2=(px(H - B)) {}
                text.today-l x=(px(tx - 4.0)) y=(px(T - 10.0)) text-anchor="end" { "today" }
            }
            @if let Some(hx) = marker(page.horizon) {
                line.horizon x1=(px(hx)) x2=(px(hx)) y1=(px(T - 6.0)) y2=(px(H - B)) {}
                text.horizon-l x=(px(hx + 4.0)) y=(px(T - 10.0)) { "horizon" }
            }
            @if !path.is_empty() {
                polyline.done points=(path.join(" ")) {}
            }
            @for p in &b.points {
                circle.dot cx=(px(x(p.day))) cy=(px(y(p.done as f64))) r="3" {
                    title { (p.day) ": " (p.done) " done, road " (num(p.road, 1)) }
                }
            }
            @if let Some(p) = last {
                text.strong x=(px(x(p.day) + 6.0)) y=(px(y(p.done as f64) - 6.0)) { (p.done) "/" (b.total) }
            }
        },
    );
    let table = table(b);
    html! {
        h3 { (clean(&b.title)) span.ref { (clean(&b.reference)) " · " (b.total) " " (unit) "s by " (b.deadline) } }
        (figure(chart, table))
    }
}

/// The weekly points, the latest first.
fn table(b: &Burnup) -> Markup {
    table_box(
        &format!("Burn-up of {}", b.title),
        html! {
            table.burnup-table data-ref=(clean(&b.reference)) {
                thead { tr {
                    th scope="col" { "Day" }
                    th.n scope="col" { "Done" }
                    th.n scope="col" { "Road" }
                } }
                tbody {
                    @for p in b.points.iter().rev() {
                        tr {
                            th.date scope="row" { (p.day) }
                            td.n data-key="done" data-value=(p.done) { (p.done) }
                            td.n data-key="road" data-value=(num(p.road, 2)) { (num(p.road, 1)) }
                        }
                    }
                }
            }
        },
    )
}
