//! Finding a phrase pattern in a learner's note. Learners write "apologised", "said sorry",
//! "wouldn't go below"; the phrases file writes each idea once, so matching compares stems
//! (`words::stem`), spells out contractions, and lets a pattern name a synonym group
//! (`@upset`) or leave a short gap (`asked ... what`). The match is returned as the span of
//! the learner's own words, so a suggestion can quote them as its reason.

use super::words::stem;
use std::collections::BTreeMap;

/// The most words `...` in a pattern stands for.
const GAP: usize = 3;

/// One word of a note.
#[derive(Debug, Clone)]
struct Token {
    /// Lower case, straight apostrophes.
    lower: String,
    /// As written, for `=Exact` patterns.
    written: String,
    stem: String,
    /// Byte span in the note.
    span: (usize, usize),
}

/// A note split into words ready for matching.
#[derive(Debug, Clone)]
pub struct Note<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Note<'a> {
    /// Splits `text` into words: letters and digits (with inner apostrophes), and "£" and "%"
    /// as words of their own; "wouldn't" reads as "would not".
    pub fn new(text: &'a str) -> Note<'a> {
        let mut tokens = Vec::new();
        let mut start = None;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let inner_apostrophe = (c == '\'' || c == '’')
                && start.is_some()
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
            if c.is_alphanumeric() || inner_apostrophe {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                push_word(&mut tokens, &text[s..i], s);
            }
            if c == '£' || c == '%' {
                push_word(&mut tokens, &text[i..i + c.len_utf8()], i);
            }
        }
        if let Some(s) = start {
            push_word(&mut tokens, &text[s..], s);
        }
        Note { text, tokens }
    }

    /// The note's words from token `from` up to (not including) `to`, as written.
    fn quote(&self, from: usize, to: usize) -> &'a str {
        &self.text[self.tokens[from].span.0..self.tokens[to - 1].span.1]
    }
}

fn push_word(tokens: &mut Vec<Token>, word: &str, at: usize) {
    let lower = word.to_lowercase().replace('’', "'");
    let span = (at, at + word.len());
    let parts: Vec<String> = match lower.as_str() {
        "won't" => vec!["will".into(), "not".into()],
        "can't" | "cannot" => vec!["can".into(), "not".into()],
        "shan't" => vec!["shall".into(), "not".into()],
        w => match w.strip_suffix("n't") {
            Some(base) if !base.is_empty() => vec![base.into(), "not".into()],
            _ => vec![w.into()],
        },
    };
    for lower in parts {
        tokens.push(Token {
            stem: stem(&lower),
            written: word.to_string(),
            lower,
            span,
        });
    }
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Element {
    /// A word, compared by stem; an "-ly" word only meets an "-ly" word ("weekly" is not
    /// "week").
    Word { stem: String, ly: bool },
    /// `word*`: any word starting so.
    Prefix(String),
    /// `=Word`: exactly this word, case and all ("STAR" the method, not "star employee").
    Exact(String),
    /// `...`: up to [`GAP`] words.
    Gap,
    /// `@name`: any phrase of that synonym group.
    Group(String),
}

/// A parsed phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern(Vec<Element>);

impl Pattern {
    /// Parses a phrase as the phrases file writes it.
    pub fn parse(phrase: &str) -> Pattern {
        let mut out = Vec::new();
        for part in phrase.split_whitespace() {
            if part == "..." {
                out.push(Element::Gap);
            } else if let Some(name) = part.strip_prefix('@') {
                out.push(Element::Group(name.to_string()));
            } else if let Some(word) = part.strip_prefix('=') {
                out.push(Element::Exact(word.to_string()));
            } else {
                let prefix = part.ends_with('*');
                let words = Note::new(part.trim_end_matches('*')).tokens;
                let last = words.len().saturating_sub(1);
                for (i, t) in words.into_iter().enumerate() {
                    out.push(if prefix && i == last {
                        Element::Prefix(t.lower)
                    } else {
                        Element::Word {
                            ly: t.lower.ends_with("ly"),
                            stem: t.stem,
                        }
                    });
                }
            }
        }
        Pattern(out)
    }

    /// The synonym groups this pattern names.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|e| match e {
            Element::Group(g) => Some(g.as_str()),
            _ => None,
        })
    }

    /// True when the pattern has nothing to match.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|e| *e == Element::Gap)
    }
}

/// Named groups of phrases that mean the same thing here: `"upset": ["annoyed", "cross", …]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synonyms(BTreeMap<String, Vec<Pattern>>);

impl Synonyms {
    /// Parses every group's phrases.
    pub fn new(groups: &BTreeMap<String, Vec<String>>) -> Synonyms {
        Synonyms(
            groups
                .iter()
                .map(|(name, phrases)| {
                    (
                        name.clone(),
                        phrases.iter().map(|p| Pattern::parse(p)).collect(),
                    )
                })
                .collect(),
        )
    }

    /// The group called `name`.
    pub fn group(&self, name: &str) -> Option<&[Pattern]> {
        self.0.get(name).map(Vec::as_slice)
    }

    /// Every group, by name.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &[Pattern])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The learner's words where `pattern` first matches `note`, longest match at the
    /// earliest place.
    pub fn find<'a>(&self, pattern: &Pattern, note: &Note<'a>) -> Option<&'a str> {
        (0..note.tokens.len()).find_map(|i| {
            let end = self
                .ends(&pattern.0, note, i, 0)
                .into_iter()
                .filter(|&j| j > i)
                .max()?;
            Some(note.quote(i, end))
        })
    }

    /// Every position where `elements` matched from token `i` can end. `depth` stops a group
    /// that names itself.
    fn ends(&self, elements: &[Element], note: &Note, i: usize, depth: usize) -> Vec<usize> {
        let Some((first, rest)) = elements.split_first() else {
            return vec![i];
        };
        match first {
            Element::Gap => (0..=GAP)
                .filter(|k| i + k <= note.tokens.len())
                .flat_map(|k| self.ends(rest, note, i + k, depth))
                .collect(),
            Element::Group(name) if depth < 4 => self
                .group(name)
                .unwrap_or_default()
                .iter()
                .flat_map(|alt| self.ends(&alt.0, note, i, depth + 1))
                .flat_map(|j| self.ends(rest, note, j, depth))
                .collect(),
            Element::Group(_) => Vec::new(),
            word => match note.tokens.get(i) {
                Some(t) if word_matches(word, t) => self.ends(rest, note, i + 1, depth),
                _ => Vec::new(),
            },
        }
    }
}

fn word_matches(element: &Element, token: &Token) -> bool {
    match element {
        Element::Word { stem, ly } => token.stem == *stem && token.lower.ends_with("ly") == *ly,
        Element::Prefix(p) => token.lower.starts_with(p.as_str()),
        Element::Exact(w) => token.written == *w,
        Element::Gap | Element::Group(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synonyms() -> Synonyms {
        let mut g = BTreeMap::new();
        g.insert(
            "sorry".to_string(),
            vec!["sorry".to_string(), "apologis*".to_string()],
        );
        g.insert(
            "upset".to_string(),
            vec!["annoyed".to_string(), "not happy".to_string()],
        );
        Synonyms::new(&g)
    }

    fn find(pattern: &str, text: &str) -> Option<String> {
        synonyms()
            .find(&Pattern::parse(pattern), &Note::new(text))
            .map(str::to_string)
    }

    #[test]
    fn words_match_by_stem_and_quote_what_the_learner_wrote() {
        assert_eq!(
            find("listen", "I Listened carefully").as_deref(),
            Some("Listened")
        );
        assert_eq!(find("repeat back", "then repeated it back"), None);
        assert_eq!(
            find("repeat ... back", "then repeated it back").as_deref(),
            Some("repeated it back")
        );
        assert_eq!(find("week", "we check weekly"), None);
        assert_eq!(find("rep", "I replied"), None);
        assert_eq!(find("rep*", "I replied").as_deref(), Some("replied"));
    }

    #[test]
    fn contractions_money_and_exact_words() {
        assert_eq!(
            find("not go below", "I wouldn't go below £5").as_deref(),
            Some("wouldn't go below")
        );
        assert_eq!(
            find("will not", "they won’t budge").as_deref(),
            Some("won’t")
        );
        assert_eq!(find("£", "it was £40 a week").as_deref(), Some("£"));
        assert_eq!(find("%", "up 5% on last year").as_deref(), Some("%"));
        assert_eq!(find("=STAR", "our star employee"), None);
        assert_eq!(find("=STAR", "I used STAR").as_deref(), Some("STAR"));
    }

    #[test]
    fn groups_stand_for_any_of_their_phrases() {
        assert_eq!(
            find("@sorry", "I apologised").as_deref(),
            Some("apologised")
        );
        assert_eq!(
            find("she was @upset", "she was not happy at all").as_deref(),
            Some("she was not happy")
        );
        assert_eq!(find("@nosuchgroup", "anything"), None);
    }
}
