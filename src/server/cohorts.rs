//! Cohorts on the server (docs/sync.md), as the connected member: create,
//! invite, join, leave; publish weekly data and pledge versions; settle,
//! confirm; request and give reviews; read what the cohort shares.
//!
//! The server enforces every rule (see `sql/0002_cohorts.sql`); a refusal
//! comes back as a user error (exit 2) with a hint.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use postgres::Client;
use postgres::error::SqlState;
use uuid::Uuid;

use super::query_error;
use crate::error::user_hint;

/// A cohort the member belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cohort {
    pub id: Uuid,
    pub name: String,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub member: String,
    pub display_name: String,
    pub joined_at: DateTime<Utc>,
}

/// One version of a shared pledge.
#[derive(Debug, Clone, PartialEq)]
pub struct PledgeVersion {
    pub member: String,
    pub pledge: Uuid,
    pub version: i32,
    pub target: String,
    /// `minutes`, `units` or `days`.
    pub unit: String,
    pub amount: f64,
    /// `day`, `week` or `month`.
    pub period: String,
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub horizon_days: i32,
    /// As the server set it (never sooner than its rules allow).
    pub effective_from: NaiveDate,
}

/// What a member published for one week (the client's JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub member: String,
    pub week_start: NaiveDate,
    pub data: serde_json::Value,
    pub published_at: DateTime<Utc>,
    /// Its judged part came after the week closed (the server's mark).
    pub late: bool,
}

/// A refusal by the server's rules, as a user error.
fn refused(err: postgres::Error, doing: &str, hint: &str) -> anyhow::Error {
    match err.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE || *code == SqlState::INVALID_PARAMETER_VALUE => {
            let why = err.as_db_error().map_or_else(String::new, |d| d.message().to_string());
            user_hint(format!("{doing}: {why}"), hint)
        }
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => {
            user_hint(format!("{doing}: that name is taken in this cohort"), "choose another name with --as")
        }
        _ => query_error(err, doing),
    }
}

pub fn create(c: &mut Client, name: &str, display_name: &str) -> Result<Uuid> {
    let row =
        c.query_one("SELECT learnlog.create_cohort($1, $2)", &[&name, &display_name]).map_err(|e| match e.code() {
            Some(code) if *code == SqlState::UNIQUE_VIOLATION => {
                user_hint(format!("you already have a cohort named {name}"), "choose another name")
            }
            _ => refused(e, "cannot create the cohort", "is this login a learnlog member?"),
        })?;
    Ok(row.get(0))
}

/// The cohorts the member is in, by name.
pub fn list(c: &mut Client) -> Result<Vec<Cohort>> {
    let rows = c
        .query("SELECT id, name, owner::text FROM learnlog.cohorts ORDER BY name, id", &[])
        .map_err(|e| query_error(e, "cannot list cohorts"))?;
    Ok(rows.iter().map(|r| Cohort { id: r.get(0), name: r.get(1), owner: r.get(2) }).collect())
}

/// The member's cohort of this name.
pub fn find(c: &mut Client, name: &str) -> Result<Cohort> {
    let found: Vec<Cohort> = list(c)?.into_iter().filter(|k| k.name == name).collect();
    match found.len() {
        1 => Ok(found.into_iter().next().ok_or_else(|| anyhow::anyhow!("cohort vanished"))?),
        0 => Err(user_hint(format!("you are in no cohort named {name}"), "`learnlog cohort board` lists yours")),
        _ => Err(user_hint(format!("you are in several cohorts named {name}"), "ask their owners to rename one")),
    }
}

/// Makes an invite code (256 random bits, URL-safe) valid for `uses` joins
/// during `valid`; the server keeps only its hash.
pub fn invite(c: &mut Client, cohort: Uuid, uses: i32, valid: std::time::Duration) -> Result<(String, DateTime<Utc>)> {
    // 43 characters of 62: 256 bits.
    let code = super::random_text(43);
    let seconds = valid.as_secs() as f64;
    let row = c
        .query_one(
            "SELECT learnlog.create_invite($1, $2, $3, make_interval(secs => $4))",
            &[&cohort, &code, &uses, &seconds],
        )
        .map_err(|e| refused(e, "cannot make an invite", "check --uses and --expires"))?;
    Ok((code, row.get(0)))
}

/// Joins with an invite code; an unknown, used or expired code is refused
/// (exit 2), with nothing said about any cohort.
pub fn join(c: &mut Client, code: &str, display_name: &str) -> Result<Uuid> {
    let row = c
        .query_one("SELECT learnlog.join_cohort($1, $2)", &[&code.trim(), &display_name])
        .map_err(|e| refused(e, "cannot join", "ask for a new invite code"))?;
    Ok(row.get(0))
}

/// Leaves a cohort; what one published there goes too.
pub fn leave(c: &mut Client, cohort: Uuid) -> Result<bool> {
    let n = c
        .execute("DELETE FROM learnlog.cohort_members WHERE cohort = $1 AND member = session_user", &[&cohort])
        .map_err(|e| query_error(e, "cannot leave the cohort"))?;
    Ok(n == 1)
}

/// Removes a member (the cohort's owner only; for anyone else it removes
/// nothing and says so).
pub fn remove(c: &mut Client, cohort: Uuid, member: &str) -> Result<()> {
    let n = c
        .execute(
            "DELETE FROM learnlog.cohort_members WHERE cohort = $1 AND member = $2::text::name",
            &[&cohort, &member],
        )
        .map_err(|e| query_error(e, "cannot remove the member"))?;
    if n == 0 {
        return Err(user_hint(
            format!("{member} was not removed"),
            "only the cohort's owner removes members, and only members of it",
        ));
    }
    Ok(())
}

pub fn members(c: &mut Client, cohort: Uuid) -> Result<Vec<Member>> {
    let rows = c
        .query(
            "SELECT member::text, display_name, joined_at FROM learnlog.cohort_members
             WHERE cohort = $1 ORDER BY display_name",
            &[&cohort],
        )
        .map_err(|e| query_error(e, "cannot read the cohort's members"))?;
    Ok(rows.iter().map(|r| Member { member: r.get(0), display_name: r.get(1), joined_at: r.get(2) }).collect())
}

/// Publishes (or republishes) one week of the member's data.
pub fn publish_week(c: &mut Client, cohort: Uuid, week_start: NaiveDate, data: &serde_json::Value) -> Result<()> {
    c.execute(
        "INSERT INTO learnlog.published (cohort, week_start, data) VALUES ($1, $2, $3::text::jsonb)
         ON CONFLICT (cohort, member, week_start) DO UPDATE SET data = EXCLUDED.data
         WHERE learnlog.published.data IS DISTINCT FROM EXCLUDED.data",
        &[&cohort, &week_start, &data.to_string()],
    )
    .map_err(|e| refused(e, "cannot publish", "are you still in this cohort?"))?;
    Ok(())
}

/// Withdraws what the member published in a cohort (all weeks).
pub fn unpublish(c: &mut Client, cohort: Uuid) -> Result<u64> {
    c.execute("DELETE FROM learnlog.published WHERE cohort = $1 AND member = session_user", &[&cohort])
        .map_err(|e| query_error(e, "cannot withdraw what was published"))
}

/// Everything published in a cohort for weeks in `from..=to`.
pub fn published(c: &mut Client, cohort: Uuid, from: NaiveDate, to: NaiveDate) -> Result<Vec<Published>> {
    let rows = c
        .query(
            "SELECT member::text, week_start, data::text, published_at, late FROM learnlog.published
             WHERE cohort = $1 AND week_start BETWEEN $2 AND $3 ORDER BY member, week_start",
            &[&cohort, &from, &to],
        )
        .map_err(|e| query_error(e, "cannot read the cohort's board"))?;
    rows.iter()
        .map(|r| {
            let text: String = r.get(2);
            Ok(Published {
                member: r.get(0),
                week_start: r.get(1),
                data: serde_json::from_str(&text)?,
                published_at: r.get(3),
                late: r.get(4),
            })
        })
        .collect()
}

/// Publishes the next version of a pledge; returns the date from which the
/// server says it holds.
pub fn publish_pledge(c: &mut Client, cohort: Uuid, p: &PledgeVersion) -> Result<NaiveDate> {
    let row = c
        .query_one(
            "INSERT INTO learnlog.pledges
                 (cohort, pledge, version, target, unit, amount, period, stake, referee, horizon_days, effective_from)
             VALUES ($1, $2,
                     coalesce((SELECT max(version) FROM learnlog.pledges
                                WHERE cohort = $1 AND member = session_user AND pledge = $2), 0) + 1,
                     $3, $4, $5::float8::numeric, $6, $7, $8::text::name, $9, $10)
             RETURNING effective_from",
            &[
                &cohort,
                &p.pledge,
                &p.target,
                &p.unit,
                &p.amount,
                &p.period,
                &p.stake,
                &p.referee,
                &p.horizon_days,
                &p.effective_from,
            ],
        )
        .map_err(|e| refused(e, "cannot publish the pledge", "a referee is another member of the cohort"))?;
    Ok(row.get(0))
}

/// Every version of every pledge shared in a cohort.
pub fn pledges(c: &mut Client, cohort: Uuid) -> Result<Vec<PledgeVersion>> {
    let rows = c
        .query(
            "SELECT member::text, pledge, version, target, unit, amount::float8, period, stake, referee::text,
                    horizon_days, effective_from
               FROM learnlog.pledges WHERE cohort = $1 ORDER BY member, pledge, version",
            &[&cohort],
        )
        .map_err(|e| query_error(e, "cannot read the cohort's pledges"))?;
    Ok(rows
        .iter()
        .map(|r| PledgeVersion {
            member: r.get(0),
            pledge: r.get(1),
            version: r.get(2),
            target: r.get(3),
            unit: r.get(4),
            amount: r.get(5),
            period: r.get(6),
            stake: r.get(7),
            referee: r.get(8),
            horizon_days: r.get(9),
            effective_from: r.get(10),
        })
        .collect())
}

/// Reports a settled stake for a missed period.
pub fn settle(
    c: &mut Client,
    cohort: Uuid,
    pledge: Uuid,
    period_start: NaiveDate,
    stake: &str,
    settled_on: NaiveDate,
) -> Result<()> {
    c.execute(
        "INSERT INTO learnlog.settlements (cohort, pledge, period_start, stake, settled_on) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (cohort, member, pledge, period_start) DO NOTHING",
        &[&cohort, &pledge, &period_start, &stake, &settled_on],
    )
    .map_err(|e| refused(e, "cannot publish the settlement", "are you still in this cohort?"))?;
    Ok(())
}

/// Confirms another member's settlement, as the referee their pledge names.
pub fn confirm(
    c: &mut Client,
    cohort: Uuid,
    member: &str,
    pledge: Uuid,
    period_start: NaiveDate,
    note: Option<&str>,
) -> Result<()> {
    c.execute(
        "INSERT INTO learnlog.confirmations (cohort, member, pledge, period_start, note)
         VALUES ($1, $2::text::name, $3, $4, $5)
         ON CONFLICT (cohort, member, pledge, period_start) DO NOTHING",
        &[&cohort, &member, &pledge, &period_start, &note],
    )
    .map_err(|e| match e.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => user_hint(
            format!("you are not the referee {member} named for this pledge"),
            "only the named referee confirms a settlement",
        ),
        Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => {
            user_hint(format!("{member} has published no such settlement"), "wait until they sync")
        }
        _ => query_error(e, "cannot confirm"),
    })?;
    Ok(())
}

/// A project put up for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRequest {
    pub member: String,
    pub project: Uuid,
    pub slug: String,
    pub title: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub skills: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub member: String,
    pub project: Uuid,
    pub reviewer: String,
    pub rating: i32,
    pub comment: String,
    pub at: DateTime<Utc>,
}

pub fn request_review(c: &mut Client, cohort: Uuid, r: &ReviewRequest) -> Result<()> {
    c.execute(
        "INSERT INTO learnlog.review_requests (cohort, project, slug, title, url, description, skills, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (cohort, member, project) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title,
             url = EXCLUDED.url, description = EXCLUDED.description, skills = EXCLUDED.skills, note = EXCLUDED.note",
        &[&cohort, &r.project, &r.slug, &r.title, &r.url, &r.description, &r.skills, &r.note],
    )
    .map_err(|e| refused(e, "cannot request a review", "are you still in this cohort?"))?;
    Ok(())
}

/// Open review requests in a cohort.
pub fn review_requests(c: &mut Client, cohort: Uuid) -> Result<Vec<ReviewRequest>> {
    let rows = c
        .query(
            "SELECT member::text, project, slug, title, url, description, skills, note
               FROM learnlog.review_requests WHERE cohort = $1 ORDER BY member, slug",
            &[&cohort],
        )
        .map_err(|e| query_error(e, "cannot read the review requests"))?;
    Ok(rows
        .iter()
        .map(|r| ReviewRequest {
            member: r.get(0),
            project: r.get(1),
            slug: r.get(2),
            title: r.get(3),
            url: r.get(4),
            description: r.get(5),
            skills: r.get(6),
            note: r.get(7),
        })
        .collect())
}

/// Reviews another member's project; a later review replaces one's own.
pub fn review(c: &mut Client, cohort: Uuid, member: &str, project: Uuid, rating: i32, comment: &str) -> Result<()> {
    c.execute(
        "INSERT INTO learnlog.reviews (cohort, member, project, rating, comment) VALUES ($1, $2::text::name, $3, $4, $5)
         ON CONFLICT (cohort, member, project, reviewer)
         DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment",
        &[&cohort, &member, &project, &rating, &comment],
    )
    .map_err(|e| match e.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
            user_hint("you cannot review this project", "nobody reviews their own project")
        }
        Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => {
            user_hint(format!("{member} has not asked for a review of it"), "`learnlog review list` shows open requests")
        }
        Some(code) if *code == SqlState::CHECK_VIOLATION => {
            user_hint("a rating is 1 to 5, a comment at most 5000 characters", "e.g. --rating 4")
        }
        _ => query_error(e, "cannot review"),
    })?;
    Ok(())
}

/// Reviews in a cohort (of every project, or of the member's own).
pub fn reviews(c: &mut Client, cohort: Uuid, mine: bool) -> Result<Vec<Review>> {
    let rows = c
        .query(
            "SELECT member::text, project, reviewer::text, rating, comment, published_at FROM learnlog.reviews
             WHERE cohort = $1 AND (NOT $2 OR member = session_user) ORDER BY member, project, reviewer",
            &[&cohort, &mine],
        )
        .map_err(|e| query_error(e, "cannot read the reviews"))?;
    Ok(rows
        .iter()
        .map(|r| Review {
            member: r.get(0),
            project: r.get(1),
            reviewer: r.get(2),
            rating: r.get(3),
            comment: r.get(4),
            at: r.get(5),
        })
        .collect())
}

/// A settlement as the cohort sees it, with its confirmation if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementSeen {
    pub member: String,
    pub pledge: Uuid,
    pub period_start: NaiveDate,
    pub settled_on: NaiveDate,
    /// The referee who confirmed it.
    pub confirmed_by: Option<String>,
}

/// Every settlement published in a cohort, with who confirmed it.
pub fn settlements(c: &mut Client, cohort: Uuid) -> Result<Vec<SettlementSeen>> {
    let rows = c
        .query(
            "SELECT s.member::text, s.pledge, s.period_start, s.settled_on, k.referee::text
               FROM learnlog.settlements s
               LEFT JOIN learnlog.confirmations k
                 ON k.cohort = s.cohort AND k.member = s.member AND k.pledge = s.pledge
                AND k.period_start = s.period_start
              WHERE s.cohort = $1 ORDER BY s.member, s.period_start, s.pledge",
            &[&cohort],
        )
        .map_err(|e| query_error(e, "cannot read the cohort's settlements"))?;
    Ok(rows
        .iter()
        .map(|r| SettlementSeen {
            member: r.get(0),
            pledge: r.get(1),
            period_start: r.get(2),
            settled_on: r.get(3),
            confirmed_by: r.get(4),
        })
        .collect())
}

/// The weeks in `from..=to` whose judged part arrived late, by member (the
/// server's marks; no data is read).
pub fn late_weeks(c: &mut Client, cohort: Uuid, from: NaiveDate, to: NaiveDate) -> Result<Vec<(String, NaiveDate)>> {
    let rows = c
        .query(
            "SELECT member::text, week_start FROM learnlog.published
             WHERE cohort = $1 AND late AND week_start BETWEEN $2 AND $3 ORDER BY member, week_start",
            &[&cohort, &from, &to],
        )
        .map_err(|e| query_error(e, "cannot read the cohort's board"))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
