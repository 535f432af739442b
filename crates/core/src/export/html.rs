//! Our plain text as Anki field HTML: escaped, new lines as `<br>`, media markers as the tags
//! Anki uses (`[image:a.png]` → `<img src="a.png">`; `[sound:b.mp3]` stays as it is).

/// The media names a text refers to, in order.
pub(crate) fn media_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["[image:", "[sound:"] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            if let Some(end) = rest.find(']') {
                let name = rest[..end].trim();
                if !name.is_empty() && !out.iter().any(|n| n == name) {
                    out.push(name.to_string());
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

/// A field's text as Anki HTML.
pub(crate) fn field_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[image:") {
            if let Some(end) = after.find(']') {
                out.push_str(&format!("<img src=\"{}\">", escape(after[..end].trim())));
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        match c {
            '\n' => out.push_str("<br>"),
            _ => out.push_str(&escape(&c.to_string())),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::field_text_for_tests as field_text;

    #[test]
    fn round_trips_through_the_importer() {
        for text in [
            "Shelf-edge label: {{c1::[image:label & tag.png]}}",
            "a < b & c\nnext line",
            "What does the till do? [sound:beep.mp3]",
        ] {
            assert_eq!(field_text(&field_html(text)).0, text);
        }
        assert_eq!(
            media_names("[sound:b.mp3] x [image:a.png] [image:a.png]"),
            vec!["a.png", "b.mp3"]
        );
    }
}
