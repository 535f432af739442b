//! Measuring the criteria suggester on a set of plain-words notes: recall (the right criteria
//! found among those shown) and precision (those shown that are right), both over the whole
//! set. The development notes are the pack's worked examples (`phrases.json`, measured by
//! `suggest_cases.rs` one written set at a time, with the model trained on the others); the
//! held-out set (`suggest_held_out_12.rs`) is never tuned against. Run
//! `cargo test -p pocketfolio-core suggester_ -- --nocapture` for the figures.

use super::pack;
use super::suggest::suggest_with_model;
use crate::content::CriterionModel;
use std::collections::BTreeMap;

pub(super) const N: &str = "negotiate/";
pub(super) const RR: &str = "retail-relationships/";
pub(super) const RS: &str = "retail-reliable-service/";

/// A note and the criteria an assessor would link to it (unit prefix + local id).
pub(super) type Case = (&'static str, &'static [(&'static str, &'static str)]);

/// Which units the suggester may choose from while measuring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scope {
    /// Every unit of the pack: what a learner whose enrolment is unknown sees.
    AllUnits,
    /// The units of the qualification the note's criteria belong to (Customer Service: the
    /// negotiation unit; Retail: both retail units): what an enrolled learner sees. A note
    /// with no right criteria is run against each qualification in turn.
    LearnersQualification,
}

/// The two qualifications' units, as an enrolled learner has them.
const QUALIFICATIONS: &[&[&str]] = &[
    &["negotiate"],
    &["retail-relationships", "retail-reliable-service"],
];

/// One note to measure on: what it says and the criteria an assessor would link.
pub(super) struct Sample<'a> {
    note: &'a str,
    want: Vec<String>,
}

/// A written set's notes.
pub(super) fn samples(cases: &[Case]) -> Vec<Sample<'_>> {
    cases
        .iter()
        .map(|(note, want)| Sample {
            note,
            want: want.iter().map(|(u, c)| format!("{u}{c}")).collect(),
        })
        .collect()
}

/// The pack's worked examples from written set `set`.
pub(super) fn examples_of_set(set: u32) -> Vec<Sample<'static>> {
    pack()
        .examples
        .iter()
        .filter(|e| e.set == Some(set))
        .map(|e| Sample {
            note: &e.note,
            want: e.criteria.clone(),
        })
        .collect()
}

/// The model trained on every worked example except those of written set `set`.
pub(super) fn model_without_set(set: u32) -> CriterionModel {
    CriterionModel::train(&pack().examples, &pack().synonyms, |e| e.set == Some(set))
}

/// Counts over a set, with the notes that were not exactly right.
#[derive(Debug, Default)]
pub(super) struct Figures {
    /// Right criteria shown.
    pub right: usize,
    /// Right criteria, shown or not.
    pub expected: usize,
    /// Criteria shown.
    pub shown: usize,
    /// Notes run (a note with no right criteria runs once per qualification when enrolled).
    pub runs: usize,
    /// Unit → (right shown, right, shown) among that unit's criteria.
    pub by_unit: BTreeMap<String, (usize, usize, usize)>,
    pub misses: Vec<String>,
}

impl Figures {
    pub fn recall(&self) -> f64 {
        self.right as f64 / self.expected.max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        self.right as f64 / self.shown.max(1) as f64
    }

    /// Adds `other`'s counts, for figures pooled over several sets.
    pub fn add(&mut self, other: Figures) {
        self.right += other.right;
        self.expected += other.expected;
        self.shown += other.shown;
        self.runs += other.runs;
        for (unit, (r, e, s)) in other.by_unit {
            let mine = self.by_unit.entry(unit).or_default();
            *mine = (mine.0 + r, mine.1 + e, mine.2 + s);
        }
        self.misses.extend(other.misses);
    }
}

pub(super) fn measure(set: &[Sample], scope: Scope, model: &CriterionModel) -> Figures {
    let mut f = Figures::default();
    for Sample { note, want } in set {
        let scopes: Vec<Vec<String>> = match scope {
            Scope::AllUnits => vec![Vec::new()],
            Scope::LearnersQualification => QUALIFICATIONS
                .iter()
                .filter(|units| {
                    want.is_empty()
                        || want
                            .iter()
                            .all(|w| units.iter().any(|u| w.starts_with(&format!("{u}/"))))
                })
                .map(|units| units.iter().map(|u| u.to_string()).collect())
                .collect(),
        };
        for units in scopes {
            let got: Vec<String> =
                suggest_with_model(pack(), model, &pack().criteria, None, note, &units)
                    .into_iter()
                    .map(|s| s.criterion_id)
                    .collect();
            let hits = got.iter().filter(|g| want.contains(g)).count();
            f.right += hits;
            f.expected += want.len();
            f.shown += got.len();
            f.runs += 1;
            let unit = |id: &String| id.split('/').next().unwrap_or_default().to_string();
            for g in &got {
                let u = f.by_unit.entry(unit(g)).or_default();
                u.2 += 1;
                u.0 += usize::from(want.contains(g));
            }
            for w in want {
                f.by_unit.entry(unit(w)).or_default().1 += 1;
            }
            if hits != want.len() || hits != got.len() {
                f.misses
                    .push(format!("{note}\n  wanted {want:?}\n  shown  {got:?}"));
            }
        }
    }
    f
}

/// Prints a set's figures (and its misses, when `show_misses`, so a development run can see
/// them), with the time a note took.
pub(super) fn print(
    name: &str,
    f: &Figures,
    scope: Scope,
    started: std::time::Instant,
    show_misses: bool,
) {
    eprintln!(
        "suggester on {name} ({scope:?}): recall {:.0}% ({}/{}), precision {:.0}% ({}/{}), {:.2} ms a note",
        f.recall() * 100.0,
        f.right,
        f.expected,
        f.precision() * 100.0,
        f.right,
        f.shown,
        started.elapsed().as_secs_f64() * 1000.0 / f.runs.max(1) as f64
    );
    for (unit, (right, expected, shown)) in &f.by_unit {
        eprintln!(
            "  {unit}: recall {:.0}% ({right}/{expected}), precision {:.0}% ({right}/{shown})",
            *right as f64 * 100.0 / (*expected).max(1) as f64,
            *right as f64 * 100.0 / (*shown).max(1) as f64,
        );
    }
    if show_misses {
        for m in &f.misses {
            eprintln!("{m}");
        }
    }
}

/// Measures a written set against the pack's model, prints the figures and returns them.
pub(super) fn report(name: &str, set: &[Sample], scope: Scope, show_misses: bool) -> Figures {
    let training = std::time::Instant::now();
    let model = pack().criterion_model();
    eprintln!(
        "suggester's model ready in {:.1} ms (trained on first use)",
        training.elapsed().as_secs_f64() * 1000.0
    );
    let started = std::time::Instant::now();
    let f = measure(set, scope, model);
    print(
        &format!("{} {name} notes", set.len()),
        &f,
        scope,
        started,
        show_misses,
    );
    f
}

/// Every criterion a set names exists in the pack.
pub(super) fn assert_names_real_criteria(cases: &[Case]) {
    for (_, want) in cases {
        for (u, c) in *want {
            let id = format!("{u}{c}");
            assert!(pack().criteria.iter().any(|x| x.id == id), "{id}");
        }
    }
}

#[test]
fn suggester_first_suggestion_time_is_reported() {
    // The app trains the model on a thread of its own at start (`prepare_suggestions`); before,
    // the first suggestion trained it, under the collection lock.
    let bundle = crate::content::builtin().unwrap();
    let note = "the supplier wanted more, we settled on free delivery if we ordered for a year";
    let timed = || {
        let started = std::time::Instant::now();
        let got = super::suggest::suggest(&bundle, &bundle.criteria, None, note, &[]);
        (started.elapsed().as_secs_f64() * 1000.0, got)
    };
    let (untrained, first) = timed();
    let (prepared, again) = timed();
    eprintln!(
        "suggester's first suggestion: {untrained:.1} ms when it trains the model, {prepared:.1} ms once the model is prepared"
    );
    assert_eq!(first, again);
    assert!(prepared < untrained);
}

#[test]
fn a_note_with_nothing_to_find_counts_against_precision_only() {
    // An empty note suggests nothing, so it costs neither figure; a wanted criterion that is
    // missed lowers recall.
    let f = measure(
        &samples(&[("", &[]), ("", &[(N, "lo3/ac3.4")])]),
        Scope::AllUnits,
        pack().criterion_model(),
    );
    assert_eq!(f.recall(), 0.0);
    assert_eq!((f.expected, f.shown), (1, 0));
    assert_eq!(f.misses.len(), 1);
}
