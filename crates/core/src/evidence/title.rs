//! The title an item is listed under. A witness testimony keeps its template's name ("Witness
//! testimony") until the learner renames it, so a list of them told nobody which was which:
//! listed, it reads by witness and activity instead. The phone's lists, Today and the centre's
//! queue and learner pages all call [`listed_title`], so every surface names an item alike.

use super::WITNESS_NAME;
use crate::model::{EvidenceItem, EvidenceKind};
use std::collections::BTreeMap;

impl EvidenceItem {
    /// The title lists show ([`listed_title`]).
    pub fn listed_title(&self) -> String {
        listed_title(self.kind, &self.title, &self.fields)
    }
}

/// The field a witness describes what they saw in.
const ACTIVITY_FIELD: &str = "context";

/// Longest activity shown in a title, in characters.
const ACTIVITY_CHARS: usize = 48;

/// `title` as a list shows it. A testimony still under its template's name reads
/// "Witness: <name> — <first line of what they saw>" (either part alone when the other is
/// empty); every other title, and a testimony the learner has renamed, is shown as stored.
pub fn listed_title(kind: EvidenceKind, title: &str, fields: &BTreeMap<String, String>) -> String {
    let generic = title.trim().is_empty() || title.trim() == kind.label();
    if kind != EvidenceKind::WitnessTestimony || !generic {
        return title.to_string();
    }
    let name = fields.get(WITNESS_NAME).map_or("", |n| n.trim());
    let activity = fields
        .get(ACTIVITY_FIELD)
        .and_then(|a| a.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(shorten)
        .unwrap_or_default();
    match (name.is_empty(), activity.is_empty()) {
        (false, false) => format!("Witness: {name} — {activity}"),
        (false, true) => format!("Witness: {name}"),
        (true, false) => format!("{} — {activity}", kind.label()),
        (true, true) => kind.label().to_string(),
    }
}

fn shorten(line: &str) -> String {
    if line.chars().count() > ACTIVITY_CHARS {
        line.chars().take(ACTIVITY_CHARS - 1).chain(['…']).collect()
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_testimony_is_listed_by_witness_and_activity() {
        let kind = EvidenceKind::WitnessTestimony;
        let both = fields(&[
            (WITNESS_NAME, " Dana Okoro "),
            (
                ACTIVITY_FIELD,
                "\nCalmed a customer whose parcel was lost\nThen more",
            ),
        ]);
        assert_eq!(
            listed_title(kind, "Witness testimony", &both),
            "Witness: Dana Okoro — Calmed a customer whose parcel was lost"
        );
        assert_eq!(
            listed_title(kind, "", &fields(&[(WITNESS_NAME, "Dana Okoro")])),
            "Witness: Dana Okoro"
        );
        assert_eq!(
            listed_title(
                kind,
                "Witness testimony",
                &fields(&[(ACTIVITY_FIELD, "Ran the till")])
            ),
            "Witness testimony — Ran the till"
        );
        assert_eq!(
            listed_title(kind, "Witness testimony", &BTreeMap::new()),
            "Witness testimony"
        );
    }

    #[test]
    fn a_long_activity_is_cut_and_own_titles_are_kept() {
        let kind = EvidenceKind::WitnessTestimony;
        let long = "a".repeat(80);
        let title = listed_title(
            kind,
            "Witness testimony",
            &fields(&[(ACTIVITY_FIELD, &long)]),
        );
        assert!(
            title.ends_with('…') && title.chars().count() < 80,
            "{title}"
        );
        let named = fields(&[(WITNESS_NAME, "Dana")]);
        assert_eq!(
            listed_title(kind, "Refund at the till", &named),
            "Refund at the till"
        );
        assert_eq!(
            listed_title(EvidenceKind::QuickNote, "Quick note", &named),
            "Quick note"
        );
    }
}
