//! A signature pad: the witness signs with a finger or mouse. Pointer events become vector
//! strokes (points in the pad's own pixels), drawn live as SVG paths; the strokes are what is
//! stored, so the signature renders sharply anywhere.

use dioxus::prelude::*;

/// Pad size before the page has measured it (and in tests without a page).
pub const PAD_SIZE: (f32, f32) = (320.0, 160.0);

/// Strokes on a pad of `width` × `height`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ink {
    /// The pad's width in CSS pixels when it was drawn on.
    pub width: f32,
    /// Its height.
    pub height: f32,
    /// Each stroke's points, `[x, y]` from the pad's top left.
    pub strokes: Vec<Vec<[f32; 2]>>,
}

impl Ink {
    /// True when nothing has been drawn.
    pub fn is_empty(&self) -> bool {
        self.strokes.iter().all(|s| s.is_empty())
    }
}

/// An SVG path for one stroke; a single tap becomes a dot.
pub fn stroke_path(points: &[[f32; 2]]) -> String {
    let mut d = String::new();
    for (i, [x, y]) in points.iter().enumerate() {
        d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
    }
    if let [[x, y]] = points {
        d.push_str(&format!("L{:.1} {y:.1}", x + 0.1));
    }
    d.trim_end().to_string()
}

/// The pad. `ink` holds the strokes; a Clear button empties it.
#[component]
pub fn SignaturePad(ink: Signal<Ink>, label: String) -> Element {
    let mut ink = ink;
    let mut drawing = use_signal(|| false);
    let mut size = use_signal(|| PAD_SIZE);
    let (w, h) = size();
    let mut add_point = move |p: [f32; 2], new_stroke: bool| {
        let (w, h) = *size.peek();
        let mut ink = ink.write();
        ink.width = w;
        ink.height = h;
        if new_stroke || ink.strokes.is_empty() {
            ink.strokes.push(vec![p]);
        } else if let Some(stroke) = ink.strokes.last_mut() {
            // Points closer than a pixel add size, not shape.
            let far = stroke
                .last()
                .is_none_or(|q| (q[0] - p[0]).abs() + (q[1] - p[1]).abs() >= 1.0);
            if far {
                stroke.push(p);
            }
        }
    };
    let point = |e: &PointerEvent| {
        let c = e.element_coordinates();
        [c.x as f32, c.y as f32]
    };
    let empty = ink.read().is_empty();
    rsx! {
        div { class: "signature",
            svg {
                class: "signature-pad",
                id: "signature-pad",
                role: "img",
                "aria-label": "{label}",
                view_box: "0 0 {w} {h}",
                onmounted: move |e: MountedEvent| async move {
                    if let Ok(rect) = e.data().get_client_rect().await {
                        if rect.width() > 10.0 && rect.height() > 10.0 {
                            size.set((rect.width() as f32, rect.height() as f32));
                        }
                    }
                },
                onpointerdown: move |e| {
                    drawing.set(true);
                    add_point(point(&e), true);
                },
                onpointermove: move |e| {
                    if drawing() {
                        add_point(point(&e), false);
                    }
                },
                onpointerup: move |_| drawing.set(false),
                onpointerleave: move |_| drawing.set(false),
                onpointercancel: move |_| drawing.set(false),
                line { class: "sign-line", x1: "12", y1: "{h * 0.78}", x2: "{w - 12.0}", y2: "{h * 0.78}" }
                for (i, s) in ink.read().strokes.iter().enumerate() {
                    path { key: "{i}", class: "stroke", d: "{stroke_path(s)}" }
                }
            }
            div { class: "spread",
                span { class: "hint", if empty { "Sign in the box with your finger or mouse." } else { "Signed. Clear it to sign again." } }
                button {
                    r#type: "button",
                    id: "clear-signature",
                    disabled: empty,
                    onclick: move |_| ink.write().strokes.clear(),
                    "Clear"
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_become_paths_and_a_tap_a_dot() {
        assert_eq!(stroke_path(&[[1.0, 2.0], [3.5, 4.0]]), "M1.0 2.0 L3.5 4.0");
        assert_eq!(stroke_path(&[[5.0, 5.0]]), "M5.0 5.0 L5.1 5.0");
        assert_eq!(stroke_path(&[]), "");
    }

    #[test]
    fn an_untouched_pad_is_empty() {
        let mut ink = Ink::default();
        assert!(ink.is_empty());
        ink.strokes.push(vec![[1.0, 1.0]]);
        assert!(!ink.is_empty());
    }
}
