//! Mapping an Anki note to our fields. Which fields make the question and which the answer is
//! read from the note type's first card template (`{{Front}}` on the question, `{{Back}}` or
//! `{{type:Back}}` on the answer), so basic, reversed, optional-reversed, type-in and custom
//! note types all come out right. A second template that Anki made a card for makes a reversed
//! note; cloze note types keep their deletion text and put the other fields in the extra.

use super::read::Notetype;
use crate::import::html_text::field_text;
use crate::model::NoteFields;
use crate::render::cloze_numbers;

/// A note as we will store it: its fields, Anki card ord → our card ord, and the media it uses.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MappedNote {
    pub fields: NoteFields,
    pub ords: Vec<(u16, u16)>,
    /// Anki cards we can't make, with the reason.
    pub dropped_cards: Vec<(u16, String)>,
    pub media: Vec<String>,
}

/// Fields the templates name that are not note fields.
const SPECIAL: &[&str] = &[
    "FrontSide",
    "Tags",
    "Type",
    "Deck",
    "Subdeck",
    "Card",
    "CardFlag",
    "CardID",
];

/// The note fields a template shows, in order of first use; conditionals (`{{#X}}`, `{{^X}}`,
/// `{{/X}}`) do not count. `{{type:Back}}` is a box to type into on the question side, and
/// shows `Back` on the answer side.
pub(super) fn template_fields(template: &str, fields: &[String], question: bool) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find("}}") else { break };
        let tag = rest[..end].trim();
        rest = &rest[end + 2..];
        if tag.starts_with(['#', '^', '/', '!']) || (question && tag.starts_with("type:")) {
            continue;
        }
        let name = tag.rsplit(':').next().unwrap_or(tag).trim();
        if SPECIAL.contains(&name) {
            continue;
        }
        if let Some(i) = fields.iter().position(|f| f == name) {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    out
}

/// Maps a note of type `nt` with raw HTML `raw` fields, for which Anki made cards `anki_ords`.
/// `Err` says, for the learner, why the note can't be imported.
pub(super) fn map_note(
    nt: &Notetype,
    raw: &[String],
    anki_ords: &[u16],
) -> Result<MappedNote, String> {
    let mut media = Vec::new();
    let texts: Vec<String> = raw
        .iter()
        .map(|f| {
            let (text, names) = field_text(f);
            media.extend(names);
            text
        })
        .collect();
    let joined = |idx: &[usize]| {
        idx.iter()
            .filter_map(|&i| texts.get(i))
            .filter(|t| !t.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut mapped = if nt.cloze {
        map_cloze(nt, &texts, anki_ords, &joined)?
    } else {
        map_standard(nt, &texts, anki_ords, &joined)?
    };
    media.sort();
    media.dedup();
    mapped.media = media;
    Ok(mapped)
}

fn map_cloze(
    nt: &Notetype,
    texts: &[String],
    anki_ords: &[u16],
    joined: &dyn Fn(&[usize]) -> String,
) -> Result<MappedNote, String> {
    let named = nt.templates.first().and_then(|(q, _)| {
        let start = q.find("{{cloze:")? + "{{cloze:".len();
        let name = q[start..].split("}}").next()?.trim();
        nt.fields.iter().position(|f| f == name)
    });
    let text_idx = named
        .filter(|&i| texts.get(i).is_some_and(|t| !cloze_numbers(t).is_empty()))
        .or_else(|| texts.iter().position(|t| !cloze_numbers(t).is_empty()))
        .ok_or("it has no cloze deletions like {{c1::…}}")?;
    let text = texts[text_idx].clone();
    let numbers = cloze_numbers(&text);
    let others: Vec<usize> = (0..texts.len()).filter(|&i| i != text_idx).collect();
    let mut ords = Vec::new();
    let mut dropped_cards = Vec::new();
    for &ord in anki_ords {
        if numbers.contains(&(ord + 1)) {
            ords.push((ord, ord));
        } else {
            dropped_cards.push((ord, format!("its text has no deletion c{}", ord + 1)));
        }
    }
    Ok(MappedNote {
        fields: NoteFields::Cloze {
            text,
            extra: joined(&others),
        },
        ords,
        dropped_cards,
        media: Vec::new(),
    })
}

fn map_standard(
    nt: &Notetype,
    texts: &[String],
    anki_ords: &[u16],
    joined: &dyn Fn(&[usize]) -> String,
) -> Result<MappedNote, String> {
    let (front_idx, back_idx) = match nt.templates.first() {
        Some((q, a)) => {
            let front = template_fields(q, &nt.fields, true);
            let back: Vec<usize> = template_fields(a, &nt.fields, false)
                .into_iter()
                .filter(|i| !front.contains(i))
                .collect();
            (front, back)
        }
        None => (Vec::new(), Vec::new()),
    };
    // A template that names no field of its own: first field asks, the rest answer.
    let (front_idx, back_idx) = if front_idx.is_empty() {
        (vec![0], (1..texts.len()).collect())
    } else {
        (front_idx, back_idx)
    };
    let front = joined(&front_idx);
    let back = joined(&back_idx);
    let has = |o: u16| anki_ords.contains(&o);
    let mut dropped_cards: Vec<(u16, String)> = anki_ords
        .iter()
        .filter(|&&o| o >= 2)
        .map(|&o| {
            (
                o,
                format!(
                    "Pocketfolio asks a note at most two ways; this was card {} of \"{}\"",
                    o + 1,
                    nt.name
                ),
            )
        })
        .collect();
    let (fields, ords) = match (has(0), has(1) && nt.templates.len() >= 2) {
        (true, true) if !back.is_empty() => {
            (NoteFields::Reversed { front, back }, vec![(0, 0), (1, 1)])
        }
        (true, _) => {
            if has(1) {
                dropped_cards.push((
                    1,
                    "its answer side is empty, so it can't be asked backwards".into(),
                ));
            }
            (NoteFields::Basic { front, back }, vec![(0, 0)])
        }
        // Only the reverse card exists (an empty front): it asks the back, so that becomes
        // the question.
        (false, true) => (
            NoteFields::Basic {
                front: back,
                back: front,
            },
            vec![(1, 0)],
        ),
        (false, false) => {
            return Err("Anki made no card from it that Pocketfolio can ask".into());
        }
    };
    let question_empty = match &fields {
        NoteFields::Basic { front, .. } | NoteFields::Reversed { front, .. } => {
            front.trim().is_empty()
        }
        NoteFields::Cloze { .. } => false,
    };
    if question_empty {
        return Err("its question side is empty".into());
    }
    Ok(MappedNote {
        fields,
        ords,
        dropped_cards,
        media: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nt(name: &str, cloze: bool, fields: &[&str], templates: &[(&str, &str)]) -> Notetype {
        Notetype {
            name: name.into(),
            cloze,
            fields: fields.iter().map(|s| s.to_string()).collect(),
            templates: templates
                .iter()
                .map(|(q, a)| (q.to_string(), a.to_string()))
                .collect(),
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const ANSWER: &str = "{{FrontSide}}<hr id=answer>{{Back}}";

    #[test]
    fn reversed_note_types_keep_both_cards() {
        let t = nt(
            "Basic (and reversed card)",
            false,
            &["Front", "Back"],
            &[
                ("{{Front}}", ANSWER),
                ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
            ],
        );
        let m = map_note(&t, &s(&["ZOPA", "Zone"]), &[0, 1]).unwrap();
        assert_eq!(
            m.fields,
            NoteFields::Reversed {
                front: "ZOPA".into(),
                back: "Zone".into()
            }
        );
        assert_eq!(m.ords, vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn optional_reverse_follows_the_cards_anki_made() {
        let t = nt(
            "Basic (optional reversed card)",
            false,
            &["Front", "Back", "Add Reverse"],
            &[
                ("{{Front}}", ANSWER),
                (
                    "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
                    "{{FrontSide}}<hr id=answer>{{Front}}",
                ),
            ],
        );
        let one = map_note(&t, &s(&["Margin", "Profit ÷ price", ""]), &[0]).unwrap();
        assert_eq!(one.fields.kind(), crate::model::CardKind::Basic);
        let two = map_note(&t, &s(&["Markup", "Profit ÷ cost", "y"]), &[0, 1]).unwrap();
        assert_eq!(
            two.fields,
            NoteFields::Reversed {
                front: "Markup".into(),
                back: "Profit ÷ cost".into()
            },
            "the Add Reverse flag is not content"
        );
    }

    #[test]
    fn type_in_answers_and_custom_types_use_their_templates() {
        let typed = nt(
            "Basic (type in the answer)",
            false,
            &["Front", "Back"],
            &[(
                "{{Front}}\n\n{{type:Back}}",
                "{{Front}}<hr id=answer>{{type:Back}}",
            )],
        );
        let m = map_note(&typed, &s(&["Stock code?", "SKU"]), &[0]).unwrap();
        assert_eq!(
            m.fields,
            NoteFields::Basic {
                front: "Stock code?".into(),
                back: "SKU".into()
            }
        );
        let custom = nt(
            "Retail term",
            false,
            &["Term", "Meaning", "Example"],
            &[(
                "<div>{{Term}}</div>",
                "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}",
            )],
        );
        let m = map_note(
            &custom,
            &s(&["FIFO", "First in, first out", "Older milk to the front"]),
            &[0],
        )
        .unwrap();
        assert_eq!(
            m.fields,
            NoteFields::Basic {
                front: "FIFO".into(),
                back: "First in, first out\nOlder milk to the front".into()
            }
        );
    }

    #[test]
    fn empty_backs_and_image_only_clozes_are_kept() {
        let basic = nt("Basic", false, &["Front", "Back"], &[("{{Front}}", ANSWER)]);
        let m = map_note(&basic, &s(&["Planogram", ""]), &[0]).unwrap();
        assert_eq!(
            m.fields,
            NoteFields::Basic {
                front: "Planogram".into(),
                back: String::new()
            }
        );
        let cloze = nt(
            "Cloze",
            true,
            &["Text", "Back Extra"],
            &[("{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
        );
        let m = map_note(
            &cloze,
            &s(&["Label: {{c1::<img src=\"label.png\">}}", ""]),
            &[0],
        )
        .unwrap();
        assert_eq!(
            m.fields,
            NoteFields::Cloze {
                text: "Label: {{c1::[image:label.png]}}".into(),
                extra: String::new()
            }
        );
        assert_eq!(m.media, vec!["label.png".to_string()]);
    }

    #[test]
    fn what_cannot_be_asked_says_why() {
        let cloze = nt(
            "Cloze",
            true,
            &["Text", "Back Extra"],
            &[("{{cloze:Text}}", "")],
        );
        assert!(map_note(&cloze, &s(&["no deletions", ""]), &[0])
            .unwrap_err()
            .contains("cloze"));
        let three = nt(
            "Three ways",
            false,
            &["A", "B", "C"],
            &[("{{A}}", "{{B}}"), ("{{B}}", "{{A}}"), ("{{C}}", "{{A}}")],
        );
        let m = map_note(&three, &s(&["a", "b", "c"]), &[0, 1, 2]).unwrap();
        assert_eq!(m.ords.len(), 2);
        assert_eq!(m.dropped_cards[0].0, 2);
    }
}
