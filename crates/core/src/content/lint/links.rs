//! Links and coverage: a card that teaches a criterion must touch what the criterion says;
//! every criterion has a card that teaches it and a way to evidence it.

use super::super::pack::ContentBundle;
use super::super::phrases::mentions;
use super::super::words::content_stems;
use super::cards::note_text;
use std::collections::HashSet;

/// The most criteria a template may offer as its typical ones.
const MAX_TEMPLATE_SUGGESTIONS: usize = 5;

/// Problems with links, coverage and evidence routes.
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    teaching_links_touch_their_criterion(bundle, problems);
    every_criterion_is_taught(bundle, problems);
    every_criterion_has_an_evidence_route(bundle, problems);
    template_suggestions_are_few_and_their_own(bundle, problems);
}

fn teaching_links_touch_their_criterion(bundle: &ContentBundle, problems: &mut Vec<String>) {
    for (_, note) in bundle.notes() {
        let text = note_text(note);
        let stems = content_stems(&text);
        for id in &note.criteria {
            let Some(c) = bundle.criteria.iter().find(|c| &c.id == id) else {
                continue;
            };
            let shares_text = content_stems(&c.text).intersection(&stems).next().is_some();
            let uses_keyword = bundle
                .info(id)
                .is_some_and(|i| i.keywords.iter().any(|k| mentions(&text, k)));
            if !shares_text && !uses_keyword {
                problems.push(format!(
                    "note '{}' is linked to '{id}' as teaching it but touches none of its words; remove the link or mark it as related",
                    note.id
                ));
            }
        }
    }
}

fn every_criterion_is_taught(bundle: &ContentBundle, problems: &mut Vec<String>) {
    let taught: HashSet<&str> = bundle
        .notes()
        .flat_map(|(_, n)| n.criteria.iter().map(String::as_str))
        .collect();
    for c in &bundle.criteria {
        if !taught.contains(c.id.as_str()) {
            problems.push(format!("criterion '{}' has no card that teaches it", c.id));
        }
    }
}

fn every_criterion_has_an_evidence_route(bundle: &ContentBundle, problems: &mut Vec<String>) {
    let routed: HashSet<&str> = bundle
        .templates
        .iter()
        .flat_map(|t| t.criteria.iter().map(String::as_str))
        .chain(bundle.witness_prompts.iter().map(|w| w.criterion.as_str()))
        .collect();
    for c in &bundle.criteria {
        if !routed.contains(c.id.as_str()) {
            problems.push(format!(
                "criterion '{}' has no evidence route (no template or witness prompt)",
                c.id
            ));
        }
    }
}

fn template_suggestions_are_few_and_their_own(bundle: &ContentBundle, problems: &mut Vec<String>) {
    for t in &bundle.templates {
        if t.suggest.len() > MAX_TEMPLATE_SUGGESTIONS {
            problems.push(format!(
                "template '{}' suggests {} criteria; keep it to the {MAX_TEMPLATE_SUGGESTIONS} most typical",
                t.id,
                t.suggest.len()
            ));
        }
        for c in t.suggest.iter().filter(|c| !t.criteria.contains(c)) {
            problems.push(format!(
                "template '{}' suggests '{c}', which is not among the criteria it evidences",
                t.id
            ));
        }
    }
}
