use super::*;
use crate::apprenticeship::testing::{date, entry};
use proptest::prelude::*;

fn stamp(ms: i64) -> Hlc {
    Hlc::tick(None, ms, uuid::Uuid::nil())
}

fn check(verdict: EmployerVerdict, version: Hlc) -> EmployerCheck {
    EmployerCheck {
        entry_id: HoursEntryId(uuid::Uuid::nil()),
        verdict,
        reason: "Lee was on the till that morning".into(),
        employer: "Erin Employer".into(),
        time_ms: 5,
        version,
        hlc: stamp(10),
    }
}

fn assessor(code: u8) -> HoursState {
    match code % 3 {
        0 => HoursState::Pending,
        1 => HoursState::Confirmed {
            assessor: "Ash".into(),
        },
        _ => HoursState::Rejected {
            assessor: "Ash".into(),
            reason: "Overlaps".into(),
        },
    }
}

#[test]
fn the_employers_word_stands_only_for_the_version_it_was_about() {
    let v1 = stamp(1);
    let v2 = stamp(2);
    let confirmed = check(EmployerVerdict::Confirmed, v1);
    assert_eq!(
        EmployerState::of(v1, Some(&confirmed)).sentence().unwrap(),
        "Confirmed by the employer, Erin Employer."
    );
    assert_eq!(
        EmployerState::of(v2, Some(&confirmed)),
        EmployerState::Unchecked
    );
    assert_eq!(EmployerState::of(v1, None).sentence(), None);
    let queried = check(EmployerVerdict::Queried, v2);
    assert_eq!(
        EmployerState::of(v2, Some(&queried)).sentence().unwrap(),
        "Queried by the employer, Erin Employer: Lee was on the till that morning"
    );
}

#[test]
fn an_answer_is_needed_and_a_query_needs_a_reason_each_refusal_naming_the_day() {
    let day = date("2026-03-02");
    assert_eq!(
        check_employer_answer(day, None, "")
            .unwrap_err()
            .to_string(),
        "Confirm or query the hours on 2 March 2026."
    );
    assert_eq!(
        check_employer_answer(day, Some(EmployerVerdict::Queried), "  ")
            .unwrap_err()
            .to_string(),
        "Say what is wrong with the hours on 2 March 2026, so the apprentice and the provider \
         can put it right."
    );
    assert_eq!(
        check_employer_answer(day, Some(EmployerVerdict::Confirmed), ""),
        Ok(EmployerVerdict::Confirmed)
    );
    let long = "x".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(
        check_employer_answer(day, Some(EmployerVerdict::Queried), &long),
        Err(EmployerCheckProblem::TooLong {
            day: "2 March 2026".into()
        })
    );
}

#[test]
fn only_undecided_unanswered_hours_in_the_period_are_asked_about() {
    let e = entry("2026-03-02", 540, 60);
    let v1 = stamp(1);
    let unchecked = EmployerState::Unchecked;
    let march = (date("2026-03-01"), date("2026-03-31"));
    assert_eq!(
        may_answer(&e, &HoursState::Pending, &unchecked, march),
        Ok(())
    );
    let april = (date("2026-04-01"), date("2026-04-30"));
    assert_eq!(
        may_answer(&e, &HoursState::Pending, &unchecked, april)
            .unwrap_err()
            .to_string(),
        "The hours on 2 March 2026 are not in the period this link asks about."
    );
    assert_eq!(
        may_answer(&e, &assessor(1), &unchecked, march)
            .unwrap_err()
            .to_string(),
        "The training provider has already decided on the hours on 2 March 2026."
    );
    let answered = check(EmployerVerdict::Queried, v1);
    assert_eq!(
        may_answer(
            &e,
            &HoursState::Pending,
            &EmployerState::of(v1, Some(&answered)),
            march
        )
        .unwrap_err()
        .to_string(),
        "You have already answered for the hours on 2 March 2026."
    );
    // The learner changed the entry since: the employer is asked again.
    assert_eq!(
        may_answer(
            &e,
            &HoursState::Pending,
            &EmployerState::of(stamp(2), Some(&answered)),
            march
        ),
        Ok(())
    );
}

proptest! {
    /// Asked about exactly when the entry is in the period, undecided by the provider and not
    /// answered for this version; and once answered, never asked about that version again.
    #[test]
    fn the_employer_is_asked_once_per_version_about_undecided_hours_in_the_period(
        day in 0i64..60,
        from in 0i64..60,
        len in 0i64..30,
        state in 0u8..3,
        answered_version in proptest::option::of(1i64..4),
        version in 1i64..4,
        queried in any::<bool>(),
    ) {
        let base = date("2026-03-01");
        let mut e = entry("2026-03-01", 540, 60);
        e.date = base + chrono::Duration::days(day);
        let period = (base + chrono::Duration::days(from), base + chrono::Duration::days(from + len));
        let verdict = if queried { EmployerVerdict::Queried } else { EmployerVerdict::Confirmed };
        let prior = answered_version.map(|v| check(verdict, stamp(v)));
        let employer = EmployerState::of(stamp(version), prior.as_ref());
        let asked = may_answer(&e, &assessor(state), &employer, period).is_ok();
        let expected = e.date >= period.0 && e.date <= period.1 && state == 0
            && answered_version != Some(version);
        prop_assert_eq!(asked, expected);
        if asked {
            let now = check(verdict, stamp(version));
            let answered = EmployerState::of(stamp(version), Some(&now));
            prop_assert!(may_answer(&e, &assessor(state), &answered, period).is_err());
            prop_assert_ne!(EmployerState::of(stamp(version), Some(&now)).sentence(), None);
        }
    }
}
