//! One way out: a command returns what it found or changed as an
//! [`Outcome`], and [`emit`] alone decides between JSON (`--json`) and text.
//! No command looks at `out.json` itself.
//!
//! The outcomes, from the most common:
//! - [`report`]: a value whose JSON is the value itself, with its text renderer;
//! - [`done`]: a write's record (its JSON) and its confirming line (`-q` hides it);
//! - [`formatted`] and [`raw`]: output whose format the arguments chose
//!   (`report --format`, an export or a script on stdout), the same either way;
//! - [`nothing`]: silence either way (`remind` when no nudge is due).

use anyhow::Result;
use serde::Serialize;

use crate::output::Out;

/// A command's result, able to show itself either way.
pub trait Outcome {
    /// The value as the JSON document `--json` prints.
    fn json(&self, out: &mut Out) -> Result<()>;
    /// The value for a person.
    fn text(&self, out: &mut Out) -> Result<()>;
}

/// A report value and the renderer that draws it as text; its JSON is the
/// value itself (docs/architecture.md: "reports are data first").
pub struct Report<T, F> {
    pub value: T,
    pub render: F,
}

/// A report value with its text renderer.
pub fn report<T, F>(value: T, render: F) -> Box<dyn Outcome>
where
    T: Serialize + 'static,
    F: Fn(&mut Out, &T) -> Result<()> + 'static,
{
    Box::new(Report { value, render })
}

impl<T: Serialize, F: Fn(&mut Out, &T) -> Result<()>> Outcome for Report<T, F> {
    fn json(&self, out: &mut Out) -> Result<()> {
        out.json_doc(&self.value)
    }

    fn text(&self, out: &mut Out) -> Result<()> {
        (self.render)(out, &self.value)
    }
}

/// A write's record, printed by `--json`, and the line that confirms it as
/// text (hidden by `-q`, as every confirming line is).
pub fn done<T>(record: T, line: impl Into<String>) -> Box<dyn Outcome>
where
    T: Serialize + 'static,
{
    let line = line.into();
    report(record, move |out: &mut Out, _: &T| out.done(&line))
}

/// Output in a format the arguments chose (`report --format json|markdown|
/// html|table`, `portfolio --format json-resume`): printed by the same
/// renderer whatever `--json` says, since `--json` already chose the format.
pub struct Formatted<T, F> {
    pub value: T,
    pub render: F,
}

/// A value in the format its arguments chose, with that format's renderer.
pub fn formatted<T, F>(value: T, render: F) -> Box<dyn Outcome>
where
    T: 'static,
    F: Fn(&mut Out, &T) -> Result<()> + 'static,
{
    Box::new(Formatted { value, render })
}

impl<T, F: Fn(&mut Out, &T) -> Result<()>> Outcome for Formatted<T, F> {
    fn json(&self, out: &mut Out) -> Result<()> {
        (self.render)(out, &self.value)
    }

    fn text(&self, out: &mut Out) -> Result<()> {
        (self.render)(out, &self.value)
    }
}

/// A data format (CSV, iCalendar, an HTML page) written byte for byte, the
/// same with `--json` or without.
pub fn raw(bytes: Vec<u8>) -> Box<dyn Outcome> {
    formatted(bytes, |out: &mut Out, bytes: &Vec<u8>| out.raw(bytes))
}

/// Nothing to show, either way.
pub fn nothing() -> Box<dyn Outcome> {
    formatted((), |_: &mut Out, _: &()| Ok(()))
}

/// The bytes of an outcome's text as a file holds them: no colour, no
/// terminal width (`report --out` writes what `report` would print).
pub fn file_bytes(outcome: &dyn Outcome) -> Result<Vec<u8>> {
    let (mut buffer, bytes) = Out::buffered(false, None);
    outcome.text(&mut buffer)?;
    buffer.flush()?;
    drop(buffer);
    Ok(std::mem::take(&mut *bytes.borrow_mut()))
}

/// Shows an outcome the way the output was asked for.
pub fn emit(out: &mut Out, outcome: &dyn Outcome) -> Result<()> {
    if out.json { outcome.json(out) } else { outcome.text(out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_mode_alone_chooses_json_or_text() {
        let outcome = report(vec![1, 2], |out: &mut Out, v: &Vec<i32>| out.line(format!("{} numbers", v.len())));
        let (mut text_out, text) = Out::buffered(false, None);
        emit(&mut text_out, &*outcome).unwrap();
        text_out.flush().unwrap();
        drop(text_out);
        assert_eq!(String::from_utf8(text.borrow().clone()).unwrap(), "2 numbers\n");
        let (mut json_out, json) = Out::buffered(false, None);
        json_out.json = true;
        emit(&mut json_out, &*outcome).unwrap();
        json_out.flush().unwrap();
        drop(json_out);
        assert_eq!(String::from_utf8(json.borrow().clone()).unwrap(), "[\n  1,\n  2\n]\n");
    }

    /// What `emit` prints of an outcome in each mode, and with `-q`.
    fn shown(outcome: &dyn Outcome, json: bool, quiet: bool) -> String {
        let (mut out, bytes) = Out::buffered(false, None);
        (out.json, out.quiet) = (json, quiet);
        emit(&mut out, outcome).unwrap();
        out.flush().unwrap();
        drop(out);
        String::from_utf8(bytes.borrow().clone()).unwrap()
    }

    #[test]
    fn a_write_confirms_in_a_line_that_quiet_hides_and_prints_its_record_as_json() {
        let outcome = done(serde_json::json!({ "id": 1 }), "Added 1.");
        assert_eq!(shown(&*outcome, false, false), "Added 1.\n");
        assert_eq!(shown(&*outcome, false, true), "");
        assert_eq!(shown(&*outcome, true, true), "{\n  \"id\": 1\n}\n");
    }

    #[test]
    fn a_format_the_arguments_chose_prints_the_same_either_way() {
        let outcome = raw(b"a,b\r\n".to_vec());
        assert_eq!(shown(&*outcome, false, false), "a,b\r\n");
        assert_eq!(shown(&*outcome, true, false), "a,b\r\n");
        assert_eq!(file_bytes(&*outcome).unwrap(), b"a,b\r\n");
        assert_eq!(shown(&*nothing(), true, false), "");
    }
}
