//! "Study more today", as Anki's custom study offers it: raise today's new-card or review limit
//! for one deck, unit or everything, after the learner has reached it. The extra lasts until
//! the day rolls over and stays on this device (it says how much to study here today, not how
//! the cards are scheduled, so nothing is synced).

use super::{Collection, OpChanges};
use crate::queue::{Limits, Scope};
use crate::{CoreError, Result};
use serde::{Deserialize, Serialize};

/// Meta key of today's extras.
const EXTRA_KEY: &str = "study_more_today";

/// The most a single "study more" may add.
pub const MAX_EXTRA: u32 = 9_999;

const CARDS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
};

/// Extras granted on one learner day, by scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Extras {
    day: i64,
    scopes: Vec<ScopeExtra>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ScopeExtra {
    scope: String,
    new: u32,
    review: u32,
}

pub(super) fn scope_key(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Deck(d) => format!("deck:{d}"),
        Scope::Unit(u) => format!("unit:{u}"),
        Scope::Units(units) => format!("units:{}", units.join(",")),
    }
}

impl Collection {
    /// Lets `scope` show `new` more new cards and `review` more reviews today than the daily
    /// limits allow. Adds to what was already granted today.
    pub fn study_more_today(&mut self, scope: &Scope, new: u32, review: u32) -> Result<()> {
        if new > MAX_EXTRA || review > MAX_EXTRA {
            return Err(CoreError::invalid(
                "You can add at most 9,999 cards at a time.",
            ));
        }
        let (today, _) = self.today();
        let mut extras = self.extras_today()?;
        extras.day = today;
        let key = scope_key(scope);
        match extras.scopes.iter_mut().find(|e| e.scope == key) {
            Some(e) => {
                e.new = e.new.saturating_add(new);
                e.review = e.review.saturating_add(review);
            }
            None => extras.scopes.push(ScopeExtra {
                scope: key,
                new,
                review,
            }),
        }
        let json = serde_json::to_string(&extras)?;
        self.transact(CARDS, |col| col.store.set_meta(EXTRA_KEY, &json))
    }

    /// What "study more" added to `scope`'s limits today.
    pub fn extra_today(&self, scope: &Scope) -> Result<Limits> {
        let key = scope_key(scope);
        Ok(self
            .extras_today()?
            .scopes
            .into_iter()
            .find(|e| e.scope == key)
            .map_or(Limits::default(), |e| Limits {
                new: e.new,
                review: e.review,
            }))
    }

    /// Everything "study more" added today, by scope key ([`scope_key`]).
    pub(super) fn extras_by_scope(&self) -> Result<std::collections::HashMap<String, Limits>> {
        Ok(self
            .extras_today()?
            .scopes
            .into_iter()
            .map(|e| {
                let limits = Limits {
                    new: e.new,
                    review: e.review,
                };
                (e.scope, limits)
            })
            .collect())
    }

    /// Today's extras; those of an earlier day count for nothing.
    fn extras_today(&self) -> Result<Extras> {
        let (today, _) = self.today();
        let extras: Extras = match self.store.get_meta(EXTRA_KEY)? {
            Some(json) => serde_json::from_str(&json)?,
            None => Extras::default(),
        };
        Ok(if extras.day == today {
            extras
        } else {
            Extras {
                day: today,
                scopes: Vec::new(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::DAY_MS;
    use crate::model::Rating;
    use crate::queue::Scope;
    use crate::testing::builtin_collection;
    use crate::Clock;

    #[test]
    fn study_more_raises_one_decks_limit_for_today_only() {
        let (mut col, clock) = builtin_collection();
        let deck = col.decks().unwrap()[0].deck.id;
        let scope = Scope::Deck(deck);
        // Each deck has its own limit (its preset's): use this one's up.
        let mut session = col.start_session(scope.clone()).unwrap();
        while let Some(card) = session.next(clock.now_ms()) {
            col.answer_in_session(&mut session, card.card_id, Rating::Easy, 1_000)
                .unwrap();
        }
        let before = col.study_today(&scope).unwrap();
        assert_eq!(before.counts.new, 0);
        assert!(before.new_limit_reached && before.new_waiting > 0);

        col.study_more_today(&scope, 10, 0).unwrap();
        assert_eq!(col.study_today(&scope).unwrap().counts.new, 10);
        assert_eq!(
            col.today_counts().unwrap().total.new,
            0,
            "only that deck gets more"
        );
        col.study_more_today(&scope, 5, 0).unwrap();
        assert_eq!(col.study_today(&scope).unwrap().counts.new, 15);

        // Studying them uses the extra up.
        let mut session = col.start_session(scope.clone()).unwrap();
        while let Some(card) = session.next(clock.now_ms()) {
            col.answer_in_session(&mut session, card.card_id, Rating::Easy, 1_000)
                .unwrap();
        }
        assert_eq!(col.study_today(&scope).unwrap().counts.new, 0);

        clock.advance_ms(DAY_MS);
        assert_eq!(col.extra_today(&scope).unwrap().new, 0, "gone tomorrow");
        assert!(col.study_more_today(&scope, 10_000, 0).is_err());
    }
}
