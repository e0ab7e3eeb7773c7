//! `learnlog portfolio`: what was built and what was earned — shipped and
//! active projects (skills, the courses they apply), credentials (completed
//! courses), and the hours behind them.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::domain::records::{Kind, Status};
use crate::report::records::ItemView;
use crate::store;
use crate::store::sessions::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioReport {
    /// Shipped projects (latest first), then active ones (oldest first).
    pub projects: Vec<ProjectEntry>,
    /// Completed courses, latest first.
    pub credentials: Vec<CredentialEntry>,
    /// Skills shown by those projects, the most shown first.
    pub skills: Vec<SkillEntry>,
    /// Minutes per course and project (any status), most first.
    pub hours: Vec<HoursEntry>,
    /// Minutes of general study (no course or project).
    pub general_minutes: i64,
    pub total_minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectEntry {
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub url: Option<String>,
    pub description: Option<String>,
    pub skills: Vec<String>,
    /// The courses it applies.
    pub courses: Vec<CourseLink>,
    pub started_on: NaiveDate,
    pub shipped_on: Option<NaiveDate>,
    pub minutes: i64,
    /// Peer reviews from cohorts (as last fetched); absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<ReviewSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewSummary {
    pub count: usize,
    pub mean_rating: f64,
    pub reviews: Vec<ReviewEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewEntry {
    pub reviewer: String,
    pub rating: i64,
    pub comment: String,
    pub at: String,
}

/// The cached reviews of one project.
fn reviews_of(cache: &[store::cohorts::CachedReview], uuid: &str) -> Option<ReviewSummary> {
    let reviews: Vec<ReviewEntry> = cache
        .iter()
        .filter(|r| r.project == uuid)
        .map(|r| ReviewEntry {
            reviewer: r.reviewer.clone(),
            rating: r.rating,
            comment: r.comment.clone(),
            at: r.at.clone(),
        })
        .collect();
    if reviews.is_empty() {
        return None;
    }
    let mean = reviews.iter().map(|r| r.rating as f64).sum::<f64>() / reviews.len() as f64;
    Some(ReviewSummary { count: reviews.len(), mean_rating: (mean * 10.0).round() / 10.0, reviews })
}

#[derive(Debug, Clone, Serialize)]
pub struct CourseLink {
    pub slug: String,
    pub title: String,
    pub platform: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CredentialEntry {
    pub slug: String,
    pub title: String,
    pub platform: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub credential_url: Option<String>,
    /// The course's own page.
    pub url: Option<String>,
    pub score: Option<f64>,
    pub minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkillEntry {
    pub name: String,
    /// Slugs of the projects that show it.
    pub projects: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoursEntry {
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub minutes: i64,
}

/// Shipped and active projects, with the reviews cohort members left:
/// shipped first, latest first.
fn projects(
    views: &[ItemView],
    by_id: &HashMap<i64, &ItemView>,
    cache: &[store::cohorts::CachedReview],
) -> Vec<ProjectEntry> {
    let mut projects: Vec<ProjectEntry> = views
        .iter()
        .filter(|v| v.item.kind == Kind::Project && matches!(v.item.status, Status::Shipped | Status::Active))
        .map(|v| {
            let item = &v.item;
            let courses = item
                .course_ids
                .iter()
                .filter_map(|id| by_id.get(id))
                .map(|c| CourseLink {
                    slug: c.item.slug.clone(),
                    title: c.item.title.clone(),
                    platform: c.item.platform.clone(),
                })
                .collect();
            ProjectEntry {
                slug: item.slug.clone(),
                title: item.title.clone(),
                status: item.status,
                url: item.url.clone(),
                description: item.description.clone(),
                skills: item.skills.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
                courses,
                started_on: item.start_date.unwrap_or_else(|| item.created_at.date_naive()),
                shipped_on: if item.status == Status::Shipped { item.ended_on } else { None },
                minutes: v.minutes,
                reviews: reviews_of(cache, &item.uuid),
            }
        })
        .collect();
    projects.sort_by(|a, b| {
        let shipped = |p: &ProjectEntry| p.status == Status::Shipped;
        shipped(b)
            .cmp(&shipped(a))
            .then_with(|| b.shipped_on.cmp(&a.shipped_on))
            .then_with(|| a.started_on.cmp(&b.started_on))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    projects
}

/// Completed courses, latest first.
fn credentials(views: &[ItemView]) -> Vec<CredentialEntry> {
    let mut credentials: Vec<CredentialEntry> = views
        .iter()
        .filter(|v| v.item.kind == Kind::Course && v.item.status == Status::Completed)
        .map(|v| CredentialEntry {
            slug: v.item.slug.clone(),
            title: v.item.title.clone(),
            platform: v.item.platform.clone(),
            completed_on: v.item.ended_on,
            credential_url: v.item.credential_url.clone(),
            url: v.item.url.clone(),
            score: v.item.score,
            minutes: v.minutes,
        })
        .collect();
    credentials.sort_by(|a, b| b.completed_on.cmp(&a.completed_on).then_with(|| a.slug.cmp(&b.slug)));
    credentials
}

pub fn build(conn: &Connection) -> Result<PortfolioReport> {
    let views: Vec<ItemView> =
        store::items::list(conn, None)?.into_iter().map(|item| ItemView::build(conn, item)).collect::<Result<_>>()?;
    let by_id: HashMap<i64, &ItemView> = views.iter().map(|v| (v.item.id, v)).collect();

    let cache = store::cohorts::reviews(conn)?;
    let projects = projects(&views, &by_id, &cache);
    let credentials = credentials(&views);
    let skills = gather_skills(&projects);

    let mut hours: Vec<HoursEntry> = views
        .iter()
        .filter(|v| v.item.kind != Kind::Goal && v.minutes > 0)
        .map(|v| HoursEntry {
            kind: v.item.kind,
            slug: v.item.slug.clone(),
            title: v.item.title.clone(),
            status: v.item.status,
            minutes: v.minutes,
        })
        .collect();
    hours.sort_by(|a, b| b.minutes.cmp(&a.minutes).then_with(|| a.slug.cmp(&b.slug)));

    let total_minutes = store::sessions::total_minutes(conn, &Scope::All)?;
    // A goal's minutes are its items': counted once, through them.
    let item_minutes: i64 = views.iter().filter(|v| v.item.kind != Kind::Goal).map(|v| v.minutes).sum();
    Ok(PortfolioReport {
        projects,
        credentials,
        skills,
        hours,
        general_minutes: (total_minutes - item_minutes).max(0),
        total_minutes,
    })
}

/// Skills across projects, spelled as first seen, matched without regard
/// to case; the most shown first.
fn gather_skills(projects: &[ProjectEntry]) -> Vec<SkillEntry> {
    let mut skills: Vec<SkillEntry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for project in projects {
        for skill in &project.skills {
            let key = skill.to_lowercase();
            let at = *index.entry(key).or_insert_with(|| {
                skills.push(SkillEntry { name: skill.clone(), projects: Vec::new() });
                skills.len() - 1
            });
            if !skills[at].projects.contains(&project.slug) {
                skills[at].projects.push(project.slug.clone());
            }
        }
    }
    skills.sort_by(|a, b| {
        b.projects.len().cmp(&a.projects.len()).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    skills
}
