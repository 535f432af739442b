//! The learner's enrolment (which qualification and which of its units), the rule that checks
//! one against the structure, and the one ordering rule every screen uses: enrolled units
//! first, the others kept apart but still reachable. The centre's enrol service and the
//! device's first-run choice check with [`resolve_units`]; Today, Units, decks and criteria
//! suggestions order with [`enrolled_first`].

use crate::model::{Qualification, Unit};
use serde::{Deserialize, Serialize};

/// Who chose the enrolment a device holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentSource {
    /// The learner's centre; it replaces any local choice and only the centre changes it.
    Centre,
    /// The learner, on this device (first run or Settings), until a centre's arrives.
    Learner,
}

impl EnrolmentSource {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentSource::Centre => "centre",
            EnrolmentSource::Learner => "learner",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "centre" => Some(EnrolmentSource::Centre),
            "learner" => Some(EnrolmentSource::Learner),
            _ => None,
        }
    }
}

/// What a learner is enrolled on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Qualification ids.
    pub qualifications: Vec<String>,
    /// The units taken, ids in structure order.
    pub units: Vec<String>,
    /// Who chose it.
    pub source: EnrolmentSource,
    /// When it was last changed where it was chosen (ms): the centre's stamp for a centre's.
    pub stamp: i64,
}

impl Enrolment {
    /// Whether the learner takes `unit_id`.
    pub fn covers_unit(&self, unit_id: &str) -> bool {
        self.units.iter().any(|u| u == unit_id)
    }
}

/// Why an enrolment is refused. The text is shown as is (the centre's page and command line,
/// the app's first run).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentError {
    /// No qualification was named.
    #[error("Choose a qualification.")]
    NoQualification,
    /// The structure has no such qualification.
    #[error("There is no qualification {0} in the content pack.")]
    UnknownQualification(String),
    /// The structure has no such unit.
    #[error("There is no unit {0} in the content pack.")]
    UnknownUnit(String),
    /// The unit belongs to other qualifications only.
    #[error("The unit {unit} is not part of {qualifications}.")]
    UnitNotInQualification {
        /// The unit.
        unit: String,
        /// The qualifications chosen, comma separated.
        qualifications: String,
    },
}

/// Checks an enrolment on `qualifications` and `units` against the structure (`all_units` in
/// structure order) and returns the units taken, in structure order without repeats. No units
/// named means every unit of the qualifications; a unit must belong to one of them.
pub fn resolve_units(
    all_qualifications: &[Qualification],
    all_units: &[Unit],
    qualifications: &[String],
    units: &[String],
) -> Result<Vec<String>, EnrolmentError> {
    if qualifications.is_empty() {
        return Err(EnrolmentError::NoQualification);
    }
    for q in qualifications {
        if !all_qualifications.iter().any(|known| &known.id == q) {
            return Err(EnrolmentError::UnknownQualification(q.clone()));
        }
    }
    let in_chosen = |u: &Unit| u.qualifications.iter().any(|q| qualifications.contains(q));
    for id in units {
        let unit = all_units
            .iter()
            .find(|u| &u.id == id)
            .ok_or_else(|| EnrolmentError::UnknownUnit(id.clone()))?;
        if !in_chosen(unit) {
            return Err(EnrolmentError::UnitNotInQualification {
                unit: id.clone(),
                qualifications: qualifications.join(", "),
            });
        }
    }
    Ok(covered_units(all_units, qualifications, units))
}

/// The one covering rule: the units named, or, when none are, every unit of the
/// qualifications; in structure order without repeats. Unchecked: [`resolve_units`] checks a
/// new choice first, [`units_held`] sets aside what the structure here lacks.
fn covered_units(all_units: &[Unit], qualifications: &[String], units: &[String]) -> Vec<String> {
    let covered = |u: &Unit| {
        if units.is_empty() {
            u.qualifications.iter().any(|q| qualifications.contains(q))
        } else {
            units.contains(&u.id)
        }
    };
    all_units
        .iter()
        .filter(|u| covered(u))
        .map(|u| u.id.clone())
        .collect()
}

/// The units an enrolment in force covers on this device, and what of it this device's
/// structure lacks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitsHeld {
    /// The units taken that the structure here knows, in structure order.
    pub units: Vec<String>,
    /// Each qualification or unit the structure here lacks, as [`resolve_units`] names it.
    pub skipped: Vec<EnrolmentError>,
}

/// The units an enrolment already in force covers, such as the centre's arriving with a pull.
/// It was checked where it was chosen, and the centre's pack may be newer than this device's:
/// a qualification or unit the structure here lacks is set aside and named instead of
/// refusing the whole, and a named unit is held wherever the structure here files it. An
/// enrolment that names units covers only those it names, never more.
pub fn units_held(
    all_qualifications: &[Qualification],
    all_units: &[Unit],
    enrolment: &Enrolment,
) -> UnitsHeld {
    let mut skipped = Vec::new();
    let known_qualification = |q: &String| all_qualifications.iter().any(|k| &k.id == q);
    let (qualifications, lacking): (Vec<String>, Vec<String>) = enrolment
        .qualifications
        .iter()
        .cloned()
        .partition(known_qualification);
    skipped.extend(
        lacking
            .into_iter()
            .map(EnrolmentError::UnknownQualification),
    );
    let known_unit = |u: &String| all_units.iter().any(|k| &k.id == u);
    let (named, lacking): (Vec<String>, Vec<String>) =
        enrolment.units.iter().cloned().partition(known_unit);
    skipped.extend(lacking.into_iter().map(EnrolmentError::UnknownUnit));
    let units = if named.is_empty() && !enrolment.units.is_empty() {
        Vec::new()
    } else {
        covered_units(all_units, &qualifications, &named)
    };
    UnitsHeld { units, skipped }
}

/// Items split by the learner's enrolment, each part in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct EnrolledFirst<T> {
    /// The enrolled units' items, and items of no unit (the learner's own decks, general
    /// decks): shown first.
    pub enrolled: Vec<T>,
    /// Other units' items: kept out of the way (collapsed), still reachable.
    pub others: Vec<T>,
}

impl<T> EnrolledFirst<T> {
    /// Both parts in one list, enrolled first: for a picker or filter that lists everything.
    pub fn in_order(self) -> Vec<T> {
        let mut all = self.enrolled;
        all.extend(self.others);
        all
    }
}

/// The one ordering rule: with an enrolment, the items of enrolled units (and of no unit)
/// first and the rest apart; without one, everything first. `unit_of` says which unit an item
/// belongs to.
pub fn enrolled_first<T>(
    items: Vec<T>,
    enrolment: Option<&Enrolment>,
    unit_of: impl Fn(&T) -> Option<&str>,
) -> EnrolledFirst<T> {
    let Some(enrolment) = enrolment else {
        return EnrolledFirst {
            enrolled: items,
            others: Vec::new(),
        };
    };
    let (enrolled, others): (Vec<T>, Vec<T>) = items
        .into_iter()
        .partition(|item| unit_of(item).is_none_or(|u| enrolment.covers_unit(u)));
    EnrolledFirst { enrolled, others }
}

/// The units suggestions are restricted to: the enrolled units, or every unit (empty) when
/// the learner's units are not known.
pub fn suggestion_units(enrolment: Option<&Enrolment>) -> Vec<String> {
    enrolment.map(|e| e.units.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::builtin;

    fn pack_units() -> (Vec<Qualification>, Vec<Unit>) {
        let pack = builtin().unwrap();
        (pack.qualifications, pack.units)
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn enrolment(units: &[&str]) -> Enrolment {
        Enrolment {
            qualifications: strings(&["proqual-retail"]),
            units: strings(units),
            source: EnrolmentSource::Centre,
            stamp: 1,
        }
    }

    #[test]
    fn no_units_named_means_every_unit_of_the_qualification() {
        let (q, u) = pack_units();
        let got = resolve_units(&q, &u, &strings(&["proqual-retail"]), &[]).unwrap();
        assert_eq!(got, ["retail-relationships", "retail-reliable-service"]);
        let got = resolve_units(&q, &u, &strings(&["proqual-cs-l2"]), &[]).unwrap();
        assert_eq!(got, ["negotiate"]);
    }

    #[test]
    fn chosen_units_come_back_in_structure_order_once() {
        let (q, u) = pack_units();
        let chosen = strings(&[
            "retail-reliable-service",
            "retail-relationships",
            "retail-relationships",
        ]);
        let got = resolve_units(&q, &u, &strings(&["proqual-retail"]), &chosen).unwrap();
        assert_eq!(got, ["retail-relationships", "retail-reliable-service"]);
    }

    #[test]
    fn a_unit_outside_the_qualification_or_the_pack_is_refused_in_words() {
        let (q, u) = pack_units();
        let retail = strings(&["proqual-retail"]);
        let err = resolve_units(&q, &u, &retail, &strings(&["negotiate"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The unit negotiate is not part of proqual-retail."
        );
        let err = resolve_units(&q, &u, &retail, &strings(&["made-up"])).unwrap_err();
        assert_eq!(err, EnrolmentError::UnknownUnit("made-up".into()));
        let err = resolve_units(&q, &u, &strings(&["made-up"]), &[]).unwrap_err();
        assert_eq!(err, EnrolmentError::UnknownQualification("made-up".into()));
        assert_eq!(
            resolve_units(&q, &u, &[], &[]).unwrap_err(),
            EnrolmentError::NoQualification
        );
    }

    /// The centre's enrolment may name what a newer pack has: what this pack knows is held,
    /// the rest is named, and naming only unknown units never widens to every unit.
    #[test]
    fn an_enrolment_in_force_holds_what_the_pack_knows_and_names_the_rest() {
        let (q, u) = pack_units();
        let held = |e: &Enrolment| {
            let h = units_held(&q, &u, e);
            (h.units, h.skipped)
        };
        let retail = strings(&["retail-relationships", "retail-reliable-service"]);
        let mut e = enrolment(&["retail-reliable-service", "made-up", "retail-relationships"]);
        let unknown_unit = EnrolmentError::UnknownUnit("made-up".into());
        assert_eq!(held(&e), (retail.clone(), vec![unknown_unit.clone()]));

        e.units = strings(&["made-up"]);
        assert_eq!(held(&e), (vec![], vec![unknown_unit]));

        e.qualifications = strings(&["proqual-retail", "newer-qualification"]);
        e.units.clear();
        let unknown_qualification =
            EnrolmentError::UnknownQualification("newer-qualification".into());
        assert_eq!(held(&e), (retail, vec![unknown_qualification]));

        // Filed under another qualification here: the centre named it, so it is held.
        e.units = strings(&["negotiate"]);
        assert_eq!(held(&e).0, ["negotiate"]);
    }

    #[test]
    fn enrolled_units_come_first_and_the_others_apart_in_their_order() {
        let items = vec![
            ("a", Some("negotiate")),
            ("b", Some("retail-relationships")),
            ("own deck", None),
            ("c", Some("retail-reliable-service")),
        ];
        let e = enrolment(&["retail-reliable-service", "retail-relationships"]);
        let split = enrolled_first(items, Some(&e), |i| i.1);
        let enrolled: Vec<&str> = split.enrolled.iter().map(|i| i.0).collect();
        let others: Vec<&str> = split.others.iter().map(|i| i.0).collect();
        assert_eq!(enrolled, ["b", "own deck", "c"]);
        assert_eq!(others, ["a"]);
        let all: Vec<&str> = split.in_order().iter().map(|i| i.0).collect();
        assert_eq!(all, ["b", "own deck", "c", "a"]);
    }

    #[test]
    fn without_an_enrolment_everything_comes_first() {
        let items = vec![("a", Some("negotiate")), ("b", None)];
        let split = enrolled_first(items.clone(), None, |i| i.1);
        assert_eq!(split.enrolled, items);
        assert!(split.others.is_empty());
        assert!(suggestion_units(None).is_empty());
        assert_eq!(
            suggestion_units(Some(&enrolment(&["negotiate"]))),
            ["negotiate"]
        );
    }
}
