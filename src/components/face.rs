//! One side of a card. The core hands over structured segments, never HTML, so card text
//! can't inject markup; cloze gaps and answers get their own styles, pictures are shown and
//! sounds get an audio control. Media go into the page as `data:` URLs (as attachment
//! thumbnails do), so the same code serves the desktop, the phone and the preview.

use crate::state::use_app;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dioxus::prelude::*;
use pocketfolio_core::render::Segment;
use pocketfolio_core::{MediaFile, MediaMissing};

/// Renders segments as text with styled gaps and answers, pictures and sounds.
#[component]
pub fn Face(segments: Vec<Segment>) -> Element {
    rsx! {
        for (i, seg) in segments.into_iter().enumerate() {
            match seg {
                Segment::Text(t) => rsx! { span { key: "{i}", "{t}" } },
                Segment::Gap(hint) => {
                    // A screen reader would say the brackets and the ellipsis; it hears "blank"
                    // (an `aria-label` on a plain span is ignored by readers).
                    let (shown, spoken) = match hint {
                        Some(h) => (format!("[{h}]"), format!("blank, hint: {h}")),
                        None => ("[…]".to_string(), "blank".to_string()),
                    };
                    rsx! {
                        span { key: "{i}", class: "gap",
                            span { "aria-hidden": "true", "{shown}" }
                            span { class: "visually-hidden", "{spoken}" }
                        }
                    }
                }
                Segment::Answer(a) => rsx! { mark { key: "{i}", class: "cloze-answer", "{a}" } },
                Segment::Image(name) => rsx! { CardImage { key: "{i}-{name}", name } },
                Segment::Sound(name) => rsx! { CardSound { key: "{i}-{name}", name } },
            }
        }
    }
}

/// A picture from the deck's media; its name where the file is not on this device.
#[component]
fn CardImage(name: String) -> Element {
    let app = use_app();
    let file = use_hook(|| media_url(app.peek(|c| c.media_image(&name))));
    match file {
        Ok(src) => rsx! { img { class: "card-image", src: "{src}", alt: "Picture {name}" } },
        Err(why) => rsx! { span { class: "media-missing", "[picture {name}: {why}]" } },
    }
}

/// A sound from the deck's media, with the browser's own play control.
#[component]
fn CardSound(name: String) -> Element {
    let app = use_app();
    let file = use_hook(|| media_url(app.peek(|c| c.media_sound(&name))));
    match file {
        Ok(src) => rsx! {
            audio { class: "card-sound", controls: true, preload: "auto", src: "{src}", "aria-label": "Play {name}" }
        },
        Err(why) => rsx! { span { class: "media-missing", "[sound {name}: {why}]" } },
    }
}

/// A `data:` URL of the file, or why there is none, in the learner's words.
fn media_url(found: Result<Result<MediaFile, MediaMissing>, String>) -> Result<String, String> {
    match found {
        Ok(Ok(f)) => Ok(format!(
            "data:{};base64,{}",
            f.mime,
            BASE64.encode(&f.bytes)
        )),
        Ok(Err(MediaMissing::NotHere)) => Err("not on this device".into()),
        Ok(Err(MediaMissing::TooLarge)) => Err("too large to show here".into()),
        Err(e) => Err(e),
    }
}

/// A face as a screen reader should say it, for accessible names (an `aria-label` is read
/// as written: a gap written "[…]" is heard as "left bracket, ellipsis", so it says "blank",
/// as the face itself does).
pub fn face_spoken(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Text(t) | Segment::Answer(t) => t.clone(),
            Segment::Gap(Some(h)) => format!("blank (hint: {h})"),
            Segment::Gap(None) => "blank".to_string(),
            Segment::Image(name) => format!("picture {name}"),
            Segment::Sound(name) => format!("sound {name}"),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_is_spoken_as_blank_never_as_its_brackets() {
        let face = vec![
            Segment::Gap(None),
            Segment::Text(" is your best alternative;  ".into()),
            Segment::Gap(Some("a number".into())),
            Segment::Text(" ".into()),
            Segment::Image("till.png".into()),
        ];
        assert_eq!(
            face_spoken(&face),
            "blank is your best alternative; blank (hint: a number) picture till.png"
        );
    }
}
