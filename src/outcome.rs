//! One way out: a command returns what it found as an [`Outcome`], and
//! [`emit`] alone decides between JSON (`--json`) and text. A command that
//! returns an outcome never looks at `out.json` itself.

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
}
