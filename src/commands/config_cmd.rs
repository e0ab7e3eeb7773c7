//! `learnlog config [path|show|get KEY|set KEY VALUE]`.

use anyhow::Result;
use serde_json::Value;

use crate::Ctx;
use crate::cli::{ConfigAction, ConfigArgs};
use crate::config::Config;
use crate::error::{user, user_hint};
use crate::outcome::{self, Outcome};
use crate::output::Out;

pub fn run(ctx: &mut Ctx, args: &ConfigArgs) -> Result<Box<dyn Outcome>> {
    Ok(match args.action.as_ref().unwrap_or(&ConfigAction::Show) {
        ConfigAction::Path => {
            let path = ctx.config_path.display().to_string();
            let exists = ctx.config_path.exists();
            let line = path.clone();
            outcome::report(serde_json::json!({ "path": path, "exists": exists }), move |out: &mut Out, _: &Value| {
                out.line(&line)
            })
        }
        ConfigAction::Show => {
            outcome::report(ctx.config.clone(), |out: &mut Out, config: &Config| out.text(toml::to_string(config)?))
        }
        ConfigAction::Get { key } => {
            let value = lookup(&toml::Value::try_from(&ctx.config)?, key)?;
            outcome::report(value, |out: &mut Out, value: &toml::Value| match value {
                toml::Value::String(s) => out.line(s),
                other => out.line(other.to_string()),
            })
        }
        ConfigAction::Set { key, value } => set(ctx, key, value)?,
    })
}

fn lookup(root: &toml::Value, key: &str) -> Result<toml::Value> {
    let mut node = root;
    for part in key.split('.') {
        node = node.get(part).ok_or_else(|| unknown_key(key))?;
    }
    Ok(node.clone())
}

fn unknown_key(key: &str) -> anyhow::Error {
    user_hint(format!("unknown config key '{key}'"), "see `learnlog config show` for the keys")
}

/// The keys that hold minutes.
const MINUTES_KEYS: &[&str] = &["default_minutes", "streak.min_minutes"];

/// Sets one key in the file, keeping the rest of it, after checking that
/// the result is a valid configuration.
fn set(ctx: &mut Ctx, key: &str, value: &str) -> Result<Box<dyn Outcome>> {
    let path = ctx.config_path.clone();
    let defaults = toml::Value::try_from(Config::default())?;
    let template = lookup(&defaults, key)
        .or_else(|_| if key == "database" { Ok(toml::Value::String(String::new())) } else { Err(unknown_key(key)) })?;
    let typed = match template {
        // Minutes keys take a DURATION, as the flags they stand for do (45m, 1h).
        toml::Value::Integer(_) if MINUTES_KEYS.contains(&key) => {
            let minutes = crate::domain::parse::parse_duration(value).map_err(|err| {
                let why = err.message.split_once("': ").map(|(_, why)| format!(": {why}")).unwrap_or_default();
                user_hint(format!("`{key}` takes a duration, not '{value}'{why}"), "give one such as 45m, 1h30 or 90")
            })?;
            toml::Value::Integer(minutes)
        }
        toml::Value::Integer(_) => toml::Value::Integer(
            value.trim().parse().map_err(|_| user(format!("`{key}` takes a whole number, not '{value}'")))?,
        ),
        toml::Value::Array(_) => toml::Value::Array(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_lowercase()))
                .collect(),
        ),
        _ => toml::Value::String(value.to_string()),
    };
    let config = crate::config::edit_file(&path, key, |document| {
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts.pop().ok_or_else(|| unknown_key(key))?;
        let mut table = document;
        for part in parts {
            table = table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| unknown_key(key))?;
        }
        table.insert(last.to_string(), typed);
        Ok(())
    })?;
    let written = lookup(&toml::Value::try_from(&config)?, key)?;
    let record = serde_json::json!({
        "key": key,
        "value": written,
        "path": path.display().to_string(),
    });
    Ok(outcome::done(record, format!("Set {key} = {value} in {}.", path.display())))
}
