//! `portfolio --format json-resume`: a JSON Resume document
//! (<https://jsonresume.org>, schema v1.0.0, the current published one):
//! completed courses as `certificates`, shipped and active projects as
//! `projects`, and the skills those projects show as `skills`. It has no
//! `basics` (learnlog does not know your name): merge its sections into
//! your own resume.json.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::report::portfolio::PortfolioReport;

/// The schema the document names in `$schema`.
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";
pub const SCHEMA_VERSION: &str = "v1.0.0";

#[derive(Debug, Clone, Serialize)]
pub struct Resume {
    #[serde(rename = "$schema")]
    pub schema: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    pub meta: Meta,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    pub start_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skill {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub version: String,
    pub last_modified: String,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The resume for a portfolio, stamped `now`.
pub fn resume(report: &PortfolioReport, now: DateTime<Utc>) -> Resume {
    let certificates = report
        .credentials
        .iter()
        .map(|c| Certificate {
            name: c.title.clone(),
            date: c.completed_on.map(date),
            issuer: c.platform.clone(),
            url: c.credential_url.as_deref().and_then(uri),
        })
        .collect();
    let projects = report
        .projects
        .iter()
        .map(|p| Project {
            name: p.title.clone(),
            description: p.description.clone(),
            highlights: p
                .courses
                .iter()
                .map(|c| match &c.platform {
                    Some(platform) => format!("Applies {} ({platform})", c.title),
                    None => format!("Applies {}", c.title),
                })
                .chain(p.reviews.iter().map(|r| format!("Peer reviews: {} (mean {:.1}/5)", r.count, r.mean_rating)))
                .collect(),
            keywords: p.skills.clone(),
            start_date: date(p.started_on),
            end_date: p.shipped_on.map(date),
            url: p.url.as_deref().and_then(uri),
        })
        .collect();
    Resume {
        schema: SCHEMA_URL.to_string(),
        certificates,
        projects,
        skills: report.skills.iter().map(|s| Skill { name: s.name.clone() }).collect(),
        meta: Meta { version: SCHEMA_VERSION.to_string(), last_modified: now.format("%Y-%m-%dT%H:%M:%S").to_string() },
    }
}

/// A URL as an RFC 3986 URI (the schema's `uri` format): characters a URI
/// cannot hold are percent-encoded, and a bare `github.com/me/x` gets
/// `https://`. Text that is no URL at all gives `None`.
pub fn uri(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let full = if has_scheme {
        url.to_string()
    } else {
        let host = url.split('/').next().unwrap_or_default();
        if !host.contains('.') || host.contains(char::is_whitespace) {
            return None;
        }
        format!("https://{url}")
    };
    let bytes = full.as_bytes();
    let mut out = String::with_capacity(full.len());
    for (at, &b) in bytes.iter().enumerate() {
        let allowed = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';'
            )
            || matches!(b, b'=' | b':' | b'/' | b'?' | b'#' | b'@');
        let escape = b == b'%'
            && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
        if allowed || escape {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_uris() {
        assert_eq!(uri("https://github.com/me/birds").as_deref(), Some("https://github.com/me/birds"));
        assert_eq!(uri("github.com/me/birds").as_deref(), Some("https://github.com/me/birds"));
        assert_eq!(uri("https://x.org/a b").as_deref(), Some("https://x.org/a%20b"));
        assert_eq!(uri("https://x.org/ü?q=100%").as_deref(), Some("https://x.org/%C3%BC?q=100%25"));
        assert_eq!(uri("https://x.org/%41").as_deref(), Some("https://x.org/%41"));
        assert_eq!(uri("my project"), None);
        assert_eq!(uri(""), None);
    }
}
