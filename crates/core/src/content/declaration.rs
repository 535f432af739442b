//! The learner's declaration of authenticity: versioned text. A learner signs the current
//! version once before their first submission and again whenever its text changes; each
//! submission records the version that stood. Old versions stay listed so a portfolio can
//! show the words a learner actually signed.

use crate::signing::{content_sha256, DeclarationRef};
use serde_json::json;

/// One version of the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declaration {
    /// Its version, from 1; a new wording gets the next number.
    pub version: u32,
    /// What the learner declares.
    pub text: &'static str,
}

/// Every version, oldest first; the last is the one learners sign now. Never edit a version
/// once shipped: add a new one, so signatures of the old one keep verifying.
pub const DECLARATIONS: &[Declaration] = &[Declaration {
    version: 1,
    text: "I declare that the evidence I submit is my own work, that I carried out the \
           activities it describes myself, and that where others helped me or I used their \
           words, I have said so. I understand that submitting work that is not my own can \
           mean my qualification is withheld.",
}];

/// The version learners sign now.
pub fn current_declaration() -> Declaration {
    DECLARATIONS[DECLARATIONS.len() - 1]
}

/// The version numbered `version`, if there is one.
pub fn declaration(version: u32) -> Option<Declaration> {
    DECLARATIONS.iter().copied().find(|d| d.version == version)
}

impl Declaration {
    /// SHA-256 of its text.
    pub fn text_sha256(&self) -> String {
        crate::signing::sha256_hex(self.text.as_bytes())
    }

    /// The canonical hash of the declaration as a record that the learner signs.
    pub fn content_sha256(&self) -> String {
        content_sha256(&json!(["declaration", self.version, self.text]))
    }

    /// How a signature names this version.
    pub fn reference(&self) -> DeclarationRef {
        DeclarationRef {
            version: self.version,
            text_sha256: self.text_sha256(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_and_the_last_is_current() {
        for (i, d) in DECLARATIONS.iter().enumerate() {
            assert_eq!(d.version as usize, i + 1);
            assert!(!d.text.trim().is_empty());
        }
        assert_eq!(
            declaration(current_declaration().version),
            Some(current_declaration())
        );
        assert_eq!(declaration(0), None);
    }
}
