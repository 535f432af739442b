//! The deck list: every deck with what studying it today would show, and why it shows no more.
//! Each row is that deck's own queue (`gather_queue_from`, the one place queues are built), so
//! it always says what the deck's Study button gives. What every row needs is read once for
//! the whole list: today's rules, the due cards of every deck (split by deck in memory), and
//! the new cards of every deck counted in one grouped query.

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
        let new_by_deck = self.store.count_new_cards_by_deck(today)?;
        for d in &mut decks {
            let id = d.deck.id;
            let due = due_by_deck.remove(&id).unwrap_or_default();
            let (queue, held) = self.gather_queue_from(&Scope::Deck(id), &ctx, due)?;
            let new_cards = new_by_deck.get(&id).copied().unwrap_or(0);
            let today = study_today_of(&queue, &held, new_cards);
            d.due = today.counts.learning + today.counts.review;
            d.new = today.counts.new;
            d.today = today;
        }
        Ok(decks)
    }
}
