//! Anki fields are HTML; our cards are plain text. Line breaks and block ends become new lines,
//! other tags go, and the common entities are decoded. Media references (`<img>`, `[sound:…]`)
//! are dropped and counted, since we import text only.

/// Plain text of an Anki field, and whether it referred to media we left out.
pub(super) fn field_text(html: &str) -> (String, bool) {
    let mut out = String::with_capacity(html.len());
    let mut media = false;
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&', '[']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = rest[1..end.saturating_sub(1).max(1)]
                .trim()
                .to_ascii_lowercase();
            let name = tag
                .trim_start_matches('/')
                .split([' ', '/'])
                .next()
                .unwrap_or("");
            match name {
                "br" | "div" | "p" | "li" | "tr" if !out.ends_with('\n') && !out.is_empty() => {
                    out.push('\n')
                }
                "img" | "audio" | "video" => media = true,
                _ => {}
            }
            rest = &rest[end..];
        } else if rest.starts_with("[sound:") {
            let end = rest.find(']').map_or(rest.len(), |e| e + 1);
            media = true;
            rest = &rest[end..];
        } else if rest.starts_with('&') {
            let (text, used) = entity(rest);
            out.push_str(&text);
            rest = &rest[used..];
        } else {
            out.push('[');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (lines.join("\n"), media)
}

/// Decodes the entity at the start of `s`: (text, bytes used). Unknown ones stay as written.
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s[..s.len().min(12)].find(';') else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let text = match name {
        "nbsp" => Some(' '),
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "times" => Some('×'),
        "divide" => Some('÷'),
        "pound" => Some('£'),
        "euro" => Some('€'),
        "copy" => Some('©'),
        "hellip" => Some('…'),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "bull" => Some('•'),
        _ => name
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    match text {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::field_text;

    #[test]
    fn keeps_text_and_line_breaks() {
        assert_eq!(
            field_text("Rapport<br>Analysis<div>Debate</div>").0,
            "Rapport\nAnalysis\nDebate"
        );
        assert_eq!(
            field_text("<b>BATNA</b> &amp; ZOPA&nbsp;&lt;3&#39;s&#x21;").0,
            "BATNA & ZOPA <3's!"
        );
    }

    #[test]
    fn drops_media_and_says_so() {
        let (text, media) = field_text("Shelf edge <img src=\"label.jpg\"> [sound:beep.mp3]");
        assert_eq!((text.as_str(), media), ("Shelf edge", true));
        assert_eq!(
            field_text("{{c1::ZOPA}} [not a sound]").0,
            "{{c1::ZOPA}} [not a sound]"
        );
    }

    #[test]
    fn survives_broken_markup() {
        assert_eq!(field_text("a < b & c").0, "a");
        assert_eq!(field_text("fish & chips").0, "fish & chips");
    }
}
