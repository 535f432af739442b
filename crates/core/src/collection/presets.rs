//! Deck presets (Anki's deck options): naming them, giving decks one, and scheduling each card
//! with its deck's. Presets live in the settings document, so they are validated, stored and
//! synced with it; a change that alters how some deck's cards are scheduled re-derives every
//! card from its log, as any change to the scheduling rules does.

use super::Collection;
use crate::model::{CardId, DeckId, DeckPreset, Settings};
use crate::scheduler::Scheduler;
use crate::{CoreError, OrNotFound, Result};
use std::collections::HashMap;

impl Collection {
    /// Every preset, the default first.
    pub fn presets(&self) -> Vec<DeckPreset> {
        self.settings.all_presets()
    }

    /// The preset `deck` is studied with.
    pub fn deck_preset(&self, deck: DeckId) -> DeckPreset {
        self.settings.preset_for(deck)
    }

    /// Saves a preset (a new one if its id is not yet used; id 0 is the default, i.e. the
    /// learner's own settings) and returns its id.
    pub fn save_preset(&mut self, preset: DeckPreset) -> Result<u32> {
        let mut settings = self.settings.clone();
        let id = settings.put_preset(preset);
        self.update_settings(settings)?;
        Ok(id)
    }

    /// Deletes a named preset; its decks go back to the default.
    pub fn delete_preset(&mut self, id: u32) -> Result<()> {
        if id == crate::model::DEFAULT_PRESET {
            return Err(CoreError::invalid("The default preset can't be deleted."));
        }
        let mut settings = self.settings.clone();
        settings.remove_preset(id);
        self.update_settings(settings)
    }

    /// Gives a deck a preset.
    pub fn set_deck_preset(&mut self, deck: DeckId, preset: u32) -> Result<()> {
        self.deck(deck)?;
        self.settings
            .preset(preset)
            .or_not_found("preset", preset)?;
        let mut settings = self.settings.clone();
        settings.set_deck_preset(deck, preset);
        self.update_settings(settings)
    }

    /// The scheduler for a card: the learner's model with its deck's steps.
    pub(crate) fn scheduler_for_card(&self, card: CardId) -> Result<(Scheduler, DeckPreset)> {
        let preset = match self.store.deck_of_card(card)? {
            Some(deck) => self.settings.preset_for(deck),
            None => self.settings.default_preset(),
        };
        Ok((self.scheduler.with_preset(&preset), preset))
    }

    /// Whether going from `before` to `after` schedules some deck's cards differently.
    pub(crate) fn steps_differ(&self, before: &Settings, after: &Settings) -> Result<bool> {
        if !before
            .default_preset()
            .schedules_like(&after.default_preset())
        {
            return Ok(true);
        }
        for deck in self.store.deck_ids()? {
            if !before
                .preset_for(deck)
                .schedules_like(&after.preset_for(deck))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Re-derives every card from its log with `base`'s model and its deck's steps under
    /// `settings`. Must run inside `transact`.
    pub(crate) fn replay_all_with(&self, settings: &Settings, base: &Scheduler) -> Result<()> {
        let by_deck: HashMap<DeckId, Scheduler> = self
            .store
            .deck_ids()?
            .into_iter()
            .map(|deck| (deck, base.with_preset(&settings.preset_for(deck))))
            .collect();
        let fallback = base.with_preset(&settings.default_preset());
        self.store.replay_all(|card| {
            Ok(self
                .store
                .deck_of_card(card)?
                .and_then(|deck| by_deck.get(&deck))
                .unwrap_or(&fallback))
        })
    }

    /// After a note moved decks: its cards follow their new deck's steps from their log.
    /// Must run inside `transact`.
    pub(crate) fn rederive_moved_note(
        &self,
        note: crate::model::NoteId,
        from: DeckId,
        to: DeckId,
    ) -> Result<()> {
        if from == to
            || self
                .settings
                .preset_for(from)
                .schedules_like(&self.settings.preset_for(to))
        {
            return Ok(());
        }
        for card in self.store.get_cards_of_note(note)? {
            self.rederive_card(card.id)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::{Clock, MINUTE_MS};
    use crate::model::{CardState, DeckPreset, Rating, DEFAULT_PRESET};
    use crate::queue::Scope;
    use crate::testing::builtin_collection;

    #[test]
    fn a_decks_preset_sets_its_limit_retention_and_steps() {
        let (mut col, clock) = builtin_collection();
        let decks = col.decks().unwrap();
        let (a, b) = (decks[0].deck.id, decks[1].deck.id);
        let cram = col
            .save_preset(DeckPreset {
                id: 77,
                name: "Cram".into(),
                new_per_day: 3,
                desired_retention: 0.8,
                learning_steps_min: vec![5],
                ..DeckPreset::default()
            })
            .unwrap();
        col.set_deck_preset(a, cram).unwrap();
        assert_eq!(col.deck_preset(a).name, "Cram");
        assert_eq!(col.deck_preset(b).id, DEFAULT_PRESET);
        assert_eq!(col.study_today(&Scope::Deck(a)).unwrap().counts.new, 3);
        assert_eq!(col.study_today(&Scope::Deck(b)).unwrap().counts.new, 20);
        let all = col.study_today(&Scope::All).unwrap();
        let a_in_all = col
            .decks()
            .unwrap()
            .iter()
            .find(|d| d.deck.id == a)
            .unwrap()
            .new;
        assert_eq!((all.counts.new, a_in_all), (20, 3));

        // Answering a card of deck A: its step is A's 5 minutes, its log keeps A's retention.
        let session = col.start_session(Scope::Deck(a)).unwrap();
        let card = session.next(clock.now_ms()).unwrap().card_id;
        let schedule = col.answer_card(card, Rating::Good, 1_000).unwrap();
        assert_eq!(
            schedule.state,
            CardState::Review,
            "one step: Good graduates"
        );
        let logs = col.card_reviews(card).unwrap();
        assert_eq!(logs[0].retention, 0.8);
        let again = col.answer_card(card, Rating::Again, 1_000);
        assert!(again.is_ok());

        // A card of the default deck still has the default 1 m, 10 m steps.
        let session = col.start_session(Scope::Deck(b)).unwrap();
        let other = session.next(clock.now_ms()).unwrap().card_id;
        let s = col.answer_card(other, Rating::Again, 1_000).unwrap();
        // Measured from the answer's own stamp: a device's log times are strictly increasing,
        // so a third answer in the same millisecond is stamped a little later than the clock.
        let answered_ms = col.card_reviews(other).unwrap()[0].time_ms;
        assert_eq!(s.due_ms - answered_ms, MINUTE_MS);

        // Giving A the default steps again re-derives its cards from their logs.
        col.set_deck_preset(a, DEFAULT_PRESET).unwrap();
        assert_eq!(
            col.card(card).unwrap().schedule,
            col.replay_card(card).unwrap()
        );
        assert_eq!(col.deck_preset(a).id, DEFAULT_PRESET);
    }

    #[test]
    fn unknown_presets_and_the_default_are_guarded() {
        let (mut col, _) = builtin_collection();
        let deck = col.decks().unwrap()[0].deck.id;
        assert!(col.set_deck_preset(deck, 5).is_err());
        assert!(col.delete_preset(DEFAULT_PRESET).is_err());
        let bad = DeckPreset {
            id: 1,
            name: String::new(),
            ..DeckPreset::default()
        };
        assert!(col.save_preset(bad).is_err());
        assert!(col.presets().len() == 1);
    }
}
