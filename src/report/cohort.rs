//! Cohorts (docs/sync.md): what a learner publishes for the targets they
//! shared, and the board built from what every member published.
//!
//! Publishing reads only the existing reports (totals, streaks, the pledge
//! book, odds); it sends, per week, a judged part (totals, each shared
//! pledge's periods, completions and drops) and an "as of" part (streaks,
//! stakes, the last study day, and for the current week progress and odds).
//! Never notes, never single sessions. The server stamps when each week's
//! judged part arrived and marks it late after the week closed.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use postgres::Client;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::pledges;
use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::pledge::PeriodResult;
use crate::domain::pledge::{Per, Rate, RateUnit};
use crate::domain::records::{Item, Kind};
use crate::domain::streak::week_start;
use crate::server::cohorts::{self, Cohort, PledgeVersion};
use crate::store;
use crate::store::sessions::Scope;

/// Weeks of history published and read at most.
pub const WEEKS: i64 = 52;

/// What one `publish` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Published {
    pub cohorts: usize,
    pub weeks: usize,
    pub pledge_versions: usize,
}

/// What is shared with one cohort, resolved against the local record.
struct Shared {
    scope: Scope,
    item_ids: BTreeSet<i64>,
    all: bool,
}

fn shared_for(conn: &Connection, targets: &[String]) -> Result<Shared> {
    let all = targets.iter().any(|t| t == "all");
    let mut item_ids = BTreeSet::new();
    let items = store::items::list(conn, None)?;
    for t in targets.iter().filter(|t| *t != "all") {
        if let Some(item) = items.iter().find(|i| &i.uuid == t) {
            item_ids.insert(item.id);
            if item.kind == Kind::Goal {
                item_ids.extend(items.iter().filter(|i| i.goal_id == Some(item.id)).map(|i| i.id));
            }
        }
    }
    let scope = if all { Scope::All } else { Scope::Items(item_ids.iter().copied().collect()) };
    Ok(Shared { scope, item_ids, all })
}

fn rate_parts(rate: Option<&str>) -> (String, f64, String) {
    match rate.and_then(|r| r.parse::<Rate>().ok()) {
        Some(r) => {
            let unit = match r.unit {
                RateUnit::Minutes => "minutes",
                RateUnit::Days => "days",
                RateUnit::Units => "units",
            };
            let per = match r.per {
                Per::Day => "day",
                Per::Week => "week",
            };
            (unit.to_string(), r.amount as f64, per.to_string())
        }
        // An ended pledge asks nothing: the easiest version there is.
        None => ("minutes".to_string(), 0.0, "week".to_string()),
    }
}

/// The canonical text of a server pledge version's rate (`300m/week`).
pub fn rate_text(v: &PledgeVersion) -> String {
    if v.amount <= 0.0 {
        return "ended".into();
    }
    let unit = match v.unit.as_str() {
        "days" => RateUnit::Days,
        "units" => RateUnit::Units,
        _ => RateUnit::Minutes,
    };
    let per = if v.period == "day" { Per::Day } else { Per::Week };
    Rate { amount: v.amount.round() as i64, unit, per }.to_string()
}

/// A local referee (`@NAME`) as a member's login, when NAME is one of the
/// cohort's members (by login or display name).
/// Whether two versions of a pledge hold the same terms (the server sets
/// its own number and start).
fn same_terms(a: &PledgeVersion, b: &PledgeVersion) -> bool {
    a.unit == b.unit && a.amount == b.amount && a.period == b.period && a.stake == b.stake && a.referee == b.referee
}

fn referee_login(referee: Option<&str>, members: &[cohorts::Member], me: &str) -> Option<String> {
    let name = referee?.trim().strip_prefix('@')?;
    members.iter().find(|m| (m.member == name || m.display_name == name) && m.member != me).map(|m| m.member.clone())
}

/// Publishes, for every cohort the learner shares with, what they chose to
/// share: weekly documents, new pledge versions, settled stakes. `conn` is
/// written to as well: who confirmed each settlement is kept for `report`.
pub fn publish(conn: &Connection, client: &mut Client, today: NaiveDate, settings: &Settings) -> Result<Published> {
    let shares = store::cohorts::shares(conn)?;
    let mut by_cohort: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in shares {
        by_cohort.entry(s.cohort).or_default().push(s.target);
    }
    let mut outcome = Published::default();
    if by_cohort.is_empty() {
        return Ok(outcome);
    }
    let me = crate::server::sync_log::member(client)?;
    let server_today = crate::server::sync_log::server_time(client)?.date_naive();
    let mine: Vec<Cohort> = cohorts::list(client)?;
    let totals = DayTotals::load(conn)?;
    let book = pledges::build_over(conn, settings, today, &totals)?;
    let items = store::items::list(conn, None)?;
    let record = Record { conn, settings, today, me, totals: &totals, book: &book, items: &items };
    for (cohort_id, targets) in &by_cohort {
        let Some(cohort) = mine.iter().find(|k| k.id.to_string() == *cohort_id) else { continue };
        let shared = shared_for(conn, targets)?;
        let view = record.view(&shared);
        let members = cohorts::members(client, cohort.id)?;
        outcome.pledge_versions += view.publish_versions(client, cohort, &members)?;
        view.publish_settlements(client, cohort, &members)?;
        outcome.weeks += view.publish_weeks(client, cohort, server_today)?;
        outcome.cohorts += 1;
    }
    Ok(outcome)
}

/// The local record publishing reads, loaded once for every cohort.
struct Record<'a> {
    conn: &'a Connection,
    settings: &'a Settings,
    today: NaiveDate,
    me: String,
    totals: &'a DayTotals,
    book: &'a pledges::PledgeBook,
    items: &'a [Item],
}

impl<'a> Record<'a> {
    /// The part of the record shared with one cohort.
    fn view(&'a self, shared: &'a Shared) -> SharedView<'a> {
        let in_scope = |item_id: Option<i64>| match item_id {
            None => shared.all,
            Some(id) => shared.all || shared.item_ids.contains(&id),
        };
        let shared_pledges: Vec<&pledges::Judged> =
            self.book.judged.iter().filter(|j| in_scope(j.row.item_id)).collect();
        let shared_ids: BTreeSet<i64> = shared_pledges.iter().map(|j| j.row.id).collect();
        let debts = self.book.debts.iter().filter(|d| shared_ids.contains(&d.pledge_id)).collect();
        SharedView {
            record: self,
            shared,
            day_minutes: self.totals.day_minutes(&shared.scope),
            shared_pledges,
            shared_ids,
            debts,
            min_minutes: super::streak::rules(self.settings).min_minutes,
        }
    }
}

/// One cohort's share of the record: its pledges, debts and minutes.
struct SharedView<'a> {
    record: &'a Record<'a>,
    shared: &'a Shared,
    day_minutes: BTreeMap<NaiveDate, i64>,
    shared_pledges: Vec<&'a pledges::Judged>,
    shared_ids: BTreeSet<i64>,
    debts: Vec<&'a pledges::DebtView>,
    min_minutes: i64,
}

impl SharedView<'_> {
    fn in_scope(&self, item_id: Option<i64>) -> bool {
        match item_id {
            None => self.shared.all,
            Some(id) => self.shared.all || self.shared.item_ids.contains(&id),
        }
    }

    /// Pledge versions. A pledge new to the cohort publishes its whole rate
    /// history, one server version each; after that, a new version whenever
    /// what is in force here (rate, stake, referee) differs from the
    /// server's latest. Counting versions would not do: an easing cancelled
    /// before it took effect leaves no local rate behind, and a stake or
    /// referee edit adds none.
    fn publish_versions(&self, client: &mut Client, cohort: &Cohort, members: &[cohorts::Member]) -> Result<usize> {
        let me = &self.record.me;
        let server_versions = cohorts::pledges(client, cohort.id)?;
        let mut published = 0;
        for j in &self.shared_pledges {
            let Ok(id) = Uuid::parse_str(&j.row.uuid) else { continue };
            let latest = server_versions.iter().filter(|v| &v.member == me && v.pledge == id).max_by_key(|v| v.version);
            let mut rates = j.row.rates.clone();
            rates.sort_by_key(|r| (r.effective_from, r.id));
            let referee = referee_login(j.row.referee.as_deref(), members, me);
            let horizon =
                j.row.terms.as_ref().map_or(self.record.settings.horizon_days, |t| t.horizon_days).clamp(0, 366) as i32;
            let version = |r: &crate::store::pledges::RateRow| {
                let (unit, amount, period) = rate_parts(r.rate.as_deref());
                PledgeVersion {
                    member: me.clone(),
                    pledge: id,
                    version: 0,
                    target: j.row.target.clone(),
                    unit,
                    amount,
                    period,
                    stake: j.row.stake.clone(),
                    referee: referee.clone(),
                    horizon_days: horizon,
                    effective_from: r.effective_from.max(j.row.from),
                }
            };
            let to_publish: Vec<PledgeVersion> = match latest {
                None => rates.iter().map(version).collect(),
                Some(server) => {
                    rates.last().map(version).filter(|here| !same_terms(here, server)).into_iter().collect()
                }
            };
            for v in &to_publish {
                cohorts::publish_pledge(client, cohort.id, v)?;
                published += 1;
            }
        }
        Ok(published)
    }

    /// Settled stakes of shared pledges, and who confirmed them (for
    /// `report` and `list debts` to say).
    fn publish_settlements(&self, client: &mut Client, cohort: &Cohort, members: &[cohorts::Member]) -> Result<()> {
        for d in self.debts.iter().filter(|d| d.settled_on.is_some()) {
            let Some(j) = self.shared_pledges.iter().find(|j| j.row.id == d.pledge_id) else { continue };
            let Ok(id) = Uuid::parse_str(&j.row.uuid) else { continue };
            if let Some(on) = d.settled_on {
                cohorts::settle(client, cohort.id, id, d.period_start, &d.stake, on)?;
            }
        }
        for s in cohorts::settlements(client, cohort.id)?.iter().filter(|s| s.member == self.record.me) {
            let by = s
                .confirmed_by
                .as_deref()
                .map(|r| members.iter().find(|m| m.member == r).map_or(r, |m| m.display_name.as_str()));
            store::cohorts::set_settlement(self.record.conn, &s.pledge.to_string(), &s.period_start.to_string(), by)?;
        }
        Ok(())
    }

    /// The weeks: from the first activity or pledge, at most a year back,
    /// and none the server's date has not reached (a clock set ahead).
    fn publish_weeks(&self, client: &mut Client, cohort: &Cohort, server_today: NaiveDate) -> Result<usize> {
        let (today, settings) = (self.record.today, self.record.settings);
        let this_week = week_start(today.min(server_today + Duration::days(1)), settings.week_starts);
        let first_day = self
            .day_minutes
            .keys()
            .next()
            .copied()
            .into_iter()
            .chain(self.shared_pledges.iter().map(|j| j.row.from))
            .min()
            .unwrap_or(today)
            .min(today);
        let first_week = week_start(first_day, settings.week_starts).max(this_week - Duration::weeks(WEEKS));
        let periods = self.record.book.periods(settings, today, first_week, today + Duration::days(6));
        let mut week = first_week;
        let mut published = 0;
        while week <= this_week {
            let doc = json!({
                "judged": self.judged_doc(week, &periods),
                "asof": self.asof_doc(week, week == this_week)?,
            });
            cohorts::publish_week(client, cohort.id, week, &doc)?;
            published += 1;
            week += Duration::weeks(1);
        }
        Ok(published)
    }

    /// A week's totals, shared pledges' periods, completions and drops.
    fn judged_doc(&self, week: NaiveDate, periods: &[(&pledges::Judged, Vec<PeriodResult>)]) -> Value {
        let end = week + Duration::days(6);
        let asof = end.min(self.record.today);
        let in_week: Vec<(&NaiveDate, &i64)> = self.day_minutes.range(week..=asof).collect();
        let minutes: i64 = in_week.iter().map(|(_, m)| **m).sum();
        let study_days = in_week.iter().filter(|(_, m)| **m > 0 && **m >= self.min_minutes).count() as i64;
        let units: i64 = self.record.totals.day_amounts(&self.shared.scope, week, asof).values().map(|(_, u)| *u).sum();
        let mut pledge_docs = Vec::new();
        for (j, ps) in periods.iter().filter(|(j, _)| self.shared_ids.contains(&j.row.id)) {
            for p in ps.iter().filter(|p| p.start >= week && p.start <= end) {
                pledge_docs.push(json!({
                    "pledge": j.row.uuid,
                    "start": p.start.to_string(),
                    "end": p.end.to_string(),
                    "rate_amount": p.rate.amount,
                    "target": p.target,
                    "done": p.done,
                    "verdict": p.verdict,
                    "closed": p.closed,
                }));
            }
        }
        let ended: Vec<Value> = self
            .record
            .items
            .iter()
            .filter(|i| self.in_scope(Some(i.id)) && i.ended_on.is_some_and(|d| d >= week && d <= end))
            .map(|i| json!({"slug": i.slug, "status": i.status}))
            .collect();
        json!({"minutes": minutes, "study_days": study_days, "units": units, "pledges": pledge_docs, "ended": ended})
    }

    /// Where things stand at the week's end (or today): streaks, stakes,
    /// the last study day; for the current week also progress and odds.
    fn asof_doc(&self, week: NaiveDate, current: bool) -> Result<Value> {
        let r = self.record;
        let asof = (week + Duration::days(6)).min(r.today);
        let streaks = super::streak::build_over(r.conn, r.settings, asof, &self.shared.scope, None, r.book, r.totals)?;
        let (daily, weekly) = (streaks.daily, streaks.weekly);
        let last_study_day = self
            .day_minutes
            .range(..=asof)
            .rev()
            .find(|(_, m)| **m > 0 && **m >= self.min_minutes)
            .map(|(d, _)| d.to_string());
        let mut doc = json!({
            "date": asof.to_string(),
            "streak": {"current": daily.current, "longest": daily.longest},
            "weekly_streak": {"current": weekly.current, "longest": weekly.longest},
            "last_study_day": last_study_day,
            "debts": self.debts_doc(asof),
            "pledges": self.shared_pledges.iter().map(|j| j.row.uuid.clone()).collect::<Vec<_>>(),
        });
        if current {
            doc["progress"] = Value::Array(self.progress_doc()?);
            doc["odds"] = Value::Array(self.odds_doc()?);
        }
        Ok(doc)
    }

    fn debts_doc(&self, asof: NaiveDate) -> Vec<Value> {
        self.debts
            .iter()
            .filter(|d| d.period_end <= asof)
            .map(|d| {
                let uuid = self.shared_pledges.iter().find(|j| j.row.id == d.pledge_id).map(|j| j.row.uuid.clone());
                json!({
                    "number": d.id,
                    "pledge": uuid,
                    "period_start": d.period_start.to_string(),
                    "stake": d.stake,
                    "settled_on": d.settled_on.filter(|s| *s <= asof).map(|s| s.to_string()),
                })
            })
            .collect()
    }

    fn progress_doc(&self) -> anyhow::Result<Vec<Value>> {
        self.record
            .items
            .iter()
            .filter(|i| self.in_scope(Some(i.id)) && i.units_total.is_some())
            .map(|i| {
                let done = store::items::units_done(self.record.conn, i.id)?;
                Ok(json!({"slug": i.slug, "done": done, "total": i.units_total}))
            })
            .collect()
    }

    fn odds_doc(&self) -> Result<Vec<Value>> {
        let r = self.record;
        Ok(super::odds::build_over(r.conn, r.today, None, r.totals)?
            .into_iter()
            .filter(|o| {
                r.items.iter().any(|i| i.kind == Kind::Course && i.slug == o.reference && self.in_scope(Some(i.id)))
            })
            .map(|o| json!({"ref": o.reference, "probability": o.probability}))
            .collect())
    }
}

// ---- the board --------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub cohort: String,
    pub week: WeekRange,
    pub members: Vec<BoardMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct BoardMember {
    pub name: String,
    pub streak: StreakPair,
    pub week: WeekTotals,
    pub pledges: Vec<BoardPledge>,
    pub stakes: Stakes,
    pub last_study_day: Option<NaiveDate>,
    pub late: Vec<NaiveDate>,
    /// Each published settlement: "settled, confirmed by NAME" or "settled (self-reported)".
    #[serde(skip)]
    pub settled: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StreakPair {
    pub current: i64,
    pub longest: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct WeekTotals {
    pub minutes: i64,
    pub study_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BoardPledge {
    pub target: String,
    pub rate: String,
    pub done: i64,
    pub needed: i64,
    /// `kept`, `missed`, `on_track`, `behind`, or `none` (nothing published for the week).
    pub verdict: String,
    pub referee: Option<String>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub start: NaiveDate,
    pub verdict: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stakes {
    pub owed: i64,
    pub settled: i64,
    pub confirmed: i64,
}

/// The server's version of a pledge in force on `day` (the last by version
/// whose effective date has come).
fn in_force<'a>(versions: &[&'a PledgeVersion], day: NaiveDate) -> Option<&'a PledgeVersion> {
    versions.iter().filter(|v| v.effective_from <= day).max_by_key(|v| v.version).copied()
}

/// The verdict of one published period, refereed by the server's versions:
/// a rate the client eased sooner than the server allows does not count.
fn refereed(period: &Value, versions: &[&PledgeVersion]) -> Option<(NaiveDate, i64, i64, String, bool)> {
    let start: NaiveDate = period.get("start")?.as_str()?.parse().ok()?;
    let done = period.get("done")?.as_i64()?;
    let client_target = period.get("target")?.as_i64()?;
    let client_rate = period.get("rate_amount")?.as_i64()?;
    let closed = period.get("closed")?.as_bool()?;
    let server = in_force(versions, start).map_or(client_rate, |v| v.amount.round() as i64);
    let needed = if client_rate >= server { client_target } else { server };
    let met = done >= needed;
    let verdict = match (closed, met) {
        (true, true) => "kept",
        (true, false) => "missed",
        (false, true) => "on_track",
        (false, false) => "behind",
    };
    Some((start, done, needed, verdict.to_string(), closed))
}

/// Builds the board of `cohort` for the week starting `week`.
pub fn board(client: &mut Client, cohort: &Cohort, week: NaiveDate) -> Result<Board> {
    let end = week + Duration::days(6);
    // The last six closed periods of a daily or weekly pledge lie within
    // the seven weeks before this one; late marks are read for the year.
    let data = BoardData {
        members: cohorts::members(client, cohort.id)?,
        docs: cohorts::published(client, cohort.id, week - Duration::weeks(7), week)?,
        late_marks: cohorts::late_weeks(client, cohort.id, week - Duration::weeks(WEEKS), week)?,
        versions: cohorts::pledges(client, cohort.id)?,
        settlements: cohorts::settlements(client, cohort.id)?,
    };
    let mut rows: Vec<BoardMember> = data.members.iter().map(|m| data.row(m, week)).collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Board { cohort: cohort.name.clone(), week: WeekRange { from: week, to: end }, members: rows })
}

/// What the server holds for one board: members, their published weeks,
/// late marks, pledge versions and settlements.
struct BoardData {
    members: Vec<cohorts::Member>,
    docs: Vec<cohorts::Published>,
    late_marks: Vec<(String, NaiveDate)>,
    versions: Vec<PledgeVersion>,
    settlements: Vec<cohorts::SettlementSeen>,
}

impl BoardData {
    /// A login's display name in the cohort.
    fn display(&self, login: &str) -> String {
        self.members.iter().find(|m| m.member == login).map_or_else(|| login.to_string(), |m| m.display_name.clone())
    }

    /// One member's row for the week starting `week`.
    fn row(&self, m: &cohorts::Member, week: NaiveDate) -> BoardMember {
        let end = week + Duration::days(6);
        let mine: Vec<&cohorts::Published> = self.docs.iter().filter(|d| d.member == m.member).collect();
        let this = mine.iter().find(|d| d.week_start == week);
        let latest = mine.iter().filter(|d| d.week_start <= week).max_by_key(|d| d.week_start);
        let week_totals = this.map_or_else(WeekTotals::default, |d| WeekTotals {
            minutes: d.data["judged"]["minutes"].as_i64().unwrap_or(0),
            study_days: d.data["judged"]["study_days"].as_i64().unwrap_or(0),
        });
        let asof = latest.map(|d| &d.data["asof"]);
        let streak = asof.map_or_else(StreakPair::default, |a| StreakPair {
            current: a["streak"]["current"].as_i64().unwrap_or(0),
            longest: a["streak"]["longest"].as_i64().unwrap_or(0),
        });
        let debts = asof.and_then(|a| a["debts"].as_array()).cloned().unwrap_or_default();
        let settled = debts.iter().filter(|d| !d["settled_on"].is_null()).count() as i64;
        let mine_settled = || self.settlements.iter().filter(|s| s.member == m.member && s.period_start <= end);
        let confirmed = mine_settled().filter(|s| s.confirmed_by.is_some()).count() as i64;
        BoardMember {
            name: m.display_name.clone(),
            streak,
            week: week_totals,
            pledges: self.pledges(m, &mine, asof, end),
            stakes: Stakes { owed: debts.len() as i64 - settled, settled, confirmed },
            last_study_day: asof.and_then(|a| a["last_study_day"].as_str()).and_then(|s| s.parse().ok()),
            late: self.late_marks.iter().filter(|(who, _)| *who == m.member).map(|(_, day)| *day).collect(),
            settled: mine_settled()
                .map(|s| settled_text(s.confirmed_by.as_deref().map(|r| self.display(r)).as_deref()))
                .collect(),
        }
    }

    /// The member's shared pledges: this week's standing and the last six
    /// closed verdicts, judged by the versions the server holds.
    fn pledges(
        &self,
        m: &cohorts::Member,
        mine: &[&cohorts::Published],
        asof: Option<&Value>,
        end: NaiveDate,
    ) -> Vec<BoardPledge> {
        // Every published period of every pledge, by pledge.
        let mut periods: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for p in mine.iter().filter_map(|d| d.data["judged"]["pledges"].as_array()).flatten() {
            if let Some(id) = p["pledge"].as_str() {
                periods.entry(id.to_string()).or_default().push(p);
            }
        }
        // Pledge versions stay on the server (append-only, for the referee);
        // the board shows those the member's latest document still shares.
        let still_shared: BTreeSet<&str> = asof
            .and_then(|a| a["pledges"].as_array())
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut ids: Vec<Uuid> = self
            .versions
            .iter()
            .filter(|v| v.member == m.member && still_shared.contains(v.pledge.to_string().as_str()))
            .map(|v| v.pledge)
            .collect();
        ids.dedup();
        let mut out: Vec<BoardPledge> =
            ids.into_iter().filter_map(|id| self.pledge(m, id, periods.get(&id.to_string()), end)).collect();
        out.sort_by(|a, b| a.target.cmp(&b.target));
        out
    }

    fn pledge(
        &self,
        m: &cohorts::Member,
        id: Uuid,
        periods: Option<&Vec<&Value>>,
        end: NaiveDate,
    ) -> Option<BoardPledge> {
        let vs: Vec<&PledgeVersion> = self.versions.iter().filter(|v| v.member == m.member && v.pledge == id).collect();
        let now = in_force(&vs, end).or_else(|| vs.first().copied())?;
        let judged: Vec<(NaiveDate, i64, i64, String, bool)> =
            periods.map(|ps| ps.iter().filter_map(|p| refereed(p, &vs)).collect()).unwrap_or_default();
        let current = judged.iter().filter(|p| p.0 <= end).max_by_key(|p| p.0);
        let mut history: Vec<HistoryEntry> = judged
            .iter()
            .filter(|p| p.4 && p.0 <= end)
            .map(|p| HistoryEntry { start: p.0, verdict: p.3.clone() })
            .collect();
        history.sort_by_key(|h| h.start);
        let skip = history.len().saturating_sub(6);
        Some(BoardPledge {
            target: now.target.clone(),
            rate: rate_text(now),
            done: current.map_or(0, |p| p.1),
            needed: current.map_or(0, |p| p.2),
            verdict: current.map_or_else(|| "none".to_string(), |p| p.3.clone()),
            referee: now.referee.as_deref().map(|r| self.display(r)),
            history: history.split_off(skip),
        })
    }
}

/// "settled, confirmed by NAME" or "settled (self-reported)".
pub fn settled_text(confirmed_by: Option<&str>) -> String {
    match confirmed_by {
        Some(name) => format!("settled, confirmed by {name}"),
        None => "settled (self-reported)".to_string(),
    }
}

/// A member's login from a name given on the command line (login or display name).
pub fn find_member<'a>(members: &'a [cohorts::Member], name: &str) -> Option<&'a cohorts::Member> {
    let name = name.trim().trim_start_matches('@');
    members.iter().find(|m| m.member == name).or_else(|| members.iter().find(|m| m.display_name == name))
}

/// The book, for `confirm` to read the member's debts published.
pub fn published_debts(client: &mut Client, cohort: Uuid, member: &str, today: NaiveDate) -> Result<Vec<Value>> {
    let docs = cohorts::published(client, cohort, today - Duration::weeks(WEEKS + 1), today + Duration::days(7))?;
    Ok(docs
        .iter()
        .filter(|d| d.member == member)
        .max_by_key(|d| d.week_start)
        .and_then(|d| d.data["asof"]["debts"].as_array().cloned())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(version: i32, amount: f64, from: &str) -> PledgeVersion {
        PledgeVersion {
            member: "alice".into(),
            pledge: Uuid::nil(),
            version,
            target: "ml".into(),
            unit: "minutes".into(),
            amount,
            period: "week".into(),
            stake: None,
            referee: None,
            horizon_days: 7,
            effective_from: from.parse().unwrap(),
        }
    }

    fn period(start: &str, rate: i64, target: i64, done: i64, closed: bool) -> Value {
        json!({"start": start, "rate_amount": rate, "target": target, "done": done, "closed": closed})
    }

    #[test]
    fn an_easing_the_server_has_not_let_in_does_not_count() {
        let (v1, v2) = (version(1, 120.0, "2026-11-02"), version(2, 30.0, "2026-11-30"));
        let vs = [&v1, &v2];
        // The client judged the week of 11-16 by 30 minutes; the server holds 120.
        let p = refereed(&period("2026-11-16", 30, 30, 40, true), &vs).unwrap();
        assert_eq!((p.1, p.2, p.3.as_str()), (40, 120, "missed"));
        // From 11-30 the easier rate is in force.
        let p = refereed(&period("2026-11-30", 30, 30, 40, false), &vs).unwrap();
        assert_eq!((p.2, p.3.as_str()), (30, "on_track"));
        // A client target lowered by rest days under the same rate stands.
        let p = refereed(&period("2026-11-16", 120, 100, 100, true), &vs).unwrap();
        assert_eq!((p.2, p.3.as_str()), (100, "kept"));
    }

    #[test]
    fn rates_read_back_as_learnlog_writes_them() {
        assert_eq!(rate_text(&version(1, 300.0, "2026-11-02")), "5h/week");
        assert_eq!(rate_text(&version(1, 0.0, "2026-11-02")), "ended");
        assert_eq!(rate_parts(Some("4d/week")), ("days".to_string(), 4.0, "week".to_string()));
    }
}
