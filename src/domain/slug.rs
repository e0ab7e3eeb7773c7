//! Slugs: the short names goals, courses and projects are referred to by
//!.

use chrono::NaiveDate;

use super::parse::{looks_like_duration, parse_date};

/// The longest slug learnlog makes from a title.
pub const MAX_MADE: usize = 40;

/// Words that mean something else where a REF may stand: `pledge all`,
/// `--target none`, `show session N`, and the date words before a weekday.
const SPECIAL_WORDS: &[&str] = &["all", "none", "session", "last", "next"];

/// "Machine Learning Specialization" → `machine-learning-specialization`:
/// at most 40 characters, cut at a word boundary; a slug that would read as
/// something else on the command line gets its kind as a prefix
/// (`course-12`).
pub fn slugify(kind: &str, title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = cut(slug.trim_end_matches('-'), MAX_MADE);
    if slug.is_empty() {
        return kind.to_string();
    }
    if is_reserved(&slug) { cut(&format!("{kind}-{slug}"), MAX_MADE) } else { slug }
}

/// At most `max` characters, cut after a whole word; a first word longer
/// than that (or one that would leave less than half) is cut inside.
fn cut(slug: &str, max: usize) -> String {
    if slug.chars().count() <= max {
        return slug.to_string();
    }
    let mut kept = String::new();
    for word in slug.split('-') {
        let would_be = kept.chars().count() + usize::from(!kept.is_empty()) + word.chars().count();
        if would_be > max {
            break;
        }
        if !kept.is_empty() {
            kept.push('-');
        }
        kept.push_str(word);
    }
    if kept.chars().count() * 2 < max {
        kept = slug.chars().take(max).collect::<String>().trim_end_matches('-').to_string();
    }
    kept
}

/// Would this slug read as something other than a reference where one is
/// typed: a number, a duration (`90`, `1h`, `1:30`), a date (`today`,
/// `fri`, `2026-01-31`) or a special word (`all`)?
pub fn is_reserved(slug: &str) -> bool {
    let lower = slug.to_lowercase();
    // Any fixed day will do: only whether it parses matters.
    let someday = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    SPECIAL_WORDS.contains(&lower.as_str())
        || lower.chars().all(|c| c.is_ascii_digit())
        || looks_like_duration(&lower)
        || parse_date(&lower, someday).is_ok()
}

/// The shape of a slug: letters, digits, `-`, `_`, `.`, not starting with
/// `-`. Every slug learnlog ever wrote has it, so `import` takes any such.
pub fn is_well_formed(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !slug.starts_with('-')
}

/// A slug given with `--slug`: well formed and not reserved; why not if not.
pub fn check_given(slug: &str) -> Result<(), &'static str> {
    if !is_well_formed(slug) {
        return Err("use letters, digits, '-', '_' or '.'");
    }
    if is_reserved(slug) {
        return Err("it would read as a number, a duration, a date or a keyword; add a word (course-12)");
    }
    Ok(())
}

/// The slug an imported record of `kind` gets: its own, with the kind as a
/// prefix when it would read as something else (an older learnlog made
/// such slugs).
pub fn for_import(kind: &str, slug: &str) -> String {
    if is_reserved(slug) { format!("{kind}-{slug}") } else { slug.to_string() }
}

/// The first free slug: `ml`, `ml-2`, `ml-3`… A made slug (at most 40
/// characters) stays within 40 with its number.
pub fn unique_slug(base: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let limit = base.chars().count().max(MAX_MADE);
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let room = limit.saturating_sub(suffix.len());
            let stem: String = base.chars().take(room).collect();
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slugify("course", "Machine Learning Specialization"), "machine-learning-specialization");
        assert_eq!(slugify("course", "  C++: The Basics! "), "c-the-basics");
        assert_eq!(slugify("goal", "???"), "goal");
        assert_eq!(slugify("course", "Données & Rust"), "données-rust");
        assert!(slugify("course", &"word ".repeat(50)).len() <= 40);
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = slugify("course", "Introduction to Computational Thinking and Data Science with Python");
        assert_eq!(slug, "introduction-to-computational-thinking");
        assert_eq!(slugify("course", &"x".repeat(100_000)).chars().count(), 40);
        assert_eq!(slugify("course", &"é".repeat(100)).chars().count(), 40);
    }

    #[test]
    fn slugs_that_read_as_something_else_get_their_kind() {
        for (title, slug) in [
            ("12", "course-12"),
            ("90", "course-90"),
            ("1h", "course-1h"),
            ("45m", "course-45m"),
            ("1h30", "course-1h30"),
            ("Today", "course-today"),
            ("yesterday", "course-yesterday"),
            ("Mon", "course-mon"),
            ("Sunday", "course-sunday"),
            ("Fri", "course-fri"),
            ("last", "course-last"),
            ("All", "course-all"),
            ("2026-01-31", "course-2026-01-31"),
        ] {
            assert_eq!(slugify("course", title), slug, "{title}");
        }
        assert_eq!(slugify("course", &"9".repeat(60)), format!("course-{}", "9".repeat(33)));
        assert_eq!(slugify("goal", "2027"), "goal-2027");
        assert_eq!(slugify("course", "1-30"), "1-30");
        assert_eq!(slugify("course", "ml 101"), "ml-101");
    }

    #[test]
    fn given_slugs() {
        for bad in ["42", "a b", "1h", "today", "all", "fri", "-x", "", "course:ml", "90m"] {
            assert!(check_given(bad).is_err(), "{bad}");
        }
        for good in ["ml-101", "course-12", "rust_book", "cs50.x", "données"] {
            assert!(check_given(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn imported_slugs() {
        assert_eq!(for_import("course", "12"), "course-12");
        assert_eq!(for_import("course", "ml"), "ml");
        assert!(is_well_formed("12"));
    }

    #[test]
    fn clashes_get_a_number() {
        let taken = ["ml", "ml-2"];
        assert_eq!(unique_slug("ml", |s| taken.contains(&s)), "ml-3");
        assert_eq!(unique_slug("rust", |s| taken.contains(&s)), "rust");
        let long = "a".repeat(40);
        let next = unique_slug(&long, |s| s == long);
        assert_eq!(next.chars().count(), 40);
        assert!(next.ends_with("-2"));
    }

    proptest! {
        #[test]
        fn made_slugs_are_short_usable_and_well_formed(title in "\\PC{0,80}") {
            let slug = slugify("course", &title);
            prop_assert!(slug.chars().count() <= MAX_MADE, "{}", slug);
            prop_assert!(is_well_formed(&slug), "{}", slug);
            prop_assert!(check_given(&slug).is_ok(), "{}", slug);
        }
    }
}
