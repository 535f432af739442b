//! The pack file formats, and loading them into one checked bundle.

use super::criterion_model::CriterionModel;
use super::examples::WorkedExample;
use super::phrase_match::Synonyms;
use super::phrases::{PhraseRule, PhrasesFile, Requirement};
use crate::model::{
    CardKind, Criterion, CriterionKind, EvidenceKind, LearningOutcome, NoteFields, Qualification,
    Unit,
};
use crate::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// File format version (1).
    pub format: u32,
    /// Content version; a device reinstalls when it differs.
    pub version: String,
    /// Structure files, in order.
    pub structure: Vec<String>,
    /// Deck files, in order.
    pub decks: Vec<String>,
    /// The templates file.
    pub templates: String,
    /// The criteria-suggestion phrases file (optional in format 1).
    #[serde(default)]
    pub phrases: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureFile {
    qualifications: Vec<Qualification>,
    units: Vec<UnitSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitSpec {
    id: String,
    title: String,
    qualifications: Vec<String>,
    summary: String,
    /// Where the unit's structure comes from, and how far it is our own grouping.
    #[serde(default)]
    origin: String,
    outcomes: Vec<OutcomeSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeSpec {
    id: String,
    code: String,
    title: String,
    criteria: Vec<CriterionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionSpec {
    id: String,
    code: String,
    kind: CriterionKind,
    text: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    official_ref: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

/// What the pack knows about a criterion beyond what the device stores: where it came from,
/// the awarding body's own reference once a centre has loaded it, and the words a card that
/// teaches it is expected to use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriterionInfo {
    /// Criterion id.
    pub id: String,
    /// The seed file and line it was written from, e.g. "seed 001 line 74 (assessment criterion)".
    pub source: String,
    /// The awarding body's reference for it, e.g. "AC 2.3"; `None` until a centre loads the
    /// official specification. The pack's own `code` is never presented as this.
    pub official_ref: Option<String>,
    /// Words and phrases that a card teaching this criterion uses (besides its text's own).
    pub keywords: Vec<String>,
}

/// A deck file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeckSpec {
    /// Content key of the deck.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// The unit it serves.
    #[serde(default)]
    pub unit: Option<String>,
    /// Its notes.
    pub notes: Vec<NoteSpec>,
}

/// A note in a deck file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteSpec {
    /// Content key, unique across all packs.
    pub id: String,
    /// Card kind.
    pub kind: CardKind,
    /// Basic/reversed question side.
    #[serde(default)]
    pub front: Option<String>,
    /// Basic/reversed answer side.
    #[serde(default)]
    pub back: Option<String>,
    /// Cloze text.
    #[serde(default)]
    pub text: Option<String>,
    /// Cloze extra.
    #[serde(default)]
    pub extra: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Criteria the note teaches: these count towards knowledge strength.
    pub criteria: Vec<String>,
    /// Criteria the note only relates to (background, or how to evidence them): shown for
    /// context, never counted.
    #[serde(default)]
    pub related: Vec<String>,
}

impl NoteSpec {
    /// The note's fields; `None` when the kind's fields are missing.
    pub fn fields(&self) -> Option<NoteFields> {
        Some(match self.kind {
            CardKind::Basic => NoteFields::Basic {
                front: self.front.clone()?,
                back: self.back.clone()?,
            },
            CardKind::Reversed => NoteFields::Reversed {
                front: self.front.clone()?,
                back: self.back.clone()?,
            },
            CardKind::Cloze => NoteFields::Cloze {
                text: self.text.clone()?,
                extra: self.extra.clone().unwrap_or_default(),
            },
        })
    }
}

/// How a template field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldInput {
    /// One line.
    Text,
    /// Several lines.
    Textarea,
    /// A date.
    Date,
    /// One entry per line.
    List,
}

/// One field of an evidence template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateField {
    /// Field id (key in the item's fields).
    pub id: String,
    /// Label.
    pub label: String,
    /// A hint under the label.
    #[serde(default)]
    pub help: String,
    /// Input kind.
    pub input: FieldInput,
    /// Must be filled before submitting.
    #[serde(default)]
    pub required: bool,
}

/// An evidence template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Id.
    pub id: String,
    /// The evidence kind it makes.
    pub kind: EvidenceKind,
    /// Title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Its fields.
    pub fields: Vec<TemplateField>,
    /// Criteria it can evidence: its evidence route.
    pub criteria: Vec<String>,
    /// The few criteria (at most five) it most typically evidences, offered as suggestions
    /// before the learner has written anything.
    #[serde(default)]
    pub suggest: Vec<String>,
}

/// Prompts a witness answers about one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessPrompts {
    /// The criterion.
    pub criterion: String,
    /// Questions for the witness.
    pub prompts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesFile {
    templates: Vec<Template>,
    witness_prompts: Vec<WitnessPrompts>,
}

/// Everything in a content pack, loaded and checked.
#[derive(Debug, Clone, Default)]
pub struct ContentBundle {
    /// Content version.
    pub version: String,
    /// Qualifications.
    pub qualifications: Vec<Qualification>,
    /// Units.
    pub units: Vec<Unit>,
    /// Learning outcomes.
    pub outcomes: Vec<LearningOutcome>,
    /// Criteria and marking points.
    pub criteria: Vec<Criterion>,
    /// The pack's notes on each criterion, in the same order as `criteria`.
    pub criterion_info: Vec<CriterionInfo>,
    /// Each unit's note on where its structure comes from: (unit id, origin).
    pub unit_origins: Vec<(String, String)>,
    /// Decks, with the file each came from.
    pub decks: Vec<(String, DeckSpec)>,
    /// Evidence templates.
    pub templates: Vec<Template>,
    /// Witness prompts.
    pub witness_prompts: Vec<WitnessPrompts>,
    /// Plain-word phrases that point to criteria, for suggestions.
    pub phrases: Vec<PhraseRule>,
    /// What a criterion's note must mention before it is suggested.
    pub requirements: Vec<Requirement>,
    /// The synonym groups the phrases name (`@upset`).
    pub synonyms: Synonyms,
    /// Worked examples: plain-words notes and the criteria an assessor linked.
    pub examples: Vec<WorkedExample>,
    /// The suggester's model, trained on the examples on first use: a device installing the
    /// pack never needs it.
    pub(crate) criterion_model: OnceLock<CriterionModel>,
}

impl ContentBundle {
    /// Loads a pack through `read(path)` (relative to the pack folder) and checks it.
    pub fn load(read: impl Fn(&str) -> Option<String>) -> Result<ContentBundle> {
        let bundle = Self::parse_files(read)?;
        bundle.validate()?;
        Ok(bundle)
    }

    /// Parses a pack without checking it (for reporting every problem of a pack under review).
    pub(crate) fn parse_files(read: impl Fn(&str) -> Option<String>) -> Result<ContentBundle> {
        let manifest: Manifest = parse("manifest.json", &read)?;
        if manifest.format != 1 {
            return Err(content_err(
                "manifest.json",
                format!("unknown format {}", manifest.format),
            ));
        }
        let mut bundle = ContentBundle {
            version: manifest.version.clone(),
            ..ContentBundle::default()
        };
        for file in &manifest.structure {
            let s: StructureFile = parse(file, &read)?;
            bundle.add_structure(s);
        }
        for file in &manifest.decks {
            bundle.decks.push((file.clone(), parse(file, &read)?));
        }
        let t: TemplatesFile = parse(&manifest.templates, &read)?;
        bundle.templates = t.templates;
        bundle.witness_prompts = t.witness_prompts;
        if let Some(file) = &manifest.phrases {
            let p: PhrasesFile = parse(file, &read)?;
            bundle.phrases = p.phrases;
            bundle.synonyms = Synonyms::new(&p.synonyms);
            bundle.examples = p.examples;
            bundle.requirements = p.requires;
        }
        Ok(bundle)
    }

    fn add_structure(&mut self, s: StructureFile) {
        self.qualifications.extend(s.qualifications);
        for u in s.units {
            for o in u.outcomes {
                for c in o.criteria {
                    self.criterion_info.push(CriterionInfo {
                        id: c.id.clone(),
                        source: c.source,
                        official_ref: c.official_ref,
                        keywords: c.keywords,
                    });
                    self.criteria.push(Criterion {
                        id: c.id,
                        outcome_id: o.id.clone(),
                        unit_id: u.id.clone(),
                        code: c.code,
                        kind: c.kind,
                        text: c.text,
                        official_ref: None,
                    });
                }
                self.outcomes.push(LearningOutcome {
                    id: o.id,
                    unit_id: u.id.clone(),
                    code: o.code,
                    title: o.title,
                });
            }
            self.unit_origins.push((u.id.clone(), u.origin));
            self.units.push(Unit {
                id: u.id,
                title: u.title,
                summary: u.summary,
                qualifications: u.qualifications,
            });
        }
    }

    /// The suggester's model, trained on every worked example.
    pub fn criterion_model(&self) -> &CriterionModel {
        self.criterion_model
            .get_or_init(|| CriterionModel::train(&self.examples, &self.synonyms, |_| false))
    }

    /// All notes with their deck.
    pub fn notes(&self) -> impl Iterator<Item = (&DeckSpec, &NoteSpec)> {
        self.decks
            .iter()
            .flat_map(|(_, d)| d.notes.iter().map(move |n| (d, n)))
    }

    /// The pack's notes on a criterion.
    pub fn info(&self, criterion_id: &str) -> Option<&CriterionInfo> {
        self.criterion_info.iter().find(|i| i.id == criterion_id)
    }

    /// The witness prompts for these criteria, in the order given.
    pub fn prompts_for(&self, criteria: &[String]) -> Vec<(String, Vec<String>)> {
        criteria
            .iter()
            .filter_map(|c| {
                self.witness_prompts
                    .iter()
                    .find(|w| &w.criterion == c)
                    .map(|w| (c.clone(), w.prompts.clone()))
            })
            .collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    file: &str,
    read: &impl Fn(&str) -> Option<String>,
) -> Result<T> {
    let text = read(file).ok_or_else(|| content_err(file, "the file is missing".into()))?;
    serde_json::from_str(&text).map_err(|e| content_err(file, e.to_string()))
}

pub(super) fn content_err(file: &str, detail: String) -> CoreError {
    CoreError::Content {
        file: file.to_string(),
        detail,
    }
}
