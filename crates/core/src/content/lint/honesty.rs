//! The structure says what it is: codes that are the pack's own and look it, the command word
//! of the source kept at the start of each criterion, every criterion's source named, and no
//! qualification level the sources do not give.

use super::super::pack::ContentBundle;
use super::super::words::normalised;
use crate::model::CriterionKind;

/// The command words a criterion may open with: those the sources use (explain, describe,
/// evaluate, prepare, demonstrate, apply, identify, analyse, justify) and the usual ones for
/// comparing and weighing up (compare, assess), plus "record" for a criterion about records.
pub(crate) const COMMAND_WORDS: &[&str] = &[
    "explain",
    "describe",
    "evaluate",
    "prepare",
    "demonstrate",
    "apply",
    "identify",
    "analyse",
    "justify",
    "compare",
    "assess",
    "record",
];

/// Problems with how the structure presents itself.
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    for q in &bundle.qualifications {
        let words = normalised(&q.title);
        if words.iter().any(|w| w == "levels") {
            problems.push(format!(
                "qualification '{}' names a range of levels in its title; name only a level the source gives",
                q.id
            ));
        }
        let stated: Option<u8> = words
            .windows(2)
            .find(|w| w[0] == "level")
            .and_then(|w| w[1].parse().ok());
        if stated.unwrap_or(0) != q.level {
            problems.push(format!(
                "qualification '{}' has level {} but its title states {}; use 0 when the source gives no level",
                q.id,
                q.level,
                stated.map_or("none".to_string(), |n| n.to_string())
            ));
        }
    }
    for (unit, origin) in &bundle.unit_origins {
        if origin.trim().is_empty() {
            problems.push(format!(
                "unit '{unit}' does not say where its structure comes from"
            ));
        }
    }
    for o in &bundle.outcomes {
        if !o.code.starts_with("Topic ") {
            problems.push(format!(
                "outcome '{}' has code '{}', which looks like an awarding body's; use \"Topic N\"",
                o.id, o.code
            ));
        }
    }
    for c in &bundle.criteria {
        let (prefix, opening_ok) = match c.kind {
            CriterionKind::Criterion => (
                "Topic ",
                normalised(&c.text)
                    .first()
                    .is_some_and(|w| COMMAND_WORDS.contains(&w.as_str())),
            ),
            CriterionKind::MarkingPoint => ("Revision point ", c.text.starts_with("Credit")),
        };
        if !c.code.starts_with(prefix) {
            problems.push(format!(
                "criterion '{}' has code '{}', which looks like an awarding body's; use \"{prefix}…\"",
                c.id, c.code
            ));
        }
        if !opening_ok {
            problems.push(format!(
                "criterion '{}' does not open with a command word the sources use (or \"Credit\" for a marking point): \"{}\"",
                c.id, c.text
            ));
        }
        if bundle
            .info(&c.id)
            .is_none_or(|i| i.source.trim().is_empty())
        {
            problems.push(format!(
                "criterion '{}' does not name the source it was written from",
                c.id
            ));
        }
    }
}
