//! Card format: one question per card, one right answer (or the accepted variants listed), no
//! answer given away, no duplicates.

use super::super::pack::{ContentBundle, NoteSpec};
use super::super::words::{content_stems, normalised};
use crate::model::CardKind;
use std::collections::BTreeSet;

/// Two notes whose topic words overlap this much (Jaccard), sharing at least
/// [`NEAR_DUPLICATE_WORDS`] of them, teach the same thing.
const NEAR_DUPLICATE: f64 = 0.33;
const NEAR_DUPLICATE_WORDS: usize = 6;

/// Words that make up a deletion which tests nothing ("{{c1::If you}}").
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "the", "if", "then", "you", "we", "they", "it", "of", "to", "in", "on", "or",
    "but", "so", "is", "are", "be", "your", "our", "their", "that", "this",
];

/// Problems with each note's form.
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    let notes: Vec<&NoteSpec> = bundle.notes().map(|(_, n)| n).collect();
    for note in &notes {
        match note.kind {
            CardKind::Reversed => {
                reverse_gives_acronym_away(note, problems);
                reverse_shows_its_term(note, problems);
            }
            CardKind::Cloze => cloze_gives_answer_away(note, problems),
            CardKind::Basic => {}
        }
        if let Some(front) = &note.front {
            asks_two_things(note, front, problems);
            asks_for_one_set_list(note, front, note.back.as_deref().unwrap_or(""), problems);
        }
    }
    duplicates(&notes, problems);
}

/// A reversed card whose front is an acronym and whose back spells it out: the reverse card
/// shows the initials in the question.
fn reverse_gives_acronym_away(note: &NoteSpec, problems: &mut Vec<String>) {
    let (Some(front), Some(back)) = (&note.front, &note.back) else {
        return;
    };
    let initials: Vec<char> = back
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let small: Vec<bool> = back
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "a" | "an" | "of" | "to" | "the" | "and"
            )
        })
        .collect();
    for acronym in front
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
    {
        let letters: Vec<char> = acronym.chars().collect();
        if (0..initials.len()).any(|start| spells(&letters, &initials[start..], &small[start..])) {
            problems.push(format!(
                "note '{}': a reversed card of the acronym {acronym} shows its expansion, so the initials give the answer away; make it one-way",
                note.id
            ));
        }
    }
}

/// A reversed card whose back uses half or more of the front's own topic words: the reverse
/// card asks for the term while showing most of it ("Total sales value ÷ number of
/// transactions…" → "Average transaction value").
fn reverse_shows_its_term(note: &NoteSpec, problems: &mut Vec<String>) {
    let (Some(front), Some(back)) = (&note.front, &note.back) else {
        return;
    };
    let term = content_stems(front);
    let back_words = content_stems(back);
    let shown: Vec<&String> = term.intersection(&back_words).collect();
    if !shown.is_empty() && shown.len() * 2 >= term.len() {
        let words: Vec<&str> = shown.iter().map(|s| s.as_str()).collect();
        problems.push(format!(
            "note '{}': the reverse card shows the term's own words ({}) in its question; reword the back or make it one-way",
            note.id,
            words.join(", ")
        ));
    }
}

/// True when the words from the start spell `letters` by their initials, small words such as
/// "to" or "of" counting or being skipped.
fn spells(letters: &[char], initials: &[char], small: &[bool]) -> bool {
    match (letters.first(), initials.first()) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(l), Some(i)) => {
            (l == i && spells(&letters[1..], &initials[1..], &small[1..]))
                || (small[0] && spells(letters, &initials[1..], &small[1..]))
        }
    }
}

/// Cloze deletions that can be filled without knowing the answer.
fn cloze_gives_answer_away(note: &NoteSpec, problems: &mut Vec<String>) {
    let Some(text) = &note.text else { return };
    for sentence in sentences(text) {
        for (answer, after) in deletions(sentence) {
            let revealed_elsewhere = {
                let others = sentence.replacen(&format!("::{answer}"), "::", 1);
                contains_words(&strip_cloze_syntax(&others), &answer)
            };
            if revealed_elsewhere {
                problems.push(format!(
                    "note '{}': the cloze answer '{answer}' also appears in its own sentence",
                    note.id
                ));
            }
            if normalised(&answer)
                .iter()
                .all(|w| FUNCTION_WORDS.contains(&w.as_str()))
            {
                problems.push(format!(
                    "note '{}': the cloze answer '{answer}' is only function words and tests nothing",
                    note.id
                ));
            }
            if after.trim_start().starts_with('(') {
                problems.push(format!(
                    "note '{}': the cloze answer '{answer}' is followed by a gloss in brackets that gives it away",
                    note.id
                ));
            }
        }
    }
}

/// A front that asks two questions: "What is X, and why…?", two question marks, "(a)… (b)…",
/// or a question followed by a second instruction ("… ? Give examples.").
fn asks_two_things(note: &NoteSpec, front: &str, problems: &mut Vec<String>) {
    let lower = front.to_lowercase();
    let second_question = [
        ", and why",
        ", and how",
        ", and what",
        ", and where",
        ", and when",
        ", and which",
        ", and who",
        ", and in which",
    ]
    .iter()
    .any(|p| lower.contains(p));
    let two_marks = front.matches('?').count() >= 2;
    let lettered = lower.contains("(a)") && lower.contains("(b)");
    let then_instruction = front.split_once('?').is_some_and(|(_, rest)| {
        let rest = rest.trim_start().to_lowercase();
        ["give ", "name ", "list ", "explain ", "describe ", "state "]
            .iter()
            .any(|w| rest.starts_with(w))
    });
    if second_question || two_marks || lettered || then_instruction {
        problems.push(format!(
            "note '{}': the front asks more than one thing; split it into one card per question",
            note.id
        ));
    }
}

/// "Name three …" or "Give examples of …" with a back that presents one particular list as
/// the answer: other right lists would be marked wrong. The back must say which variants are
/// accepted ("Any one of …", "For example …").
fn asks_for_one_set_list(note: &NoteSpec, front: &str, back: &str, problems: &mut Vec<String>) {
    let lower = front.to_lowercase();
    let open_list = ["name ", "give ", "list "].iter().any(|verb| {
        ["two ", "three ", "four ", "five ", "some ", "examples"]
            .iter()
            .any(|what| lower.starts_with(&format!("{verb}{what}")))
    });
    let back_lower = back.to_lowercase();
    let variants_named = [
        "any one",
        "any of",
        "for example",
        "e.g.",
        "such as",
        "any ",
    ]
    .iter()
    .any(|w| back_lower.contains(w));
    if open_list && !variants_named {
        problems.push(format!(
            "note '{}': the front asks for an open list but the back gives one set answer; ask for one and list the accepted variants",
            note.id
        ));
    }
}

/// Notes that ask the same thing: the same front, or most topic words shared.
fn duplicates(notes: &[&NoteSpec], problems: &mut Vec<String>) {
    let keyed: Vec<(&NoteSpec, Vec<String>, BTreeSet<String>)> = notes
        .iter()
        .map(|n| {
            let all = note_text(n);
            (*n, normalised(&question_of(n)), content_stems(&all))
        })
        .collect();
    for (i, (a, front_a, words_a)) in keyed.iter().enumerate() {
        for (b, front_b, words_b) in &keyed[i + 1..] {
            let same_front = !front_a.is_empty() && front_a == front_b;
            let shared = words_a.intersection(words_b).count();
            let union = words_a.union(words_b).count().max(1);
            let near =
                shared >= NEAR_DUPLICATE_WORDS && shared as f64 / union as f64 >= NEAR_DUPLICATE;
            if same_front || near {
                problems.push(format!(
                    "notes '{}' and '{}' duplicate each other; merge them or make them ask different things",
                    a.id, b.id
                ));
            }
        }
    }
}

/// The question side: the front, or the cloze text with its deletions shown.
fn question_of(note: &NoteSpec) -> String {
    match note.kind {
        CardKind::Cloze => strip_cloze_syntax(note.text.as_deref().unwrap_or("")),
        _ => note.front.clone().unwrap_or_default(),
    }
}

/// Everything a note says, cloze syntax removed.
pub(crate) fn note_text(note: &NoteSpec) -> String {
    [&note.front, &note.back, &note.text, &note.extra]
        .into_iter()
        .flatten()
        .map(|t| strip_cloze_syntax(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `{{c1::answer::hint}}` → `answer`.
pub(crate) fn strip_cloze_syntax(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &rest[start + 2..start + end];
        let answer = inner.split("::").nth(1).unwrap_or("");
        out.push_str(answer);
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// Each deletion's answer and the text right after it.
fn deletions(sentence: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let inner = &rest[start + 2..start + end];
        let answer = inner.split("::").nth(1).unwrap_or("").to_string();
        rest = &rest[start + end + 2..];
        out.push((answer, rest));
    }
    out
}

fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', ';', '?', '!'])
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// True when `hay` holds `needle` as whole words (case-insensitive).
fn contains_words(hay: &str, needle: &str) -> bool {
    let hay = normalised(hay);
    let needle = normalised(needle);
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_slice())
}
