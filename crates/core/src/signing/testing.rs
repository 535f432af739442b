//! Builders for other modules' tests of signed records.

use super::{Made, Mark, SignRequest, Signer, SignerRole};
use crate::sync::Hlc;

/// Made on the test device at `ms`, with the clock stamp `ms`.0.
pub(crate) fn made_at(ms: i64) -> Made {
    Made {
        device_ms: ms,
        hlc: Hlc {
            wall_ms: ms,
            counter: 0,
            node: uuid::Uuid::nil(),
        },
        device: "test".into(),
    }
}

/// Ann Assessor, signed in as `ann`, signing at `ms` on the test device.
pub(crate) fn ann_signs(ms: i64) -> SignRequest {
    SignRequest {
        signer: Signer {
            role: SignerRole::Assessor,
            name: "Ann Assessor".into(),
            account_id: Some("ann".into()),
            witness: None,
        },
        mark: Some(Mark::SignedIn {
            account_id: "ann".into(),
        }),
        declaration: None,
        made: made_at(ms),
    }
}
