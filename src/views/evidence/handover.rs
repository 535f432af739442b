//! Witness mode: once the learner hands the phone over, it shows the witness's form and
//! nothing else (no bottom bar, no way back into the learner's side, the browser's back button
//! included) until the witness signs or cancels. The lock lives above the router, so leaving
//! the item's screen by any route brings the witness straight back to it.

use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::EvidenceId;

/// The testimony a witness is holding the phone for, if any.
#[derive(Clone, Copy)]
pub struct Handover(Signal<Option<EvidenceId>>);

impl Handover {
    /// The item the phone is locked to.
    pub fn item(&self) -> Option<EvidenceId> {
        *self.0.read()
    }

    /// Locks the phone to `item`'s witness form.
    pub fn lock(&mut self, item: EvidenceId) {
        if self.0.peek().as_ref() != Some(&item) {
            self.0.set(Some(item));
        }
    }

    /// Gives the phone back to the learner.
    pub fn release(&mut self) {
        if self.0.peek().is_some() {
            self.0.set(None);
        }
    }

    /// True while `route` is not where the witness should be.
    pub fn strays(&self, route: &Route) -> Option<Route> {
        let item = self.item()?;
        let home = Route::EvidenceDetail {
            id: item.to_string(),
        };
        (route != &home).then_some(home)
    }
}

/// Provides the lock, unlocked, to everything below (the root does this once).
pub fn provide_handover() -> Handover {
    use_context_provider(|| Handover(Signal::new(None)))
}

/// The lock, as provided by the root.
pub fn use_handover() -> Handover {
    use_context::<Handover>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_item_being_signed_is_home_while_locked() {
        let mut dom = VirtualDom::new(|| {
            let mut lock = provide_handover();
            let id = EvidenceId::parse("0190a0e0-0000-7000-8000-000000000001").unwrap();
            let own = Route::EvidenceDetail { id: id.to_string() };
            assert_eq!(lock.strays(&Route::Today {}), None, "unlocked");
            lock.lock(id);
            assert_eq!(lock.strays(&own), None);
            assert_eq!(lock.strays(&Route::Today {}), Some(own.clone()));
            assert_eq!(lock.strays(&Route::Portfolio {}), Some(own));
            lock.release();
            assert_eq!(lock.strays(&Route::Settings {}), None);
            rsx! {}
        });
        dom.rebuild_in_place();
    }
}
