//! When and from how many reviews the centre fitted the scheduling parameters this device
//! uses. The core stores only the parameters; the sync link notes these details as a page of
//! changes goes by, so Settings can say where the parameters came from.

use pocketfolio_core::sync::protocol::{PullBody, PullResponse};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file's name inside the data folder.
pub const FITTED_FILE: &str = "fitted-parameters.json";

/// The last parameters the centre sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// The parameters (to check they are still the ones in use).
    pub parameters: Vec<f32>,
    /// Reviews they were fitted from.
    pub review_count: u64,
    /// When the centre fitted them (ms since the epoch).
    pub fitted_ms: i64,
}

/// The last parameters in `page`, if it has any.
pub fn in_page(page: &PullResponse) -> Option<Fitted> {
    page.changes.iter().rev().find_map(|c| match &c.body {
        PullBody::Parameters {
            parameters,
            review_count,
            fitted_ms,
        } => Some(Fitted {
            parameters: parameters.clone(),
            review_count: *review_count,
            fitted_ms: *fitted_ms,
        }),
        _ => None,
    })
}

/// Records `fitted` in `dir`. Best effort: it only explains the parameters, which the core
/// keeps itself.
pub fn save(dir: &Path, fitted: &Fitted) {
    if let Ok(json) = serde_json::to_vec(fitted) {
        let _ = std::fs::write(dir.join(FITTED_FILE), json);
    }
}

/// What is recorded about `in_use`, the parameters the scheduler runs with, if they are the
/// ones the centre sent last.
pub fn load_matching(dir: &Path, in_use: &[f32]) -> Option<Fitted> {
    let bytes = std::fs::read(dir.join(FITTED_FILE)).ok()?;
    let fitted: Fitted = serde_json::from_slice(&bytes).ok()?;
    (fitted.parameters == in_use).then_some(fitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pocketfolio_core::sync::protocol::{Origin, PulledChange};

    #[test]
    fn notes_the_last_parameters_of_a_page_and_matches_them() {
        let change = |review_count| PulledChange {
            cursor: 1,
            origin: Origin::Centre,
            body: PullBody::Parameters {
                parameters: vec![0.5; 21],
                review_count,
                fitted_ms: 7,
            },
        };
        let page = PullResponse {
            changes: vec![change(1_000), change(1_200)],
            cursor: 2,
            more: false,
        };
        let fitted = in_page(&page).unwrap();
        assert_eq!(fitted.review_count, 1_200);
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &fitted);
        assert_eq!(load_matching(dir.path(), &[0.5; 21]), Some(fitted));
        assert_eq!(load_matching(dir.path(), &[]), None);
    }
}
