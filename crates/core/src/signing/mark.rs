//! Checking how someone signed: a drawing needs a real stroke, a typed name must be the
//! signer's own.

use super::canonical::content_sha256;
use super::error::SigningError;
use super::event::Mark;
use crate::model::Signature;
use serde_json::json;

/// The most points a drawn signature may have: far more than any real signature, small enough
/// that the record stays quick to sync.
pub const MAX_SIGNATURE_POINTS: usize = 5_000;

/// The mark as an event keeps it, or why it cannot be made: a drawing becomes the hash of its
/// strokes rounded to 1 dp (the caller keeps those strokes, from [`checked_drawing`], beside
/// the log), so signing again and again never copies drawings into the log. A bare hash is
/// refused: a signature is made from strokes or a name, never from a hash alone.
pub fn checked_mark(
    mark: Mark,
    signer_name: &str,
    signer_account: Option<&str>,
) -> Result<Mark, SigningError> {
    match mark {
        Mark::Drawn { signature } => Ok(Mark::DrawnSha256 {
            drawing_sha256: drawing_sha256(&checked_drawing(signature)?),
        }),
        Mark::DrawnSha256 { .. } => Err(SigningError::MissingMark),
        Mark::SignedIn { account_id } => {
            if account_id.trim().is_empty() || signer_account != Some(account_id.as_str()) {
                return Err(SigningError::MissingMark);
            }
            Ok(Mark::SignedIn { account_id })
        }
        Mark::Typed { name } => {
            if normalised(&name).is_empty() {
                return Err(SigningError::MissingMark);
            }
            if normalised(&name) != normalised(signer_name) {
                return Err(SigningError::TypedNameMismatch {
                    expected: signer_name.trim().to_string(),
                });
            }
            Ok(Mark::Typed {
                name: name.trim().to_string(),
            })
        }
    }
}

/// A drawing with at least one stroke of two or more points, numbers rounded to 1 dp and
/// non-finite points dropped.
pub fn checked_drawing(signature: Signature) -> Result<Signature, SigningError> {
    let positive = |v: f32| v.is_finite() && v > 0.0;
    let ok_size = positive(signature.width) && positive(signature.height);
    let strokes: Vec<Vec<[f32; 2]>> = signature
        .strokes
        .into_iter()
        .map(|s| {
            s.into_iter()
                .filter(|[x, y]| x.is_finite() && y.is_finite())
                .map(|[x, y]| [round1(x), round1(y)])
                .collect::<Vec<_>>()
        })
        .filter(|s| s.len() >= 2)
        .collect();
    if !ok_size || strokes.is_empty() {
        return Err(SigningError::EmptyDrawing);
    }
    if strokes.iter().map(Vec::len).sum::<usize>() > MAX_SIGNATURE_POINTS {
        return Err(SigningError::TooDetailed);
    }
    Ok(Signature {
        width: round1(signature.width),
        height: round1(signature.height),
        strokes,
    })
}

/// SHA-256 of a drawing as kept (its canonical JSON): what a drawn signature's event commits
/// to.
pub fn drawing_sha256(drawing: &Signature) -> String {
    content_sha256(&json!(["pocketfolio-drawing", 1, drawing]))
}

/// A number rounded to one decimal place.
pub(crate) fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Case and runs of spaces don't matter when comparing a typed name with the signer's.
fn normalised(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_name_must_be_the_signers() {
        let typed = |n: &str| Mark::Typed { name: n.into() };
        assert_eq!(
            checked_mark(typed("  ada   LOVELACE "), "Ada Lovelace", None),
            Ok(typed("ada   LOVELACE"))
        );
        assert_eq!(
            checked_mark(typed("Ada"), "Ada Lovelace", None),
            Err(SigningError::TypedNameMismatch {
                expected: "Ada Lovelace".into()
            })
        );
        assert_eq!(
            checked_mark(typed("   "), "Ada", None),
            Err(SigningError::MissingMark)
        );
    }

    #[test]
    fn a_drawing_needs_a_stroke_of_two_points() {
        let drawn = |strokes| Signature {
            width: 100.0,
            height: 50.0,
            strokes,
        };
        assert_eq!(
            checked_drawing(drawn(vec![
                vec![[1.0, 1.0]],
                vec![[f32::NAN, 2.0], [3.0, 3.0]]
            ])),
            Err(SigningError::EmptyDrawing)
        );
        let kept = checked_drawing(drawn(vec![vec![[1.04, 1.06], [3.0, 3.0]]])).unwrap();
        assert_eq!(kept.strokes, vec![vec![[1.0, 1.1], [3.0, 3.0]]]);
        let huge = drawn(vec![vec![[1.0, 1.0]; MAX_SIGNATURE_POINTS + 1]]);
        assert_eq!(checked_drawing(huge), Err(SigningError::TooDetailed));
    }
}
