//! Suggesting criteria for an item from its template and the words in it. The learner always
//! confirms (with `set_evidence_criteria`); these are hints, so they err on the side of few.

use super::pack;
use crate::model::Criterion;
use crate::{Collection, Result};
use std::collections::{BTreeSet, HashMap};

/// The most suggestions offered at once.
pub const MAX_SUGGESTIONS: usize = 8;

/// One suggested criterion and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionSuggestion {
    /// Criterion id.
    pub criterion_id: String,
    /// Its code, e.g. "AC 2.2".
    pub code: String,
    /// Its text.
    pub text: String,
    /// Why it is suggested, e.g. "Usual for a reflective account" or "You wrote “BATNA”".
    pub reason: String,
    /// How strongly; higher first.
    pub score: f32,
}

/// A word or phrase that points to criteria. `exact` terms match only as written (so "STAR"
/// the method is not "star" the employee); the rest match case-insensitively at a word start.
struct Term {
    words: &'static [&'static str],
    exact: bool,
    criteria: &'static [&'static str],
}

const fn term(words: &'static [&'static str], criteria: &'static [&'static str]) -> Term {
    Term {
        words,
        exact: false,
        criteria,
    }
}

/// Hand-written: the words a learner uses for each topic of the built-in units. A unit test
/// checks every id here exists in the pack.
const TERMS: &[Term] = &[
    term(
        &["BATNA"],
        &[
            "negotiate/lo2/ac2.2",
            "negotiate/lo1/ac1.2",
            "negotiate/lo1/mp2",
        ],
    ),
    term(&["ZOPA"], &["negotiate/lo1/ac1.2", "negotiate/lo1/mp2"]),
    term(
        &["break point", "walk away", "walked away"],
        &[
            "negotiate/lo2/ac2.2",
            "negotiate/lo3/mp11",
            "negotiate/lo3/ac3.4",
        ],
    ),
    term(
        &["fallback", "fall-back", "best case", "best-case"],
        &[
            "negotiate/lo2/ac2.2",
            "negotiate/lo2/mp3",
            "negotiate/lo3/mp11",
        ],
    ),
    term(
        &["concession", "trade-off", "traded"],
        &[
            "negotiate/lo2/ac2.3",
            "negotiate/lo3/ac3.4",
            "negotiate/lo2/mp4",
        ],
    ),
    term(
        &["stakeholder"],
        &["negotiate/lo2/ac2.4", "negotiate/lo2/mp5"],
    ),
    term(
        &["objective"],
        &[
            "negotiate/lo2/ac2.1",
            "negotiate/lo4/ac4.1",
            "negotiate/lo2/mp3",
        ],
    ),
    term(&["rapport"], &["negotiate/lo3/ac3.1", "negotiate/lo3/mp10"]),
    term(
        &["RADPAC"],
        &[
            "negotiate/lo3/ac3.1",
            "negotiate/lo3/ac3.4",
            "negotiate/lo3/ac3.5",
        ],
    ),
    term(
        &[
            "open question",
            "listened",
            "active listening",
            "summarised",
        ],
        &[
            "negotiate/lo3/ac3.2",
            "negotiate/lo3/mp6",
            "retail-relationships/lo3/ac3.1",
            "retail-relationships/lo3/mp2",
        ],
    ),
    term(
        &["body language", "cues", "tone of voice"],
        &["negotiate/lo3/mp7"],
    ),
    term(
        &["assertive", "aggressive"],
        &["negotiate/lo3/ac3.3", "negotiate/lo3/mp8"],
    ),
    term(
        &["persua", "reciprocity", "scarcity"],
        &["negotiate/lo3/mp9", "negotiate/lo3/ac3.3"],
    ),
    term(
        &["agreement", "agreed", "confirmed in writing"],
        &["negotiate/lo3/ac3.5", "negotiate/lo3/mp12"],
    ),
    term(
        &["win-win", "mutual gain", "integrative", "distributive"],
        &["negotiate/lo1/ac1.4", "negotiate/lo1/mp1"],
    ),
    term(
        &["people from the problem", "interests not positions"],
        &["negotiate/lo1/ac1.3"],
    ),
    term(
        &["relationship"],
        &["negotiate/lo4/ac4.2", "retail-relationships/lo3/ac3.4"],
    ),
    term(
        &["next time", "improvement plan", "do differently"],
        &["negotiate/lo4/ac4.3"],
    ),
    Term {
        words: &["STAR"],
        exact: true,
        criteria: &["negotiate/lo4/ac4.3", "retail-reliable-service/lo4/ac4.2"],
    },
    term(
        &["complaint", "complained"],
        &[
            "retail-relationships/lo3/ac3.4",
            "retail-reliable-service/lo3/ac3.1",
            "retail-reliable-service/lo4/mp5",
        ],
    ),
    term(
        &["policy", "policies"],
        &[
            "retail-relationships/lo3/ac3.3",
            "retail-relationships/lo3/mp3",
        ],
    ),
    term(
        &["beyond", "extra mile", "personal touch", "regular customer"],
        &[
            "retail-relationships/lo3/ac3.2",
            "retail-relationships/lo3/mp4",
        ],
    ),
    term(
        &["feedback", "review card", "online review"],
        &[
            "retail-relationships/lo4/ac4.1",
            "retail-relationships/lo4/ac4.2",
            "retail-relationships/lo4/mp5",
        ],
    ),
    term(
        &["survey", "mystery shop"],
        &[
            "retail-relationships/lo4/ac4.1",
            "retail-reliable-service/lo4/mp4",
        ],
    ),
    term(
        &[
            "KPI",
            "sales figures",
            "conversion rate",
            "average transaction",
            "target",
        ],
        &[
            "retail-reliable-service/lo3/ac3.3",
            "retail-reliable-service/lo3/ac3.2",
        ],
    ),
    term(
        &["EPOS", "CRM", "loyalty", "complaints log", "complaint log"],
        &[
            "retail-reliable-service/lo3/ac3.1",
            "retail-reliable-service/lo3/mp3",
        ],
    ),
    term(
        &["RATER", "service standard"],
        &[
            "retail-reliable-service/lo2/ac2.1",
            "retail-reliable-service/lo3/ac3.2",
            "retail-reliable-service/lo2/mp2",
        ],
    ),
    term(
        &["service delivery plan", "rota", "who does what"],
        &[
            "retail-reliable-service/lo2/ac2.2",
            "retail-reliable-service/lo2/mp2",
        ],
    ),
    term(
        &["root cause", "why it went wrong"],
        &[
            "retail-reliable-service/lo4/ac4.1",
            "retail-reliable-service/lo4/mp5",
        ],
    ),
    term(
        &["plan-do-review", "plan do review", "audit"],
        &[
            "retail-reliable-service/lo4/ac4.2",
            "retail-reliable-service/lo4/mp4",
        ],
    ),
    term(
        &["coach", "coached", "team briefing"],
        &["retail-reliable-service/lo3/ac3.3"],
    ),
];

const TEMPLATE_SCORE: f32 = 1.0;
const TERM_SCORE: f32 = 2.0;
const SHARED_WORD_SCORE: f32 = 0.4;

impl Collection {
    /// Criteria to suggest for an item made from `template_id` whose text is `text`: the ones
    /// the template usually evidences, the ones its words point to, and the ones whose wording
    /// it shares. Best first, at most [`MAX_SUGGESTIONS`].
    pub fn suggest_criteria(
        &self,
        template_id: Option<&str>,
        text: &str,
    ) -> Result<Vec<CriterionSuggestion>> {
        Ok(suggest(&self.criteria(None)?, template_id, text))
    }
}

/// The pure rule behind [`Collection::suggest_criteria`], over `criteria` (pack order breaks ties).
pub(crate) fn suggest(
    criteria: &[Criterion],
    template_id: Option<&str>,
    text: &str,
) -> Vec<CriterionSuggestion> {
    // criterion id → (score, strongest reason and its weight)
    let mut found: HashMap<&str, (f32, String, f32)> = HashMap::new();
    let mut add = |id: &str, score: f32, reason: String| {
        let Some(c) = criteria.iter().find(|c| c.id == id) else {
            return;
        };
        let entry = found
            .entry(c.id.as_str())
            .or_insert((0.0, String::new(), 0.0));
        entry.0 += score;
        if score > entry.2 {
            entry.1 = reason;
            entry.2 = score;
        }
    };
    if let Some(t) = template_id.and_then(|id| pack().templates.iter().find(|t| t.id == id)) {
        let usual = format!("Usual for {}", with_article(&t.kind.label().to_lowercase()));
        for id in &t.criteria {
            add(id, TEMPLATE_SCORE, usual.clone());
        }
    }
    for term in TERMS {
        if let Some(word) = term.words.iter().find(|w| mentions(text, w, term.exact)) {
            for id in term.criteria {
                add(id, TERM_SCORE, format!("You wrote “{word}”"));
            }
        }
    }
    let words = content_words(text);
    for c in criteria {
        let shared: Vec<String> = content_words(&c.text)
            .intersection(&words)
            .cloned()
            .collect();
        if shared.len() >= 2 {
            let quoted: Vec<String> = shared.iter().take(3).map(|w| format!("“{w}”")).collect();
            add(
                &c.id,
                SHARED_WORD_SCORE * shared.len() as f32,
                format!("Your text mentions {}", quoted.join(", ")),
            );
        }
    }
    let mut out: Vec<(usize, CriterionSuggestion)> = criteria
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let (score, reason, _) = found.remove(c.id.as_str())?;
            Some((
                i,
                CriterionSuggestion {
                    criterion_id: c.id.clone(),
                    code: c.code.clone(),
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

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// True when `text` has `term` starting at a word boundary (case-insensitive unless `exact`;
/// exact terms must also end at one).
fn mentions(text: &str, term: &str, exact: bool) -> bool {
    let (hay, needle) = if exact {
        (text.to_string(), term.to_string())
    } else {
        (text.to_lowercase(), term.to_lowercase())
    };
    hay.match_indices(&needle).any(|(i, _)| {
        let before_ok = !hay[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after_ok = !exact
            || !hay[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        before_ok && after_ok
    })
}

/// Lower-case words of five letters or more, a plural "s" dropped, minus common ones.
fn content_words(text: &str) -> BTreeSet<String> {
    const COMMON: &[&str] = &[
        "about", "after", "again", "their", "there", "these", "those", "which", "while", "where",
        "would", "could", "should", "other", "being", "every", "before", "through", "customer",
        "explain", "describe", "credit", "evidence", "learner", "using", "really", "thing",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if !stem.ends_with('s') => stem.to_string(),
                _ => w,
            }
        })
        .filter(|w| !COMMON.contains(&w.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        pack().criteria.clone()
    }

    #[test]
    fn every_keyword_points_to_a_real_criterion() {
        let all = criteria();
        for term in TERMS {
            for id in term.criteria {
                assert!(all.iter().any(|c| c.id == *id), "{id} is not in the pack");
            }
        }
    }

    #[test]
    fn template_criteria_come_with_a_reason() {
        let got = suggest(&criteria(), Some("reflective-account"), "");
        assert!(!got.is_empty());
        assert!(
            got.iter()
                .all(|s| s.reason == "Usual for a reflective account"),
            "{got:?}"
        );
        assert!(got.len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn keywords_rank_first_and_say_what_matched() {
        let got = suggest(
            &criteria(),
            Some("negotiation-plan"),
            "My BATNA was to buy from the other supplier; I listed each concession I could make.",
        );
        assert_eq!(got[0].criterion_id, "negotiate/lo2/ac2.2", "{got:?}");
        assert_eq!(got[0].reason, "You wrote “BATNA”");
        assert!(got.iter().any(|s| s.criterion_id == "negotiate/lo2/ac2.3"));
        assert!(got.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(got.len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn exact_terms_need_the_exact_word() {
        assert!(mentions("I used STAR here", "STAR", true));
        assert!(!mentions("she is our star employee", "STAR", true));
        assert!(!mentions("STARTED early", "STAR", true));
        assert!(mentions("Several Complaints came in", "complaint", false));
        assert!(!mentions("uncomplaining", "complaint", false));
    }

    #[test]
    fn nothing_to_go_on_suggests_nothing() {
        assert!(suggest(&criteria(), None, "").is_empty());
        assert!(suggest(&criteria(), Some("no-such-template"), "hello").is_empty());
    }
}
