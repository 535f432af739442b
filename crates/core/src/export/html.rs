//! Our plain text as Anki field HTML: escaped, new lines as `<br>`, media markers as the tags
//! Anki uses (`[image:a.png]` → `<img src="a.png">`; `[sound:b.mp3]` stays as it is). The markers are
//! read by the same function the card faces use (`render::media_pieces`).

pub(crate) use crate::render::media_names;
use crate::render::{media_pieces, MediaPiece};

/// A field's text as Anki HTML.
pub(crate) fn field_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in media_pieces(text) {
        match piece {
            MediaPiece::Text(t) => out.push_str(&escape(t).replace('\n', "<br>")),
            MediaPiece::Image(name) => out.push_str(&format!("<img src=\"{}\">", escape(name))),
            MediaPiece::Sound(name) => out.push_str(&format!("[sound:{name}]")),
        }
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
    }
}
