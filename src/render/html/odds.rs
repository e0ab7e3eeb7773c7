//! Each active course's completion odds as of each week's end.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::{clean, figure, num, px, svg, table_box};
use crate::render::percent;
use crate::report::page::{OddsTrack, Page};

const W: f64 = 560.0;
const H: f64 = 190.0;
const L: f64 = 40.0;
const R: f64 = 48.0;
const T: f64 = 14.0;
const B: f64 = 30.0;

pub fn section(page: &Page) -> Markup {
    html! {
        section #odds aria-labelledby="odds-h" {
            h2 #odds-h { "Completion odds over time" }
            @if page.odds.is_empty() {
                p.lead { "No active course in this period." }
            } @else {
                p.lead { "The odds of finishing each active course, as the model saw them at the end of each week (the same model as " code { "learnlog odds" } ")." }
                @for (i, track) in page.odds.iter().enumerate() { (one(track, i)) }
            }
        }
    }
}

fn one(track: &OddsTrack, index: usize) -> Markup {
    let id = format!("odds-{index}");
    let first = track.points.first().map(|p| p.0);
    let last = track.points.last();
    let span = match (first, last) {
        (Some(a), Some((b, _))) => (*b - a).num_days().max(1) as f64,
        _ => 1.0,
    };
    let x = |day: NaiveDate| match first {
        Some(a) if track.points.len() > 1 => L + (day - a).num_days() as f64 / span * (W - L - R),
        _ => (L + W - R) / 2.0,
    };
    let y = |p: f64| H - B - p.clamp(0.0, 1.0) * (H - T - B);
    let path: Vec<String> = track.points.iter().map(|(d, p)| format!("{},{}", px(x(*d)), px(y(*p)))).collect();
    let desc = match (first, last) {
        (Some(a), Some((b, p))) => format!(
            "{} weekly readings from {a} to {b}; {} at first, {} on {b}. The table beside it gives each reading.",
            track.points.len(),
            percent(track.points.first().map_or(0.0, |p| p.1)),
            percent(*p)
        ),
        _ => "No reading yet.".into(),
    };
    let chart = svg(
        &id,
        &format!("Completion odds of {} over time", track.title),
        &desc,
        W,
        H,
        html! {
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.gridline x1=(px(L)) x2=(px(W - R)) y1=(px(y(tick))) y2=(px(y(tick))) {}
                text x=(px(L - 6.0)) y=(px(y(tick) + 4.0)) text-anchor="end" { (num(tick * 100.0, 0)) "%" }
            }
            @if let (Some(a), Some((b, _))) = (first, last) {
                text x=(px(x(a))) y=(px(H - B + 16.0)) { (a.format("%-d %b")) }
                @if track.points.len() > 1 {
                    text x=(px(x(*b))) y=(px(H - B + 16.0)) text-anchor="end" { (b.format("%-d %b")) }
                }
            }
            @if path.len() > 1 {
                polyline.done points=(path.join(" ")) {}
            }
            @for (d, p) in &track.points {
                circle.dot cx=(px(x(*d))) cy=(px(y(*p))) r="2.5" { title { (d) ": " (percent(*p)) } }
            }
            @if let Some((d, p)) = last {
                text.strong x=(px(x(*d) + 6.0)) y=(px(y(*p) + 4.0)) { (percent(*p)) }
            }
        },
    );
    let table = table_box(
        &format!("Completion odds of {}", track.title),
        html! {
            table.odds-table data-ref=(clean(&track.reference)) {
                thead { tr {
                    th scope="col" { "As of" }
                    th.n scope="col" { "Odds" }
                } }
                tbody {
                    @for (d, p) in track.points.iter().rev() {
                        tr {
                            th.date scope="row" { (d) }
                            td.n data-value=(num(*p, 6)) { (percent(*p)) }
                        }
                    }
                }
            }
        },
    );
    html! {
        h3 { (clean(&track.title)) span.ref { (clean(&track.reference)) } }
        (figure(chart, table))
    }
}
