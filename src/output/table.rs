//! Tables that fit the terminal: no line wider than the width, no
//! word or header split mid-word, long user text cut with `…`, and control
//! characters in user text shown as visible escapes.
//!
//! comfy-table's dynamic arrangement wraps inside words, so the widths are
//! decided here and comfy-table only lays out cells that already fit.

use unicode_width::UnicodeWidthChar;

/// How a column gives way when the table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Wraps at spaces, never below its longest word (phrases, verdicts).
    Wrap,
    /// Cut with `…` (titles, notes: the full text is in `show` and `--json`).
    /// Titles give way before references.
    Cut(CutOrder),
    /// Never narrower than its content (numbers, dates).
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CutOrder {
    /// Free text: titles, notes, stakes, referees.
    Text,
    /// References (slugs): a cut slug is still a prefix that resolves, but
    /// it is what people copy, so it gives way last.
    Reference,
}

/// A table of text cells, laid out by [`TextTable::fit`].
#[derive(Debug, Clone)]
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    fits: Vec<Fit>,
    /// Columns that may be left out when nothing else makes the table fit,
    /// first to go first.
    droppable: Vec<usize>,
    /// Colour codes in cells are learnlog's own (colour is on); without
    /// colour, an escape in a cell came from user text and is shown escaped.
    pub color: bool,
}

/// Width below which a cut column is not cut in the first rounds.
const SOFT_FLOOR: usize = 16;
/// Width below which a cut column is never cut (unless its header is narrower
/// than its content and the terminal narrower than everything else).
const HARD_FLOOR: usize = 8;

/// Width a wrapping column keeps while cut columns still have room to
/// give, and a reference keeps while phrases can still wrap.
const WRAP_FLOOR: usize = 12;

/// What the cells of a column need.
struct Measures {
    natural: Vec<usize>,
    longest_word: Vec<usize>,
    header_word: Vec<usize>,
}

/// The widths chosen for a table, and which columns are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub columns: Vec<usize>,
    pub widths: Vec<usize>,
    pub gap: usize,
}

impl TextTable {
    pub fn new(header: &[&str]) -> TextTable {
        TextTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            fits: vec![Fit::Wrap; header.len()],
            droppable: Vec::new(),
            color: false,
        }
    }

    pub fn add_row(&mut self, cells: Vec<String>) -> &mut TextTable {
        self.rows.push(cells);
        self
    }

    /// Sets how column `column` gives way.
    pub fn set_fit(&mut self, column: usize, fit: Fit) -> &mut TextTable {
        if let Some(slot) = self.fits.get_mut(column) {
            *slot = fit;
        }
        self
    }

    /// Marks free-text columns (titles, notes) to be cut with `…`.
    pub fn cut_text(&mut self, columns: &[usize]) -> &mut TextTable {
        for c in columns {
            self.set_fit(*c, Fit::Cut(CutOrder::Text));
        }
        self
    }

    /// Marks reference columns (slugs, targets) to be cut with `…` last.
    pub fn cut_reference(&mut self, columns: &[usize]) -> &mut TextTable {
        for c in columns {
            self.set_fit(*c, Fit::Cut(CutOrder::Reference));
        }
        self
    }

    /// Marks columns that never shrink (numbers, dates).
    pub fn keep(&mut self, columns: &[usize]) -> &mut TextTable {
        for c in columns {
            self.set_fit(*c, Fit::Keep);
        }
        self
    }

    /// Columns that may be left out on a very narrow terminal, in order.
    pub fn droppable(&mut self, columns: &[usize]) -> &mut TextTable {
        self.droppable = columns.to_vec();
        self
    }

    fn cell(&self, row: &[String], column: usize) -> String {
        escape_controls(row.get(column).map(String::as_str).unwrap_or(""), self.color)
    }

    /// Per column: natural width, longest word, longest header word.
    fn measure(&self) -> Measures {
        let count = self.header.len();
        let mut m = Measures { natural: vec![0; count], longest_word: vec![0; count], header_word: vec![0; count] };
        for c in 0..count {
            m.header_word[c] = words_max(&self.header[c]);
            m.natural[c] = display_width(&self.header[c]);
            m.longest_word[c] = m.header_word[c];
            for row in &self.rows {
                let cell = self.cell(row, c);
                m.natural[c] = m.natural[c].max(display_width(&cell));
                m.longest_word[c] = m.longest_word[c].max(words_max(&cell));
            }
        }
        m
    }

    /// The shrinking rounds, in order: (column, the width it may go down to).
    fn rounds(&self, m: &Measures, ellipsis: usize) -> Vec<Vec<(usize, usize)>> {
        let count = self.header.len();
        let cut_floor = |c: usize, floor: usize| m.natural[c].min(m.header_word[c].max(floor).max(ellipsis + 1));
        let cuts = |order: CutOrder, floor: usize| -> Vec<(usize, usize)> {
            (0..count).filter(|c| self.fits[*c] == Fit::Cut(order)).map(|c| (c, cut_floor(c, floor))).collect()
        };
        let wraps = |floor: usize| -> Vec<(usize, usize)> {
            (0..count)
                .filter(|c| self.fits[*c] == Fit::Wrap)
                .map(|c| (c, m.natural[c].min(m.longest_word[c].max(floor))))
                .collect()
        };
        vec![
            cuts(CutOrder::Text, SOFT_FLOOR),
            cuts(CutOrder::Reference, SOFT_FLOOR),
            // Phrases wrap to a few words a line before anything is cut short…
            wraps(WRAP_FLOOR),
            cuts(CutOrder::Text, HARD_FLOOR),
            cuts(CutOrder::Reference, WRAP_FLOOR),
            // …then to a word a line, and only then are references cut short.
            wraps(0),
            cuts(CutOrder::Reference, HARD_FLOOR),
        ]
    }

    /// Chooses column widths for `width` (no limit when `None`).
    pub fn layout(&self, width: Option<usize>, ellipsis: usize) -> Layout {
        let measures = self.measure();
        let all = Layout { columns: (0..self.header.len()).collect(), widths: measures.natural.clone(), gap: 3 };
        let Some(width) = width else { return all };
        let rounds = self.rounds(&measures, ellipsis);
        // Each try starts from the natural widths: three spaces between
        // columns when everything fits; else two, with the first rounds,
        // then all rounds; then one space; then fewer columns.
        let mut tries = vec![(3, 0, 0), (2, 0, 3)];
        for dropped in 0..=self.droppable.len() {
            tries.push((2, dropped, rounds.len()));
            tries.push((1, dropped, rounds.len()));
        }
        let mut last = all.clone();
        for (gap, dropped, round_count) in tries {
            let mut layout = all.clone();
            layout.gap = gap;
            for column in &self.droppable[..dropped] {
                layout.drop_column(*column);
            }
            for round in &rounds[..round_count] {
                layout.shrink(round, width);
            }
            if layout.total() <= width {
                return layout;
            }
            last = layout;
        }
        last
    }

    /// The cells of the table at these widths: each cell a list of lines.
    pub fn fitted(&self, layout: &Layout, ellipsis: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let header = layout
            .columns
            .iter()
            .zip(&layout.widths)
            .map(|(c, w)| wrap_words(&self.header[*c], *w, ellipsis).join("\n"))
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                layout
                    .columns
                    .iter()
                    .zip(&layout.widths)
                    .map(|(c, w)| {
                        let cell = self.cell(row, *c);
                        match self.fits[*c] {
                            Fit::Wrap => wrap_words(&cell, *w, ellipsis).join("\n"),
                            Fit::Cut(_) | Fit::Keep => cut(&cell, *w, ellipsis),
                        }
                    })
                    .collect()
            })
            .collect();
        (header, rows)
    }
}

impl Layout {
    fn drop_column(&mut self, column: usize) {
        if let Some(position) = self.columns.iter().position(|c| *c == column) {
            self.columns.remove(position);
            self.widths.remove(position);
        }
    }

    fn total(&self) -> usize {
        self.widths.iter().sum::<usize>() + self.gap * self.widths.len().saturating_sub(1)
    }

    /// Narrows the widest of `columns` (each down to its floor) one
    /// character at a time until the table fits or none can give more.
    fn shrink(&mut self, columns: &[(usize, usize)], width: usize) {
        while self.total() > width {
            let widest = columns
                .iter()
                .filter_map(|(c, floor)| {
                    let position = self.columns.iter().position(|x| x == c)?;
                    (self.widths[position] > *floor).then_some(position)
                })
                .max_by_key(|p| (self.widths[*p], usize::MAX - *p));
            match widest {
                Some(position) => self.widths[position] -= 1,
                None => return,
            }
        }
    }
}

/// Columns of a terminal that a text takes, colour codes aside.
pub fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(length) = sgr_length(rest) {
            rest = &rest[length..];
            continue;
        }
        width += c.width().unwrap_or(0);
        rest = &rest[c.len_utf8()..];
    }
    width
}

/// The length of a colour code (`ESC [ digits ; … m`) at the start of `text`.
pub fn sgr_length(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\x1b[")?;
    let digits = body.chars().take_while(|c| c.is_ascii_digit() || *c == ';').count();
    body[digits..].starts_with('m').then_some(2 + digits + 1)
}

/// The text without colour codes.
pub fn strip_sgr(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(length) = sgr_length(rest) {
            rest = &rest[length..];
            continue;
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    plain
}

fn words_max(text: &str) -> usize {
    words(text).iter().map(|w| display_width(w)).max().unwrap_or(0)
}

/// The words of a text, split at spaces; a `%` stays with its number
/// (`40 %` wraps as one).
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if word.starts_with('%') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    words
}

/// Control characters in user text as visible escapes: `\n`, `\t`, `\r`,
/// and `\u{1b}` for the others (the way Rust writes them), so that a note
/// cannot break a row or rewrite the screen. Colour codes stay when
/// `keep_sgr` (colour is on and learnlog wrote them).
pub fn escape_controls(text: &str, keep_sgr: bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut safe = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_sgr && let Some(length) = sgr_length(rest) {
            safe.push_str(&rest[..length]);
            rest = &rest[length..];
            continue;
        }
        push_escaped(&mut safe, c);
        rest = &rest[c.len_utf8()..];
    }
    safe
}

/// Pushes `c`, or its visible escape when it is a control character.
pub fn push_escaped(text: &mut String, c: char) {
    match c {
        '\n' => text.push_str("\\n"),
        '\t' => text.push_str("\\t"),
        '\r' => text.push_str("\\r"),
        c if c.is_control() => text.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => text.push(c),
    }
}

/// `text` cut to `width` columns, ending in `ellipsis` when cut. Colour
/// codes are dropped from a cut text (half a colour span would bleed).
pub fn cut(text: &str, width: usize, ellipsis: &str) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let plain = strip_sgr(text);
    let room = width.saturating_sub(display_width(ellipsis));
    let mut kept = String::new();
    let mut used = 0;
    for c in plain.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    let kept = kept.trim_end();
    if kept.is_empty() && width < display_width(ellipsis) {
        return String::new();
    }
    format!("{kept}{ellipsis}")
}

/// Lines of at most `width` columns, broken at spaces; a word wider than
/// `width` is cut with `ellipsis` (only on a terminal too narrow for it).
pub fn wrap_words(text: &str, width: usize, ellipsis: &str) -> Vec<String> {
    if display_width(text) <= width {
        return vec![text.to_string()];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words(text) {
        let word = if display_width(&word) > width { cut(&word, width, ellipsis) } else { word };
        if line.is_empty() {
            line = word;
        } else if display_width(&line) + 1 + display_width(&word) <= width {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::take(&mut line));
            line = word;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Separators of a one-line summary (`streak 3d · today 45m`): a wrapped
/// summary breaks after them rather than inside a part.
const SEPARATORS: [&str; 2] = [" · ", " | "];

/// A line of prose wrapped at spaces to `width`; continuation lines are
/// indented under the first one's text. A summary breaks between its parts
/// when they fit. Words wider than the line stay whole.
pub fn wrap_line(text: &str, width: usize) -> Vec<String> {
    if display_width(text) <= width {
        return vec![text.to_string()];
    }
    let indent_len = text.len() - text.trim_start_matches(' ').len();
    let hanging = " ".repeat((indent_len + 2).min(width / 2));
    if let Some(lines) = wrap_parts(text, width, &hanging) {
        return lines;
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = " ".repeat(indent_len);
    let mut has_word = false;
    for word in text[indent_len..].split(' ') {
        if has_word && display_width(&line) + 1 + display_width(word) > width {
            lines.push(std::mem::take(&mut line));
            line = hanging.clone();
            has_word = false;
        }
        if has_word {
            line.push(' ');
        }
        line.push_str(word);
        has_word = true;
    }
    lines.push(line);
    lines
}

/// A summary wrapped between its parts, when it has some and each fits.
fn wrap_parts(text: &str, width: usize, hanging: &str) -> Option<Vec<String>> {
    let separator = SEPARATORS.iter().find(|s| text.contains(*s))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let trail = separator.trim_end();
    if parts.iter().any(|p| display_width(hanging) + display_width(p) + display_width(trail) > width) {
        return None;
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        let tail = if last { 0 } else { display_width(trail) };
        if line.is_empty() {
            line = if lines.is_empty() { part.to_string() } else { format!("{hanging}{part}") };
        } else if display_width(&line) + display_width(separator) + display_width(part) + tail <= width {
            line.push_str(separator);
            line.push_str(part);
        } else {
            line.push_str(trail);
            lines.push(std::mem::take(&mut line));
            line = format!("{hanging}{part}");
        }
    }
    lines.push(line);
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TextTable {
        let mut t = TextTable::new(&["ref", "title", "units/wk needed", "due"]);
        t.add_row(vec![
            "machine-learning-specialization".into(),
            "Machine Learning Specialization: Supervised Regression and Classification".into(),
            "4.7".into(),
            "2026-12-20".into(),
        ]);
        t.cut_reference(&[0]).cut_text(&[1]).keep(&[3]);
        t
    }

    #[test]
    fn a_table_fits_every_width_from_forty_columns() {
        let t = sample();
        for width in 40..120 {
            let layout = t.layout(Some(width), 1);
            assert!(layout.total() <= width, "{width}: {layout:?}");
            let (header, rows) = t.fitted(&layout, "…");
            for (cell, w) in header.iter().chain(&rows[0]).zip(layout.widths.iter().cycle()) {
                for line in cell.lines() {
                    assert!(display_width(line) <= *w, "{width}: {line:?} wider than {w}");
                }
            }
        }
    }

    #[test]
    fn titles_give_way_before_references_and_headers_wrap_at_spaces() {
        let t = sample();
        let layout = t.layout(Some(80), 1);
        let (header, rows) = t.fitted(&layout, "…");
        assert_eq!(rows[0][0], "machine-learning-specialization");
        assert!(rows[0][1].ends_with('…'), "{:?}", rows[0][1]);
        assert_eq!(header[2], "units/wk needed");
        assert_eq!(rows[0][3], "2026-12-20");
        let (header, rows) = t.fitted(&t.layout(Some(60), 1), "…");
        assert_eq!(header[2], "units/wk\nneeded");
        assert!(rows[0][0].ends_with('…'), "{:?}", rows[0][0]);
    }

    #[test]
    fn optional_columns_give_way_last() {
        let mut t = TextTable::new(&["ref", "kind", "status", "sessions", "units", "progress"]);
        t.add_row(vec!["ml".into(), "course".into(), "completed".into(), "12".into(), "3".into(), "3/10".into()]);
        t.cut_reference(&[0]).keep(&[3, 4]).droppable(&[1, 4]);
        assert_eq!(t.layout(Some(80), 1).columns, vec![0, 1, 2, 3, 4, 5]);
        let narrow = t.layout(Some(38), 1);
        assert_eq!(narrow.columns, vec![0, 2, 3, 4, 5]);
        assert!(narrow.total() <= 38);
        assert_eq!(t.layout(Some(36), 1).columns, vec![0, 2, 3, 5]);
    }

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(escape_controls("a\tb\nc\x07d\x1b]0;x", true), "a\\tb\\nc\\u{7}d\\u{1b}]0;x");
        assert_eq!(escape_controls("\x1b[31mred\x1b[0m", true), "\x1b[31mred\x1b[0m");
        assert_eq!(escape_controls("\x1b[31mred", false), "\\u{1b}[31mred");
    }

    #[test]
    fn cutting_counts_wide_characters() {
        assert_eq!(cut("日本語のタイトル", 7, "…"), "日本語…");
        assert_eq!(display_width(&cut("日本語のタイトル", 7, "…")), 7);
        assert_eq!(wrap_words("3 kept, 1 missed", 8, "…"), vec!["3 kept,", "1 missed"]);
        assert_eq!(wrap_words("12/30 (40 %)", 8, "…"), vec!["12/30", "(40 %)"]);
    }

    #[test]
    fn prose_wraps_under_its_indent() {
        assert_eq!(wrap_line("  note words go here", 12), vec!["  note words", "    go here"]);
        assert_eq!(
            wrap_line("Streak 3 days · 2 freezes held · weekly 1 week", 34),
            vec!["Streak 3 days · 2 freezes held ·", "  weekly 1 week"]
        );
    }
}
