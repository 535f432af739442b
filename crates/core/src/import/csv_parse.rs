//! Reading Anki's text format: decoding the bytes (UTF-8 or UTF-16, refusing anything else
//! with the line and byte where it failed), the `#key:value` header lines, and quoted fields.
//! Our own small parser, because an unterminated quote must be an error naming its line, not
//! the rest of the file swallowed into one field.

use crate::{CoreError, Result};

/// The header lines Anki writes at the top of a text export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Header {
    pub separator: Option<char>,
    pub html: bool,
    /// 0-based column indexes (Anki counts from 1).
    pub tags_column: Option<usize>,
    pub deck_column: Option<usize>,
    pub notetype_column: Option<usize>,
    pub guid_column: Option<usize>,
    /// `#tags:` added to every note.
    pub tags: Vec<String>,
    pub deck: Option<String>,
    pub notetype: Option<String>,
    /// Any header line at all: the file follows Anki's format, so a third column is not
    /// taken as tags unless the header says so.
    pub anki_format: bool,
}

/// A record with the line it starts on (1-based).
pub(super) type Record = (usize, Vec<String>);

/// The text of a file: UTF-8 (BOM optional) or UTF-16 with its BOM.
pub(super) fn decode(data: &[u8]) -> Result<String> {
    if let Some(rest) = data.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String> {
        if !rest.len().is_multiple_of(2) {
            return Err(CoreError::invalid(
                "The file says it is UTF-16 text but ends half-way through a character.",
            ));
        }
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut out = String::new();
        let mut line = 1;
        for (i, ch) in char::decode_utf16(units).enumerate() {
            match ch {
                Ok(c) => {
                    line += usize::from(c == '\n');
                    out.push(c);
                }
                Err(_) => {
                    return Err(CoreError::invalid(format!(
                        "The file is not valid UTF-16 text: line {line}, byte {} of the file, is not part of a character.",
                        2 + 2 * i + 1
                    )))
                }
            }
        }
        Ok(out)
    };
    if let Some(rest) = data.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = data.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    utf8(data)
}

fn utf8(data: &[u8]) -> Result<String> {
    match std::str::from_utf8(data) {
        Ok(text) if text.contains('\0') => Err(CoreError::invalid(
            "This is not a text file (it holds binary data), so it can't be read as CSV.",
        )),
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + data[..at].iter().filter(|&&b| b == b'\n').count();
            let column = at
                - data[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
            Err(CoreError::invalid(format!(
                "The file is not UTF-8 or UTF-16 text: line {line}, byte {} of that line (0x{:02X}), is not valid UTF-8. Save it as UTF-8 (\"CSV UTF-8\" in Excel) and import it again.",
                column + 1,
                data[at],
            )))
        }
    }
}

/// Splits off the `#key:value` lines at the top; returns them and the line the body starts on.
pub(super) fn header(text: &str) -> (Header, usize, &str) {
    let mut h = Header::default();
    let mut rest = text;
    let mut line = 1;
    while rest.starts_with('#') {
        let end = rest.find('\n').map_or(rest.len(), |e| e + 1);
        let l = rest[..end].trim_end_matches(['\n', '\r']);
        rest = &rest[end..];
        line += 1;
        let Some((key, value)) = l[1..].split_once(':') else {
            continue;
        };
        h.anki_format = true;
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => h.separator = separator(value.trim()),
            "html" => h.html = value.trim().eq_ignore_ascii_case("true"),
            "tags column" => h.tags_column = column(),
            "deck column" => h.deck_column = column(),
            "notetype column" => h.notetype_column = column(),
            "guid column" => h.guid_column = column(),
            "tags" => h.tags = value.split_whitespace().map(String::from).collect(),
            "deck" => h.deck = Some(value.trim().to_string()).filter(|d| !d.is_empty()),
            "notetype" => h.notetype = Some(value.trim().to_string()).filter(|d| !d.is_empty()),
            _ => {}
        }
    }
    (h, line, rest)
}

fn separator(value: &str) -> Option<char> {
    Some(match value.to_ascii_lowercase().as_str() {
        "tab" => '\t',
        "comma" => ',',
        "semicolon" => ';',
        "space" => ' ',
        "pipe" => '|',
        "colon" => ':',
        _ => {
            let mut chars = value.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            c
        }
    })
}

/// The separator used most on the first line outside quotes: comma, tab or semicolon.
pub(super) fn guess_separator(body: &str) -> char {
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [',', '\t', ';'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    seps[best]
}

/// The records of `body`, which starts on line `first_line`. Blank lines are skipped. A
/// quote that is never closed is an error naming the line it opened on.
pub(super) fn records(body: &str, sep: char, first_line: usize) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    let mut line = first_line;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut at_field_start = true;
        loop {
            let Some(c) = chars.next() else {
                fields.push(std::mem::take(&mut field));
                break;
            };
            if at_field_start && c == '"' {
                let opened = line;
                loop {
                    match chars.next() {
                        None => {
                            return Err(CoreError::invalid(format!(
                                "Line {opened} opens a quoted field (\") that is never closed, so the rest of the file can't be read. Close the quote and import again; nothing was imported."
                            )))
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            line += usize::from(c == '\n');
                            field.push(c);
                        }
                    }
                }
                at_field_start = false;
                continue;
            }
            at_field_start = false;
            if c == sep {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            } else if c == '\n' {
                line += 1;
                if field.ends_with('\r') {
                    field.pop();
                }
                fields.push(std::mem::take(&mut field));
                break;
            } else {
                field.push(c);
            }
        }
        if fields.iter().any(|f| !f.trim().is_empty()) {
            out.push((start, fields));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_anki_headers() {
        let (h, line, body) = header(
            "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\nrow",
        );
        assert_eq!(line, 7);
        assert_eq!(body, "row");
        assert_eq!(h.separator, Some('\t'));
        assert!(h.html);
        assert_eq!(
            (
                h.guid_column,
                h.notetype_column,
                h.deck_column,
                h.tags_column
            ),
            (Some(0), Some(1), Some(2), Some(5))
        );
    }

    #[test]
    fn quotes_may_hold_separators_quotes_and_new_lines() {
        let r = records("a,\"b, \"\"c\"\"\nd\"\n\ne,f\r\n", ',', 1).unwrap();
        assert_eq!(
            r,
            vec![
                (1, vec!["a".to_string(), "b, \"c\"\nd".to_string()]),
                (4, vec!["e".to_string(), "f".to_string()])
            ]
        );
    }

    #[test]
    fn an_unterminated_quote_names_its_line() {
        let err = records("a,b\nc,\"never closed\nd,e\n", ',', 3)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Line 4"), "{err}");
    }

    #[test]
    fn decodes_utf8_and_utf16_and_refuses_the_rest() {
        assert_eq!(decode("\u{feff}café".as_bytes()).unwrap(), "café");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("café\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), "café\n");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("café".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be).unwrap(), "café");
        let latin1 = b"front,back\ncaf\xe9,coffee\n";
        let err = decode(latin1).unwrap_err().to_string();
        assert!(
            err.contains("line 2, byte 4") && err.contains("0xE9"),
            "{err}"
        );
        assert!(!err.contains('\u{fffd}'));
    }

    #[test]
    fn guesses_the_separator_outside_quotes() {
        assert_eq!(guess_separator("\"a, b, c\";d\n"), ';');
        assert_eq!(guess_separator("a\tb,c\td\n"), '\t');
        assert_eq!(guess_separator("just one field\n"), ',');
    }
}
