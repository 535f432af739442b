//! The app's icons, drawn as inline SVG in the text's colour. A font glyph ("＋", "⚙", "↶")
//! depends on the phone having a font that holds it; without one it shows as an empty box, as
//! Debian's Chromium and WebKitGTK did. Every icon is decoration beside a visible label, so it
//! is hidden from screen readers.

use dioxus::prelude::*;

/// Which icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    /// Today: a sun.
    Today,
    /// Cards: a stack of cards.
    Cards,
    /// Units: a book.
    Units,
    /// Stats: bars.
    Stats,
    /// Settings: sliders.
    Settings,
    /// Add or capture: a plus.
    Plus,
    /// Undo: an arrow turning back.
    Undo,
}

impl IconName {
    /// The icon's strokes, on a 24 × 24 grid.
    fn paths(self) -> &'static [&'static str] {
        match self {
            IconName::Today => &[
                "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z",
                "M12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4",
            ],
            IconName::Cards => &["M7 3h12v14H7z", "M4 7v14h12"],
            IconName::Units => &["M4 4h6a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4z", "M20 4h-6a2 2 0 0 0-2 2v14a2 2 0 0 1 2-2h6z"],
            IconName::Stats => &["M4 20h16", "M6 20V12M11 20V5M16 20v-9"],
            IconName::Settings => &[
                "M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12",
                "M16 4v4M10 10v4M18 16v4",
            ],
            IconName::Plus => &["M12 5v14M5 12h14"],
            IconName::Undo => &["M9 14L4 9l5-5", "M4 9h10a6 6 0 0 1 0 12h-3"],
        }
    }

    /// A test- and CSS-safe name.
    pub fn key(self) -> &'static str {
        match self {
            IconName::Today => "today",
            IconName::Cards => "cards",
            IconName::Units => "units",
            IconName::Stats => "stats",
            IconName::Settings => "settings",
            IconName::Plus => "plus",
            IconName::Undo => "undo",
        }
    }
}

/// An icon, hidden from screen readers (the label beside it says what it is).
#[component]
pub fn Icon(name: IconName) -> Element {
    rsx! {
        svg {
            class: "icon icon-{name.key()}",
            view_box: "0 0 24 24",
            fill: "none",
            stroke: "currentColor",
            stroke_width: "2",
            stroke_linecap: "round",
            stroke_linejoin: "round",
            "aria-hidden": "true",
            "focusable": "false",
            for d in name.paths() {
                path { key: "{d}", d: *d }
            }
        }
    }
}
