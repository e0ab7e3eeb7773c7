//! Steps the cohort and review commands share: the connection to the
//! server, and the local cache of reviews that `portfolio` reads offline.

use anyhow::Result;
use postgres::Client;

use crate::Ctx;
use crate::error::user_hint;
use crate::server::cohorts;
use crate::server::{self, ServerUrl};
use crate::store;

/// The member's connection, from the config's `[sync] url`.
pub fn client(ctx: &Ctx) -> Result<Client> {
    let Some(url) = ctx.config.sync.url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Err(user_hint(
            "no sync server is set up on this device",
            "`learnlog sync setup postgresql://NAME@HOST/DB` (the URL `server add-member` printed)",
        ));
    };
    server::connect(&ServerUrl::parse(url)?)
}

/// Fetches the reviews of this learner's projects into the local cache.
pub fn refresh_reviews(ctx: &mut Ctx, c: &mut Client) -> Result<()> {
    let all = cohorts::list(c)?;
    let mut fetched = Vec::new();
    for k in &all {
        let reviews = cohorts::reviews(c, k.id, true)?;
        fetched.push((k.id.to_string(), reviews));
    }
    if fetched.iter().all(|(_, r)| r.is_empty()) && ctx.read_db()?.is_read_only() {
        return Ok(());
    }
    let conn = ctx.write_db()?.conn();
    let current: Vec<String> = fetched.iter().map(|(cohort, _)| cohort.clone()).collect();
    store::cohorts::keep_reviews_of(conn, &current)?;
    for (cohort, reviews) in fetched {
        let rows: Vec<store::cohorts::CachedReview> = reviews
            .into_iter()
            .map(|r| store::cohorts::CachedReview {
                project: r.project.to_string(),
                cohort: cohort.clone(),
                reviewer: r.reviewer,
                rating: i64::from(r.rating),
                comment: r.comment,
                at: r.at.to_rfc3339(),
            })
            .collect();
        store::cohorts::replace_reviews(conn, &cohort, &rows)?;
    }
    Ok(())
}
