//! The deck list: every deck with what studying it today would show, and why it shows no more.
//! Each row is that deck's own queue (`gather_queue_from`, the one place queues are built), so
//! it always says what the deck's Study button gives. What every row needs is read once for
//! the whole list: today's rules, the due cards of every deck (split by deck in memory), and
//! the new cards of every deck counted, and where they lie in the learning order, in one
//! grouped query (so no deck's read walks past the others' new cards).

use super::review::study_today_of;
use super::Collection;
use crate::model::DeckId;
use crate::queue::Scope;
use crate::store::{DeckSummary, DueCandidate};
use crate::Result;
use std::collections::HashMap;

impl Collection {
    /// Every deck with its counts for today.
    pub fn decks(&self) -> Result<Vec<DeckSummary>> {
        let mut decks = self.store.get_deck_summaries()?;
        let ctx = self.day_context()?;
        let today = ctx.today();
        let all = self.queue_filter(&Scope::All);
        let mut due_by_deck: HashMap<DeckId, Vec<DueCandidate>> = HashMap::new();
        for card in self.store.due_candidates(&all, ctx.day_end, true)? {
            if let Some(deck) = card.deck_id {
                due_by_deck.entry(deck).or_default().push(card);
            }
        }
        let spans = self.store.new_card_spans_by_deck(today)?;
        for d in &mut decks {
            let id = d.deck.id;
            let due = due_by_deck.remove(&id).unwrap_or_default();
            let (queue, held) =
                self.gather_queue_from(&Scope::Deck(id), &ctx, due, Some(&spans))?;
            let new_cards = spans.get(&id).map_or(0, |s| s.count);
            let today = study_today_of(&queue, &held, new_cards);
            d.due = today.counts.learning + today.counts.review;
            d.new = today.counts.new;
            d.today = today;
        }
        Ok(decks)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::NoteFields;
    use crate::store::new_cards_of_deck_sql;
    use crate::testing::empty_collection;
    use rusqlite::StatementStatus;

    /// SQLite VM steps the deck list's new-card reads take, in a collection with one deck of
    /// `big` new cards made first and ten decks of two new cards each made after it (so their
    /// cards come last in the learning order, as an import's do after the built-in decks').
    fn new_card_steps(big: usize) -> i32 {
        let (mut col, _clock) = empty_collection();
        col.seed_synthetic(big, 0).unwrap();
        for i in 0..10 {
            let deck = col.deck_named_for_tests(&format!("Small {i}"));
            for j in 0..2 {
                let fields = NoteFields::Basic {
                    front: format!("Question {i}.{j}"),
                    back: "Answer".into(),
                };
                col.add_note(deck, fields, &[], &[]).unwrap();
            }
        }
        let sql = new_cards_of_deck_sql();
        col.store
            .conn()
            .prepare_cached(&sql)
            .unwrap()
            .reset_status(StatementStatus::VmStep);
        let decks = col.decks().unwrap();
        assert_eq!(decks.len(), 11);
        assert!(
            decks.iter().all(|d| d.new > 0),
            "every deck shows new cards"
        );
        let steps = col
            .store
            .conn()
            .prepare_cached(&sql)
            .unwrap()
            .get_status(StatementStatus::VmStep);
        steps
    }

    /// After a 20,000-note import the deck list took seconds: each deck's new cards were
    /// looked for by walking every new card in learning order from the first, so a deck with
    /// few new cards, or whose cards come late, walked past every other deck's.
    #[test]
    fn the_deck_lists_new_card_reads_do_not_grow_with_another_decks_size() {
        let small = new_card_steps(300);
        let big = new_card_steps(3_000);
        assert!(small > 0, "the statement's counters were read");
        assert!(
            big < small * 2,
            "ten times the cards in one deck took {big} VM steps against {small}"
        );
    }
}
