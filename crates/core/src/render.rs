//! Turning a note into the two faces of one of its cards. Output is structured text, never
//! HTML, so a card's content can't inject markup into the UI. Media in card text are markers
//! (`[image:label.png]`, `[sound:beep.mp3]`, written by the importers); they become segments
//! of their own, which the screens show as a picture or an audio control.

use crate::model::NoteFields;
use std::collections::BTreeSet;

/// A piece of a card face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Plain text.
    Text(String),
    /// A cloze gap on the question side: shows the hint or "[…]".
    Gap(Option<String>),
    /// A cloze answer on the answer side, to be highlighted.
    Answer(String),
    /// A picture: the media file's name.
    Image(String),
    /// A sound to play: the media file's name.
    Sound(String),
}

/// A run of card text: plain, or a media marker's file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaPiece<'a> {
    /// Text between markers.
    Text(&'a str),
    /// `[image:NAME]`.
    Image(&'a str),
    /// `[sound:NAME]`.
    Sound(&'a str),
}

/// Splits card text at its media markers. A marker with no name or no closing `]` stays text.
pub fn media_pieces(text: &str) -> Vec<MediaPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut at = 0;
    while let Some(found) = rest[at..].find('[').map(|i| at + i) {
        let marker = [("[image:", true), ("[sound:", false)]
            .into_iter()
            .find(|(m, _)| rest[found..].starts_with(m));
        let named = marker.and_then(|(m, image)| {
            let after = &rest[found + m.len()..];
            let end = after.find(']')?;
            let name = after[..end].trim();
            (!name.is_empty()).then_some((name, image, found + m.len() + end + 1))
        });
        let Some((name, image, next)) = named else {
            at = found + 1;
            continue;
        };
        if found > 0 {
            out.push(MediaPiece::Text(&rest[..found]));
        }
        out.push(if image {
            MediaPiece::Image(name)
        } else {
            MediaPiece::Sound(name)
        });
        rest = &rest[next..];
        at = 0;
    }
    if !rest.is_empty() {
        out.push(MediaPiece::Text(rest));
    }
    out
}

/// The media files `text` names, each once, in order of first use.
pub fn media_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in media_pieces(text) {
        if let MediaPiece::Image(name) | MediaPiece::Sound(name) = piece {
            if !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// The question and answer of one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFaces {
    /// Shown first.
    pub question: Vec<Segment>,
    /// Shown after reveal.
    pub answer: Vec<Segment>,
    /// Extra notes under the answer (cloze "extra").
    pub extra: String,
}

/// The cloze numbers used in `text` (`{{c1::…}}` → 1).
pub fn cloze_numbers(text: &str) -> BTreeSet<u16> {
    parse(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Cloze { n, .. } => Some(n),
            Piece::Text(_) => None,
        })
        .collect()
}

/// The faces of card `ord` of a note: 0 forward, 1 reverse; for cloze, number − 1.
pub fn card_faces(fields: &NoteFields, ord: u16) -> CardFaces {
    let faces = match fields {
        NoteFields::Basic { front, back } => faces(front, back),
        NoteFields::Reversed { front, back } if ord == 1 => faces(back, front),
        NoteFields::Reversed { front, back } => faces(front, back),
        NoteFields::Cloze { text, extra } => cloze_faces(text, ord + 1, extra),
    };
    CardFaces {
        question: with_media(faces.question),
        answer: with_media(faces.answer),
        extra: faces.extra,
    }
}

/// Splits the media markers out of text and cloze answers, so a picture inside a cloze
/// answer is shown as a picture (the text around it stays highlighted).
fn with_media(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out = Vec::with_capacity(segments.len());
    for seg in segments {
        let (text, answer) = match &seg {
            Segment::Text(t) => (t, false),
            Segment::Answer(a) => (a, true),
            _ => {
                out.push(seg);
                continue;
            }
        };
        for piece in media_pieces(text) {
            out.push(match piece {
                MediaPiece::Text(t) if answer => Segment::Answer(t.to_string()),
                MediaPiece::Text(t) => Segment::Text(t.to_string()),
                MediaPiece::Image(name) => Segment::Image(name.to_string()),
                MediaPiece::Sound(name) => Segment::Sound(name.to_string()),
            });
        }
    }
    out
}

fn faces(question: &str, answer: &str) -> CardFaces {
    CardFaces {
        question: vec![Segment::Text(question.to_string())],
        answer: vec![Segment::Text(answer.to_string())],
        extra: String::new(),
    }
}

fn cloze_faces(text: &str, number: u16, extra: &str) -> CardFaces {
    let mut question = Vec::new();
    let mut answer = Vec::new();
    for piece in parse(text) {
        match piece {
            Piece::Text(t) => {
                push_text(&mut question, t);
                push_text(&mut answer, t);
            }
            Piece::Cloze { n, answer: a, hint } if n == number => {
                question.push(Segment::Gap(hint.map(String::from)));
                answer.push(Segment::Answer(a.to_string()));
            }
            Piece::Cloze { answer: a, .. } => {
                push_text(&mut question, a);
                push_text(&mut answer, a);
            }
        }
    }
    CardFaces {
        question,
        answer,
        extra: extra.to_string(),
    }
}

/// Appends text, merging with a preceding text segment.
fn push_text(out: &mut Vec<Segment>, text: &str) {
    if let Some(Segment::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else if !text.is_empty() {
        out.push(Segment::Text(text.to_string()));
    }
}

enum Piece<'a> {
    Text(&'a str),
    Cloze {
        n: u16,
        answer: &'a str,
        hint: Option<&'a str>,
    },
}

/// Splits cloze text into plain runs and `{{cN::answer::hint}}` deletions. Anything that
/// doesn't parse as a deletion stays plain text.
fn parse(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let Some((n, answer, hint, len)) = deletion_at(&rest[start..]) else {
            out.push(Piece::Text(&rest[..start + 3]));
            rest = &rest[start + 3..];
            continue;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Cloze { n, answer, hint });
        rest = &rest[start + len..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Parses a deletion at the start of `s`: (number, answer, hint, bytes consumed).
fn deletion_at(s: &str) -> Option<(u16, &str, Option<&str>, usize)> {
    let body_start = s.find("::")?;
    let n: u16 = s[3..body_start].parse().ok().filter(|&n| n > 0)?;
    let end = s.find("}}")?;
    if end < body_start {
        return None;
    }
    let body = &s[body_start + 2..end];
    let (answer, hint) = match body.split_once("::") {
        Some((a, h)) => (a, Some(h)),
        None => (body, None),
    };
    Some((n, answer, hint, end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cloze_numbers() {
        let text = "RADPAC: {{c1::Rapport}}, {{c2::Analysis}}, {{c1::Debate::D…}}";
        assert_eq!(cloze_numbers(text), BTreeSet::from([1, 2]));
        assert!(cloze_numbers("no deletions {{c::x}} {{c0::y}}").is_empty());
    }

    #[test]
    fn cloze_faces_hide_only_their_number() {
        let fields = NoteFields::Cloze {
            text: "A {{c1::BATNA}} is your {{c2::walk-away::alternative}} option".into(),
            extra: "Fisher & Ury".into(),
        };
        let first = card_faces(&fields, 0);
        assert_eq!(
            first.question,
            vec![
                Segment::Text("A ".into()),
                Segment::Gap(None),
                Segment::Text(" is your walk-away option".into())
            ]
        );
        assert_eq!(first.answer[1], Segment::Answer("BATNA".into()));
        let second = card_faces(&fields, 1);
        assert_eq!(
            second.question,
            vec![
                Segment::Text("A BATNA is your ".into()),
                Segment::Gap(Some("alternative".into())),
                Segment::Text(" option".into())
            ]
        );
        assert_eq!(second.extra, "Fisher & Ury");
    }

    #[test]
    fn media_markers_become_segments() {
        let fields = NoteFields::Basic {
            front: "Till on a bad scan? [sound:beep.mp3] [image:]".into(),
            back: "[image:label & tag.png]Beeps [twice] [sound:beep.mp3".into(),
        };
        let faces = card_faces(&fields, 0);
        assert_eq!(
            faces.question,
            vec![
                Segment::Text("Till on a bad scan? ".into()),
                Segment::Sound("beep.mp3".into()),
                Segment::Text(" [image:]".into()),
            ]
        );
        assert_eq!(
            faces.answer,
            vec![
                Segment::Image("label & tag.png".into()),
                Segment::Text("Beeps [twice] [sound:beep.mp3".into()),
            ]
        );
        // A picture that is a cloze answer is hidden on the question and shown on the answer.
        let cloze = NoteFields::Cloze {
            text: "Shelf-edge label: {{c1::the [image:label.png] tag}}".into(),
            extra: String::new(),
        };
        let faces = card_faces(&cloze, 0);
        assert_eq!(faces.question[1], Segment::Gap(None));
        assert_eq!(
            faces.answer[1..],
            [
                Segment::Answer("the ".into()),
                Segment::Image("label.png".into()),
                Segment::Answer(" tag".into()),
            ]
        );
        assert_eq!(
            media_names("[sound:b.mp3] x [image:a.png] [image:a.png]"),
            vec!["b.mp3", "a.png"]
        );
    }

    #[test]
    fn reversed_card_swaps_sides() {
        let fields = NoteFields::Reversed {
            front: "ZOPA".into(),
            back: "Zone of possible agreement".into(),
        };
        assert_eq!(
            card_faces(&fields, 1).question,
            vec![Segment::Text("Zone of possible agreement".into())]
        );
    }
}
