//! The suggester's development notes: the pack's worked examples (`examples` in
//! `assets/content/phrases.json`), realistic shop-floor notes in plain words (not the pack's
//! terms), each with the criteria an assessor would map it to and the written set it came
//! from. Notes with no criteria check that everyday words ("feedback" from a manager, a stock
//! "audit") suggest nothing.
//!
//! The 427 examples are the written sets 0 to 11 and 13: the first 34 tuning notes (0); the
//! first, second and third held-out sets (10 each); the fourth (34; recall 42 %, precision 61 %
//! when run once, against phrase rules alone); the fifth (42; 69 % / 69 %); the sixth (31;
//! 49 % / 72 %), the seventh (38; 68 % / 74 % against rules and a nearest-example vote), the
//! eighth (49; 73 % / 65 % against the model) and the ninth (52; 70 % / 66 %), each folded in
//! once it had been run. Sets 10, 11 and 13 (38, 28 and 51) were written to give every
//! criterion examples enough (four; ten for a knowledge criterion): mostly the
//! "explain"/"describe" ones, as a learner writes them (a workbook answer, a Q&A, course notes,
//! a mock exam, notes of a professional discussion, a reflective account). The model is
//! measured on each set after training on the others, which is how it does on notes in a new
//! writer's words; the phrase rules were written against sets 0 to 5, so those sets flatter
//! them. The fair view on unseen notes is `suggest_held_out_12.rs`. Run
//! `cargo test -p pocketfolio-core suggester_ -- --nocapture`.

use super::pack;
use super::suggest_measure::{examples_of_set, measure, model_without_set, print, Figures, Scope};

/// The written sets among the examples (12, the held-out set, is not among them).
const SETS: &[u32] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13];

#[test]
fn every_example_says_which_written_set_it_came_from() {
    assert!(pack().examples.len() >= 300);
    assert!(pack()
        .examples
        .iter()
        .all(|e| e.set.is_some_and(|s| SETS.contains(&s))));
}

/// Each set measured with the model trained on the other sets, pooled over `sets`.
fn leaving_each_set_out(sets: &[u32], scope: Scope, show_misses: bool) -> Figures {
    let started = std::time::Instant::now();
    let mut pooled = Figures::default();
    for &set in sets {
        pooled.add(measure(
            &examples_of_set(set),
            scope,
            &model_without_set(set),
        ));
    }
    let name = format!("written sets {sets:?}, each left out of training");
    print(&name, &pooled, scope, started, show_misses);
    pooled
}

#[test]
fn suggester_recall_and_precision_on_sets_it_was_not_trained_on() {
    // Every figure is printed before any is held to its floor, so a failing run shows them all.
    let f = leaving_each_set_out(SETS, Scope::AllUnits, true);
    leaving_each_set_out(SETS, Scope::LearnersQualification, false);
    // The sets the phrase rules were not written against: the fairest view of the two.
    let unseen_by_rules = leaving_each_set_out(&[6, 7, 8], Scope::AllUnits, false);
    // The notes written for criteria that had too few examples, each set left out in turn.
    let knowledge = leaving_each_set_out(&[10, 11, 13], Scope::AllUnits, false);
    // Floors a little under the figures of 7 Dec, sugg9 (docs/performance.md): 84 % / 85 %
    // pooled, 85 % / 86 % on sets 6 to 8, 75 % / 86 % on sets 10, 11 and 13.
    assert!(f.recall() >= 0.8 && f.precision() >= 0.8, "{f:?}");
    assert!(unseen_by_rules.recall() >= 0.8 && unseen_by_rules.precision() >= 0.8);
    assert!(knowledge.recall() >= 0.7 && knowledge.precision() >= 0.8);
}
