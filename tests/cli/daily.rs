//! The daily loop: add, check in, status, streak, undo.

use crate::common::TestEnv;

#[test]
fn add_checkin_status_streak() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--platform", "Coursera", "--units", "11"]).ok();
    let run = env.run(&["checkin", "machine", "45m", "--units", "1"]).ok();
    assert!(run.stdout.contains("Logged 45m on machine-learning"), "{}", run.stdout);
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["today"]["minutes"], 45);
    assert_eq!(status["today"]["studied"], true);
    assert_eq!(status["streak"]["daily"]["current"], 1);
}
