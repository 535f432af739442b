//! Anki fields are HTML; our cards are plain text. Line breaks and block ends become new lines,
//! other tags go, and the common entities are decoded. Media stay, as markers the card shows:
//! `<img src="a.png">` becomes `[image:a.png]`, `<audio>`/`<video>` and Anki's own
//! `[sound:b.mp3]` become `[sound:b.mp3]`; the names are returned so the files come too.

/// Plain text of an Anki field, and the media files it refers to.
pub(crate) fn field_text(html: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut media = Vec::new();
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
                "img" | "audio" | "video" | "source" => {
                    if let Some(src) = attribute(&rest[..end], "src") {
                        let marker = if name == "img" { "image" } else { "sound" };
                        out.push_str(&format!("[{marker}:{src}]"));
                        media.push(src);
                    }
                }
                _ => {}
            }
            rest = &rest[end..];
        } else if rest.starts_with("[sound:") {
            let end = rest.find(']').map_or(rest.len(), |e| e + 1);
            let name = rest["[sound:".len()..end.saturating_sub(1).max(7)].trim();
            if !name.is_empty() {
                out.push_str(&format!("[sound:{name}]"));
                media.push(name.to_string());
            }
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

/// The value of `name="…"` (or `'…'`, or bare) in a tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    let at = loop {
        let i = lower[from..].find(name)? + from;
        let before_ok = lower[..i].ends_with(|c: char| c.is_whitespace());
        let after = lower[i + name.len()..].trim_start();
        if before_ok && after.starts_with('=') {
            break i;
        }
        from = i + name.len();
    };
    let value = tag[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let raw = match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next()?,
        _ => value.split([' ', '>', '/']).next()?,
    };
    let mut decoded = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        decoded.push_str(&rest[..i]);
        let (text, used) = entity(&rest[i..]);
        decoded.push_str(&text);
        rest = &rest[i + used..];
    }
    decoded.push_str(rest);
    let decoded = decoded.trim().to_string();
    (!decoded.is_empty()).then_some(decoded)
}

/// Decodes the entity at the start of `s`: (text, bytes used). Unknown ones stay as written.
fn entity(s: &str) -> (String, usize) {
    // Looked for byte by byte: a character of several bytes may straddle the 12th byte.
    let Some(end) = s.bytes().take(12).position(|b| b == b';') else {
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
    fn keeps_media_as_markers_and_names_them() {
        let (text, media) = field_text(
            "Shelf edge <img class=x src=\"label &amp; tag.jpg\"> [sound:beep.mp3]<audio src='a.ogg'>",
        );
        assert_eq!(
            text,
            "Shelf edge [image:label & tag.jpg] [sound:beep.mp3][sound:a.ogg]"
        );
        assert_eq!(media, vec!["label & tag.jpg", "beep.mp3", "a.ogg"]);
        assert_eq!(
            field_text("{{c1::ZOPA}} [not a sound]").0,
            "{{c1::ZOPA}} [not a sound]"
        );
    }

    #[test]
    fn text_beyond_ascii_after_an_ampersand_is_kept() {
        // A real collection's note: the import panicked slicing inside the 'λ'.
        assert_eq!(
            field_text("&nbsp;<br>(λx.E) M -&gt; E[M/x]").0,
            "(λx.E) M -> E[M/x]"
        );
        assert_eq!(field_text("R&D café—λ").0, "R&D café—λ");
    }

    #[test]
    fn survives_broken_markup() {
        assert_eq!(field_text("a < b & c").0, "a");
        assert_eq!(field_text("fish & chips").0, "fish & chips");
    }
}
