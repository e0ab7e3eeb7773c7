//! Configuration (TOML) and the paths learnlog reads and writes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{user, user_hint};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Database file; `--db` and `LEARNLOG_DB` come first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<PathBuf>,
    /// ISO 4217 code for prices given without one.
    pub currency: String,
    /// Minutes a check-in logs when no duration is given.
    pub default_minutes: i64,
    /// When a study day begins (a session at 01:30 belongs to the day before).
    pub day_starts_at: String,
    /// First day of the week.
    pub week_starts: String,
    /// Days before an easier pledge takes effect (the akrasia horizon).
    pub horizon_days: i64,
    /// Study days after a pledge period's last day before its verdict closes.
    pub grace_days: i64,
    pub streak: StreakConfig,
    pub remind: RemindConfig,
    #[serde(skip_serializing_if = "SyncConfig::is_empty")]
    pub sync: SyncConfig,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// The server this device syncs with (`learnlog sync setup` writes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl SyncConfig {
    fn is_empty(&self) -> bool {
        self.url.is_none()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreakConfig {
    /// Minutes that make a studied day.
    pub min_minutes: i64,
    /// A freeze is earned every this many studied days.
    pub freeze_every: i64,
    /// Freezes held at most.
    pub max_freezes: i64,
    /// Weekdays that are always rest days (`["sunday"]`).
    pub rest_weekdays: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemindConfig {
    /// Local time before which `remind` stays quiet.
    pub after: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database: None,
            currency: "USD".into(),
            default_minutes: 30,
            day_starts_at: "04:00".into(),
            week_starts: "monday".into(),
            horizon_days: 7,
            grace_days: 1,
            streak: StreakConfig::default(),
            remind: RemindConfig::default(),
            sync: SyncConfig::default(),
        }
    }
}

impl Default for StreakConfig {
    fn default() -> Self {
        StreakConfig { min_minutes: 1, freeze_every: 7, max_freezes: 2, rest_weekdays: Vec::new() }
    }
}

impl Default for RemindConfig {
    fn default() -> Self {
        RemindConfig { after: "18:00".into() }
    }
}

/// The values of a config, checked and parsed once.
#[derive(Debug, Clone)]
pub struct Settings {
    pub currency: String,
    pub default_minutes: i64,
    pub day_starts_at: NaiveTime,
    pub week_starts: Weekday,
    pub horizon_days: i64,
    pub grace_days: i64,
    pub min_minutes: i64,
    pub freeze_every: i64,
    pub max_freezes: i64,
    pub rest_weekdays: Vec<Weekday>,
    pub remind_after: NaiveTime,
}

/// A hint that works while the config file is invalid: an empty config
/// (`/dev/null`) is all defaults, and `config show` prints every key.
const SHOW_DEFAULTS: &str = "fix that key; `learnlog --config /dev/null config show` prints every key with its default";

impl Config {
    /// Reads the config file. A missing file means defaults, unless it was
    /// named explicitly (`--config`, `LEARNLOG_CONFIG`): then it is bad
    /// usage (exit 2), as a typo in the path would otherwise go unnoticed.
    pub fn load(path: &Path, named: bool) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && named => {
                return Err(user_hint(
                    format!("the config file {} does not exist", path.display()),
                    format!(
                        "`learnlog --config {} config set currency USD` creates it; without --config and LEARNLOG_CONFIG the defaults apply",
                        path.display()
                    ),
                ));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read config file {}", path.display()));
            }
        };
        let config: Config = toml::from_str(&text).map_err(|err| {
            user_hint(
                format!(
                    "invalid config file {}: {}{}",
                    path.display(),
                    one_line(err.message()),
                    where_in(&text, err.span())
                ),
                SHOW_DEFAULTS,
            )
        })?;
        config
            .settings()
            .map_err(|err| user_hint(format!("invalid config file {}: {err}", path.display()), SHOW_DEFAULTS))?;
        Ok(config)
    }

    /// Checks every value and parses times and weekdays.
    pub fn settings(&self) -> Result<Settings> {
        let time = |key: &str, text: &str| {
            crate::domain::parse::parse_time(text)
                .map_err(|_| user(format!("`{key}` = '{text}' is not a time like 04:00")))
        };
        let weekday = |key: &str, text: &str| {
            text.parse::<Weekday>().map_err(|_| user(format!("`{key}` = '{text}' is not a weekday name like monday")))
        };
        let within = |key: &str, value: i64, min: i64, max: i64| {
            if value < min {
                Err(user(format!("`{key}` must be at least {min}, not {value}")))
            } else if value > max {
                Err(user(format!("`{key}` must be at most {max}, not {value}")))
            } else {
                Ok(value)
            }
        };
        // Minutes as a DURATION on the command line: more than 0, at most 24h.
        let minutes = |key: &str, value: i64| {
            if (1..=crate::domain::parse::DAY_MINUTES).contains(&value) {
                Ok(value)
            } else {
                Err(user(format!("`{key}` = {value} is not a duration of 1 to 1440 minutes (24h)")))
            }
        };
        let currency = crate::domain::money::currency(&self.currency)
            .map_err(|err| user(format!("`currency` = {}", err.message)))?;
        if self.database.as_ref().is_some_and(|path| path.as_os_str().is_empty()) {
            return Err(user("`database` is empty; give a file path or leave the key out"));
        }
        Ok(Settings {
            currency,
            default_minutes: minutes("default_minutes", self.default_minutes)?,
            day_starts_at: time("day_starts_at", &self.day_starts_at)?,
            week_starts: weekday("week_starts", &self.week_starts)?,
            horizon_days: within("horizon_days", self.horizon_days, 0, 365)?,
            grace_days: within("grace_days", self.grace_days, 0, 365)?,
            min_minutes: minutes("streak.min_minutes", self.streak.min_minutes)?,
            freeze_every: within("streak.freeze_every", self.streak.freeze_every, 1, 365)?,
            max_freezes: within("streak.max_freezes", self.streak.max_freezes, 0, 365)?,
            rest_weekdays: self
                .streak
                .rest_weekdays
                .iter()
                .map(|d| weekday("streak.rest_weekdays", d))
                .collect::<Result<_>>()?,
            remind_after: time("remind.after", &self.remind.after)?,
        })
    }
}

impl Settings {
    /// The terms a pledge made now is kept to.
    pub fn pledge_terms(&self) -> crate::domain::pledge::PledgeTerms {
        crate::domain::pledge::PledgeTerms {
            horizon_days: self.horizon_days,
            grace_days: self.grace_days,
            week_starts: self.week_starts,
            day_starts_at: self.day_starts_at,
            min_minutes: self.min_minutes,
            rest_weekdays: self.rest_weekdays.clone(),
        }
    }
}

/// Writes `[sync] url` into the config file, keeping the rest of it.
pub fn set_sync_url(path: &Path, url: &str) -> Result<()> {
    edit_file(path, "sync.url", |document| {
        let sync = document
            .entry("sync")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| user(format!("invalid config file {}: `sync` is not a table", path.display())))?;
        sync.insert("url".into(), toml::Value::String(url.to_string()));
        Ok(())
    })
    .map(|_| ())
}

/// Changes the config file at `path` (made if missing) by `change`, keeping
/// the rest of it: the result must be a valid config, or nothing is
/// written. A folder it creates is 0700; the file is replaced atomically,
/// so an interrupted write leaves the old one. `key` names what changes,
/// for the error. Returns the new config.
pub fn edit_file(path: &Path, key: &str, change: impl FnOnce(&mut toml::Table) -> Result<()>) -> Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut document: toml::Table =
        toml::from_str(&text).map_err(|e| user(format!("invalid config file {}: {e}", path.display())))?;
    change(&mut document)?;
    let new_text = toml::to_string(&document)?;
    let config: Config =
        toml::from_str(&new_text).map_err(|e| user(format!("invalid value for `{key}`: {}", e.message())))?;
    config
        .settings()
        .map_err(|e| user_hint(format!("invalid value for `{key}`: {e}"), "the config file was not changed"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_private_dir(dir)?;
    }
    crate::files::write_atomically(path, new_text.as_bytes())?;
    Ok(config)
}

/// ` (line N: the line)` for a parse error, so that a wrong value names its key.
fn where_in(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(before) = span.and_then(|span| text.get(..span.start)) else { return String::new() };
    let number = before.matches('\n').count() + 1;
    match text.lines().nth(number - 1).map(str::trim).filter(|line| !line.is_empty()) {
        Some(line) => format!(" (line {number}: {line})"),
        None => format!(" (line {number})"),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the config file is: `--config` > `LEARNLOG_CONFIG` > the platform config dir.
pub fn config_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = env_path("LEARNLOG_CONFIG") {
        return Ok(path);
    }
    let dir = dirs::config_dir().ok_or_else(|| {
        user_hint("cannot find a config directory on this system", "set LEARNLOG_CONFIG or pass --config")
    })?;
    Ok(dir.join("learnlog").join("config.toml"))
}

/// Was the config file named by `--config` or `LEARNLOG_CONFIG` (rather
/// than found at the platform's default path)?
pub fn named_explicitly(flag: Option<&Path>) -> bool {
    flag.is_some() || env_path("LEARNLOG_CONFIG").is_some()
}

/// Where the database is: `--db` > `LEARNLOG_DB` > config `database` > the platform data dir.
pub fn database_path(flag: Option<&Path>, config: &Config) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = env_path("LEARNLOG_DB") {
        return Ok(path);
    }
    if let Some(path) = &config.database {
        return Ok(path.clone());
    }
    let dir = dirs::data_dir()
        .ok_or_else(|| user_hint("cannot find a data directory on this system", "set LEARNLOG_DB or pass --db"))?;
    Ok(dir.join("learnlog").join("learnlog.db"))
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from)
}
