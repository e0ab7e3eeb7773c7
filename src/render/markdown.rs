//! Markdown for text people typed: a title or note must read as itself in
//! a report or portfolio, never as a heading, a link, a list or a table cell.

/// Escapes user text for one line of Markdown (a paragraph or a table cell).
///
/// Markup characters get a backslash; line breaks become one space (a line
/// break could start a heading or a list); other control characters go.
/// `-`, `+` and `1.` are only markup at the start, and only escaped there,
/// so dates and hyphenated names stay readable in the raw text.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let mut last_was_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' => {
                if !last_was_space {
                    escaped.push(' ');
                }
                last_was_space = true;
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c if c.is_control() => continue,
            c => escaped.push(c),
        }
        last_was_space = c == ' ';
    }
    escape_line_start(escaped)
}

/// `- x`, `+ x` and `1. x` at the start of a line would start a list.
fn escape_line_start(mut text: String) -> String {
    if text.starts_with(['-', '+']) {
        text.insert(0, '\\');
    } else if let Some(end) = text.find(['.', ')'])
        && end > 0
        && text[..end].chars().all(|c| c.is_ascii_digit())
    {
        text.insert(end, '\\');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(escape("plain text, 2026-11-23"), "plain text, 2026-11-23");
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("*bold* _it_ `code`"), "\\*bold\\* \\_it\\_ \\`code\\`");
        assert_eq!(escape("[x](http://e) <b>"), "\\[x\\](http://e) \\<b\\>");
        assert_eq!(escape("back\\slash"), "back\\\\slash");
        assert_eq!(escape("C# ~x~ !img &copy;"), "C\\# \\~x\\~ \\!img \\&copy;");
        assert_eq!(escape("C++ in-depth"), "C++ in-depth");
    }

    #[test]
    fn line_starts_cannot_open_blocks() {
        assert_eq!(escape("title\n# heading\r\n- item"), "title \\# heading - item");
        assert_eq!(escape("- a list"), "\\- a list");
        assert_eq!(escape("+ a list"), "\\+ a list");
        assert_eq!(escape("1. not a list"), "1\\. not a list");
        assert_eq!(escape("2) not a list"), "2\\) not a list");
        assert_eq!(escape("a \n b"), "a  b");
        assert!(!escape("x\ny\rz\u{7}").contains(['\n', '\r', '\u{7}']));
    }
}
