//! The heatmap: 7 rows × 26 weeks of study minutes, five shades.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use maud::{Markup, html};

use super::{px, stacked, svg, table_box};
use crate::domain::parse::format_minutes;
use crate::render::minutes_or_dash;
use crate::report::heatmap::HeatDay;
use crate::report::page::Page;

const STEP: f64 = 14.0;
const CELL: f64 = 11.0;
const LEFT: f64 = 30.0;
const TOP: f64 = 18.0;

/// The weekdays in the calendar's order.
fn weekdays(first: Weekday) -> [Weekday; 7] {
    let mut days = [first; 7];
    for i in 1..7 {
        days[i] = days[i - 1].succ();
    }
    days
}

fn short(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// The days in weeks: each week's first day, and its days in order.
fn weeks(days: &[HeatDay], from: NaiveDate) -> Vec<(NaiveDate, Vec<&HeatDay>)> {
    let mut weeks: Vec<(NaiveDate, Vec<&HeatDay>)> = Vec::new();
    for day in days {
        let index = (day.date - from).num_days().div_euclid(7);
        let start = from + Duration::weeks(index);
        match weeks.last_mut() {
            Some((s, list)) if *s == start => list.push(day),
            _ => weeks.push((start, vec![day])),
        }
    }
    weeks
}

pub fn section(page: &Page) -> Markup {
    let h = &page.heatmap;
    let weeks = weeks(&h.days, h.from);
    let order = weekdays(h.week_starts);
    let columns = weeks.len().max(1) as f64;
    let width = LEFT + columns * STEP + 4.0;
    let height = TOP + 7.0 * STEP + 26.0;
    let shades = match h.thresholds.as_slice() {
        [a, b, c, d] => format!(
            " Shades from light to dark start at {}, {}, {} and {}.",
            format_minutes(*a),
            format_minutes(*b),
            format_minutes(*c),
            format_minutes(*d)
        ),
        _ => String::new(),
    };
    let desc = format!(
        "Study minutes per day from {} to {}: {} on {} days.{shades} The table beside it gives every day's minutes.",
        h.from,
        h.to,
        format_minutes(h.total_minutes),
        h.studied_days
    );
    let legend_x = width - 4.0 - 5.0 * STEP - 32.0;
    let legend_y = TOP + 7.0 * STEP + 10.0;
    let chart = svg(
        "heatmap",
        "Study minutes per day, last 26 weeks",
        &desc,
        width,
        height,
        html! {
            @for (row, day) in order.iter().enumerate() {
                @if row % 2 == 0 {
                    text x=(px(LEFT - 6.0)) y=(px(TOP + row as f64 * STEP + 9.0)) text-anchor="end" { (short(*day)) }
                }
            }
            @for (col, (start, days)) in weeks.iter().enumerate() {
                @let x = LEFT + col as f64 * STEP;
                @if month_label(&weeks, col) {
                    text x=(px(x)) y=(px(TOP - 6.0)) { (start.format("%b")) }
                }
                @for day in days {
                    @let row = (day.date - *start).num_days() as f64;
                    rect class=(format!("h{}", day.level)) x=(px(x)) y=(px(TOP + row * STEP)) width=(px(CELL)) height=(px(CELL)) rx="2" {
                        title { (day.date) ": " (minutes_or_dash(day.minutes)) }
                    }
                }
            }
            text x=(px(legend_x - 4.0)) y=(px(legend_y + 9.0)) text-anchor="end" { "Less" }
            @for level in 0..5u8 {
                rect class=(format!("h{level}")) x=(px(legend_x + f64::from(level) * STEP)) y=(px(legend_y)) width=(px(CELL)) height=(px(CELL)) rx="2" {}
            }
            text x=(px(legend_x + 5.0 * STEP + 2.0)) y=(px(legend_y + 9.0)) { "More" }
        },
    );
    let table = table(&weeks, order);
    html! {
        section #heatmap aria-labelledby="heatmap-h" {
            h2 #heatmap-h { "Study calendar" }
            p.lead { "The 26 weeks up to the period's end, one square a day; darker is more time." }
            (stacked(chart, table))
        }
    }
}

/// Every day's minutes, a row a week, the latest first.
fn table(weeks: &[(NaiveDate, Vec<&HeatDay>)], order: [Weekday; 7]) -> Markup {
    table_box(
        "Minutes per day",
        html! {
            table #heatmap-table {
                thead { tr {
                    th scope="col" { "Week of" }
                    @for day in order { th.n scope="col" { (short(day)) } }
                    th.n scope="col" { "Total" }
                } }
                tbody {
                    @for (start, days) in weeks.iter().rev() {
                        tr {
                            th.date scope="row" { (start) }
                            @for offset in 0..7 {
                                @let date = *start + Duration::days(offset);
                                @match days.iter().find(|d| d.date == date) {
                                    Some(day) => td.n data-date=(day.date) data-value=(day.minutes) { (minutes_or_dash(day.minutes)) },
                                    None => td.n { "" },
                                }
                            }
                            td.n { (minutes_or_dash(days.iter().map(|d| d.minutes).sum())) }
                        }
                    }
                }
            }
        },
    )
}

/// A month's name over the first column whose week starts in it (not over
/// the very first column when the next month follows within two weeks).
fn month_label(weeks: &[(NaiveDate, Vec<&HeatDay>)], col: usize) -> bool {
    let month = |i: usize| weeks.get(i).map(|(start, _)| (start.year(), start.month()));
    if col == 0 {
        return month(1) == month(0) && month(2) == month(0);
    }
    month(col) != month(col - 1)
}
