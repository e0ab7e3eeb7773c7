//! Each pledge's verdict history as a grid: one square a day for a daily
//! pledge (7 rows, like the calendar), one bar a week for a weekly one.

use maud::{Markup, html};

use super::{clean, figure, px, svg_sized, table_box};
use crate::domain::pledge::Per;
use crate::report::page::{Cell, CellState, Page, PledgeGrid};

const STEP: f64 = 14.0;
const CELL: f64 = 11.0;
const LEFT: f64 = 30.0;
const TOP: f64 = 6.0;

pub fn section(page: &Page) -> Markup {
    html! {
        section #pledges aria-labelledby="pledges-h" {
            h2 #pledges-h { "Pledges" }
            @if page.pledges.is_empty() {
                p.lead { "No pledge was in force in these weeks." }
            } @else {
                p.lead { "Every period of each pledge over the same weeks as the calendar, and those already committed up to the horizon." }
                div.cards.two {
                    @for (i, grid) in page.pledges.iter().enumerate() { div { (one(page, grid, i)) } }
                }
            }
        }
    }
}

fn counts(grid: &PledgeGrid) -> String {
    let parts: Vec<String> = CellState::ALL
        .into_iter()
        .filter_map(|state| {
            let n = grid.cells.iter().filter(|c| c.state == state).count();
            (n > 0).then(|| format!("{n} {}", state.label()))
        })
        .collect();
    parts.join(", ")
}

fn one(page: &Page, grid: &PledgeGrid, index: usize) -> Markup {
    let id = format!("pledge-{index}");
    let daily = grid.per == Per::Day;
    // Daily: a column a week, a row a weekday, as in the calendar. Weekly:
    // one square a week.
    let (step, cell, left) = if daily { (STEP, CELL, LEFT) } else { (22.0, 18.0, 4.0) };
    let from = page.heatmap.from;
    let week = |c: &Cell| (c.start - from).num_days().div_euclid(7);
    let first_week = grid.cells.first().map(week).unwrap_or(0);
    let col = |c: &Cell| (week(c) - first_week) as f64;
    let columns = grid.cells.last().map(|c| col(c) + 1.0).unwrap_or(1.0);
    let rows_height = if daily { 7.0 * STEP } else { cell };
    let dates_y = TOP + rows_height + 14.0;
    let legend_y = dates_y + 14.0;
    let width = (left + columns * step + 4.0).max(LEFT + 3.0 * 96.0);
    let height = legend_y + 2.0 * 18.0;
    let first = grid.cells.first();
    let last = grid.cells.last();
    let desc = match (first, last) {
        (Some(a), Some(b)) => {
            format!("Periods from {} to {}: {}. The table beside it lists each period.", a.start, b.end, counts(grid))
        }
        _ => "No period yet.".into(),
    };
    let title = format!("Pledge {} on {}: {}", grid.id, grid.target, grid.rate);
    let chart = svg_sized(
        &id,
        &title,
        &desc,
        (width, height),
        true,
        html! {
            @if daily {
                text x=(px(LEFT - 6.0)) y=(px(TOP + 9.0)) text-anchor="end" { (from.format("%a")) }
                text x=(px(LEFT - 6.0)) y=(px(TOP + 6.0 * STEP + 9.0)) text-anchor="end" { ((from + chrono::Duration::days(6)).format("%a")) }
            }
            @for cell_ in &grid.cells {
                @let x = left + col(cell_) * step;
                @let y = if daily { TOP + (cell_.start - from).num_days().rem_euclid(7) as f64 * STEP } else { TOP };
                (shape(cell_.state, x, y, cell, cell, html! { (cell_title(cell_)) }))
            }
            @if let (Some(a), Some(b)) = (first, last) {
                text x=(px(left)) y=(px(dates_y)) { (a.start.format("%-d %b")) }
                @if columns * step > 110.0 {
                    text x=(px(left + columns * step - (step - cell))) y=(px(dates_y)) text-anchor="end" { (b.end.format("%-d %b")) }
                }
            }
            @for (i, state) in CellState::ALL.into_iter().enumerate() {
                @let lx = LEFT + (i % 3) as f64 * 96.0;
                @let ly = legend_y + (i / 3) as f64 * 18.0;
                (shape(state, lx, ly, CELL, CELL, html! {}))
                text x=(px(lx + CELL + 5.0)) y=(px(ly + 9.5)) { (state.label()) }
            }
        },
    );
    let table = table(grid, &title);
    html! {
        h3 { (clean(&grid.target)) " · " (grid.rate) span.ref { "pledge " (grid.id) } }
        @if grid.stake.is_some() || grid.referee.is_some() {
            p.lead {
                @if let Some(stake) = &grid.stake { "Stake: " (clean(stake)) ". " }
                @if let Some(referee) = &grid.referee { "Referee: " (clean(referee)) "." }
            }
        }
        (figure(chart, table))
    }
}

/// A pledge's periods, the latest first.
fn table(grid: &PledgeGrid, title: &str) -> Markup {
    table_box(
        title,
        html! {
            table.pledge-table data-pledge=(grid.id) {
                thead { tr {
                    th scope="col" { "Period" }
                    th scope="col" { "Verdict" }
                    th.n scope="col" { "Done" }
                    th.n scope="col" { "Target" }
                } }
                tbody {
                    @for cell in grid.cells.iter().rev() {
                        tr data-start=(cell.start) data-state=(cell.state.as_str()) {
                            th.date scope="row" { (period(cell)) }
                            td { (cell.state.label()) }
                            td.n { (cell.done.as_deref().unwrap_or("–")) }
                            td.n { (cell.target.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            }
        },
    )
}

fn period(cell: &Cell) -> String {
    if cell.start == cell.end {
        cell.start.to_string()
    } else {
        format!("{} – {}", cell.start, cell.end.format("%m-%d"))
    }
}

fn cell_title(cell: &Cell) -> Markup {
    html! {
        title {
            (period(cell)) ": " (cell.state.label())
            @if let (Some(done), Some(target)) = (&cell.done, &cell.target) { " (" (done) " of " (target) ")" }
        }
    }
}

/// A period's square, marked so the verdict does not rest on colour alone:
/// a cross for missed, a slash for excused, a dashed outline for scheduled.
fn shape(state: CellState, x: f64, y: f64, w: f64, h: f64, title: Markup) -> Markup {
    let class = format!("v-{}", state.as_str());
    let inset = 2.5;
    html! {
        g {
            (title)
            rect class=(class) x=(px(x)) y=(px(y)) width=(px(w)) height=(px(h)) rx="2" {}
            @if state == CellState::Missed {
                path.mark d=(format!("M{} {}L{} {}M{} {}L{} {}", px(x + inset), px(y + inset), px(x + w - inset), px(y + h - inset), px(x + w - inset), px(y + inset), px(x + inset), px(y + h - inset))) {}
            }
            @if state == CellState::Excused {
                path.mark-x d=(format!("M{} {}L{} {}", px(x + inset), px(y + h - inset), px(x + w - inset), px(y + inset))) {}
            }
        }
    }
}
