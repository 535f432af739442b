use super::*;
use crate::apprenticeship::testing::{date, entry, programme};
use crate::apprenticeship::{Activity, BreakInLearning, Plan};

fn year() -> Programme {
    programme(
        "2026-01-05",
        "2026-12-31",
        Plan::Total { minutes: 187 * 60 },
    )
}

fn today() -> NaiveDate {
    date("2026-03-10")
}

fn only(entry: &HoursEntry, others: &[HoursEntry], p: &Programme) -> HoursProblem {
    let found = problems(entry, others, p, today());
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_good_entry_passes() {
    let e = entry("2026-03-09", 9 * 60, 90);
    assert_eq!(check(&e, &[], &year(), today()), Ok(()));
}

#[test]
fn an_overlap_names_the_other_entry() {
    let mut other = entry("2026-03-09", 10 * 60, 60);
    other.activity = Activity::Mentoring;
    let e = entry("2026-03-09", 9 * 60, 90);
    assert_eq!(
        only(&e, std::slice::from_ref(&other), &year()).to_string(),
        "This entry overlaps your mentoring entry on 9 March 2026 from 10:00 to 11:00. \
         Change the time of one of them."
    );
    // Editing an entry does not clash with its own earlier version.
    let mut edited = other.clone();
    edited.start_min += 15;
    assert_eq!(check(&edited, &[other], &year(), today()), Ok(()));
}

#[test]
fn a_future_date_is_refused_but_today_is_fine() {
    let e = entry("2026-03-11", 9 * 60, 60);
    assert_eq!(
        only(&e, &[], &year()).to_string(),
        "11 March 2026 is in the future. Log hours once they have happened."
    );
    assert_eq!(
        check(&entry("2026-03-10", 9 * 60, 60), &[], &year(), today()),
        Ok(())
    );
}

#[test]
fn before_the_start_and_after_gateway_are_refused() {
    let e = entry("2026-01-04", 9 * 60, 60);
    assert_eq!(
        only(&e, &[], &year()).to_string(),
        "4 January 2026 is before your programme started on 5 January 2026, so it cannot count."
    );
    let mut p = year();
    p.gateway = Some(date("2026-03-01"));
    let e = entry("2026-03-02", 9 * 60, 60);
    assert_eq!(
        only(&e, &[], &p).to_string(),
        "2 March 2026 is after your gateway on 1 March 2026; off-the-job training ends at gateway."
    );
    assert_eq!(
        check(&entry("2026-03-01", 9 * 60, 60), &[], &p, today()),
        Ok(())
    );
}

#[test]
fn a_break_in_learning_is_refused_at_both_ends() {
    let mut p = year();
    p.breaks.push(BreakInLearning {
        from: date("2026-02-02"),
        to: Some(date("2026-02-13")),
    });
    for day in ["2026-02-02", "2026-02-13"] {
        assert_eq!(
            only(&entry(day, 9 * 60, 60), &[], &p),
            HoursProblem::DuringBreak {
                date: long_date(date(day)),
                period: "2 February 2026 to 13 February 2026".into()
            }
        );
    }
    assert_eq!(
        check(&entry("2026-02-14", 9 * 60, 60), &[], &p, today()),
        Ok(())
    );
}

#[test]
fn outside_the_working_day_is_refused() {
    let e = entry("2026-03-09", 17 * 60, 90);
    assert_eq!(
        only(&e, &[], &year()).to_string(),
        "This entry runs from 17:00 to 18:30, outside your working hours (08:00 to 18:00). \
         Off-the-job training happens within working hours."
    );
    assert_eq!(
        check(&entry("2026-03-09", 8 * 60, 600), &[], &year(), today()),
        Ok(())
    );
}

#[test]
fn empty_and_overlong_entries_are_refused() {
    let mut e = entry("2026-03-09", 9 * 60, 0);
    e.description = "  ".into();
    assert_eq!(
        problems(&e, &[], &year(), today()),
        vec![HoursProblem::NoDuration, HoursProblem::NoDescription]
    );
    let e = entry("2026-03-09", 23 * 60, 120);
    assert!(problems(&e, &[], &year(), today()).contains(&HoursProblem::PastMidnight));
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut p = year();
    p.working_day.end_min = 17 * 60;
    let other = entry("2026-03-09", 16 * 60, 60);
    let e = entry("2026-03-09", 16 * 60 + 30, 60);
    let found = problems(&e, &[other], &p, today());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(matches!(found[0], HoursProblem::OutsideWorkingHours { .. }));
    assert!(matches!(found[1], HoursProblem::Overlap { .. }));
}

#[test]
fn each_problem_names_the_field_to_change() {
    let mut p = year();
    p.working_day.end_min = 17 * 60;
    let other = entry("2026-03-09", 16 * 60, 60);
    let mut e = entry("2026-03-09", 9 * 60, 0);
    e.description = String::new();
    let fields: Vec<HoursField> = problems(&e, std::slice::from_ref(&other), &p, today())
        .iter()
        .map(HoursProblem::field)
        .collect();
    assert_eq!(fields, vec![HoursField::Duration, HoursField::Description]);
    let clash = entry("2026-03-09", 16 * 60 + 30, 60);
    let fields: Vec<HoursField> = problems(&clash, &[other], &p, today())
        .iter()
        .map(HoursProblem::field)
        .collect();
    assert_eq!(fields, vec![HoursField::Start, HoursField::Start]);
    let future = entry("2027-03-09", 9 * 60, 60);
    assert_eq!(
        problems(&future, &[], &p, today())[0].field(),
        HoursField::Date
    );
}
