//! Which kinds of change a centre takes, and which the phone may leave out.
//!
//! App stores update phones before providers update centres, and a centre refuses a whole push
//! that holds a kind it does not know (pushed changes are consecutive and cannot be skipped).
//! So the centre says which kinds it takes ([`known_kinds`], sent in the sign-in and every pull
//! page), and the phone queues a kind it makes by itself ([`ChangeBody::is_housekeeping`]) only
//! when its centre takes it. The learner's own data is always queued and never dropped.

use super::protocol::ChangeBody;
use serde::de::value::MapDeserializer;
use serde::Deserialize;
use std::sync::OnceLock;

/// The kinds a centre takes when it does not say (centres made before centres said): every
/// kind of the version before housekeeping kinds began, and never to grow.
pub const BASELINE_KINDS: &[&str] = &[
    "review",
    "review_undone",
    "deck_put",
    "deck_deleted",
    "note_put",
    "note_deleted",
    "evidence_put",
    "evidence_deleted",
    "evidence_withdrawn",
    "settings_put",
    "hours_put",
    "hours_deleted",
    "review_signed",
    "declaration_signed",
    "unit_acknowledged",
];

/// Every kind of change this version knows, by its wire name (the `t` of a change body), in
/// the order [`ChangeBody`] declares them. Read from `ChangeBody`'s own deserializer, so a new
/// kind is in it the moment it exists: a centre cannot forget to say it takes one.
pub fn known_kinds() -> &'static [&'static str] {
    static KINDS: OnceLock<&'static [&'static str]> = OnceLock::new();
    KINDS.get_or_init(|| {
        // A body whose tag names no kind: the derived deserializer answers with the list of
        // the kinds it knows, which the capturing error keeps.
        let probe = MapDeserializer::<_, VariantList>::new(std::iter::once(("t", "\0")));
        match ChangeBody::deserialize(probe) {
            Err(VariantList(Some(kinds))) => kinds,
            _ => unreachable!("ChangeBody is an adjacently tagged enum with a `t` tag"),
        }
    })
}

/// What a centre of this version says it takes, in its sign-in answer and every pull page.
pub fn accepted_kinds() -> Vec<String> {
    known_kinds().iter().map(ToString::to_string).collect()
}

/// A deserializer error that keeps the variant names serde lists when a tag is unknown.
#[derive(Debug)]
struct VariantList(Option<&'static [&'static str]>);

impl std::fmt::Display for VariantList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a change kind")
    }
}

impl std::error::Error for VariantList {}

impl serde::de::Error for VariantList {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        VariantList(None)
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        VariantList(Some(expected))
    }
}

/// The kinds the phone makes by itself, for the centre's benefit, and can make again later:
/// left out for a centre that does not take them. Every other kind is the learner's own data
/// (what they did, wrote or signed), which is always queued and never left out, so a kind
/// missing from here errs on the side of keeping.
pub const HOUSEKEEPING_KINDS: &[&str] = &["export_key_registered", "strength_measured"];

/// Whether `kind` is housekeeping ([`HOUSEKEEPING_KINDS`]).
pub fn is_housekeeping(kind: &str) -> bool {
    HOUSEKEEPING_KINDS.contains(&kind)
}

impl ChangeBody {
    /// This change's kind, its wire name (one of [`known_kinds`]), as serde writes it.
    pub fn kind(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut body)) => match body.remove("t") {
                Some(serde_json::Value::String(kind)) => kind,
                _ => String::new(),
            },
            _ => String::new(),
        }
    }
}

/// What a phone knows of the kinds its centre takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CentreKinds {
    /// The phone has not heard from its centre since it learned to ask (a phone updated while
    /// signed in, before its first pull): it keeps doing what it did, and a refusal is
    /// handled when it comes.
    Unheard,
    /// The centre answered without a list: it is older than the list, and takes
    /// [`BASELINE_KINDS`].
    Unsaid,
    /// The kinds the centre said it takes.
    Listed(Vec<String>),
}

impl CentreKinds {
    /// What the centre's answer (its sign-in or a pull page) says: its list, or none.
    pub fn from_answer(accepted: Option<Vec<String>>) -> CentreKinds {
        match accepted {
            Some(kinds) => CentreKinds::Listed(kinds),
            None => CentreKinds::Unsaid,
        }
    }

    /// Whether the centre takes `kind`; `None` when the phone does not know yet.
    pub fn takes(&self, kind: &str) -> Option<bool> {
        match self {
            CentreKinds::Unheard => None,
            CentreKinds::Unsaid => Some(BASELINE_KINDS.contains(&kind)),
            CentreKinds::Listed(kinds) => Some(kinds.iter().any(|k| k == kind)),
        }
    }

    /// Whether the phone queues `body`: the learner's data always; housekeeping unless the
    /// centre is known not to take it.
    pub fn may_queue(&self, kind: &str) -> bool {
        !is_housekeeping(kind) || self.takes(kind) != Some(false)
    }

    /// The housekeeping kinds the centre is known not to take: a change of one of these
    /// waiting in the outbox is dropped rather than pushed (the phone makes it again once
    /// the centre takes it).
    pub fn dropped_kinds(&self) -> Vec<&'static str> {
        HOUSEKEEPING_KINDS
            .iter()
            .copied()
            .filter(|kind| !self.may_queue(kind))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeckId;

    #[test]
    fn the_kinds_a_centre_takes_are_every_kind_of_change_body() {
        // When this fails, a kind was added to `ChangeBody`: centres now say they take it
        // (nothing to do for that), but decide whether it is housekeeping the phone may leave
        // out (`HOUSEKEEPING_KINDS`); if it is the learner's data, older centres refuse it,
        // and the phone then waits with a plain message until the centre is updated.
        assert_eq!(
            known_kinds(),
            [
                "review",
                "review_undone",
                "deck_put",
                "deck_deleted",
                "note_put",
                "note_deleted",
                "evidence_put",
                "evidence_deleted",
                "evidence_withdrawn",
                "settings_put",
                "hours_put",
                "hours_deleted",
                "review_signed",
                "declaration_signed",
                "unit_acknowledged",
                "export_key_registered",
                "strength_measured",
            ]
        );
    }

    #[test]
    fn every_listed_kind_is_a_kind_of_change() {
        for kind in BASELINE_KINDS.iter().chain(HOUSEKEEPING_KINDS) {
            assert!(known_kinds().contains(kind), "{kind}");
        }
        assert_eq!(
            ChangeBody::DeckDeleted(DeckId::new_at(1)).kind(),
            "deck_deleted"
        );
    }

    #[test]
    fn an_older_centre_takes_the_baseline_and_a_newer_one_what_it_lists() {
        let older = CentreKinds::from_answer(None);
        assert_eq!(older.takes("evidence_put"), Some(true));
        assert_eq!(older.takes("strength_measured"), Some(false));
        assert!(older.may_queue("evidence_put"));
        assert!(!older.may_queue("strength_measured"));
        assert_eq!(
            older.dropped_kinds(),
            ["export_key_registered", "strength_measured"]
        );

        let newer =
            CentreKinds::from_answer(Some(known_kinds().iter().map(|k| k.to_string()).collect()));
        assert!(newer.may_queue("strength_measured"));
        assert!(newer.dropped_kinds().is_empty());

        // A centre that lists a kind of the learner's data as not taken still gets it: the
        // learner's work is never left out.
        let odd = CentreKinds::from_answer(Some(vec!["review".into()]));
        assert!(odd.may_queue("evidence_put"));
        assert_eq!(odd.dropped_kinds().len(), 2);

        // Not heard from yet: keep doing what the phone did, drop nothing.
        assert!(CentreKinds::Unheard.may_queue("strength_measured"));
        assert!(CentreKinds::Unheard.dropped_kinds().is_empty());
    }
}
