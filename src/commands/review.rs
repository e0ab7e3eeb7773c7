//! `learnlog review request | list | give` (SYNC.md §3): peer review of
//! projects within a cohort. The server enforces one review per reviewer
//! and project, and that nobody reviews their own project.

use anyhow::Result;
use serde_json::{Value, json};

use crate::Ctx;
use crate::cli::{ReviewCommand, ReviewGiveArgs, ReviewListArgs, ReviewRequestArgs};
use crate::domain::records::Kind;
use crate::error::user_hint;
use crate::ops::cohorts::{client, refresh_reviews};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::report::cohort::find_member;
use crate::server::cohorts::{self, ReviewRequest};

pub fn run(ctx: &mut Ctx, command: ReviewCommand) -> Result<Box<dyn Outcome>> {
    match command {
        ReviewCommand::Request(a) => request(ctx, &a),
        ReviewCommand::List(a) => list(ctx, &a),
        ReviewCommand::Give(a) => give(ctx, &a),
    }
}

fn request(ctx: &mut Ctx, a: &ReviewRequestArgs) -> Result<Box<dyn Outcome>> {
    let item = super::resolve(ctx.read_db()?.conn(), &a.project, &[Kind::Project])?;
    let project = uuid::Uuid::parse_str(&item.uuid)?;
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, &a.cohort)?;
    let r = ReviewRequest {
        member: String::new(),
        project,
        slug: item.slug.clone(),
        title: item.title.clone(),
        url: item.url.clone(),
        description: item.description.clone(),
        skills: item.skills.clone(),
        note: a.note.clone(),
    };
    cohorts::request_review(&mut c, cohort.id, &r)?;
    let line = format!("Asked cohort {} to review {}.", cohort.name, item.slug);
    Ok(outcome::done(json!({"cohort": cohort.name, "project": item.slug}), line))
}

fn list(ctx: &mut Ctx, a: &ReviewListArgs) -> Result<Box<dyn Outcome>> {
    let mut c = client(ctx)?;
    let me = crate::server::sync_log::member(&mut c)?;
    let mut entries: Vec<Value> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for k in cohorts::list(&mut c)? {
        let members = cohorts::members(&mut c, k.id)?;
        let display = |login: &str| {
            members.iter().find(|m| m.member == login).map_or_else(|| login.to_string(), |m| m.display_name.clone())
        };
        let requests = cohorts::review_requests(&mut c, k.id)?;
        let reviews = cohorts::reviews(&mut c, k.id, a.mine)?;
        for r in requests.iter().filter(|r| (r.member == me) == a.mine) {
            let mine: Vec<&cohorts::Review> =
                reviews.iter().filter(|v| v.member == r.member && v.project == r.project).collect();
            entries.push(json!({
                "member": display(&r.member),
                "project": {"slug": r.slug, "title": r.title, "url": r.url, "skills": r.skills},
                "reviews": mine.iter().map(|v| json!({
                    "reviewer": display(&v.reviewer),
                    "rating": v.rating,
                    "comment": v.comment,
                    "at": v.at.to_rfc3339(),
                })).collect::<Vec<_>>(),
            }));
            lines.push(format!(
                "{}/{} — {} ({} review{})",
                display(&r.member),
                r.slug,
                r.title,
                mine.len(),
                if mine.len() == 1 { "" } else { "s" }
            ));
            for v in mine {
                lines.push(format!("  {} {}/5: {}", display(&v.reviewer), v.rating, v.comment));
            }
        }
    }
    refresh_reviews(ctx, &mut c)?;
    let mine = a.mine;
    Ok(outcome::report(entries, move |out: &mut Out, _: &Vec<Value>| {
        if lines.is_empty() {
            let text = if mine { "No project of yours is up for review." } else { "No open review requests." };
            return out.line(text);
        }
        for l in &lines {
            let safe = out.one_line_safe(l).into_owned();
            out.line(safe)?;
        }
        Ok(())
    }))
}

fn give(ctx: &mut Ctx, a: &ReviewGiveArgs) -> Result<Box<dyn Outcome>> {
    let Some((member, slug)) = a.target.split_once('/') else {
        return Err(user_hint(format!("'{}' is not MEMBER/PROJECT", a.target), "e.g. alice/portfolio-site"));
    };
    let mut c = client(ctx)?;
    for k in cohorts::list(&mut c)? {
        let members = cohorts::members(&mut c, k.id)?;
        let Some(m) = find_member(&members, member) else { continue };
        let login = m.member.clone();
        let requests = cohorts::review_requests(&mut c, k.id)?;
        let Some(r) = requests.iter().find(|r| r.member == login && r.slug == slug) else { continue };
        cohorts::review(&mut c, k.id, &login, r.project, a.rating, &a.comment)?;
        let review = json!({"cohort": k.name, "member": member, "project": slug, "rating": a.rating});
        return Ok(outcome::done(review, format!("Reviewed {member}/{slug} ({}/5).", a.rating)));
    }
    Err(user_hint(
        format!("no review request {member}/{slug} in your cohorts"),
        "`learnlog review list` shows open requests",
    ))
}
