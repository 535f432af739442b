//! How a note is linked to criteria, as the learner sees it: the criteria it teaches (the
//! note's own links, which count towards knowledge strength) and, for a built-in note, those
//! the pack says it only relates to (background, or how to evidence them: never counted).

use super::Collection;
use crate::model::{Criterion, NoteId};
use crate::Result;

/// One criterion a note is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionLink {
    /// The criterion.
    pub criterion: Criterion,
    /// True when the note teaches it (counted towards knowledge strength); false when it only
    /// relates to it.
    pub teaches: bool,
}

impl Collection {
    /// The note's criteria: those it teaches first, then those it relates to, each in
    /// structure order.
    pub fn note_links(&self, id: NoteId) -> Result<Vec<CriterionLink>> {
        let note = self.note(id)?;
        let related: Vec<String> = note
            .builtin
            .as_deref()
            .and_then(|key| crate::evidence::pack().notes().find(|(_, s)| s.id == key))
            .map(|(_, spec)| spec.related.clone())
            .unwrap_or_default();
        let criteria = self.criteria(None)?;
        let taught = criteria.iter().filter(|c| note.criteria.contains(&c.id));
        let only_related = criteria
            .iter()
            .filter(|c| related.contains(&c.id) && !note.criteria.contains(&c.id));
        let link = |teaches: bool| {
            move |c: &Criterion| CriterionLink {
                criterion: c.clone(),
                teaches,
            }
        };
        Ok(taught
            .map(link(true))
            .chain(only_related.map(link(false)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::NoteId;
    use crate::testing::builtin_collection;

    #[test]
    fn a_card_says_which_criteria_it_teaches_and_which_it_only_relates_to() {
        let (col, _clock) = builtin_collection();
        // as-reflective-2 teaches evaluating your own performance and relates to evaluating
        // the outcome against the plan. (The STAR cards used here before only relate to criteria since the
        // content review: STAR is how to write an account, not what the criterion asks.)
        let links = col
            .note_links(NoteId::from_content_key("as-reflective-2"))
            .unwrap();
        let summary: Vec<(&str, bool)> = links
            .iter()
            .map(|l| (l.criterion.id.as_str(), l.teaches))
            .collect();
        assert_eq!(
            summary,
            [
                ("negotiate/lo4/ac4.3", true),
                ("negotiate/lo4/ac4.1", false)
            ]
        );
    }
}
