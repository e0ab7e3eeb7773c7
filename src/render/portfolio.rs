//! The portfolio as Markdown (CommonMark/GitHub): every piece of user text
//! is escaped, so a title like `C++ *fast*` or `[x](javascript:…)` prints
//! as itself and never as markup.

use super::markdown::escape;
use crate::domain::parse::format_minutes;
use crate::domain::records::Status;
use crate::report::portfolio::{CredentialEntry, PortfolioReport, ProjectEntry};

/// A link destination: only http(s) and mailto URLs become links (no
/// `javascript:`), inside `<…>` with the characters that would end it
/// percent-encoded.
pub fn link_target(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:");
    // A bare `github.com/me/birds` is taken to be a web address.
    let host = url.split('/').next().unwrap_or_default();
    let bare = !lower.contains(':') && host.contains('.') && !url.contains(char::is_whitespace);
    let url = match (web, bare) {
        (true, _) => url.to_string(),
        (false, true) => format!("https://{url}"),
        (false, false) => return None,
    };
    let mut out = String::with_capacity(url.len() + 2);
    out.push('<');
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('>');
    Some(out)
}

/// `[text](<url>)`, or the escaped text alone when the URL is unfit.
fn link(text: &str, url: Option<&str>) -> String {
    match url.and_then(link_target) {
        Some(target) => format!("[{}]({target})", escape(text)),
        None => escape(text),
    }
}

fn score_text(score: f64) -> String {
    if score.fract() == 0.0 { format!("{score:.0}") } else { format!("{score}") }
}

/// One project: a heading, when, what it is, its skills and courses.
fn project_md(md: &mut String, p: &ProjectEntry) {
    md.push_str(&format!("\n### {}\n\n", link(&p.title, p.url.as_deref())));
    let when = match (p.status, p.shipped_on) {
        (Status::Shipped, Some(day)) => format!("Shipped {day}"),
        (Status::Shipped, None) => "Shipped".to_string(),
        _ => format!("Active since {}", p.started_on),
    };
    let time = if p.minutes > 0 { format!(" · {} logged", format_minutes(p.minutes)) } else { String::new() };
    md.push_str(&format!("{when}{time}\n"));
    if let Some(description) = p.description.as_deref().filter(|d| !d.trim().is_empty()) {
        md.push_str(&format!("\n{}\n", escape(description.trim())));
    }
    let mut facts = Vec::new();
    if !p.skills.is_empty() {
        let skills: Vec<String> = p.skills.iter().map(|s| escape(s)).collect();
        facts.push(format!("- Skills: {}", skills.join(", ")));
    }
    if !p.courses.is_empty() {
        let courses: Vec<String> = p
            .courses
            .iter()
            .map(|c| match &c.platform {
                Some(platform) => format!("{} ({})", escape(&c.title), escape(platform)),
                None => escape(&c.title),
            })
            .collect();
        facts.push(format!("- Applies: {}", courses.join(", ")));
    }
    if let Some(r) = &p.reviews {
        facts.push(format!("- Peer reviews: {} (mean {:.1}/5)", r.count, r.mean_rating));
    }
    if !facts.is_empty() {
        md.push('\n');
        md.push_str(&facts.join("\n"));
        md.push('\n');
    }
}

/// One completed course on a line, with its credential.
fn credential_md(md: &mut String, c: &CredentialEntry) {
    let mut parts = Vec::new();
    if let Some(platform) = &c.platform {
        parts.push(escape(platform));
    }
    if let Some(day) = c.completed_on {
        parts.push(format!("completed {day}"));
    }
    if let Some(score) = c.score {
        parts.push(format!("score {}", score_text(score)));
    }
    if c.minutes > 0 {
        parts.push(format!("{} logged", format_minutes(c.minutes)));
    }
    let mut line = format!("- **{}**", link(&c.title, c.url.as_deref()));
    if !parts.is_empty() {
        line.push_str(&format!(" — {}", parts.join(", ")));
    }
    if let Some(target) = c.credential_url.as_deref().and_then(link_target) {
        line.push_str(&format!(" — [credential]({target})"));
    }
    md.push_str(&line);
    md.push('\n');
}

pub fn markdown(report: &PortfolioReport) -> String {
    let mut md = String::from("# Portfolio\n");

    md.push_str("\n## Projects\n");
    if report.projects.is_empty() {
        md.push_str("\nNo shipped or active projects yet.\n");
    }
    for p in &report.projects {
        project_md(&mut md, p);
    }

    md.push_str("\n## Credentials\n\n");
    if report.credentials.is_empty() {
        md.push_str("No completed courses yet.\n");
    }
    for c in &report.credentials {
        credential_md(&mut md, c);
    }

    md.push_str("\n## Hours\n\n");
    if report.total_minutes == 0 {
        md.push_str("No study time logged yet.\n");
        return md;
    }
    md.push_str("| Course or project | Kind | Status | Time |\n|---|---|---|---:|\n");
    for h in &report.hours {
        md.push_str(&format!("| {} | {} | {} | {} |\n", escape(&h.title), h.kind, h.status, format_minutes(h.minutes)));
    }
    if report.general_minutes > 0 {
        md.push_str(&format!("| General study | | | {} |\n", format_minutes(report.general_minutes)));
    }
    md.push_str(&format!("| **Total** | | | **{}** |\n", format_minutes(report.total_minutes)));
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(link_target("https://x.org/a b").as_deref(), Some("<https://x.org/a%20b>"));
        assert_eq!(link_target("javascript:alert(1)"), None);
        assert_eq!(link_target("github.com/me/birds").as_deref(), Some("<https://github.com/me/birds>"));
        assert_eq!(link_target("my birds"), None);
        assert_eq!(link("Birds", Some("javascript:alert(1)")), "Birds");
        assert_eq!(link("Birds", Some("https://x.org/>")), "[Birds](<https://x.org/%3E>)");
    }
}
