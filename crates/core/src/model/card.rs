//! Decks, notes and cards, and the schedule a card carries.

use super::{CardId, DeckId, NoteId};
use serde::{Deserialize, Serialize};

/// A deck: a named set of notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deck {
    /// Id.
    pub id: DeckId,
    /// Name shown to the learner.
    pub name: String,
    /// What the deck covers.
    pub description: String,
    /// The unit it serves, if any.
    pub unit_id: Option<String>,
    /// The content key for built-in decks; `None` for the learner's own.
    pub builtin: Option<String>,
}

/// How a note is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// Front → back.
    Basic,
    /// Front → back and back → front.
    Reversed,
    /// One card per cloze deletion.
    Cloze,
}

impl CardKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Basic => "basic",
            CardKind::Reversed => "reversed",
            CardKind::Cloze => "cloze",
        }
    }
}

/// A note's fields; the variant fixes the card kind, so a cloze note can't lack its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteFields {
    /// Question and answer.
    Basic {
        /// Question side.
        front: String,
        /// Answer side.
        back: String,
    },
    /// Question and answer, asked both ways.
    Reversed {
        /// First side.
        front: String,
        /// Second side.
        back: String,
    },
    /// Text with `{{c1::deletions}}`.
    Cloze {
        /// The text with deletions.
        text: String,
        /// Shown under the answer.
        #[serde(default)]
        extra: String,
    },
}

impl NoteFields {
    /// The card kind these fields make.
    pub fn kind(&self) -> CardKind {
        match self {
            NoteFields::Basic { .. } => CardKind::Basic,
            NoteFields::Reversed { .. } => CardKind::Reversed,
            NoteFields::Cloze { .. } => CardKind::Cloze,
        }
    }

    /// All the text, for search.
    pub fn searchable_text(&self) -> String {
        match self {
            NoteFields::Basic { front, back } | NoteFields::Reversed { front, back } => {
                format!("{front}\n{back}")
            }
            NoteFields::Cloze { text, extra } => format!("{text}\n{extra}"),
        }
    }
}

/// A note: the facts, its tags and the criteria it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Id.
    pub id: NoteId,
    /// The deck it is in.
    pub deck_id: DeckId,
    /// The fields.
    pub fields: NoteFields,
    /// Lower-case tags.
    pub tags: Vec<String>,
    /// Ids of the criteria or marking points it serves.
    pub criteria: Vec<String>,
    /// Content key for built-in notes.
    pub builtin: Option<String>,
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    /// Never answered.
    New = 0,
    /// Going through the learning steps.
    Learning = 1,
    /// Graduated; due in days.
    Review = 2,
    /// Forgotten after graduating; going through relearning steps.
    Relearning = 3,
}

impl CardState {
    /// From the stored number.
    pub fn from_number(n: u8) -> Option<Self> {
        Some(match n {
            0 => CardState::New,
            1 => CardState::Learning,
            2 => CardState::Review,
            3 => CardState::Relearning,
            _ => return None,
        })
    }
}

/// FSRS memory state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

/// A card's scheduling state. Always equal to replaying its review log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Where the card is in its life.
    pub state: CardState,
    /// When it is next due (ms since the epoch); 0 for new cards, which are ordered by position.
    pub due_ms: i64,
    /// FSRS memory state, once answered.
    pub memory: Option<Memory>,
    /// Index into the learning or relearning steps.
    pub step: u8,
    /// Answers given.
    pub reps: u32,
    /// Times forgotten after graduating.
    pub lapses: u32,
    /// Last scheduled interval in days (review cards).
    pub interval_days: u32,
    /// When last answered.
    pub last_review_ms: Option<i64>,
    /// The learner's day number of the last answer.
    pub last_day: Option<i64>,
    /// Out of reviews until unsuspended.
    pub suspended: bool,
    /// Hidden for this day number.
    pub buried_day: Option<i64>,
    /// Forgotten too often: tagged leech (and suspended).
    pub leech: bool,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            state: CardState::New,
            due_ms: 0,
            memory: None,
            step: 0,
            reps: 0,
            lapses: 0,
            interval_days: 0,
            last_review_ms: None,
            last_day: None,
            suspended: false,
            buried_day: None,
            leech: false,
        }
    }
}

/// A card with its schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Id.
    pub id: CardId,
    /// The note it asks.
    pub note_id: NoteId,
    /// Which way of asking: 0 forward, 1 reverse; cloze number − 1.
    pub ord: u16,
    /// Order among new cards.
    pub position: i64,
    /// Scheduling state.
    pub schedule: Schedule,
}
