//! Slugs: the short names goals, courses and projects are referred to by.

/// "Machine Learning Specialization" → `machine-learning-specialization`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    // Long titles make unwieldy references; cut at a word boundary.
    let mut cut = String::new();
    for word in slug.split('-') {
        if !cut.is_empty() && cut.chars().count() + word.chars().count() + 1 > 40 {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(word);
    }
    if cut.is_empty() { "item".to_string() } else { cut }
}

/// A slug given with `--slug` must look like one.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !slug.starts_with('-')
        && !slug.chars().all(|c| c.is_ascii_digit())
}

/// The first free slug: `ml`, `ml-2`, `ml-3`…
pub fn unique_slug(base: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|candidate| !taken(candidate)).unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slugify("Machine Learning Specialization"), "machine-learning-specialization");
        assert_eq!(slugify("  C++: The Basics! "), "c-the-basics");
        assert_eq!(slugify("???"), "item");
        assert_eq!(slugify("Données & Rust"), "données-rust");
        assert!(slugify(&"word ".repeat(50)).len() <= 40);
    }

    #[test]
    fn clashes_get_a_number() {
        let taken = ["ml", "ml-2"];
        assert_eq!(unique_slug("ml", |s| taken.contains(&s)), "ml-3");
        assert_eq!(unique_slug("rust", |s| taken.contains(&s)), "rust");
    }

    #[test]
    fn numbers_are_not_slugs() {
        assert!(!is_valid_slug("42"));
        assert!(!is_valid_slug("a b"));
        assert!(is_valid_slug("ml-101"));
    }
}
