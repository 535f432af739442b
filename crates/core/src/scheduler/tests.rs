//! Scheduler rules, checked without a database.

use super::*;
use crate::clock::{DAY_MS, MINUTE_MS};
use crate::model::{CardState, DeviceId, Rating, ReviewEvent, ReviewId, ReviewLog};
use crate::testing::T0;

fn log(time_ms: i64, event: ReviewEvent) -> ReviewLog {
    ReviewLog {
        id: ReviewId::new_at(time_ms),
        card_id: card(),
        time_ms,
        event,
        duration_ms: 1_000,
        device_id: DeviceId::new_at(0),
        tz_offset_min: 0,
        retention: 0.9,
        undone: false,
    }
}

fn card() -> CardId {
    CardId(uuid::Uuid::from_u128(42))
}

fn answer(s: &Scheduler, schedule: &Schedule, t: i64, rating: Rating) -> Schedule {
    s.apply(card(), schedule, &log(t, ReviewEvent::Answer(rating)))
        .unwrap()
}

fn default_scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default()).unwrap()
}

/// Expected (rating, days since previous review, stability, difficulty) from py-fsrs 6.3.2
/// with default parameters, retention 0.9, no fuzz and no learning steps.
const PY_FSRS: &[&[(Rating, i64, f32, f32)]] = &[
    &[
        (Rating::Good, 0, 2.3065, 2.1181),
        (Rating::Good, 3, 13.8269, 2.1112),
        (Rating::Good, 8, 42.0630, 2.1043),
    ],
    &[
        (Rating::Again, 0, 0.2120, 6.4133),
        (Rating::Good, 1, 1.8868, 6.4021),
        (Rating::Easy, 2, 10.0945, 5.1851),
    ],
    &[
        (Rating::Good, 0, 2.3065, 2.1181),
        (Rating::Again, 10, 0.7592, 7.3945),
        (Rating::Good, 1, 2.6272, 7.3823),
        (Rating::Hard, 5, 6.6361, 8.2475),
    ],
    &[
        (Rating::Easy, 0, 8.2956, 1.0000),
        (Rating::Good, 15, 54.8609, 1.0000),
    ],
];

#[test]
fn memory_states_match_the_reference_implementation() {
    let s = Scheduler::new(SchedulerConfig {
        learning_steps_ms: vec![],
        relearning_steps_ms: vec![],
        ..SchedulerConfig::default()
    })
    .unwrap();
    for seq in PY_FSRS {
        let mut schedule = Schedule::default();
        let mut t = T0;
        for &(rating, days, stability, difficulty) in *seq {
            t += days * DAY_MS;
            schedule = answer(&s, &schedule, t, rating);
            let m = schedule.memory.unwrap();
            assert!(
                (m.stability - stability).abs() <= 1e-4 * stability + 5e-5,
                "S {} vs {stability}",
                m.stability
            );
            assert!(
                (m.difficulty - difficulty).abs() <= 1e-4 * difficulty + 5e-5,
                "D {} vs {difficulty}",
                m.difficulty
            );
        }
    }
}

#[test]
fn new_card_walks_the_learning_steps() {
    let s = default_scheduler();
    let new = Schedule::default();
    let again = answer(&s, &new, T0, Rating::Again);
    assert_eq!(
        (again.state, again.due_ms - T0),
        (CardState::Learning, MINUTE_MS)
    );
    let hard = answer(&s, &new, T0, Rating::Hard);
    assert_eq!(hard.due_ms - T0, 330_000, "halfway between 1m and 10m");
    let good = answer(&s, &new, T0, Rating::Good);
    assert_eq!(
        (good.state, good.step, good.due_ms - T0),
        (CardState::Learning, 1, 10 * MINUTE_MS)
    );
    let graduated = answer(&s, &good, T0 + 10 * MINUTE_MS, Rating::Good);
    assert_eq!(graduated.state, CardState::Review);
    assert!(graduated.interval_days >= 1);
    let easy = answer(&s, &new, T0, Rating::Easy);
    assert_eq!(easy.state, CardState::Review);
    assert!(easy.interval_days > graduated.interval_days);
}

#[test]
fn a_lapse_goes_to_relearning_and_counts() {
    let s = default_scheduler();
    let mut sch = answer(&s, &Schedule::default(), T0, Rating::Easy);
    let due = sch.due_ms;
    sch = answer(&s, &sch, due, Rating::Again);
    assert_eq!(
        (sch.state, sch.lapses, sch.due_ms - due),
        (CardState::Relearning, 1, 10 * MINUTE_MS)
    );
    sch = answer(&s, &sch, sch.due_ms, Rating::Good);
    assert_eq!(sch.state, CardState::Review);
}

#[test]
fn eight_lapses_make_a_suspended_leech() {
    let s = default_scheduler();
    let mut sch = answer(&s, &Schedule::default(), T0, Rating::Easy);
    for lapse in 1..=8 {
        let t = sch.due_ms;
        sch = answer(&s, &sch, t, Rating::Again);
        assert_eq!(sch.leech, lapse == 8, "lapse {lapse}");
        sch = answer(&s, &sch, sch.due_ms, Rating::Good);
    }
    assert!(sch.suspended && sch.leech);
}

#[test]
fn button_intervals_are_ordered_and_labelled() {
    let s = default_scheduler();
    let review = answer(&s, &Schedule::default(), T0, Rating::Easy);
    let now = review.due_ms + DAY_MS;
    let p = s.preview(card(), &review, now, 0, 0.9).unwrap();
    assert_eq!(p[0].interval_text, "10m");
    assert_eq!(p[0].interval_spoken, "10 minutes");
    let days: Vec<u32> = p[1..].iter().map(|p| p.schedule.interval_days).collect();
    assert!(days[0] <= days[1] && days[1] < days[2], "{days:?}");
    assert!(p[3].interval_text.ends_with('d') || p[3].interval_text.ends_with("mo"));
}

#[test]
fn manual_events_are_part_of_the_schedule() {
    let s = default_scheduler();
    let sch = answer(&s, &Schedule::default(), T0, Rating::Good);
    let suspended = s
        .apply(card(), &sch, &log(T0 + 1, ReviewEvent::Suspend))
        .unwrap();
    assert!(suspended.suspended);
    let buried = s
        .apply(card(), &sch, &log(T0 + 1, ReviewEvent::Bury))
        .unwrap();
    assert_eq!(buried.buried_day, Some(s.day_of(T0 + 1, 0)));
    let reset = s
        .apply(card(), &sch, &log(T0 + 1, ReviewEvent::Reset))
        .unwrap();
    assert_eq!(reset, Schedule::default());
    let due = s
        .apply(card(), &sch, &log(T0 + 1, ReviewEvent::SetDue(3)))
        .unwrap();
    assert_eq!((due.state, due.interval_days), (CardState::Review, 3));
}

#[test]
fn replay_ignores_arrival_order_and_undone_entries() {
    let s = default_scheduler();
    let mut logs = vec![
        log(T0, ReviewEvent::Answer(Rating::Good)),
        log(T0 + 10 * MINUTE_MS, ReviewEvent::Answer(Rating::Good)),
        log(T0 + 3 * DAY_MS, ReviewEvent::Answer(Rating::Hard)),
    ];
    let forward = s.replay(card(), &logs).unwrap();
    logs.reverse();
    assert_eq!(s.replay(card(), &logs).unwrap(), forward);
    let mut undone = log(T0 + 5 * DAY_MS, ReviewEvent::Answer(Rating::Again));
    undone.undone = true;
    logs.push(undone);
    assert_eq!(s.replay(card(), &logs).unwrap(), forward);
}

#[test]
fn elapsed_days_follow_the_rollover_hour() {
    let s = default_scheduler();
    // Answered at 23:00, then at 03:00 the next night: the same learner day, so FSRS sees a
    // same-day review, not one a day later.
    let evening = T0 - 13 * 3_600_000 + 24 * 3_600_000 - 3_600_000; // 23:00 UTC
    let first = answer(&s, &Schedule::default(), evening, Rating::Easy);
    let night = answer(&s, &first, evening + 4 * 3_600_000, Rating::Good);
    let next_morning = answer(&s, &first, evening + 6 * 3_600_000, Rating::Good);
    assert_eq!(night.last_day, first.last_day);
    assert_eq!(next_morning.last_day, first.last_day.map(|d| d + 1));
    assert_ne!(night.memory, next_morning.memory);
}

/// Issue 12: Hard repeating a learning step must not push Good past FSRS's interval.
#[test]
fn good_graduates_at_fsrs_interval_when_hard_stays_in_learning() {
    let s = default_scheduler();
    let first = answer(&s, &Schedule::default(), T0, Rating::Good);
    assert_eq!(first.state, CardState::Learning);
    let second = answer(&s, &first, T0 + 10 * MINUTE_MS, Rating::Good);
    assert_eq!(second.state, CardState::Review);
    let fsrs = fsrs::FSRS::new(&[]).unwrap();
    let expected = fsrs
        .next_states(first.memory.map(to_fsrs), 0.9, 0)
        .unwrap()
        .good
        .interval
        .round()
        .max(1.0) as u32;
    assert_eq!(expected, 2, "FSRS-6's default parameters give two days");
    assert_eq!(second.interval_days, expected);
}
