//! The hours log on a device, and between two devices and the assessor through the in-memory
//! centre.

use crate::apprenticeship::{
    Activity, EmployerState, EmployerVerdict, HoursEntry, HoursField, HoursState, Plan, Programme,
    ReviewStanding, Verdict, WorkingDay,
};
use crate::collection::HoursChange;
use crate::model::HoursEntryId;
use crate::sync::memory_centre::MemoryCentre;
use crate::sync::protocol::{ChangeBody, PullBody};
use crate::sync::{rules, sync};
use crate::testing::{empty_collection, manual_clock, T0};
use crate::{Clock, Collection, ManualClock};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::{Arc, Mutex};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// T0 is Monday 23 November 2026.
fn programme() -> Programme {
    Programme {
        start: date("2026-09-01"),
        planned_end: date("2027-08-31"),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    }
}

fn entry(day: &str, start_min: u16, duration_min: u16) -> HoursEntry {
    HoursEntry {
        id: HoursEntryId(uuid::Uuid::new_v4()),
        date: date(day),
        start_min,
        duration_min,
        activity: Activity::TaughtSession,
        description: "Negotiation workshop".into(),
        evidence: vec![],
        cards: vec![],
    }
}

#[test]
fn nothing_is_logged_without_a_programme() {
    let (mut col, _) = empty_collection();
    let err = col.log_hours(entry("2026-11-20", 9 * 60, 60)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Your programme is not set up yet"),
        "{err}"
    );
    assert_eq!(col.pending_changes().unwrap(), 0);
}

#[test]
fn an_entry_is_checked_saved_and_queued_in_one_go() {
    let (mut col, _) = empty_collection();
    col.set_programme(programme()).unwrap();
    let first = entry("2026-11-20", 9 * 60, 120);
    col.log_hours(first.clone()).unwrap();
    let clash = entry("2026-11-20", 10 * 60, 60);
    assert_eq!(
        col.hours_problems(&clash)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "This entry overlaps your taught session entry on 20 November 2026 from 09:00 to \
              11:00. Change the time of one of them."
                .to_string()
        ]
    );
    let err = col.log_hours(clash).unwrap_err();
    assert!(err.to_string().starts_with("This entry overlaps"), "{err}");
    let future = col.log_hours(entry("2026-11-24", 9 * 60, 60)).unwrap_err();
    assert_eq!(
        future.to_string(),
        "24 November 2026 is in the future. Log hours once they have happened."
    );
    let held = col.hours().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].entry, first);
    assert_eq!(held[0].state, HoursState::Pending);
    let outbox = col.outbox(10).unwrap();
    assert_eq!(outbox.len(), 1, "refused entries queue nothing");
    assert!(matches!(&outbox[0].body, ChangeBody::HoursPut(r) if r.entry == first));
    let progress = col.hours_progress().unwrap().unwrap();
    assert_eq!((progress.logged, progress.confirmed), (120, 0));
    assert!(
        progress.warning().is_some(),
        "12 weeks in, 2 hours is behind"
    );
}

#[test]
fn a_revision_session_becomes_a_self_study_entry_with_its_time() {
    let (col, _) = empty_collection();
    let card = crate::model::CardId::new_at(1);
    // 10:00 to 10:24:40 UTC on T0's day.
    let start = T0 - 2 * 3_600_000;
    let e = col.revision_session_entry(start, start + 24 * 60_000 + 40_000, &[card, card]);
    assert_eq!(e.date, date("2026-11-23"));
    assert_eq!((e.start_min, e.duration_min), (10 * 60, 25));
    assert_eq!(e.activity, Activity::SelfStudy);
    assert_eq!(e.cards, vec![card]);
    assert_eq!(e.description, "Revision in Pocketfolio: 1 card studied.");
}

#[test]
fn a_finished_session_is_logged_with_the_time_it_took() {
    let (mut col, clock) = crate::testing::builtin_collection();
    let mut session = col.start_session(crate::queue::Scope::All).unwrap();
    assert_eq!(col.session_hours_entry(&session), None, "nothing answered");
    // T0 is 12:00 UTC: three answers a minute apart, the first card shown 40 s before.
    let mut answered = Vec::new();
    for _ in 0..3 {
        clock.advance_ms(60_000);
        let card = session.next(clock.now_ms()).unwrap().card_id;
        col.answer_in_session(&mut session, card, crate::model::Rating::Good, 40_000)
            .unwrap();
        answered.push(card);
    }
    let e = col.session_hours_entry(&session).unwrap();
    assert_eq!(e.date, date("2026-11-23"));
    // From 12:00:20 to 12:03:00: 2 min 40 s, rounded to 3 minutes.
    assert_eq!((e.start_min, e.duration_min), (12 * 60, 3));
    assert_eq!(e.cards, answered);
    assert_eq!(e.description, "Revision in Pocketfolio: 3 cards studied.");
    col.set_programme(programme()).unwrap();
    col.log_hours(e.clone()).unwrap();
    assert_eq!(col.hours().unwrap()[0].entry, e);
}

#[test]
fn undo_takes_back_a_new_entry_a_change_and_a_deletion() {
    let (mut col, clock) = empty_collection();
    col.set_programme(programme()).unwrap();
    let first = entry("2026-11-20", 9 * 60, 60);
    let logged = col.log_hours(first.clone()).unwrap();
    assert_eq!(logged, HoursChange::Logged(first.id));
    col.undo_hours(&logged).unwrap();
    assert!(col.hours().unwrap().is_empty());

    let second = entry("2026-11-19", 9 * 60, 60);
    col.log_hours(second.clone()).unwrap();
    let mut longer = second.clone();
    longer.duration_min = 120;
    clock.advance_ms(1_000);
    let changed = col.log_hours(longer).unwrap();
    assert_eq!(
        changed,
        HoursChange::Changed {
            before: second.clone()
        }
    );
    col.undo_hours(&changed).unwrap();
    assert_eq!(col.hours().unwrap()[0].entry, second);

    let deleted = col.delete_hours(second.id).unwrap();
    assert!(col.hours().unwrap().is_empty());
    assert!(
        col.delete_hours(second.id).is_err(),
        "deleted once, not twice"
    );
    col.undo_hours(&deleted).unwrap();
    let back = col.hours().unwrap();
    assert_eq!(back.len(), 1);
    assert_ne!(back[0].entry.id, second.id, "a deletion wins, so a copy");
    assert_eq!(
        HoursEntry {
            id: second.id,
            ..back[0].entry.clone()
        },
        second
    );
    let queued: Vec<_> = col
        .outbox(20)
        .unwrap()
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert!(queued
        .iter()
        .any(|b| matches!(b, ChangeBody::HoursDeleted(id) if *id == second.id)));
}

#[test]
fn problems_name_their_field_and_without_a_programme_the_check_is_refused() {
    let (mut col, _) = empty_collection();
    let e = entry("2026-11-20", 9 * 60, 60);
    assert!(col.hours_problems(&e).is_err());
    col.set_programme(programme()).unwrap();
    let future = entry("2026-11-30", 9 * 60, 60);
    let found = col.hours_problems(&future).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].field(), HoursField::Date);
}

#[test]
fn the_centre_programme_replaces_the_learners_and_cannot_be_changed_on_the_phone() {
    let centre = MemoryCentre::new();
    let device = Device::new(&centre);
    device.col().set_programme(programme()).unwrap();
    let mut set = programme();
    set.gateway = Some(date("2026-11-01"));
    centre.set_programme(Some(set.clone()));
    device.sync();
    assert_eq!(device.col().programme().unwrap(), Some(set));
    let err = device.col().set_programme(programme()).unwrap_err();
    assert!(err.to_string().contains("training provider sets"), "{err}");
    let after = device
        .col()
        .log_hours(entry("2026-11-20", 9 * 60, 60))
        .unwrap_err();
    assert!(after.to_string().contains("after your gateway"), "{after}");
}

struct Device {
    col: Mutex<Collection>,
    clock: Arc<ManualClock>,
    centre: MemoryCentre,
}

impl Device {
    fn new(centre: &MemoryCentre) -> Device {
        let clock = manual_clock();
        let col = Collection::open_in_memory(clock.clone(), None).unwrap();
        Device {
            col: Mutex::new(col),
            clock,
            centre: centre.connect(),
        }
    }

    fn col(&self) -> std::sync::MutexGuard<'_, Collection> {
        self.col.lock().unwrap()
    }

    fn sync(&self) {
        let mut transport = self.centre.connect();
        sync(&self.col, &mut transport, &mut |_| {}).unwrap();
    }
}

#[test]
fn hours_logged_offline_reach_the_other_device_and_the_confirmation_comes_back() {
    let centre = MemoryCentre::new();
    centre.set_programme(Some(programme()));
    let phone = Device::new(&centre);
    let tablet = Device::new(&centre);
    tablet.sync();
    phone.sync();
    let logged = entry("2026-11-20", 9 * 60, 90);
    phone.col().log_hours(logged.clone()).unwrap();
    phone.sync();
    assert!(centre.decide_hours(logged.id, Verdict::Confirmed, "", T0));
    tablet.sync();
    phone.sync();
    for device in [&phone, &tablet] {
        let held = device.col().hours().unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].entry, logged);
        assert!(
            matches!(held[0].state, HoursState::Confirmed { .. }),
            "{:?}",
            held[0].state
        );
    }
    // A change on the tablet sends it back to the assessor everywhere.
    let mut changed = logged.clone();
    changed.duration_min = 120;
    tablet.clock.advance_ms(60_000);
    tablet.col().log_hours(changed).unwrap();
    tablet.sync();
    phone.sync();
    assert_eq!(phone.col().hours().unwrap()[0].state, HoursState::Pending);
    assert_eq!(phone.col().hours_progress().unwrap().unwrap().confirmed, 0);
}

#[test]
fn the_employers_query_reaches_both_devices_and_a_change_asks_again() {
    let centre = MemoryCentre::new();
    centre.set_programme(Some(programme()));
    let phone = Device::new(&centre);
    let tablet = Device::new(&centre);
    phone.sync();
    let logged = entry("2026-11-20", 9 * 60, 90);
    phone.col().log_hours(logged.clone()).unwrap();
    phone.sync();
    assert!(centre.employer_checks_hours(
        logged.id,
        EmployerVerdict::Queried,
        "Lee was on the till then",
        T0
    ));
    phone.sync();
    tablet.sync();
    for device in [&phone, &tablet] {
        let held = &device.col().hours().unwrap()[0];
        assert_eq!(
            held.employer.sentence().as_deref(),
            Some("Queried by the employer, E. Employer: Lee was on the till then")
        );
        // The employer's word is beside the assessor's decision, never in place of it.
        assert_eq!(held.state, HoursState::Pending);
    }
    let mut changed = logged.clone();
    changed.start_min = 10 * 60;
    phone.clock.advance_ms(60_000);
    phone.col().log_hours(changed).unwrap();
    assert_eq!(
        phone.col().hours().unwrap()[0].employer,
        EmployerState::Unchecked
    );
}

#[derive(Debug, Clone)]
enum Step {
    Log {
        device: usize,
        slot: usize,
        minutes: u16,
    },
    Delete {
        device: usize,
        slot: usize,
    },
    Sync {
        device: usize,
    },
    Decide {
        slot: usize,
        confirm: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize, 0..3usize, 1..120u16)
            .prop_map(|(device, slot, minutes)| Step::Log { device, slot, minutes }),
        1 => (0..2usize, 0..3usize).prop_map(|(device, slot)| Step::Delete { device, slot }),
        3 => (0..2usize).prop_map(|device| Step::Sync { device }),
        2 => (0..3usize, any::<bool>()).prop_map(|(slot, confirm)| Step::Decide { slot, confirm }),
    ]
}

/// Minutes confirmed, read from the centre's stream alone: each standing entry whose latest
/// decision confirmed exactly the version that stands.
fn confirmed_in_stream(centre: &MemoryCentre, ids: &[HoursEntryId]) -> i64 {
    let state = centre.state();
    let log = state.log();
    ids.iter()
        .filter_map(|id| {
            let standing = rules::hours_in_stream(log, *id)?;
            let decision = log
                .iter()
                .filter_map(|c| match &c.body {
                    PullBody::HoursDecision(d) if d.entry_id == *id => Some(d),
                    _ => None,
                })
                .max_by_key(|d| d.hlc)?;
            (decision.verdict == Verdict::Confirmed && decision.version == standing.hlc)
                .then_some(i64::from(standing.entry.duration_min))
        })
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Edits, deletions and syncs on two devices in any order, with the assessor deciding on
    /// what the centre holds: afterwards both devices hold the same entries in the same
    /// states, and their confirmed total is what the assessor confirmed of the versions that
    /// stand.
    #[test]
    fn the_confirmed_total_survives_any_order_of_edits_and_syncs_on_two_devices(
        steps in proptest::collection::vec(step(), 1..30)
    ) {
        let centre = MemoryCentre::new();
        centre.set_programme(Some(programme()));
        let devices = [Device::new(&centre), Device::new(&centre)];
        devices.iter().for_each(Device::sync);
        let ids: Vec<HoursEntryId> = (0..3).map(|n| HoursEntryId(uuid::Uuid::from_u128(n + 1))).collect();
        let mut now = T0;
        for s in &steps {
            now += 1_000;
            devices.iter().for_each(|d| d.clock.set_ms(now));
            match *s {
                Step::Log { device, slot, minutes } => {
                    let mut e = entry("2026-11-20", 8 * 60 + 150 * slot as u16, minutes);
                    e.id = ids[slot];
                    // Refused (deleted here) is fine: the property is about what was saved.
                    let _ = devices[device].col().log_hours(e);
                }
                Step::Delete { device, slot } => {
                    let _ = devices[device].col().delete_hours(ids[slot]);
                }
                Step::Sync { device } => devices[device].sync(),
                Step::Decide { slot, confirm } => {
                    let verdict = if confirm { Verdict::Confirmed } else { Verdict::Rejected };
                    centre.decide_hours(ids[slot], verdict, "Normal duties", now);
                }
            }
        }
        for d in [0, 1, 0] {
            devices[d].sync();
        }
        let expected = confirmed_in_stream(&centre, &ids);
        let a = devices[0].col().hours().unwrap();
        let b = devices[1].col().hours().unwrap();
        prop_assert_eq!(&a, &b);
        for d in &devices {
            let got = d.col().hours_progress().unwrap().unwrap();
            prop_assert_eq!(got.confirmed, expected);
            let all: i64 = a.iter().map(|h| i64::from(h.entry.duration_min)).sum();
            prop_assert_eq!(got.confirmed + got.pending + got.rejected, all);
        }
    }
}

#[test]
fn the_review_schedule_follows_the_reviews_the_centre_says_were_held() {
    let centre = MemoryCentre::new();
    let device = Device::new(&centre);
    assert_eq!(
        device.col().review_standing().unwrap(),
        None,
        "no programme"
    );
    // Started 1 September 2026: reviews every 3 months; T0 is 23 November 2026.
    centre.set_programme(Some(programme()));
    device.sync();
    assert_eq!(
        device.col().review_standing().unwrap(),
        Some(ReviewStanding::Due {
            by: date("2026-12-01")
        })
    );
    device.clock.advance_ms(10 * 24 * 3_600_000);
    assert!(device
        .col()
        .review_standing()
        .unwrap()
        .unwrap()
        .is_overdue());
    centre.hold_review(date("2026-11-30"));
    device.sync();
    assert_eq!(
        device.col().review_standing().unwrap(),
        Some(ReviewStanding::Due {
            by: date("2027-02-28")
        })
    );
}
