//! Where the scheduler's parameters came from: fitted from the learner's own reviews by the
//! centre or on this device (how many, when), and since when this device has used them.

use super::{Collection, PARAMS_KEY};
use crate::Result;
use serde::{Deserialize, Serialize};

/// Meta key: the [`FittedParameters`] the centre sent last.
pub(crate) const FITTED_KEY: &str = "fsrs_parameters_fitted";

/// Parameters fitted for this learner, as this device uses them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedParameters {
    /// The FSRS parameters.
    pub parameters: Vec<f32>,
    /// How many of the learner's reviews they were fitted from.
    pub review_count: u64,
    /// When the centre fitted them (ms).
    pub fitted_ms: i64,
    /// When this device started scheduling with them (ms).
    pub in_use_since_ms: i64,
    /// Fitted on this device (Optimise) rather than by the centre.
    #[serde(default)]
    pub on_device: bool,
}

impl Collection {
    /// The fitted parameters, if the scheduler is using them; `None` while it runs on the
    /// standard ones.
    pub fn fitted_parameters(&self) -> Result<Option<FittedParameters>> {
        let Some(json) = self.store.get_meta(FITTED_KEY)? else {
            return Ok(None);
        };
        let fitted: FittedParameters = serde_json::from_str(&json)?;
        let in_use: Option<Vec<f32>> = match self.store.get_meta(PARAMS_KEY)? {
            Some(p) => Some(serde_json::from_str(&p)?),
            None => None,
        };
        Ok((in_use.as_ref() == Some(&fitted.parameters)).then_some(fitted))
    }

    /// Records parameters that arrived from the centre; must be called inside `transact`.
    /// Parameters already in use keep the date they were first used.
    pub(crate) fn adopt_parameters(
        &self,
        parameters: &[f32],
        review_count: u64,
        fitted_ms: i64,
    ) -> Result<()> {
        self.adopt_parameters_from(parameters, review_count, fitted_ms, false)
    }

    /// Records parameters fitted by the centre or, with `on_device`, here; must be called
    /// inside `transact`.
    pub(crate) fn adopt_parameters_from(
        &self,
        parameters: &[f32],
        review_count: u64,
        fitted_ms: i64,
        on_device: bool,
    ) -> Result<()> {
        let before = self.fitted_parameters()?;
        let in_use_since_ms = match before {
            Some(b) if b.parameters == parameters => b.in_use_since_ms,
            _ => self.clock.now_ms(),
        };
        let fitted = FittedParameters {
            parameters: parameters.to_vec(),
            review_count,
            fitted_ms,
            in_use_since_ms,
            on_device,
        };
        self.store
            .set_meta(PARAMS_KEY, &serde_json::to_string(parameters)?)?;
        self.store
            .set_meta(FITTED_KEY, &serde_json::to_string(&fitted)?)
    }
}

#[cfg(test)]
mod tests {
    use crate::sync::protocol::{Origin, PullBody, PullResponse, PulledChange};
    use crate::testing::{empty_collection, T0};
    use crate::Clock;

    fn page(parameters: Vec<f32>, review_count: u64, cursor: u64) -> PullResponse {
        PullResponse {
            changes: vec![PulledChange {
                cursor,
                origin: Origin::Centre,
                body: PullBody::Parameters {
                    parameters,
                    review_count,
                    fitted_ms: T0 - 1_000,
                },
                made_ms: None,
            }],
            cursor,
            more: false,
            enrolment: None,
            official: None,
            programme: None,
            reviews_held: None,
            progress_reviews: None,
            unit_sign_offs: None,
            accepted_kinds: None,
        }
    }

    #[test]
    fn fitted_parameters_say_how_many_reviews_and_since_when() {
        let (mut col, clock) = empty_collection();
        assert_eq!(col.fitted_parameters().unwrap(), None);
        let mut fitted = fsrs::DEFAULT_PARAMETERS.to_vec();
        fitted[0] *= 1.5;
        col.apply_pulled(&page(fitted.clone(), 1_200, 1)).unwrap();
        let got = col.fitted_parameters().unwrap().expect("in use");
        assert_eq!(got.review_count, 1_200);
        assert_eq!(got.in_use_since_ms, clock.now_ms());
        assert_eq!(col.scheduler().config().parameters, fitted);

        // Fitted again to the same values from more reviews: still in use since the first time.
        let first_used = got.in_use_since_ms;
        clock.advance_ms(86_400_000);
        col.apply_pulled(&page(fitted, 1_500, 2)).unwrap();
        let again = col.fitted_parameters().unwrap().unwrap();
        assert_eq!(
            (again.review_count, again.in_use_since_ms),
            (1_500, first_used)
        );
    }
}
