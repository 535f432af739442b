//! The "since last review" summary: its period, evidence, strength, hours and actions.

use super::*;
use crate::apprenticeship::testing::{date, entry, programme, review};
use crate::apprenticeship::{Plan, ProgressReview};
use crate::model::ProgressReviewId;
use crate::signing::testing::made_at as made;
use crate::signing::{Mark, SignRequest, Signer, SignerRole};

fn ms(day: &str, hour: i64) -> i64 {
    date(day)
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
        + hour * 3_600_000
}

fn sign(r: &mut SignedReview, role: SignerRole, name: &str, at: i64) {
    r.sign(SignRequest {
        signer: Signer {
            role,
            name: name.into(),
            account_id: None,
            witness: None,
        },
        mark: Some(Mark::Typed { name: name.into() }),
        declaration: None,
        made: made(at),
    })
    .unwrap();
}

/// A review held on `day` with `targets`, signed by all three when `signed`.
fn held(day: &str, targets: &str, signed: bool) -> SignedReview {
    let mut r = SignedReview::unsigned(ProgressReview {
        id: ProgressReviewId::new_at(ms(day, 10)),
        held_on: date(day),
        targets: targets.into(),
        ..review()
    });
    if signed {
        sign(&mut r, SignerRole::Learner, "Lee Learner", 1);
        sign(&mut r, SignerRole::Employer, "Erin Employer", 2);
        sign(&mut r, SignerRole::Provider, "Ash Assessor", 3);
    }
    r
}

fn unit(id: &str, title: &str) -> Unit {
    Unit {
        id: id.into(),
        title: title.into(),
        summary: String::new(),
        qualifications: vec!["q".into()],
    }
}

fn item(
    title: &str,
    criterion: &str,
    submitted: Option<i64>,
    decided: Option<(AssessorStatus, i64)>,
) -> EvidenceFacts {
    EvidenceFacts {
        title: title.into(),
        criteria: vec![criterion.into()],
        submitted_ms: submitted,
        decided,
    }
}

fn measure(unit: &str, at: i64, strength: f32) -> UnitStrength {
    UnitStrength {
        unit_id: unit.into(),
        measured_ms: at,
        criteria: vec![("c".into(), 4, 0, strength), ("d".into(), 2, 1, strength)],
    }
}

/// Criteria are named `<unit>/…`.
fn unit_of(criterion: &str) -> Option<String> {
    criterion.split_once('/').map(|(u, _)| u.to_string())
}

struct Fixture {
    programme: Programme,
    reviews: Vec<SignedReview>,
    evidence: Vec<EvidenceFacts>,
    hours: Vec<(HoursEntry, HoursState)>,
    strength: Vec<UnitStrength>,
    units: Vec<Unit>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            programme: programme("2026-01-05", "2027-01-05", Plan::Weekly { minutes: 360 }),
            reviews: vec![],
            evidence: vec![],
            hours: vec![],
            strength: vec![],
            units: vec![unit("neg", "Negotiation"), unit("cs", "Customer service")],
        }
    }

    fn summary(&self, to: &str) -> SinceLastReview {
        since_last_review(
            &ReviewRecords {
                programme: &self.programme,
                reviews: &self.reviews,
                evidence: &self.evidence,
                hours: &self.hours,
                strength: &self.strength,
                units: &self.units,
                unit_of: &unit_of,
            },
            date(to),
        )
    }
}

#[test]
fn with_no_earlier_review_the_period_starts_with_the_programme_and_no_actions_are_carried() {
    let mut f = Fixture::new();
    f.evidence.push(item(
        "First call",
        "neg/1.1",
        Some(ms("2026-01-05", 9)),
        None,
    ));
    let s = f.summary("2026-03-01");
    assert_eq!(
        (s.last_review, s.from, s.to),
        (None, date("2026-01-05"), date("2026-03-01"))
    );
    assert!(s.open_actions.is_empty());
    assert_eq!(s.units.len(), 1, "only units with something to say");
    assert_eq!(s.units[0].submitted, ["First call"]);
    assert_eq!(
        s.period_sentence(),
        "Since the programme started (no signed review before): 5 January 2026 to 1 March 2026."
    );
}

#[test]
fn the_period_runs_from_the_day_after_the_last_fully_signed_review_to_the_reviews_day() {
    let mut f = Fixture::new();
    f.reviews.push(held("2026-02-10", "Finish unit 1", true));
    // Not signed by all three: the period does not start from it.
    f.reviews.push(held("2026-03-01", "Not yet agreed", false));
    // Held on or after the new review's day: not an earlier review.
    f.reviews.push(held("2026-04-01", "Later", true));
    f.evidence = vec![
        item(
            "On the signed review's day",
            "neg/1.1",
            Some(ms("2026-02-10", 23)),
            None,
        ),
        item("The day after", "neg/1.2", Some(ms("2026-02-11", 0)), None),
        item(
            "On the review's day",
            "cs/2.1",
            Some(ms("2026-04-01", 8)),
            None,
        ),
        item(
            "The day after the review",
            "cs/2.2",
            Some(ms("2026-04-02", 8)),
            None,
        ),
    ];
    let s = f.summary("2026-04-01");
    assert_eq!(s.last_review, Some(date("2026-02-10")));
    assert_eq!((s.from, s.to), (date("2026-02-11"), date("2026-04-01")));
    let submitted: Vec<(&str, Vec<String>)> = s
        .units
        .iter()
        .map(|u| (u.unit_id.as_str(), u.submitted.clone()))
        .collect();
    assert_eq!(
        submitted,
        [
            ("neg", vec!["The day after".to_string()]),
            ("cs", vec!["On the review's day".to_string()])
        ]
    );
}

#[test]
fn the_last_signed_reviews_targets_are_carried_as_open_actions() {
    let mut f = Fixture::new();
    f.reviews.push(held("2026-01-20", "Old target", true));
    f.reviews.push(held(
        "2026-02-10",
        "- Finish the complaint log\n\n * Shadow Sam on the till\n• Book the unit 2 observation",
        true,
    ));
    let s = f.summary("2026-04-01");
    assert_eq!(
        s.open_actions,
        [
            "Finish the complaint log",
            "Shadow Sam on the till",
            "Book the unit 2 observation"
        ]
    );
}

#[test]
fn evidence_decided_in_the_period_is_listed_per_unit_with_its_decision() {
    let mut f = Fixture::new();
    f.reviews.push(held("2026-02-10", "t", true));
    f.evidence = vec![
        item(
            "Submitted before, accepted in the period",
            "neg/1.1",
            Some(ms("2026-02-01", 9)),
            Some((AssessorStatus::Accepted, ms("2026-02-12", 9))),
        ),
        item(
            "Referred back in the period",
            "neg/1.2",
            Some(ms("2026-02-20", 9)),
            Some((AssessorStatus::ReferredBack, ms("2026-02-21", 9))),
        ),
        item(
            "Decided before the period",
            "neg/1.3",
            Some(ms("2026-01-20", 9)),
            Some((AssessorStatus::Accepted, ms("2026-02-09", 9))),
        ),
    ];
    let s = f.summary("2026-04-01");
    let neg = &s.units[0];
    assert_eq!(neg.submitted, ["Referred back in the period"]);
    assert_eq!(
        neg.decided,
        [
            (
                "Submitted before, accepted in the period".to_string(),
                AssessorStatus::Accepted
            ),
            (
                "Referred back in the period".to_string(),
                AssessorStatus::ReferredBack
            )
        ]
    );
    assert_eq!(
        neg.decided_sentence(),
        "Decided: 2 — Submitted before, accepted in the period (accepted); Referred back in the \
         period (referred back)"
    );
    assert_eq!(
        neg.submitted_sentence(),
        "Submitted: 1 — Referred back in the period"
    );
}

#[test]
fn strength_then_is_the_last_measure_before_the_period_and_now_the_last_by_its_end() {
    let mut f = Fixture::new();
    f.reviews.push(held("2026-02-10", "t", true));
    f.strength = vec![
        measure("neg", ms("2026-02-01", 9), 0.30),
        measure("neg", ms("2026-02-10", 20), 0.42),
        measure("neg", ms("2026-03-15", 9), 0.655),
        measure("neg", ms("2026-04-02", 9), 0.90),
        measure("cs", ms("2026-03-20", 9), 0.5),
    ];
    let s = f.summary("2026-04-01");
    let neg = s.units.iter().find(|u| u.unit_id == "neg").unwrap();
    assert_eq!(
        neg.strength_then,
        Some(StrengthPoint {
            on: date("2026-02-10"),
            percent: 42
        })
    );
    assert_eq!(
        neg.strength_now,
        Some(StrengthPoint {
            on: date("2026-03-15"),
            percent: 66
        })
    );
    assert_eq!(
        neg.strength_sentence(),
        "42% on 10 February 2026 → 66% on 15 March 2026"
    );
    let cs = s.units.iter().find(|u| u.unit_id == "cs").unwrap();
    assert_eq!(
        cs.strength_sentence(),
        "50% on 20 March 2026 (not measured before this period)"
    );
}

#[test]
fn hours_are_the_periods_share_of_the_hours_rules_totals() {
    let mut f = Fixture::new();
    f.reviews.push(held("2026-02-10", "t", true));
    let confirmed = HoursState::Confirmed {
        assessor: "Ash".into(),
    };
    f.hours = vec![
        (entry("2026-02-09", 540, 120), confirmed.clone()),
        (entry("2026-02-11", 540, 90), confirmed),
        (entry("2026-02-12", 540, 60), HoursState::Pending),
        (
            entry("2026-02-13", 540, 45),
            HoursState::Rejected {
                assessor: "Ash".into(),
                reason: "Not training".into(),
            },
        ),
    ];
    let s = f.summary("2026-02-28");
    assert_eq!(s.hours.logged_min, 150, "rejected hours do not count");
    assert_eq!(s.hours.confirmed_min, 90);
    assert_eq!(s.hours.logged_to_date_min, 270);
    let to_date = progress(&f.programme, &f.hours, date("2026-02-28"));
    let before = progress(&f.programme, &f.hours, date("2026-02-10"));
    assert_eq!(s.hours.planned_to_date_min, to_date.planned_to_date);
    assert_eq!(
        s.hours.planned_min,
        to_date.planned_to_date - before.planned_to_date
    );
    assert!(s.hours.planned_min > 0);
    assert!(
        s.hours
            .sentence()
            .starts_with("2 h 30 min logged in this period (1 h 30 min confirmed)"),
        "{}",
        s.hours.sentence()
    );
}

#[test]
fn the_summary_is_part_of_what_is_signed_and_reviews_without_it_hash_as_before() {
    let plain = review();
    let before = crate::apprenticeship::review_sha256(&plain);
    let json = serde_json::to_value(&plain).unwrap();
    assert!(
        json.get("since_last").is_none(),
        "absent, so old reviews hash as before"
    );
    let mut with = plain.clone();
    with.since_last = Some(Fixture::new().summary("2026-03-01"));
    assert_ne!(crate::apprenticeship::review_sha256(&with), before);
    let back: ProgressReview =
        serde_json::from_value(serde_json::to_value(&with).unwrap()).unwrap();
    assert_eq!(back, with);
}
