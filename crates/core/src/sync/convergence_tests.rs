//! The convergence property against the in-memory centre: several devices, any interleaving
//! of work, pushes, pulls, replayed batches and lost replies, end with identical state, and the
//! centre with each change once (`scenario` has the steps and the comparison). Cases:
//! `PF_SYNC_CASES` (1,000 by default; see docs/design.md for a 10,000-case run). The centre's
//! tests run the same scenarios against the real centre.

use super::memory_centre::MemoryCentre;
use super::protocol::{ChangeBody, PullBody};
use super::scenario::{run, settle_and_compare, Device, Step};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// The centre's own records: each device's changes all stored, each review once, every
/// attachment an item names present.
fn check_centre(centre: &MemoryCentre) -> Result<(), TestCaseError> {
    let state = centre.state();
    let mut reviews = BTreeSet::new();
    for change in state.log() {
        match &change.body {
            PullBody::Learner(ChangeBody::Review(r)) => {
                prop_assert!(reviews.insert(r.0), "review {} stored twice", r.0);
            }
            PullBody::Learner(ChangeBody::EvidencePut(e)) => {
                for (sha, _) in &e.attachments {
                    prop_assert!(state.has_blob(sha), "attachment {sha} missing");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PF_SYNC_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000)
}

/// 2 or 3 devices and up to 40 steps.
fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (2..=3usize).prop_flat_map(|n| {
        let step = (any::<u32>(), 0..n, any::<u8>(), 1..200_000_000i64)
            .prop_map(|(choice, d, x, ms)| Step::from_numbers(choice, d, x, ms));
        (Just(n), prop::collection::vec(step, 1..40))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn devices_and_the_centre_converge_whatever_the_interleaving((n, steps) in scenario()) {
        let centre = MemoryCentre::new();
        let mut devices: Vec<Device<MemoryCentre>> =
            (0..n).map(|_| Device::new(centre.connect())).collect();
        for s in steps {
            run(&mut devices, &centre, s);
        }
        if let Err(difference) = settle_and_compare(&centre, &mut devices) {
            prop_assert!(false, "{}", difference);
        }
        check_centre(&centre)?;
    }
}
