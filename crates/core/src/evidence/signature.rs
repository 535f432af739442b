//! Drawing a witness's signature as SVG: the strokes of a drawn one, the name of a typed one.

use crate::model::{Signature, WitnessMark};
use crate::signing::round1;
use std::fmt::Write;

impl Signature {
    /// A self-contained `<svg>` with one stroked path per stroke, sized to the pad it was drawn
    /// on. Safe to put straight into HTML: everything in it except fixed markup is a number.
    /// Strokes of a single point are drawn as a dot so nothing the witness drew is lost.
    pub fn to_svg(&self) -> String {
        let (w, h) = (num(self.width), num(self.height));
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Signature">"#
        );
        for stroke in &self.strokes {
            let Some(([x0, y0], rest)) = stroke.split_first() else {
                continue;
            };
            let mut d = format!("M{} {}", num(*x0), num(*y0));
            if rest.is_empty() {
                d.push_str(" l0.1 0");
            }
            for [x, y] in rest {
                let _ = write!(d, " L{} {}", num(*x), num(*y));
            }
            let _ = write!(
                svg,
                r#"<path d="{d}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>"#
            );
        }
        svg.push_str("</svg>");
        svg
    }

    /// Reads a signature stored in an item's `witness_signature` field.
    pub fn from_field(json: &str) -> Option<Signature> {
        serde_json::from_str(json).ok()
    }
}

impl WitnessMark {
    /// A self-contained `<svg>` of the signature: the drawing's strokes, or the typed name set
    /// as a line of text. Safe to put straight into HTML: a typed name is escaped.
    pub fn to_svg(&self) -> String {
        match self {
            WitnessMark::Drawn(signature) => signature.to_svg(),
            WitnessMark::Typed { typed_name } => {
                // Long names are squeezed into the box rather than cut off.
                let fit = if typed_name.chars().count() > 18 {
                    r#" textLength="296" lengthAdjust="spacingAndGlyphs""#
                } else {
                    ""
                };
                format!(
                    r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 80" width="320" height="80" role="img" aria-label="Signature"><text x="12" y="52" font-family="cursive" font-size="28" fill="currentColor"{fit}>{}</text></svg>"#,
                    escape_xml(typed_name)
                )
            }
        }
    }

    /// How it was made, in words: "drawn" or "typed".
    pub fn how(&self) -> &'static str {
        match self {
            WitnessMark::Drawn(_) => "drawn",
            WitnessMark::Typed { .. } => "typed",
        }
    }
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number rounded to 1 dp, without a trailing ".0"; non-finite values become 0 so the output
/// is always a plain number.
fn num(v: f32) -> String {
    let v = if v.is_finite() { round1(v) } else { 0.0 };
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_path_per_stroke_with_rounded_numbers() {
        let sig = Signature {
            width: 300.0,
            height: 120.5,
            strokes: vec![
                vec![[10.04, 20.06], [30.0, 40.0], [50.55, 60.0]],
                vec![[1.0, 1.0], [2.0, 2.0]],
                vec![[5.0, 5.0]],
            ],
        };
        let svg = sig.to_svg();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(svg.contains(r#"viewBox="0 0 300 120.5""#), "{svg}");
        assert_eq!(svg.matches("<path ").count(), 3);
        assert_eq!(svg.matches("/>").count(), 3, "every path is closed");
        assert!(svg.contains(r#"d="M10 20.1 L30 40 L50.6 60""#), "{svg}");
        // Nothing but fixed markup, numbers and path letters.
        let text: String = svg.split('"').skip(1).step_by(2).collect();
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || " .-/:".contains(c)),
            "{text}"
        );
        assert_eq!(svg.matches('<').count(), svg.matches('>').count());
    }

    #[test]
    fn strange_numbers_stay_numbers() {
        let sig = Signature {
            width: f32::NAN,
            height: f32::INFINITY,
            strokes: vec![vec![[-0.0, 1e-9], [f32::NEG_INFINITY, 3.0]]],
        };
        let svg = sig.to_svg();
        assert!(svg.contains(r#"viewBox="0 0 0 0""#), "{svg}");
        assert!(svg.contains(r#"d="M0 0 L0 3""#), "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn a_typed_name_is_set_as_escaped_text() {
        let typed = WitnessMark::Typed {
            typed_name: "Jo <b>\"O'Neil\"</b> & co".into(),
        };
        let svg = typed.to_svg();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(
            svg.contains(">Jo &lt;b&gt;&quot;O&#39;Neil&quot;&lt;/b&gt; &amp; co</text>"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"));
        assert_eq!(typed.how(), "typed");
        // The export keeps drawn signatures as the drawing, as before.
        let drawn = WitnessMark::Drawn(Signature {
            width: 1.0,
            height: 1.0,
            strokes: vec![],
        });
        assert_eq!(
            serde_json::to_value(&drawn).unwrap(),
            serde_json::json!({"width": 1.0, "height": 1.0, "strokes": []})
        );
        assert_eq!(
            serde_json::to_value(&typed).unwrap()["typed_name"],
            "Jo <b>\"O'Neil\"</b> & co"
        );
    }

    #[test]
    fn round_trips_through_json() {
        let sig = Signature {
            width: 10.0,
            height: 5.0,
            strokes: vec![vec![[1.5, 2.5], [3.0, 4.0]]],
        };
        let json = serde_json::to_string(&sig).unwrap();
        assert_eq!(Signature::from_field(&json), Some(sig));
        assert_eq!(Signature::from_field("M0 0 L1 1"), None);
    }
}
