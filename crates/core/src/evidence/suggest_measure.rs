//! Measuring the criteria suggester on a set of plain-words notes: recall (the right criteria
//! found among those shown) and precision (those shown that are right), both over the whole
//! set. The tuning notes are the pack's worked examples (`phrases.json`, measured by
//! `suggest_cases.rs` with each note's own example left out of the vote); the held-out sets
//! (`suggest_held_out*.rs`) are never tuned against. Run
//! `cargo test -p pocketfolio-core suggester_ -- --nocapture` for the figures.

use super::pack;
use super::suggest::suggest_leaving_out;

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

/// One note to measure on: what it says, the criteria an assessor would link, and which
/// worked example it is (left out of the vote), if it is one.
pub(super) struct Sample<'a> {
    note: &'a str,
    want: Vec<String>,
    own_example: Option<usize>,
}

/// A written set's notes.
pub(super) fn samples(cases: &[Case]) -> Vec<Sample<'_>> {
    cases
        .iter()
        .map(|(note, want)| Sample {
            note,
            want: want.iter().map(|(u, c)| format!("{u}{c}")).collect(),
            own_example: None,
        })
        .collect()
}

/// The pack's worked examples, each to be measured without its own vote.
pub(super) fn examples() -> Vec<Sample<'static>> {
    pack()
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| Sample {
            note: &e.note,
            want: e.criteria.clone(),
            own_example: Some(i),
        })
        .collect()
}

/// Recall and precision over a set, with the notes that were not exactly right.
#[derive(Debug)]
pub(super) struct Figures {
    pub recall: f64,
    pub precision: f64,
    pub misses: Vec<String>,
}

pub(super) fn measure(set: &[Sample], scope: Scope) -> Figures {
    let (mut right, mut expected, mut shown) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for Sample {
        note,
        want,
        own_example,
    } in set
    {
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
                suggest_leaving_out(pack(), &pack().criteria, None, note, &units, *own_example)
                    .into_iter()
                    .map(|s| s.criterion_id)
                    .collect();
            let hits = got.iter().filter(|g| want.contains(g)).count();
            right += hits;
            expected += want.len();
            shown += got.len();
            if hits != want.len() || hits != got.len() {
                misses.push(format!("{note}\n  wanted {want:?}\n  shown  {got:?}"));
            }
        }
    }
    Figures {
        recall: right as f64 / expected.max(1) as f64,
        precision: right as f64 / shown.max(1) as f64,
        misses,
    }
}

/// Prints a set's figures (and its misses, so a tuning run can see them) and returns them.
pub(super) fn report(name: &str, set: &[Sample], scope: Scope, show_misses: bool) -> Figures {
    let started = std::time::Instant::now();
    let f = measure(set, scope);
    let runs = match scope {
        Scope::AllUnits => set.len(),
        // A note with no right criteria runs once per qualification.
        Scope::LearnersQualification => {
            set.len() + set.iter().filter(|s| s.want.is_empty()).count()
        }
    };
    eprintln!(
        "suggester on {} {name} notes ({scope:?}): recall {:.0}%, precision {:.0}%, {:.2} ms a note",
        set.len(),
        f.recall * 100.0,
        f.precision * 100.0,
        started.elapsed().as_secs_f64() * 1000.0 / runs.max(1) as f64
    );
    if show_misses {
        for m in &f.misses {
            eprintln!("{m}");
        }
    }
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
fn a_note_with_nothing_to_find_counts_against_precision_only() {
    // An empty note suggests nothing, so it costs neither figure; a wanted criterion that is
    // missed lowers recall.
    let f = measure(
        &samples(&[("", &[]), ("", &[(N, "lo3/ac3.4")])]),
        Scope::AllUnits,
    );
    assert_eq!(f.recall, 0.0);
    assert_eq!(f.misses.len(), 1);
}
