//! Arbitrary input on the command line never panics: it is accepted or
//! refused with `error:` and exit 2, and a refused write changes nothing.

use proptest::prelude::*;

use crate::common::TestEnv;

fn env_with_records() -> TestEnv {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "--units", "10"]).ok();
    env.run(&["add", "course", "Math 101", "--slug", "math"]).ok();
    env.run(&["add", "project", "Bird songs"]).ok();
    env
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_words_never_panic(
        reference in "\\PC{0,12}",
        word in prop_oneof!["\\PC{0,10}", "[0-9.:hm+-]{1,8}", "[a-z ]{0,10}/(week|day)"],
    ) {
        let env = env_with_records();
        let cases: Vec<Vec<&str>> = vec![
            vec!["show", &reference],
            vec!["checkin", &reference, &word],
            vec!["checkin", "ml", "--date", &word],
            vec!["checkin", "ml", "--at", &word],
            vec!["add", "course", &reference, "--price", &word],
            vec!["pledge", "ml", &word],
            vec!["rest", &word],
            vec!["progress", "ml", &word],
        ];
        for args in cases {
            let run = env.run(&args);
            prop_assert!(run.code == 0 || run.code == 2, "{args:?}\n{}", run.transcript());
            prop_assert!(!run.stderr.contains("panicked"), "{args:?}\n{}", run.transcript());
            if run.code == 2 {
                prop_assert!(run.stderr.starts_with("error: "), "{args:?}\n{}", run.transcript());
            }
        }
    }
}

#[test]
fn refused_writes_leave_the_file_byte_identical() {
    let env = env_with_records();
    let before = env.db_bytes();
    for args in [
        &["checkin", "nope", "30m"][..],
        &["checkin", "ml", "0m"],
        &["checkin", "ml", "-5m"],
        &["checkin", "ml", "25h"],
        &["checkin", "ml", "abc"],
        &["checkin", "ml", "10m", "--date", "2026-02-30"],
        &["add", "course", ""],
        &["add", "course", "X", "--price", "abc"],
        &["pledge", "ml", "5x/week"],
        &["rest", "yesterday"],
        &["edit", "session", "999", "--minutes", "5m"],
    ] {
        let run = env.run(args).fails(2);
        assert!(!run.stderr.contains("panicked"));
        assert_eq!(env.db_bytes(), before, "{args:?} changed the database");
    }
}
