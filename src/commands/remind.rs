//! `learnlog remind [--exit-code]`: for cron. One nudge line when today has
//! no check-in and it is late enough; otherwise silence. Never prompts.

use std::process::ExitCode;

use anyhow::Result;

use crate::Ctx;
use crate::cli::RemindArgs;
use crate::error::EXIT_REMIND;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report;

/// The nudge (or silence), and the exit code `--exit-code` asks for.
pub fn run(ctx: &mut Ctx, args: &RemindArgs) -> Result<(Box<dyn Outcome>, ExitCode)> {
    let quiet = (outcome::nothing(), ExitCode::SUCCESS);
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let local_time = ctx.clock.local_time_of(ctx.clock.now());
    // Before `remind.after` (on the calendar day) it stays quiet; after
    // midnight but before the study day ends it is late, not early.
    let early = local_time < settings.remind_after && local_time >= settings.day_starts_at;
    // Nothing recorded yet: nothing to remind of, and no hint either (cron
    // mails whatever a job prints, every day).
    if early || !ctx.db_path()?.exists() {
        return Ok(quiet);
    }
    let db = ctx.read_db()?;
    let dashboard = report::status::build(db.conn(), &settings, today)?;
    if dashboard.report.today.studied || is_rest_day(&dashboard, &settings, today) {
        return Ok(quiet);
    }
    let nudge = render::status::nudge(&ctx.out, &dashboard.report);
    let value = serde_json::json!({ "nudge": nudge });
    let shown = outcome::report(value, move |out: &mut Out, _: &serde_json::Value| out.line(&nudge));
    Ok((shown, if args.exit_code { ExitCode::from(EXIT_REMIND) } else { ExitCode::SUCCESS }))
}

fn is_rest_day(
    dashboard: &report::status::Dashboard,
    settings: &crate::config::Settings,
    today: chrono::NaiveDate,
) -> bool {
    dashboard.book.rest_days.contains_key(&today) || settings.rest_weekdays.contains(&chrono::Datelike::weekday(&today))
}
