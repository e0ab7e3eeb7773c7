//! The dashboard, its one-line form, the cron nudge, and streaks.

use anyhow::Result;

use super::{percent, plural};
use crate::domain::parse::format_minutes;
use crate::domain::pledge::Verdict;
use crate::output::Out;
use crate::report::status::StatusReport;
use crate::report::streak::StreakReport;

pub fn dashboard(out: &mut Out, r: &StatusReport) -> Result<()> {
    let today = if r.today.minutes > 0 {
        format!("{} studied", format_minutes(r.today.minutes))
    } else {
        out.warn("nothing logged yet")
    };
    out.prose(format!(
        "{} {}: {today}{}this week {}",
        out.bold("Today"),
        r.today.date.format("%a %Y-%m-%d"),
        out.dot(),
        format_minutes(r.week.minutes)
    ))?;
    out.prose(streak_line(out, &r.streak))?;
    if !r.pledges.is_empty() {
        out.prose("")?;
        out.prose(out.bold("Pledges"))?;
        let mut table = out.table(&["#", "target", "rate", "done", "verdict"]);
        table.keep(&[0, 2, 3]).cut_reference(&[1]);
        for p in &r.pledges {
            let rate = p.rate;
            table.add_row(vec![
                p.id.to_string(),
                p.target.clone(),
                rate.to_string(),
                format!("{}/{}", rate.format_amount(p.done), rate.format_amount(p.target_amount)),
                super::commitments::verdict_text(out, p.verdict, p.needed, &rate, p.days_left, p.period_start),
            ]);
        }
        out.print_table(&table)?;
    }
    if !r.at_risk.is_empty() {
        out.prose("")?;
        out.prose(out.bold("At risk"))?;
        let mut table = out.table(&["course", "odds", "buffer", "silent"]);
        table.keep(&[1]).cut_reference(&[0]);
        for a in &r.at_risk {
            table.add_row(vec![
                a.reference.clone(),
                percent(a.probability),
                a.buffer_days.map(|b| plural(b, "day")).unwrap_or_else(|| "-".into()),
                if a.days_silent > 0 { plural(a.days_silent, "day") } else { "-".into() },
            ]);
        }
        out.print_table(&table)?;
    }
    if let Some(d) = &r.next_deadline {
        out.prose("")?;
        out.prose(format!(
            "Next deadline: {} {} on {} ({}).",
            d.kind,
            d.reference,
            d.date,
            plural(d.days_left, "day")
        ))?;
    }
    Ok(())
}

fn streak_line(out: &Out, s: &StreakReport) -> String {
    let mut parts =
        vec![format!("{} {} (longest {})", out.bold("Streak"), plural(s.daily.current, "day"), s.daily.longest)];
    if !s.daily.today_studied && s.rest_today {
        parts.push(out.good("today is a rest day"));
    } else if s.daily.current > 0 && !s.daily.today_studied {
        parts.push(out.warn("today at stake"));
    }
    parts.push(format!("{} held", plural(s.daily.freezes_held, "freeze")));
    parts.push(format!("weekly {} (longest {})", plural(s.weekly.current, "week"), s.weekly.longest));
    parts.join(out.dot())
}

/// `streak 12d · today 45m · week 3h10/5h · 1 at risk`, for a shell prompt.
pub fn short_line(out: &Out, r: &StatusReport) -> String {
    let mut parts =
        vec![format!("streak {}d", r.streak.daily.current), format!("today {}", format_minutes(r.today.minutes))];
    // The week part shows the first weekly minutes pledge, else the week's minutes.
    let weekly = r.pledges.iter().find(|p| {
        p.rate.per == crate::domain::pledge::Per::Week && p.rate.unit == crate::domain::pledge::RateUnit::Minutes
    });
    parts.push(match weekly {
        Some(p) => format!("week {}/{}", format_minutes(p.done), format_minutes(p.target_amount)),
        None => format!("week {}", format_minutes(r.week.minutes)),
    });
    let behind = r.pledges.iter().filter(|p| p.verdict == Verdict::Behind).count();
    if behind > 0 {
        parts.push(format!("{behind} behind"));
    }
    if !r.at_risk.is_empty() {
        parts.push(format!("{} at risk", r.at_risk.len()));
    }
    parts.join(out.dot())
}

/// The one line `remind` prints: what is at stake and the most urgent pledge.
pub fn nudge(out: &Out, r: &StatusReport) -> String {
    let mut line = if r.streak.daily.current > 0 {
        format!("No study logged today: your {}-day streak is at stake", r.streak.daily.current)
    } else {
        "No study logged today: start a streak".to_string()
    };
    if r.streak.daily.freezes_held > 0 {
        line.push_str(&format!(" ({} held)", plural(r.streak.daily.freezes_held, "freeze")));
    }
    let urgent = r.pledges.iter().filter(|p| p.verdict == Verdict::Behind).min_by_key(|p| (p.days_left, -p.needed));
    if let Some(p) = urgent {
        let rate = p.rate;
        line.push_str(&format!(
            "{}pledge #{} {} on {}: {} to go, {} left",
            out.dot(),
            p.id,
            p.rate,
            p.target,
            rate.format_amount(p.needed),
            plural(p.days_left, "day")
        ));
    }
    line.push('.');
    line
}

pub fn streak(out: &mut Out, s: &StreakReport) -> Result<()> {
    if let Some(target) = &s.target {
        out.prose(out.bold(&format!("Streaks on {target}")))?;
    }
    let today = if s.daily.today_studied {
        "studied"
    } else if s.rest_today {
        "rest day"
    } else if s.daily.current > 0 {
        "at stake"
    } else {
        "not yet"
    };
    let mut table = out.table(&["", "current", "longest"]);
    table.add_row(vec!["daily streak".to_string(), plural(s.daily.current, "day"), plural(s.daily.longest, "day")]);
    table.add_row(vec![
        "weekly streak".to_string(),
        plural(s.weekly.current, "week"),
        plural(s.weekly.longest, "week"),
    ]);
    out.print_table(&table)?;
    out.prose(format!("today: {today}"))?;
    out.prose(format!("freezes held: {}", s.daily.freezes_held))?;
    out.prose(format!("frozen days in this streak: {}", s.daily.frozen_days))?;
    out.prose(format!("studied days: {}", s.studied_days))?;
    out.prose(format!("total time: {}", format_minutes(s.total_minutes)))
}
