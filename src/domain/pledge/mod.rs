//! Pledges: rates, periods, the akrasia horizon, verdicts, closing and
//! debts.
//!
//! Pure: no I/O, no clock, no SQL. `today` is always a parameter, and each
//! pledge carries the [`PledgeTerms`] it was made under (week start, grace,
//! horizon…), so every answer is reproducible in tests.
//!
//! A pledge's history is a list of [`RateChange`]s. Read in order of
//! `(effective_from, seq)`, they cut time into *segments*, each with one rate
//! (or none: the pledge ended). Segments are cut into *periods* (days or
//! weeks) and each period is judged against its segment's rate. Segment
//! boundaries are normalised so that every period lies inside one segment;
//! see [`Pledge::plan_change`] for how the boundaries are chosen.

mod closing;
mod period;
mod rate;
mod terms;
mod timeline;
mod verdict;

pub use closing::{LateSession, Placement};
pub use period::{period_end, period_start};
pub use rate::{Per, RATE_HINT, Rate, RateUnit, is_easier};
pub use terms::PledgeTerms;
pub use timeline::{ChangeKind, ChangePlan, Completion, Pledge, RateChange};
pub use verdict::{DayAmount, EvalContext, Logged, PeriodResult, Verdict, debts, evaluate, scheduled, week_kept};

#[cfg(test)]
mod tests {
    //! Unit and property tests of the pledge domain.

    use super::rate::MINUTES_PER_DAY;
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime, Weekday};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn r(s: &str) -> Rate {
        s.parse().unwrap()
    }

    fn err(s: &str) -> String {
        s.parse::<Rate>().unwrap_err().to_string()
    }

    /// Rest days declared long before (they excuse every pledge).
    fn ctx(today: &str, rest: &[&str]) -> EvalContext<'static> {
        let early: NaiveDateTime = "2000-01-01T12:00:00".parse().unwrap();
        let rest: BTreeMap<NaiveDate, NaiveDateTime> = rest.iter().map(|s| (d(s), early)).collect();
        EvalContext { today: d(today), week_start: Weekday::Mon, rest_days: Box::leak(Box::new(rest)) }
    }

    fn mon() -> PledgeTerms {
        PledgeTerms::default()
    }

    fn terms_ws(ws: Weekday) -> PledgeTerms {
        PledgeTerms { week_starts: ws, ..PledgeTerms::default() }
    }

    fn log(entries: &[(&str, i64)]) -> Logged {
        let days: BTreeMap<_, _> =
            entries.iter().map(|(day, minutes)| (d(day), DayAmount { minutes: *minutes, units: 0 })).collect();
        days.into()
    }

    fn pledge(rate: &str, from: &str) -> Pledge {
        Pledge::new(r(rate), d(from), None, mon()).unwrap()
    }

    /// (start, rate, verdict) of each period, for compact assertions.
    fn summary(results: &[PeriodResult]) -> Vec<(String, String, Verdict)> {
        results.iter().map(|p| (p.start.to_string(), p.rate.to_string(), p.verdict)).collect()
    }

    // 2024-06-03 is a Monday; 2024-06-02 a Sunday.

    #[test]
    fn parses_every_form() {
        let cases = [
            ("5h/week", 300, RateUnit::Minutes, Per::Week),
            ("90m/week", 90, RateUnit::Minutes, Per::Week),
            ("1h30m/week", 90, RateUnit::Minutes, Per::Week),
            ("1.5h/week", 90, RateUnit::Minutes, Per::Week),
            ("4d/week", 4, RateUnit::Days, Per::Week),
            ("3u/week", 3, RateUnit::Units, Per::Week),
            ("30m/day", 30, RateUnit::Minutes, Per::Day),
            ("2u/day", 2, RateUnit::Units, Per::Day),
            ("  5H / Week ", 300, RateUnit::Minutes, Per::Week),
            ("1 h 30 min/wk", 90, RateUnit::Minutes, Per::Week),
            ("7days/w", 7, RateUnit::Days, Per::Week),
            ("0.01h/day", 1, RateUnit::Minutes, Per::Day),
            ("24h/day", 1440, RateUnit::Minutes, Per::Day),
        ];
        for (text, amount, unit, per) in cases {
            assert_eq!(r(text), Rate { amount, unit, per }, "{text}");
        }
    }

    #[test]
    fn rejects_bad_rates_with_reasons() {
        assert_eq!(err("5x/week"), "invalid rate '5x/week': unknown unit 'x'");
        let cases = [
            ("", "empty"),
            ("5h", "missing the period"),
            ("5h/", "missing the period"),
            ("5h/month", "unknown period 'month'"),
            ("/week", "missing the amount"),
            ("90/week", "'90' needs a unit"),
            ("0h/week", "greater than zero"),
            ("-5h/week", "greater than zero"),
            ("0.001h/week", "greater than zero"),
            ("2d/day", "makes no sense"),
            ("8d/week", "only 7 days"),
            ("25h/day", "more than a day"),
            ("169h/week", "more than a week"),
            ("1.5d/week", "whole number"),
            ("1.5m/week", "whole number"),
            ("30m1h/week", "hours then minutes"),
            ("1h2d/week", "hours then minutes"),
            ("3d2d/week", "hours then minutes"),
            ("h/week", "expected a number"),
            ("1..5h/week", "not a number"),
            ("+5h/week", "unexpected '+'"),
            ("5é/week", "unexpected 'é'"),
            ("9999999999h/week", "too long"),
        ];
        for (text, reason) in cases {
            let e = err(text);
            assert!(e.contains(reason), "{text}: {e}");
        }
        let e = "5x/week".parse::<Rate>().unwrap_err();
        assert!(e.hint.is_some_and(|hint| hint.contains("4d/week (study days)")));
    }

    #[test]
    fn displays_canonical_forms() {
        for (text, shown) in [
            ("90m/week", "1h30m/week"),
            ("1.5h/week", "1h30m/week"),
            ("300m/week", "5h/week"),
            ("45m/day", "45m/day"),
            ("4d/week", "4d/week"),
            ("3u/week", "3u/week"),
        ] {
            assert_eq!(r(text).to_string(), shown);
        }
        let week = r("5h/week");
        assert_eq!(week.format_amount(140), "2h20");
        assert_eq!(week.format_amount(65), "1h05");
        assert_eq!(week.format_amount(45), "45m");
        assert_eq!(week.format_amount(300), "5h");
        assert_eq!(r("4d/week").format_amount(1), "1 day");
        assert_eq!(r("4d/week").format_amount(3), "3 days");
        assert_eq!(r("3u/week").format_amount(2), "2 units");
    }

    #[test]
    fn serializes_for_json() {
        assert_eq!(serde_json::to_string(&r("90m/week")).unwrap(), "\"1h30m/week\"");
        let back: Rate = serde_json::from_str("\"5h/week\"").unwrap();
        assert_eq!(back, r("5h/week"));
        assert!(serde_json::from_str::<Rate>("\"5x/week\"").is_err());
        assert_eq!(serde_json::to_string(&Verdict::OnTrack).unwrap(), "\"on_track\"");
        let p = pledge("5h/week", "2024-06-05");
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-05", &[]), d("2024-06-05"), d("2024-06-05"));
        let json = serde_json::to_value(&res[0]).unwrap();
        assert_eq!(json["start"], "2024-06-03");
        assert_eq!(json["end"], "2024-06-09");
        assert_eq!(json["rate"], "5h/week");
        assert_eq!(json["verdict"], "behind");
        assert_eq!(json["needed"], 300);
    }

    #[test]
    fn periods_follow_week_start() {
        let wed = d("2024-06-05");
        assert_eq!(period_start(wed, Per::Week, Weekday::Mon), d("2024-06-03"));
        assert_eq!(period_end(wed, Per::Week, Weekday::Mon), d("2024-06-09"));
        assert_eq!(period_start(wed, Per::Week, Weekday::Sun), d("2024-06-02"));
        assert_eq!(period_end(wed, Per::Week, Weekday::Sun), d("2024-06-08"));
        let sun = d("2024-06-09");
        assert_eq!(period_start(sun, Per::Week, Weekday::Sun), sun);
        assert_eq!(period_start(sun, Per::Week, Weekday::Mon), d("2024-06-03"));
        assert_eq!(period_start(wed, Per::Day, Weekday::Mon), wed);
        assert_eq!(period_end(wed, Per::Day, Weekday::Sun), wed);
    }

    #[test]
    fn new_pledge_snaps_from_and_until() {
        let (wed, fri) = (d("2024-06-05"), d("2024-06-21"));
        let mon = Pledge::new(r("5h/week"), wed, Some(fri), terms_ws(Weekday::Mon)).unwrap();
        assert_eq!((mon.from, mon.until), (d("2024-06-03"), Some(d("2024-06-23"))));
        let sun = Pledge::new(r("5h/week"), wed, Some(fri), terms_ws(Weekday::Sun)).unwrap();
        assert_eq!((sun.from, sun.until), (d("2024-06-02"), Some(d("2024-06-22"))));
        let day = Pledge::new(r("30m/day"), wed, Some(fri), terms_ws(Weekday::Sun)).unwrap();
        assert_eq!((day.from, day.until), (wed, Some(fri)));
        assert_eq!(day.changes[0].effective_from, wed);
        let bad = Pledge::new(r("5h/week"), fri, Some(wed), terms_ws(Weekday::Mon));
        assert!(bad.unwrap_err().contains("before it starts"));
        assert_eq!(mon.end_day(Weekday::Mon), Some(d("2024-06-23")));
    }

    #[test]
    fn week_kept_and_week_missed() {
        let p = pledge("5h/week", "2024-06-03");
        let amounts = log(&[("2024-06-04", 200), ("2024-06-08", 100), ("2024-06-12", 60)]);
        let c = ctx("2024-06-20", &[]);
        let res = evaluate(&p, &amounts, &c, d("2024-06-03"), d("2024-06-16"));
        assert_eq!(res.len(), 2);
        assert_eq!((res[0].done, res[0].verdict), (300, Verdict::Kept));
        assert_eq!((res[1].done, res[1].needed, res[1].verdict), (60, 240, Verdict::Missed));
        assert_eq!(res[1].days_left, 0);
        assert_eq!(debts(&res, true), vec![d("2024-06-10")]);
        assert!(debts(&res, false).is_empty());
        let both = [(&p, &amounts)];
        assert_eq!(week_kept(&both, d("2024-06-05"), &c), Some(true));
        assert_eq!(week_kept(&both, d("2024-06-12"), &c), Some(false));
        assert_eq!(week_kept(&both, d("2024-05-29"), &c), None);
    }

    #[test]
    fn study_days_with_a_rest_day() {
        let p = pledge("4d/week", "2024-06-03");
        // 2024-06-06 has 0 minutes (a progress mark): not a study day.
        let amounts = log(&[("2024-06-03", 30), ("2024-06-04", 5), ("2024-06-05", 40), ("2024-06-06", 0)]);
        let c = ctx("2024-06-20", &["2024-06-07"]);
        let strict = Pledge { terms: PledgeTerms { min_minutes: 10, ..mon() }, ..p.clone() };
        let res = evaluate(&strict, &amounts, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].done, res[0].verdict), (3, 2, Verdict::Missed));
        let res = evaluate(&p, &amounts, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].done, res[0].verdict), (3, 3, Verdict::Kept));
        // A target lowered to 0 is kept.
        let p = pledge("1d/week", "2024-06-03");
        let res = evaluate(&p, &log(&[]), &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].verdict), (0, Verdict::Kept));
    }

    #[test]
    fn day_pledge_skips_rest_days() {
        let p = pledge("30m/day", "2024-06-03");
        let amounts = log(&[("2024-06-03", 30), ("2024-06-05", 10)]);
        let c = ctx("2024-06-06", &["2024-06-04"]);
        let res = evaluate(&p, &amounts, &c, d("2024-06-01"), d("2024-06-09"));
        let days: Vec<_> = res.iter().map(|p| (p.start.to_string(), p.verdict)).collect();
        assert_eq!(
            days,
            [
                ("2024-06-03".to_string(), Verdict::Kept),
                ("2024-06-05".to_string(), Verdict::Missed),
                ("2024-06-06".to_string(), Verdict::Behind),
            ]
        );
        assert_eq!((res[2].needed, res[2].days_left), (30, 1));
        assert_eq!(week_kept(&[(&p, &amounts)], d("2024-06-03"), &c), Some(false));
        let ok = log(&[("2024-06-03", 30), ("2024-06-05", 30), ("2024-06-06", 45)]);
        assert_eq!(week_kept(&[(&p, &ok)], d("2024-06-03"), &c), Some(true));
    }

    #[test]
    fn easier_change_waits_for_the_horizon() {
        let mut p = pledge("5h/week", "2024-05-27");
        let wed = d("2024-06-05");
        let plan = p.plan_change(Some(r("3h/week")), wed, 7, Weekday::Mon);
        assert_eq!(plan.kind, ChangeKind::Easier);
        // wed + 7 = 2024-06-12; the first week start on or after it:
        assert_eq!(plan.effective_from, d("2024-06-17"));
        p.apply(&plan, 1);
        let c = ctx("2024-06-19", &[]);
        let res = evaluate(&p, &log(&[]), &c, d("2024-06-03"), d("2024-06-23"));
        let s = summary(&res);
        assert_eq!(s[0].1, "5h/week", "current week (of the change)");
        assert_eq!(s[1].1, "5h/week", "next week");
        assert_eq!(s[2].1, "3h/week");
        assert_eq!(p.rate_on(d("2024-06-16"), Weekday::Mon), Some(r("5h/week")));
        // Changing the unit is easier too.
        let plan = p.plan_change(Some(r("10u/week")), d("2024-06-19"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::Easier, d("2024-07-01")));
    }

    #[test]
    fn harder_change_applies_to_the_current_period() {
        let mut p = pledge("3h/week", "2024-05-27");
        let plan = p.plan_change(Some(r("5h/week")), d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!(plan.kind, ChangeKind::Harder);
        assert_eq!(plan.effective_from, d("2024-06-03"));
        p.apply(&plan, 1);
        let amounts = log(&[("2024-06-04", 200)]);
        let res = evaluate(&p, &amounts, &ctx("2024-06-05", &[]), d("2024-05-27"), d("2024-06-09"));
        assert_eq!(summary(&res)[0].1, "3h/week");
        assert_eq!((res[1].rate, res[1].needed, res[1].verdict), (r("5h/week"), 100, Verdict::Behind));
        // On the pledge's first day a harder change replaces the first rate.
        let mut q = pledge("3h/week", "2024-06-03");
        let plan = q.plan_change(Some(r("4h/week")), d("2024-06-03"), 7, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-03"));
        q.apply(&plan, 1);
        assert_eq!(q.rate_on(d("2024-06-03"), Weekday::Mon), Some(r("4h/week")));
    }

    #[test]
    fn new_change_cancels_a_pending_one() {
        let mut p = pledge("5h/week", "2024-05-27");
        let easier = p.plan_change(Some(r("2h/week")), d("2024-06-05"), 7, Weekday::Mon);
        p.apply(&easier, 1);
        let again = p.plan_change(Some(r("5h/week")), d("2024-06-06"), 7, Weekday::Mon);
        assert_eq!(again.kind, ChangeKind::Unchanged);
        assert_eq!(again.cancels, vec![1]);
        p.apply(&again, 2);
        assert_eq!(p.rate_on(d("2024-07-01"), Weekday::Mon), Some(r("5h/week")));
        // An easier change cancels a pending one too and still waits.
        let mut q = pledge("5h/week", "2024-05-27");
        q.apply(&q.plan_change(Some(r("4h/week")), d("2024-06-05"), 7, Weekday::Mon), 1);
        let plan = q.plan_change(Some(r("1h/week")), d("2024-06-12"), 7, Weekday::Mon);
        assert_eq!((plan.cancels.clone(), plan.effective_from), (vec![1], d("2024-06-24")));
        q.apply(&plan, 2);
        assert_eq!(q.rate_on(d("2024-06-17"), Weekday::Mon), Some(r("5h/week")));
        assert_eq!(q.rate_on(d("2024-06-24"), Weekday::Mon), Some(r("1h/week")));
    }

    #[test]
    fn end_waits_for_the_horizon() {
        let mut p = pledge("30m/day", "2024-06-01");
        let plan = p.plan_change(None, d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::End, d("2024-06-12")));
        p.apply(&plan, 1);
        assert_eq!(p.end_day(Weekday::Mon), Some(d("2024-06-11")));
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-30", &[]), d("2024-06-01"), d("2024-06-30"));
        assert_eq!(res.len(), 11);
        assert_eq!(res.last().unwrap().start, d("2024-06-11"));
        // A weekly pledge ends on a week start.
        let mut w = pledge("5h/week", "2024-05-27");
        let plan = w.plan_change(None, d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-17"));
        w.apply(&plan, 1);
        assert_eq!(w.end_day(Weekday::Mon), Some(d("2024-06-16")));
        // Restarting an ended pledge is harder: at once.
        let plan = w.plan_change(Some(r("2h/week")), d("2024-07-03"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::Harder, d("2024-07-01")));
    }

    #[test]
    fn switching_between_day_and_week_happens_on_a_week_start() {
        let mut p = pledge("30m/day", "2024-05-29");
        let plan = p.plan_change(Some(r("3h/week")), d("2024-06-05"), 3, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-10"));
        p.apply(&plan, 1);
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-12", &[]), d("2024-06-08"), d("2024-06-16"));
        let s = summary(&res);
        assert_eq!(s.len(), 3);
        assert_eq!((s[1].0.as_str(), s[1].1.as_str()), ("2024-06-09", "30m/day"));
        assert_eq!((s[2].0.as_str(), s[2].1.as_str()), ("2024-06-10", "3h/week"));
        // Odd data (a weekly rate from a Wednesday) is moved to the next week start.
        let mut odd = pledge("30m/day", "2024-05-29");
        odd.changes.push(RateChange { effective_from: d("2024-06-05"), rate: Some(r("3h/week")), seq: 1 });
        assert_eq!(odd.period_at(d("2024-06-07"), Weekday::Mon).unwrap().1, d("2024-06-07"));
        assert_eq!(
            odd.period_at(d("2024-06-12"), Weekday::Mon),
            Some((d("2024-06-10"), d("2024-06-16"), r("3h/week")))
        );
    }

    #[test]
    fn current_period_on_track_or_behind() {
        let p = pledge("5h/week", "2024-06-03");
        let c = ctx("2024-06-06", &[]);
        let behind = log(&[("2024-06-03", 90), ("2024-06-05", 70)]);
        let res = evaluate(&p, &behind, &c, d("2024-06-06"), d("2024-06-06"));
        assert_eq!(res.len(), 1);
        let now = &res[0];
        assert_eq!((now.done, now.needed, now.days_left, now.verdict), (160, 140, 4, Verdict::Behind));
        assert_eq!(now.rate.format_amount(now.needed), "2h20");
        let met = log(&[("2024-06-03", 300), ("2024-06-06", 20)]);
        let res = evaluate(&p, &met, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].needed, res[0].verdict), (0, Verdict::OnTrack));
        assert_eq!(week_kept(&[(&p, &met)], d("2024-06-06"), &c), Some(true));
        assert_eq!(week_kept(&[(&p, &met)], d("2024-06-10"), &c), None, "future week");
        // Units count, including negative corrections.
        let u = pledge("3u/week", "2024-06-03");
        let mut units = BTreeMap::new();
        units.insert(d("2024-06-03"), DayAmount { minutes: 0, units: 4 });
        units.insert(d("2024-06-04"), DayAmount { minutes: 0, units: -2 });
        let res = evaluate(&u, &units.into(), &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].done, res[0].needed), (2, 1));
    }

    fn rate_strategy() -> impl Strategy<Value = Rate> {
        prop_oneof![
            (1..=MINUTES_PER_DAY).prop_map(|a| Rate { amount: a, unit: RateUnit::Minutes, per: Per::Day }),
            (1..=7 * MINUTES_PER_DAY).prop_map(|a| Rate { amount: a, unit: RateUnit::Minutes, per: Per::Week }),
            (1..=7_i64).prop_map(|a| Rate { amount: a, unit: RateUnit::Days, per: Per::Week }),
            (1..=999_999_999_i64, prop_oneof![Just(Per::Day), Just(Per::Week)]).prop_map(|(a, per)| Rate {
                amount: a,
                unit: RateUnit::Units,
                per
            }),
        ]
    }

    fn day(offset: i64) -> NaiveDate {
        d("2024-01-01") + chrono::TimeDelta::days(offset)
    }

    proptest! {
        #[test]
        fn display_round_trips(rate in rate_strategy()) {
            prop_assert_eq!(rate.to_string().parse::<Rate>(), Ok(rate));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Rate>();
        }

        #[test]
        fn evaluation_tiles_the_range(
            ws in 0..7_u8,
            first in rate_strategy(),
            changes in prop::collection::vec((0..200_i64, prop::option::weighted(0.8, rate_strategy())), 0..5),
            until in prop::option::of(0..300_i64),
            logged in prop::collection::vec((0..300_i64, 0..400_i64, -2..5_i64), 0..60),
            rest in prop_oneof![Just(vec![]), prop::collection::vec(0..300_i64, 0..20)],
            (today, lo, len) in (-20..320_i64, -20..320_i64, 0..120_i64),
            min_minutes in 0..60_i64,
        ) {
            let ws = Weekday::try_from(ws).unwrap();
            let start = day(10);
            let terms = PledgeTerms { min_minutes, ..terms_ws(ws) };
            let mut p = Pledge::new(first, start, until.map(day), terms.clone()).unwrap_or(Pledge {
                from: start, until: None, changes: vec![], terms, completion: None });
            let simple = changes.iter().all(|(_, r)| r.is_some()) && rest.is_empty();
            for (i, (off, rate)) in changes.iter().enumerate() {
                p.changes.push(RateChange { effective_from: day(*off), rate: *rate, seq: i as i64 + 1 });
            }
            let amounts: BTreeMap<_, _> = logged.iter()
                .map(|(o, m, u)| (day(*o), DayAmount { minutes: *m, units: *u })).collect();
            let amounts = Logged::from(amounts);
            let early: NaiveDateTime = "2000-01-01T12:00:00".parse().unwrap();
            let rest: BTreeMap<_, _> = rest.iter().map(|o| (day(*o), early)).collect();
            let c = EvalContext { today: day(today), week_start: ws, rest_days: &rest };
            let (from, to) = (day(lo), day(lo + len));
            let res = evaluate(&p, &amounts, &c, from, to);
            for w in res.windows(2) {
                prop_assert!(w[0].end < w[1].start, "ordered, non-overlapping");
                if simple {
                    prop_assert_eq!(w[0].end.succ_opt(), Some(w[1].start), "contiguous");
                }
            }
            for x in &res {
                prop_assert!(x.start <= x.end && x.end >= from && x.start <= to && x.start <= c.today);
                prop_assert!(x.needed >= 0 && x.days_left >= 0 && x.target >= 0);
            }
            if simple {
                for x in from.iter_days().take_while(|x| *x <= to.min(c.today)) {
                    if p.rate_on(x, ws).is_some() {
                        prop_assert!(res.iter().any(|r| r.start <= x && x <= r.end), "{} uncovered", x);
                    }
                }
            }
            let _ = week_kept(&[(&p, &amounts)], from, &c);
        }
    }

    fn at(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    fn late(day: &str, minutes: i64, recorded: &str) -> LateSession {
        LateSession {
            now: Placement { day: d(day), in_scope: true, minutes, units: 0 },
            recorded: at(recorded),
            amended: None,
            prior: None,
        }
    }

    #[test]
    fn a_closed_period_counts_only_what_was_recorded_before_it_closed() {
        let p = pledge("2h/week", "2024-06-03");
        // 2024-06-03..09 closes at the end of the 10th (grace 1).
        let mut logged = log(&[("2024-06-04", 60), ("2024-06-05", 60)]);
        logged.late.push(late("2024-06-05", 60, "2024-06-11T09:00:00"));
        let res = evaluate(&p, &logged, &ctx("2024-06-10", &[]), d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].done, res[0].verdict, res[0].closed), (120, Verdict::Kept, false), "within the grace");
        let res = evaluate(&p, &logged, &ctx("2024-06-11", &[]), d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].done, res[0].verdict, res[0].closed), (60, Verdict::Missed, true));
        assert_eq!(debts(&res, true), vec![d("2024-06-03")]);
        // Recorded at 02:00 on the 11th: still the study day of the 10th.
        logged.late[0].recorded = at("2024-06-11T02:00:00");
        let res = evaluate(&p, &logged, &ctx("2024-06-20", &[]), d("2024-06-03"), d("2024-06-09"));
        assert_eq!(res[0].done, 120);
        // With a longer grace (the pledge's own), the late session counts.
        logged.late[0].recorded = at("2024-06-11T09:00:00");
        let lenient = Pledge { terms: PledgeTerms { grace_days: 2, ..mon() }, ..p };
        let res = evaluate(&lenient, &logged, &ctx("2024-06-20", &[]), d("2024-06-03"), d("2024-06-09"));
        assert_eq!(res[0].done, 120);
    }

    #[test]
    fn an_amendment_after_the_close_never_raises_but_may_lower() {
        let p = pledge("2h/week", "2024-06-03");
        let terms = mon();
        let close = d("2024-06-10");
        let (start, end) = (d("2024-06-03"), d("2024-06-09"));
        let mut s = late("2024-06-04", 180, "2024-06-04T20:00:00");
        s.amended = Some(at("2024-06-12T09:00:00"));
        s.prior = Some(Placement { day: d("2024-06-04"), in_scope: true, minutes: 60, units: 0 });
        // Raised from 60 to 180 after the close: 120 too many.
        assert_eq!(s.excess(start, end, close, &terms), Some((d("2024-06-04"), DayAmount { minutes: 120, units: 0 })));
        // Moved in from outside the period after the close: all of it.
        s.prior = Some(Placement { day: d("2024-06-12"), in_scope: true, minutes: 180, units: 0 });
        assert_eq!(s.excess(start, end, close, &terms).map(|e| e.1.minutes), Some(180));
        // Lowered (prior higher): nothing to take off, the lower amount counts.
        s.prior = Some(Placement { day: d("2024-06-04"), in_scope: true, minutes: 300, units: 0 });
        assert_eq!(s.excess(start, end, close, &terms), None);
        // Amended before the close: counts as it is.
        s.prior = Some(Placement { day: d("2024-06-04"), in_scope: true, minutes: 60, units: 0 });
        s.amended = Some(at("2024-06-10T20:00:00"));
        assert_eq!(s.excess(start, end, close, &terms), None);
        // A late negative unit correction still lowers.
        let mut units = late("2024-06-04", 0, "2024-06-20T09:00:00");
        units.now.units = -2;
        assert_eq!(units.excess(start, end, close, &terms), None);
        let logged = Logged { days: BTreeMap::new(), late: vec![s] };
        assert_eq!(evaluate(&p, &logged, &ctx("2024-06-20", &[]), start, end)[0].done, 0);
    }

    #[test]
    fn a_rest_day_excuses_only_when_declared_a_horizon_ahead() {
        let p = pledge("30m/day", "2024-06-03");
        let rest: BTreeMap<NaiveDate, NaiveDateTime> =
            [(d("2024-06-05"), at("2024-05-29T12:00:00")), (d("2024-06-06"), at("2024-06-05T12:00:00"))].into();
        let c = EvalContext { today: d("2024-06-07"), week_start: Weekday::Mon, rest_days: &rest };
        let days: Vec<_> =
            evaluate(&p, &log(&[]), &c, d("2024-06-03"), d("2024-06-07")).iter().map(|r| r.start).collect();
        assert_eq!(days, [d("2024-06-03"), d("2024-06-04"), d("2024-06-06"), d("2024-06-07")]);
        // The pledge's own rest weekdays count; a horizon of 1 lets the late one excuse.
        let relaxed =
            Pledge { terms: PledgeTerms { horizon_days: 1, rest_weekdays: vec![Weekday::Mon], ..mon() }, ..p };
        let days: Vec<_> =
            evaluate(&relaxed, &log(&[]), &c, d("2024-06-03"), d("2024-06-07")).iter().map(|r| r.start).collect();
        assert_eq!(days, [d("2024-06-04"), d("2024-06-07")]);
    }

    #[test]
    fn completion_ends_the_pledge_with_a_kept_period() {
        let mut p = pledge("5h/week", "2024-06-03");
        p.completion = Some(Completion { on: d("2024-06-12"), kept: true });
        assert_eq!(p.end_day(Weekday::Mon), Some(d("2024-06-16")));
        let res = evaluate(&p, &log(&[("2024-06-11", 30)]), &ctx("2024-06-30", &[]), d("2024-06-03"), d("2024-06-30"));
        assert_eq!(summary(&res).iter().map(|s| s.2).collect::<Vec<_>>(), [Verdict::Missed, Verdict::Kept]);
        assert_eq!(res[1].needed, 0);
        // In the current period it is kept at once.
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-13", &[]), d("2024-06-13"), d("2024-06-13"));
        assert_eq!(res[0].verdict, Verdict::Kept);
        // Not kept when the period had closed already.
        p.completion = Some(Completion { on: d("2024-06-05"), kept: false });
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-30", &[]), d("2024-06-03"), d("2024-06-30"));
        assert_eq!(summary(&res).iter().map(|s| s.2).collect::<Vec<_>>(), [Verdict::Missed]);
    }

    #[test]
    fn a_pledge_not_started_is_scheduled() {
        let p = pledge("2h/week", "2024-06-12");
        assert_eq!(p.from, d("2024-06-10"));
        let s = scheduled(&p, d("2024-06-05")).unwrap();
        assert_eq!((s.start, s.end, s.verdict, s.needed), (d("2024-06-10"), d("2024-06-16"), Verdict::Scheduled, 120));
        assert_eq!(serde_json::to_value(s.verdict).unwrap(), "scheduled");
        assert!(evaluate(&p, &log(&[]), &ctx("2024-06-05", &[]), d("2024-06-03"), d("2024-06-30")).is_empty());
        assert_eq!(scheduled(&p, d("2024-06-10")), None);
    }

    proptest! {
        /// Whatever is recorded late or amended after the close, a closed
        /// period never counts more than what was recorded before it, and a
        /// period open today counts everything.
        #[test]
        fn late_sessions_never_raise_a_closed_period(
            on_time in prop::collection::vec((0..7_i64, 0..200_i64), 0..6),
            late_ones in prop::collection::vec((0..7_i64, 0..200_i64, 0..20_i64, prop::option::of((0..20_i64, 0..200_i64))), 0..6),
            today in 0..30_i64,
        ) {
            let p = pledge("2h/week", "2024-01-01");
            let mut days: BTreeMap<NaiveDate, DayAmount> = BTreeMap::new();
            let mut before_close = 0;
            for (off, m) in &on_time {
                days.entry(day(*off)).or_default().minutes += m;
                before_close += m;
            }
            let mut late_sessions = Vec::new();
            for (off, m, recorded, amended) in &late_ones {
                days.entry(day(*off)).or_default().minutes += m;
                let mut s = LateSession {
                    now: Placement { day: day(*off), in_scope: true, minutes: *m, units: 0 },
                    recorded: day(*recorded).and_hms_opt(12, 0, 0).unwrap(),
                    amended: None,
                    prior: None,
                };
                if let Some((at, prior)) = amended {
                    s.amended = Some(day(*at).and_hms_opt(12, 0, 0).unwrap());
                    s.prior = Some(Placement { day: day(*off), in_scope: true, minutes: *prior, units: 0 });
                }
                // What it counted at the close (day 7, the grace day).
                let counted = match (*recorded <= 7, amended) {
                    (false, _) => 0,
                    (true, Some((at, prior))) if *at > 7 => *prior,
                    (true, _) => *m,
                };
                before_close += counted;
                late_sessions.push(s);
            }
            let total: i64 = days.values().map(|a| a.minutes).sum();
            let logged = Logged { days, late: late_sessions };
            let res = evaluate(&p, &logged, &ctx_at(day(today)), day(0), day(6));
            if let Some(r) = res.first() {
                if r.closed {
                    prop_assert!(r.done <= before_close, "{} > {}", r.done, before_close);
                } else {
                    prop_assert_eq!(r.done, total);
                }
            }
        }
    }

    fn ctx_at(today: NaiveDate) -> EvalContext<'static> {
        EvalContext { today, week_start: Weekday::Mon, rest_days: Box::leak(Box::default()) }
    }
}
