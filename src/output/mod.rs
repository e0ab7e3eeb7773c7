//! `Out`: the only way learnlog prints. Colour and width are decided once.

pub mod table;

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::cli::ColorChoice;
use table::TextTable;

pub struct Out {
    stdout: Box<dyn Write>,
    stderr: Box<dyn Write>,
    /// Colour escapes are allowed.
    pub color: bool,
    /// Unicode glyphs (shades, `·`) are allowed.
    pub unicode: bool,
    /// Terminal width, when known.
    pub width: Option<u16>,
    /// Print the JSON document instead of text.
    pub json: bool,
    /// Suppress confirming lines.
    pub quiet: bool,
    /// Stdout is a terminal: someone reads it as it comes.
    pub is_tty: bool,
}

impl Out {
    pub fn new(choice: ColorChoice, json: bool, quiet: bool) -> Out {
        let stdout = io::stdout();
        let is_tty = stdout.is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w > 0)
            .or_else(|| if is_tty { terminal_width() } else { None });
        let never = matches!(choice, ColorChoice::Never);
        Out {
            stdout: Box::new(io::BufWriter::new(stdout)),
            stderr: Box::new(io::stderr()),
            color,
            unicode: utf8_locale() && !never,
            width,
            json,
            quiet,
            is_tty,
        }
    }

    /// A writer that collects output in memory (tests of renderers).
    pub fn buffered(color: bool, width: Option<u16>) -> (Out, std::rc::Rc<std::cell::RefCell<Vec<u8>>>) {
        let buffer = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let out = Out {
            stdout: Box::new(SharedBuf(buffer.clone())),
            stderr: Box::new(io::sink()),
            color,
            unicode: true,
            width,
            json: false,
            quiet: false,
            is_tty: false,
        };
        (out, buffer)
    }

    /// One line of normal output, as one line (a nudge, a confirmation).
    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        let text = self.one_line_safe(text.as_ref());
        writeln!(self.stdout, "{text}")?;
        Ok(())
    }

    /// A line of a report, wrapped at spaces to the terminal's width.
    pub fn prose(&mut self, text: impl AsRef<str>) -> Result<()> {
        let text = self.one_line_safe(text.as_ref());
        match self.width {
            Some(width) => {
                for line in table::wrap_line(&text, usize::from(width)) {
                    writeln!(self.stdout, "{line}")?;
                }
            }
            None => writeln!(self.stdout, "{text}")?,
        }
        Ok(())
    }

    /// Text as it is (already ends in a newline where it should).
    pub fn text(&mut self, text: impl AsRef<str>) -> Result<()> {
        let text = self.terminal_safe(text.as_ref());
        self.stdout.write_all(text.as_bytes())?;
        Ok(())
    }

    /// The stdout writer itself, for a data format streamed piece by piece.
    pub fn raw_writer(&mut self) -> &mut dyn Write {
        &mut self.stdout
    }

    /// A data format (CSV, iCalendar, JSON Resume) written byte for byte:
    /// its own escaping rules apply, not the terminal's.
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.stdout.write_all(bytes)?;
        Ok(())
    }

    /// A confirming line of a command that changed data (`-q` hides it).
    pub fn done(&mut self, text: impl AsRef<str>) -> Result<()> {
        if self.quiet { Ok(()) } else { self.line(text) }
    }

    /// A note on stderr (hints, warnings) that never mixes into piped data.
    pub fn note(&mut self, text: impl AsRef<str>) -> Result<()> {
        let text = self.one_line_safe(text.as_ref());
        writeln!(self.stderr, "{text}")?;
        Ok(())
    }

    /// The JSON document of a read command, or the record of a write.
    pub fn json_doc<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)?;
        writeln!(self.stdout)?;
        Ok(())
    }

    /// A table for this output: fitted to the terminal when printed.
    pub fn table(&self, header: &[&str]) -> TextTable {
        let mut table = TextTable::new(header);
        table.color = self.color;
        table
    }

    /// What stands for cut text.
    pub fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "~" }
    }

    /// Prints a table fitted to the width, trimming the padding
    /// comfy-table leaves at line ends.
    pub fn print_table(&mut self, text: &TextTable) -> Result<()> {
        let ellipsis = self.ellipsis();
        let layout = text.layout(self.width.map(usize::from), table::display_width(ellipsis));
        let (header, rows) = text.fitted(&layout, ellipsis);
        let mut table = Table::new();
        table.load_style(TABLE_STYLE);
        table.set_content_arrangement(ContentArrangement::Disabled);
        table.set_header(header.iter().map(|h| header_cell(h, self.color)));
        for row in rows {
            table.add_row(row.iter().map(|cell| styled_cell(cell)));
        }
        let last = layout.columns.len().saturating_sub(1);
        for (index, column) in table.column_iter_mut().enumerate() {
            // No left margin; the gap between columns is the padding plus
            // the style's one-space column separator; none after the last.
            let padding = if index == last { 0 } else { layout.gap.saturating_sub(1) as u16 };
            column.set_padding((0, padding));
        }
        table.force_no_tty();
        if self.color {
            table.enforce_styling();
        }
        for line in table.lines() {
            writeln!(self.stdout, "{}", line.trim_end())?;
        }
        Ok(())
    }

    /// A progress bar on stderr for long work of `total` steps. It shows
    /// only when someone watches (stdout and stderr are terminals), the
    /// work is large, and `-q` was not given: piped, logged or cron output
    /// never fills with redraws.
    pub fn progress(&self, label: &str, total: usize) -> Progress {
        self.progress_from(label, total, PROGRESS_MIN_STEPS)
    }

    /// [`Out::progress`] for steps larger than a record (a sync's batches
    /// of up to a thousand changes): shown from `min_steps` on.
    pub fn progress_from(&self, label: &str, total: usize, min_steps: usize) -> Progress {
        let watched = self.is_tty && io::stderr().is_terminal() && !self.quiet;
        if !watched || total < min_steps.max(1) {
            return hidden_bar();
        }
        shown_bar(label, total)
    }

    /// Progress bars for work reported stage by stage from elsewhere (a
    /// sync): owned apart from `Out`, so the work may borrow the context.
    pub fn stage_bars(&self) -> StageBars {
        StageBars { watched: self.is_tty && io::stderr().is_terminal() && !self.quiet, current: None }
    }

    pub fn flush(&mut self) -> Result<()> {
        self.stdout.flush()?;
        Ok(())
    }

    /// Text made safe for a terminal: a title or note could carry escape
    /// sequences or a carriage return that rewrite the screen. Control
    /// characters other than newline become visible escapes (`\t`, `\u{7}`);
    /// escape sequences survive only as the colour codes learnlog itself
    /// writes, with colour on.
    pub fn terminal_safe<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if !text.chars().any(|c| c.is_control() && c != '\n') {
            return std::borrow::Cow::Borrowed(text);
        }
        let lines: Vec<String> = text.split('\n').map(|line| table::escape_controls(line, self.color)).collect();
        std::borrow::Cow::Owned(lines.join("\n"))
    }

    /// One line made safe: every control character, newline and tab
    /// included, becomes a visible escape, so user text cannot break it.
    pub fn one_line_safe<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if !text.chars().any(char::is_control) || (self.color && !has_foreign_control(text)) {
            return std::borrow::Cow::Borrowed(text);
        }
        std::borrow::Cow::Owned(table::escape_controls(text, self.color))
    }

    /// Bold text, when colour is on.
    pub fn bold(&self, text: &str) -> String {
        self.paint(text, "1")
    }

    /// Dimmed text, when colour is on.
    pub fn dim(&self, text: &str) -> String {
        self.paint(text, "2")
    }

    /// Red for what needs attention.
    pub fn warn(&self, text: &str) -> String {
        self.paint(text, "31")
    }

    /// Green for what is going well.
    pub fn good(&self, text: &str) -> String {
        self.paint(text, "32")
    }

    /// Any SGR code, when colour is on.
    pub fn paint(&self, text: &str, sgr: &str) -> String {
        if self.color { format!("\x1b[{sgr}m{text}\x1b[0m") } else { text.to_string() }
    }

    /// The separator between parts of a one-line summary.
    pub fn dot(&self) -> &'static str {
        if self.unicode { " · " } else { " | " }
    }
}

/// Records or changes: work smaller than this finishes before a progress
/// bar could help.
const PROGRESS_MIN_STEPS: usize = 2000;

const PROGRESS_TEMPLATE: &str = "{msg}: [{bar:30}] {pos}/{len} ({percent} %, {eta} left)";

fn hidden_bar() -> Progress {
    Progress(ProgressBar::hidden())
}

/// A bar on stderr: `label: [=====>   ] done/total (pct %, eta left)`.
fn shown_bar(label: &str, total: usize) -> Progress {
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(PROGRESS_TEMPLATE) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    Progress(bar)
}

/// A progress bar for long work (sync, import); hidden when no one watches.
pub struct Progress(ProgressBar);

impl Progress {
    /// `done` steps of the total are finished.
    pub fn tick(&mut self, done: usize) {
        self.0.set_position(done as u64);
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One progress bar at a time, for the stage being reported; a new stage
/// clears the last one's bar.
pub struct StageBars {
    watched: bool,
    current: Option<(&'static str, Progress)>,
}

impl StageBars {
    /// `done` of `total` steps of `label`; shown from `min_steps` on
    /// (`None`: [`PROGRESS_MIN_STEPS`]).
    pub fn show(&mut self, label: &'static str, done: usize, total: usize, min_steps: Option<usize>) {
        if self.current.as_ref().is_none_or(|(l, _)| *l != label) {
            let min = min_steps.unwrap_or(PROGRESS_MIN_STEPS);
            let bar = if self.watched && total >= min.max(1) { shown_bar(label, total) } else { hidden_bar() };
            self.current = Some((label, bar));
        }
        if let Some((_, bar)) = &mut self.current {
            bar.tick(done);
        }
    }
}

/// Borderless columns with a dashed line under the header.
const TABLE_STYLE: TableStyle =
    comfy_table::presets::NOTHING.header_separator(LineStyle::none().fill('-').junction(' '));

/// Whether `text` has a control character that is not part of a colour code.
fn has_foreign_control(text: &str) -> bool {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(length) = table::sgr_length(rest) {
            rest = &rest[length..];
            continue;
        }
        if c.is_control() {
            return true;
        }
        rest = &rest[c.len_utf8()..];
    }
    false
}

fn header_cell(text: &str, color: bool) -> comfy_table::Cell {
    let cell = comfy_table::Cell::new(text);
    if color { cell.add_attribute(comfy_table::Attribute::Bold) } else { cell }
}

/// A cell whose colour codes (the ones `Out::paint` writes around a whole
/// cell) become comfy-table styling, so that widths count only what shows.
fn styled_cell(text: &str) -> comfy_table::Cell {
    use comfy_table::{Attribute, Cell, Color};
    let Some(length) = table::sgr_length(text) else { return Cell::new(text) };
    let codes = &text[2..length - 1];
    let mut cell = Cell::new(table::strip_sgr(text));
    for code in codes.split(';') {
        cell = match code {
            "1" => cell.add_attribute(Attribute::Bold),
            "2" => cell.add_attribute(Attribute::Dim),
            "31" => cell.fg(Color::DarkRed),
            "32" => cell.fg(Color::DarkGreen),
            "92" => cell.fg(Color::Green),
            _ => cell,
        };
    }
    cell
}

struct SharedBuf(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether the locale says UTF-8 (LC_ALL > LC_CTYPE > LANG, as setlocale reads them).
fn utf8_locale() -> bool {
    for var in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let Ok(value) = std::env::var(var)
            && !value.is_empty()
        {
            let value = value.to_ascii_lowercase();
            return value.contains("utf-8") || value.contains("utf8");
        }
    }
    false
}

fn terminal_width() -> Option<u16> {
    // comfy-table knows how to ask the terminal; a throwaway table reports it.
    let table = Table::new();
    table.width()
}
