//! Suggesting criteria for an item from its template and the plain words in it. The learner
//! always confirms (with `set_evidence_criteria`); these are hints, so they err on the side of
//! few. The words are data: `assets/content/phrases.json`, synonym groups and rules, each rule
//! with the context it needs and the words that stop it, so "beyond my authority" is not
//! "going beyond expectations", and a weight saying how much it counts on its own. Rules
//! written by one person catch that person's wording, so the worked examples in the same file
//! vote too: the criteria of the notes most like this one (`content::ExampleIndex`).

use super::pack;
use crate::content::{suggestion_units, ContentBundle, Note};
use crate::model::Criterion;
use crate::{Collection, Result};
use std::collections::HashMap;

/// The most suggestions offered at once.
pub const MAX_SUGGESTIONS: usize = 5;

/// One suggested criterion and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionSuggestion {
    /// Criterion id.
    pub criterion_id: String,
    /// Its label (`Criterion::label`), e.g. "Topic 2.2" or "AC 2.3 (official)". Codes repeat
    /// across units, so show it with the unit.
    pub code: String,
    /// The unit it belongs to.
    pub unit_id: String,
    /// Its text.
    pub text: String,
    /// Why it is suggested, e.g. "Usual for a reflective account" or "You wrote “settled on”".
    pub reason: String,
    /// How strongly; higher first.
    pub score: f32,
}

/// A phrase rule of weight 1 that fires: the strongest evidence.
const PHRASE_SCORE: f32 = 2.0;
/// One of the template's typical criteria.
const TEMPLATE_SCORE: f32 = 1.0;
/// The examples' vote when every nearest example has the criterion; a share of
/// [`MIN_SHARE`] reaches [`MIN_SCORE`] on its own.
const EXAMPLE_SCORE: f32 = 2.5;
/// A criterion fewer of the nearest examples share than this gets no vote.
const MIN_SHARE: f32 = 0.5;
/// Less than this is not shown: a weak hint alone (a rule of weight under 0.5) is not enough.
const MIN_SCORE: f32 = 1.0;
/// A unit whose evidence in the text is less than this share of the best unit's is dropped:
/// a note about a negotiation that mentions a customer should not pull in the retail units.
const UNIT_SHARE: f32 = 0.5;

impl Collection {
    /// Criteria to suggest for an item made from `template_id` whose text is `text`: the
    /// template's typical ones and those its words point to, best first, at most
    /// [`MAX_SUGGESTIONS`]; only from the learner's units when their enrolment is known.
    pub fn suggest_criteria(
        &self,
        template_id: Option<&str>,
        text: &str,
    ) -> Result<Vec<CriterionSuggestion>> {
        let units = suggestion_units(self.enrolment()?.as_ref());
        self.suggest_criteria_within(template_id, text, &units)
    }

    /// As [`Collection::suggest_criteria`], restricted to the learner's `units` (all units when
    /// empty).
    pub fn suggest_criteria_within(
        &self,
        template_id: Option<&str>,
        text: &str,
        units: &[String],
    ) -> Result<Vec<CriterionSuggestion>> {
        Ok(suggest(
            pack(),
            &self.criteria(None)?,
            template_id,
            text,
            units,
        ))
    }
}

/// The pure rule behind [`Collection::suggest_criteria`]: `bundle` gives the templates and the
/// phrase rules, `criteria` the criteria on the device (pack order breaks ties).
pub(crate) fn suggest(
    bundle: &ContentBundle,
    criteria: &[Criterion],
    template_id: Option<&str>,
    text: &str,
    units: &[String],
) -> Vec<CriterionSuggestion> {
    suggest_leaving_out(bundle, criteria, template_id, text, units, None)
}

/// As [`suggest`], with the worked example `own_example` left out of the vote: measuring the
/// suggester on its own examples must not let a note find itself.
pub(super) fn suggest_leaving_out(
    bundle: &ContentBundle,
    criteria: &[Criterion],
    template_id: Option<&str>,
    text: &str,
    units: &[String],
    own_example: Option<usize>,
) -> Vec<CriterionSuggestion> {
    let allowed = |c: &Criterion| units.is_empty() || units.contains(&c.unit_id);
    // criterion id → (score, strongest reason and its weight)
    let mut found: HashMap<&str, (f32, String, f32)> = HashMap::new();
    // The reason shown is the strongest kind of evidence: the learner's own words (ranked by
    // the rule's weight) over a similar example over the template's usual criteria.
    let mut add = |id: &str, score: f32, reason: &str, rank: f32| {
        let Some(c) = criteria.iter().find(|c| c.id == id && allowed(c)) else {
            return;
        };
        let entry = found
            .entry(c.id.as_str())
            .or_insert((0.0, String::new(), 0.0));
        entry.0 += score;
        if rank > entry.2 {
            entry.1 = reason.to_string();
            entry.2 = rank;
        }
    };
    if let Some(t) = template_id.and_then(|id| bundle.templates.iter().find(|t| t.id == id)) {
        let usual = format!("Usual for {}", with_article(&t.kind.label().to_lowercase()));
        for id in &t.suggest {
            add(id, TEMPLATE_SCORE, &usual, TEMPLATE_SCORE);
        }
    }
    let note = Note::new(text);
    for rule in &bundle.phrases {
        if let Some(words) = rule.fires(&bundle.synonyms, &note) {
            let reason = format!("You wrote “{words}”");
            for id in &rule.criteria {
                add(id, PHRASE_SCORE * rule.weight, &reason, 2.0 + rule.weight);
            }
        }
    }
    for vote in bundle
        .example_index()
        .votes(&bundle.synonyms, text, own_example)
        .into_iter()
        .filter(|v| v.share >= MIN_SHARE)
    {
        let reason = match bundle.examples.get(vote.example) {
            Some(e) => format!("Like the example “{}”", opening(&e.note)),
            None => "Like the examples".to_string(),
        };
        add(&vote.criterion_id, EXAMPLE_SCORE * vote.share, &reason, 1.5);
    }
    let mut unit_score: HashMap<&str, f32> = HashMap::new();
    for c in criteria {
        if let Some((score, _, _)) = found.get(c.id.as_str()) {
            *unit_score.entry(c.unit_id.as_str()).or_default() += score;
        }
    }
    let best_unit = unit_score.values().copied().fold(0.0, f32::max);
    let mut out: Vec<(usize, CriterionSuggestion)> = criteria
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            unit_score.get(c.unit_id.as_str()).copied().unwrap_or(0.0) >= best_unit * UNIT_SHARE
        })
        .filter_map(|(i, c)| {
            let (score, reason, _) = found.remove(c.id.as_str())?;
            if score < MIN_SCORE {
                return None;
            }
            Some((
                i,
                CriterionSuggestion {
                    criterion_id: c.id.clone(),
                    code: c.label(),
                    unit_id: c.unit_id.clone(),
                    text: c.text.clone(),
                    reason,
                    score,
                },
            ))
        })
        .collect();
    out.sort_by(|(ia, a), (ib, b)| b.score.total_cmp(&a.score).then(ia.cmp(ib)));
    out.into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, s)| s)
        .collect()
}

/// The first words of an example, enough to recognise it.
fn opening(note: &str) -> String {
    const WORDS: usize = 8;
    let words: Vec<&str> = note.split_whitespace().collect();
    if words.len() <= WORDS {
        return words.join(" ");
    }
    format!("{}…", words[..WORDS].join(" "))
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(template: Option<&str>, text: &str) -> Vec<CriterionSuggestion> {
        suggest(pack(), &pack().criteria, template, text, &[])
    }

    #[test]
    fn template_criteria_come_with_a_reason() {
        let got = run(Some("reflective-account"), "");
        assert!(!got.is_empty());
        assert!(
            got.iter()
                .all(|s| s.reason == "Usual for a reflective account"),
            "{got:?}"
        );
    }

    #[test]
    fn plain_words_rank_first_and_say_what_matched() {
        let got = run(
            Some("negotiation-plan"),
            "Before the call I wrote down the least I'd accept and what I could give away.",
        );
        // What the learner wrote outranks what the template usually covers, and each
        // suggestion quotes the words behind it.
        assert!(got[0].reason.starts_with("You wrote"), "{got:?}");
        let limits = got
            .iter()
            .find(|s| s.criterion_id == "negotiate/lo2/ac2.2")
            .unwrap_or_else(|| panic!("{got:?}"));
        assert_eq!(limits.reason, "You wrote “the least I'd accept”");
        assert!(got.iter().any(|s| s.criterion_id == "negotiate/lo2/ac2.3"));
        assert!(got
            .iter()
            .take_while(|s| s.reason.starts_with("You wrote"))
            .any(|s| s.criterion_id == "negotiate/lo2/ac2.2"));
        assert!(got.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(got.len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn a_settled_deal_in_plain_words_is_recognised() {
        let got = run(
            None,
            "The supplier wanted more money; we settled on free delivery if they ordered for a year.",
        );
        let ids: Vec<&str> = got.iter().map(|s| s.criterion_id.as_str()).collect();
        assert!(ids.contains(&"negotiate/lo3/ac3.4"), "{ids:?}");
        assert!(ids.contains(&"negotiate/lo3/mp12"), "{ids:?}");
        // Nothing was written down or confirmed, so recording the outcome is not evidenced.
        assert!(!ids.contains(&"negotiate/lo3/ac3.5"), "{ids:?}");
    }

    #[test]
    fn the_quick_note_of_the_browser_journey_gets_a_suggestion() {
        // tests/browser/evidence.test.mjs links the first suggestion for this note.
        let got = run(
            None,
            "Helped a customer compare two kettles. I listened, asked an open question, and she bought the dearer one because it boils quietly.",
        );
        assert_eq!(
            got.first().map(|s| s.criterion_id.as_str()),
            Some("retail-relationships/lo3/ac3.1"),
            "{got:?}"
        );
    }

    #[test]
    fn an_idea_is_recognised_in_other_words_and_quoted_back() {
        // The phrase lists before synonym groups needed "customer" or "shop" beside an
        // apology, and knew "apologised" but not "apologise" or "fuming".
        let got = run(
            None,
            "The lady was fuming that we'd charged her twice, so I apologise and refunded her.",
        );
        let complaint = got
            .iter()
            .find(|s| s.criterion_id == "retail-relationships/lo3/ac3.4")
            .unwrap_or_else(|| panic!("{got:?}"));
        assert_eq!(complaint.reason, "You wrote “fuming”");
    }

    #[test]
    fn a_weak_hint_alone_is_not_shown() {
        // "at worst" is a limit only in a negotiation: the rule for it counts for little alone.
        let got = run(None, "At worst the supplier's price stays where it is.");
        assert!(
            got.iter().all(|s| s.criterion_id != "negotiate/lo3/mp11"),
            "{got:?}"
        );
    }

    #[test]
    fn ambiguous_everyday_words_need_their_context() {
        for text in [
            "The customer wanted more off than I can give, so I said it was beyond my authority.",
            "My manager gave me feedback on my till speed.",
            "We had a stock audit on Sunday and I counted the back room.",
        ] {
            let got = run(None, text);
            for wrong in [
                "retail-relationships/lo3/ac3.2",
                "retail-relationships/lo4/ac4.1",
                "retail-reliable-service/lo4/mp4",
            ] {
                assert!(
                    got.iter().all(|s| s.criterion_id != wrong),
                    "{text}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn suggestions_stay_within_the_learners_units() {
        let units = vec!["retail-relationships".to_string()];
        let got = suggest(
            pack(),
            &pack().criteria,
            None,
            "We agreed with the supplier; a regular customer always buys the decaf so I put two packs by.",
            &units,
        );
        assert!(!got.is_empty());
        assert!(
            got.iter()
                .all(|s| s.criterion_id.starts_with("retail-relationships/")
                    && s.unit_id == "retail-relationships"),
            "{got:?}"
        );
    }

    #[test]
    fn nothing_to_go_on_suggests_nothing() {
        assert!(run(None, "").is_empty());
        assert!(run(Some("no-such-template"), "hello").is_empty());
    }
}
