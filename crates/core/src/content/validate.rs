//! The checks every pack must pass: unique ids, every link resolves, nothing empty, every
//! marking point served by a card, and then the quality rules in `lint`. Problems are reported
//! together, each naming its id.

use super::pack::{content_err, ContentBundle};
use super::phrase_match::Pattern;
use crate::model::CriterionKind;
use crate::Result;
use std::collections::{HashMap, HashSet};

impl ContentBundle {
    /// Checks the bundle; the error lists every problem found.
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        self.check_ids(&mut problems);
        self.check_structure_links(&mut problems);
        self.check_notes(&mut problems);
        self.check_templates(&mut problems);
        self.check_phrases(&mut problems);
        problems.extend(super::lint::lint(self));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(content_err("content pack", problems.join("; ")))
        }
    }

    fn check_ids(&self, problems: &mut Vec<String>) {
        let mut seen = HashSet::new();
        let structure_ids = self
            .qualifications
            .iter()
            .map(|q| &q.id)
            .chain(self.units.iter().map(|u| &u.id))
            .chain(self.outcomes.iter().map(|o| &o.id))
            .chain(self.criteria.iter().map(|c| &c.id));
        for id in structure_ids {
            if !seen.insert(id.as_str()) {
                problems.push(format!("duplicate structure id '{id}'"));
            }
        }
        let mut notes = HashSet::new();
        for (_, note) in self.notes() {
            if !notes.insert(note.id.as_str()) {
                problems.push(format!("duplicate note id '{}'", note.id));
            }
        }
        let mut decks = HashSet::new();
        for (_, deck) in &self.decks {
            if !decks.insert(deck.id.as_str()) {
                problems.push(format!("duplicate deck id '{}'", deck.id));
            }
        }
        let mut templates = HashSet::new();
        for t in &self.templates {
            if !templates.insert(t.id.as_str()) {
                problems.push(format!("duplicate template id '{}'", t.id));
            }
        }
    }

    fn check_structure_links(&self, problems: &mut Vec<String>) {
        let quals: HashSet<&str> = self.qualifications.iter().map(|q| q.id.as_str()).collect();
        for q in &self.qualifications {
            if q.title.trim().is_empty() {
                problems.push(format!("qualification '{}' has no title", q.id));
            }
        }
        for u in &self.units {
            for q in &u.qualifications {
                if !quals.contains(q.as_str()) {
                    problems.push(format!("unit '{}' names unknown qualification '{q}'", u.id));
                }
            }
            if u.title.trim().is_empty() || u.summary.trim().is_empty() {
                problems.push(format!("unit '{}' has an empty title or summary", u.id));
            }
        }
        for o in &self.outcomes {
            if o.title.trim().is_empty() {
                problems.push(format!("outcome '{}' has no title", o.id));
            }
        }
        for c in &self.criteria {
            if c.text.trim().is_empty() || c.code.trim().is_empty() {
                problems.push(format!("criterion '{}' has empty text or code", c.id));
            }
        }
    }

    fn check_notes(&self, problems: &mut Vec<String>) {
        let criteria: HashSet<&str> = self.criteria.iter().map(|c| c.id.as_str()).collect();
        let units: HashSet<&str> = self.units.iter().map(|u| u.id.as_str()).collect();
        let mut served: HashMap<&str, usize> = HashMap::new();
        for (file, deck) in &self.decks {
            if deck.name.trim().is_empty() {
                problems.push(format!("deck '{}' in {file} has no name", deck.id));
            }
            if let Some(unit) = &deck.unit {
                if !units.contains(unit.as_str()) {
                    problems.push(format!("deck '{}' names unknown unit '{unit}'", deck.id));
                }
            }
        }
        for (deck, note) in self.notes() {
            match note.fields() {
                None => problems.push(format!(
                    "note '{}' lacks the fields its kind needs",
                    note.id
                )),
                Some(fields) => {
                    if let Some(problem) = crate::collection::check_fields(&fields) {
                        problems.push(format!("note '{}': {problem}", note.id));
                    }
                }
            }
            // A unit's deck links every note; the cross-unit skills deck may hold notes (such
            // as evidence quality) that no criterion asks for.
            if deck.unit.is_some() && note.criteria.is_empty() && note.related.is_empty() {
                problems.push(format!("note '{}' is linked to no criterion", note.id));
            }
            for c in note
                .related
                .iter()
                .filter(|c| !criteria.contains(c.as_str()))
            {
                problems.push(format!(
                    "note '{}' relates to unknown criterion '{c}'",
                    note.id
                ));
            }
            for c in &note.criteria {
                if criteria.contains(c.as_str()) {
                    *served.entry(c.as_str()).or_default() += 1;
                } else {
                    problems.push(format!(
                        "note '{}' links to unknown criterion '{c}'",
                        note.id
                    ));
                }
            }
        }
        for c in &self.criteria {
            if c.kind == CriterionKind::MarkingPoint && !served.contains_key(c.id.as_str()) {
                problems.push(format!("marking point '{}' has no card", c.id));
            }
        }
    }

    fn check_phrases(&self, problems: &mut Vec<String>) {
        let criteria: HashSet<&str> = self.criteria.iter().map(|c| c.id.as_str()).collect();
        for (name, group) in self.synonyms.groups() {
            let place = format!("synonym group '{name}'");
            if group.is_empty() || group.iter().any(Pattern::is_empty) {
                problems.push(format!("{place} has an empty phrase"));
            }
            for p in group {
                self.check_groups(&place, p, problems);
            }
        }
        for (i, rule) in self.phrases.iter().enumerate() {
            let first = rule.phrases.first().map_or("", String::as_str);
            let place = format!("phrase rule {} (\"{first}\")", i + 1);
            let patterns: Vec<Pattern> = rule.all_phrases().map(|p| Pattern::parse(p)).collect();
            if rule.phrases.is_empty() || patterns.iter().any(Pattern::is_empty) {
                problems.push(format!("{place} has an empty phrase"));
            }
            for p in &patterns {
                self.check_groups(&place, p, problems);
            }
            if !(rule.weight > 0.0 && rule.weight <= 1.0) {
                problems.push(format!("{place} has a weight outside 0 to 1"));
            }
            for c in rule
                .criteria
                .iter()
                .filter(|c| !criteria.contains(c.as_str()))
            {
                problems.push(format!("{place} names unknown criterion '{c}'"));
            }
        }
        for (i, r) in self.requirements.iter().enumerate() {
            let place = format!("requirement {}", i + 1);
            let patterns: Vec<Pattern> = r.any.iter().map(|p| Pattern::parse(p)).collect();
            if r.any.is_empty() || r.criteria.is_empty() || patterns.iter().any(Pattern::is_empty) {
                problems.push(format!("{place} has no phrase or no criterion"));
            }
            for p in &patterns {
                self.check_groups(&place, p, problems);
            }
            for c in r.criteria.iter().filter(|c| !criteria.contains(c.as_str())) {
                problems.push(format!("{place} names unknown criterion '{c}'"));
            }
        }
        for (i, example) in self.examples.iter().enumerate() {
            let place = format!("example {} (\"{}\")", i + 1, first_words(&example.note));
            if example.note.trim().is_empty() {
                problems.push(format!("{place} has no note"));
            }
            for c in example
                .criteria
                .iter()
                .filter(|c| !criteria.contains(c.as_str()))
            {
                problems.push(format!("{place} names unknown criterion '{c}'"));
            }
        }
    }

    fn check_groups(&self, place: &str, pattern: &Pattern, problems: &mut Vec<String>) {
        for g in pattern
            .groups()
            .filter(|g| self.synonyms.group(g).is_none())
        {
            problems.push(format!("{place} names unknown synonym group '@{g}'"));
        }
    }

    fn check_templates(&self, problems: &mut Vec<String>) {
        let criteria: HashSet<&str> = self.criteria.iter().map(|c| c.id.as_str()).collect();
        for t in &self.templates {
            if t.title.trim().is_empty() || t.fields.is_empty() {
                problems.push(format!("template '{}' has no title or no fields", t.id));
            }
            let mut field_ids = HashSet::new();
            for f in &t.fields {
                if f.label.trim().is_empty() || !field_ids.insert(f.id.as_str()) {
                    problems.push(format!(
                        "template '{}' field '{}' is unlabelled or repeated",
                        t.id, f.id
                    ));
                }
            }
            for c in t.criteria.iter().chain(&t.suggest) {
                if !criteria.contains(c.as_str()) {
                    problems.push(format!(
                        "template '{}' links to unknown criterion '{c}'",
                        t.id
                    ));
                }
            }
        }
        for w in &self.witness_prompts {
            if !criteria.contains(w.criterion.as_str()) {
                problems.push(format!(
                    "witness prompts name unknown criterion '{}'",
                    w.criterion
                ));
            }
            if w.prompts.is_empty() || w.prompts.iter().any(|p| p.trim().is_empty()) {
                problems.push(format!("witness prompts for '{}' are empty", w.criterion));
            }
        }
    }
}

/// The start of a long text, to name it in a problem.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    words.join(" ")
}
