//! `report --format html`: the period report as one self-contained page.
//!
//! Templates are maud's: every interpolated value is HTML-escaped unless it
//! is explicitly marked safe, which only the fixed stylesheet is. User text
//! goes through [`clean`] as well (control characters have no place in an
//! HTML document), and a stored URL becomes a link only when it is http(s).
//! No script, no font, no request: the Content-Security-Policy says so.
//! Floats are printed with fixed precision, so the page is byte-identical
//! for the same records and clock.

mod balance;
mod bloom;
mod burnup;
mod heatmap;
mod odds;
mod pledges;
mod stakes;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{minutes_or_dash, percent, plural};
use crate::domain::parse::format_minutes;
use crate::report::page::Page;
use crate::report::period::ItemLine;

/// The page's policy: nothing but its own inline styles and data: images.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The page's head: charset, the Content-Security-Policy that forbids every
/// request, the viewport, both colour schemes, the title and the stylesheet.
pub(crate) fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(CSP);
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light dark";
            meta name="generator" content="learnlog";
            title { (title) }
            style { (PreEscaped(STYLE)) }
        }
    }
}

/// The whole page.
pub fn page(page: &Page) -> String {
    let r = &page.report;
    let title = format!("learnlog report, {} to {}", r.period.from, r.period.to);
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&title))
            body {
                main {
                    header {
                        p.kicker { "learnlog · " (period_name(&r.period.label)) }
                        h1 { (r.period.from.format("%-d %B %Y")) " – " (r.period.to.format("%-d %B %Y")) }
                        p.sub {
                            "As of " time datetime=(r.period.as_of) { (r.period.as_of.format("%A %-d %B %Y")) }
                            ". Made from the local record; this file asks nothing of any server."
                        }
                    }
                    (totals(page))
                    (heatmap::section(page))
                    (items(page))
                    (burnup::section(page))
                    (odds::section(page))
                    (pledges::section(page))
                    (balance::section(page))
                    (bloom::section(page))
                    (stakes::section(page))
                    (money(page))
                    footer { p { "learnlog report --format html" } }
                }
            }
        }
    };
    let mut text = markup.into_string();
    text.push('\n');
    text
}

/// How the period is named in the page's header.
fn period_name(label: &str) -> &'static str {
    match label {
        "week" => "this week",
        "last_week" => "last week",
        "month" => "this month",
        "last_month" => "last month",
        "year" => "this year",
        _ => "a chosen period",
    }
}

fn totals(page: &Page) -> Markup {
    let t = &page.report.totals;
    let stats: [(&str, &str, String, String); 10] = [
        ("minutes", "Time studied", format_minutes(t.minutes), t.minutes.to_string()),
        ("sessions", "Sessions", t.sessions.to_string(), t.sessions.to_string()),
        ("study_days", "Study days", format!("{} of {}", t.study_days, t.days), t.study_days.to_string()),
        ("consistency", "Consistency", percent(t.consistency), num(t.consistency, 4)),
        ("units", "Units done", t.units.to_string(), t.units.to_string()),
        ("daily_streak", "Daily streak", plural(t.daily_streak, "day"), t.daily_streak.to_string()),
        ("weekly_streak", "Weekly streak", plural(t.weekly_streak, "week"), t.weekly_streak.to_string()),
        ("pledges_kept", "Pledge periods kept", t.pledges_kept.to_string(), t.pledges_kept.to_string()),
        ("pledges_missed", "Pledge periods missed", t.pledges_missed.to_string(), t.pledges_missed.to_string()),
        ("stakes_owed", "Stakes owed", t.stakes_owed.to_string(), t.stakes_owed.to_string()),
    ];
    html! {
        section #totals aria-labelledby="totals-h" {
            h2 #totals-h { "Totals" }
            dl.stats {
                @for (key, label, shown, value) in &stats {
                    div.stat data-key=(key) data-value=(value) {
                        dt { (label) }
                        dd { (shown) }
                    }
                }
            }
        }
    }
}

fn items(page: &Page) -> Markup {
    let r = &page.report;
    html! {
        section #items aria-labelledby="items-h" {
            h2 #items-h { "Courses and projects" }
            @if r.items.is_empty() {
                p.lead { "Nothing was live or logged in this period." }
            } @else {
                p.lead { "Everything live during the period or logged in it; courses first." }
                (table_box("Courses and projects", html! {
                    table #items-table {
                        thead { tr {
                            th scope="col" { "Course or project" }
                            th scope="col" { "Status" }
                            th.n scope="col" { "Time" }
                            th.n scope="col" { "Sessions" }
                            th.n scope="col" { "Units" }
                            th.n scope="col" { "Progress" }
                            th.n scope="col" { "Odds" }
                        } }
                        tbody {
                            @for item in &r.items { (item_row(page, item)) }
                        }
                    }
                }))
            }
        }
    }
}

fn item_row(page: &Page, item: &ItemLine) -> Markup {
    let link = page.links.get(&item.reference).and_then(|u| link_target(u));
    let odds = match (item.odds_start, item.odds_end) {
        (Some(a), Some(b)) => format!("{} → {}", percent(a), percent(b)),
        (None, Some(b)) => percent(b),
        _ => "–".into(),
    };
    let progress = match (item.units_total, item.progress) {
        (Some(total), Some(p)) => format!("{}/{total} ({})", item.units_done, percent(p)),
        (Some(total), None) => format!("{}/{total}", item.units_done),
        (None, _) if item.units_done != 0 => item.units_done.to_string(),
        (None, _) => "–".into(),
    };
    html! {
        tr data-ref=(clean(&item.reference)) {
            th scope="row" {
                @match &link {
                    Some(url) => a href=(url) rel="noopener noreferrer" { (clean(&item.title)) },
                    None => (clean(&item.title)),
                }
                br;
                span.ref { (item.kind.as_str()) " " (clean(&item.reference)) }
            }
            td { (clean(item.status.as_str())) }
            td.n data-key="minutes" data-value=(item.minutes) { (minutes_or_dash(item.minutes)) }
            td.n data-key="sessions" data-value=(item.sessions) { (item.sessions) }
            td.n data-key="units" data-value=(item.units) { (item.units) }
            td.n { (progress) }
            td.n { (odds) }
        }
    }
}

fn money(page: &Page) -> Markup {
    let r = &page.report;
    html! {
        section #money aria-labelledby="money-h" {
            h2 #money-h { "Money paid for courses" }
            @if r.money.is_empty() {
                p.lead { "No priced course enrolled by the end of the period." }
            } @else {
                p.lead { "Paid for the courses enrolled in by the period's end, and how much of it went to courses dropped or silent for two weeks." }
                (table_box("Money paid for courses", html! {
                    table #money-table {
                        thead { tr {
                            th scope="col" { "Currency" }
                            th.n scope="col" { "Paid" }
                            th.n scope="col" { "Dropped" }
                            th.n scope="col" { "Stalled" }
                            th scope="col" { "Which" }
                        } }
                        tbody {
                            @for line in &r.money {
                                tr {
                                    th scope="row" { (clean(&line.currency)) }
                                    td.n data-key="paid" data-value=(line.paid.minor) { (clean(&line.paid.to_string())) }
                                    td.n data-key="dropped" data-value=(line.dropped.minor) { (clean(&line.dropped.to_string())) }
                                    td.n data-key="stalled" data-value=(line.stalled.minor) { (clean(&line.stalled.to_string())) }
                                    td { (clean(&which(&line.dropped_refs, &line.stalled_refs))) }
                                }
                            }
                        }
                    }
                }))
            }
        }
    }
}

fn which(dropped: &[String], stalled: &[String]) -> String {
    let mut parts = Vec::new();
    if !dropped.is_empty() {
        parts.push(format!("dropped: {}", dropped.join(", ")));
    }
    if !stalled.is_empty() {
        parts.push(format!("stalled: {}", stalled.join(", ")));
    }
    if parts.is_empty() { "–".into() } else { parts.join("; ") }
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// User text fit for an HTML document: control characters (which HTML does
/// not allow, and which could hide text) become U+FFFD; tabs and newlines
/// stay. Escaping is maud's, on output.
pub fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{FFFD}' } else { c }).collect()
}

/// The URL when it may be a link: `http://` or `https://` only, with no
/// space or control character. Anything else (`javascript:`, `data:`, a
/// relative path) is shown as text, never followed.
pub fn link_target(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let plain = !url.chars().any(|c| c.is_control() || c.is_whitespace());
    (web && plain && url.len() > "https://".len()).then(|| url.to_string())
}

/// A number with fixed decimals, never `-0`.
pub fn num(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
        text[1..].to_string()
    } else {
        text
    }
}

/// A coordinate: one decimal.
pub fn px(value: f64) -> String {
    num(value, 1)
}

/// An accessible chart: `<svg role="img">` with its title and description,
/// as wide as its column.
pub fn svg(id: &str, title: &str, desc: &str, width: f64, height: f64, body: Markup) -> Markup {
    svg_sized(id, title, desc, (width, height), false, body)
}

/// How much larger than its own units a `natural` chart is drawn.
const NATURAL: f64 = 1.35;

/// Like [`svg`], drawn at its own size (`natural`) unless the column is
/// narrower: for small grids that would look bloated stretched.
pub fn svg_sized(id: &str, title: &str, desc: &str, size: (f64, f64), natural: bool, body: Markup) -> Markup {
    let (width, height) = size;
    html! {
        svg role="img" viewBox=(format!("0 0 {} {}", px(width), px(height)))
            class=[natural.then_some("fixed")] width=[natural.then(|| px(width * NATURAL))]
            height=[natural.then(|| px(height * NATURAL))]
            aria-labelledby=(format!("{id}-title {id}-desc")) preserveAspectRatio="xMinYMin meet" {
            title #(format!("{id}-title")) { (clean(title)) }
            desc #(format!("{id}-desc")) { (clean(desc)) }
            (body)
        }
    }
}

/// A chart with its numbers beside it (below it on a narrow screen).
pub fn figure(chart: Markup, table: Markup) -> Markup {
    html! {
        div.chart {
            div.plot { (chart) }
            (table)
        }
    }
}

/// A chart with its table under it, whatever the screen (for tables too
/// wide to stand beside a chart).
pub fn stacked(chart: Markup, table: Markup) -> Markup {
    html! {
        div.chart.stack {
            div.plot { (chart) }
            (table)
        }
    }
}

/// A table in a box of its own that scrolls (and takes the keyboard focus
/// to do so) rather than widening the page.
pub fn table_box(label: &str, table: Markup) -> Markup {
    html! {
        div.box role="region" aria-label=(clean(label)) tabindex="0" { (table) }
    }
}

const STYLE: &str = include_str!("style.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(clean("a\u{7}b\u{1b}[31mc\u{9b}d\td\ne\u{7f}"), "a\u{FFFD}b\u{FFFD}[31mc\u{FFFD}d\td\ne\u{FFFD}");
        assert_eq!(clean("<b>&\"'</b> ünï"), "<b>&\"'</b> ünï", "escaping is maud's, on output");
    }

    #[test]
    fn only_web_urls_are_links() {
        assert_eq!(link_target("https://example.org/a?b=1&c=2").as_deref(), Some("https://example.org/a?b=1&c=2"));
        assert_eq!(link_target("HTTP://EXAMPLE.ORG").as_deref(), Some("HTTP://EXAMPLE.ORG"));
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//example.org",
            "example.org",
            "https://",
            "https://exa mple.org",
            "https://example.org/\n",
            "java\u{0}script:alert(1)",
        ] {
            assert_eq!(link_target(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn numbers_have_fixed_decimals_and_no_negative_zero() {
        assert_eq!(num(1.0 / 3.0, 1), "0.3");
        assert_eq!(num(-0.04, 1), "0.0");
        assert_eq!(num(-0.0, 0), "0");
        assert_eq!(num(-1.25, 1), "-1.2");
        assert_eq!(px(12.0), "12.0");
    }

    #[test]
    fn an_attribute_cannot_be_broken_out_of() {
        let markup = svg("x", "a\" onload=\"alert(1)", "<desc>", 10.0, 10.0, html! {});
        let text = markup.into_string();
        assert!(text.contains("<title id=\"x-title\">a&quot; onload=&quot;alert(1)</title>"), "{text}");
        assert!(text.contains("<desc id=\"x-desc\">&lt;desc&gt;</desc>"), "{text}");
    }
}
