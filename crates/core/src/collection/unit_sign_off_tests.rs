//! A unit's sign-off on the device: the assessor's sign-off comes down with its log, the
//! learner acknowledges it offline, and the acknowledgement reaches the centre and the
//! learner's other device; the status every surface reads follows it.

use crate::model::EvidenceId;
use crate::signing::{Made, Mark, SignRequest, Signer, SignerRole};
use crate::sync::memory_centre::MemoryCentre;
use crate::sync::{sync, Hlc};
use crate::testing::manual_clock;
use crate::unit_sign_off::{CriterionMet, UnitSignOff, UnitSignOffStatus};
use crate::Collection;
use std::sync::Mutex;

fn signed_off() -> UnitSignOff {
    UnitSignOff::sign_off(
        "negotiate",
        vec![CriterionMet {
            criterion: "negotiate/lo1/ac1.1".into(),
            items: vec![EvidenceId::new_at(1)],
        }],
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
            made: Made {
                device_ms: 1_000,
                hlc: Hlc {
                    wall_ms: 1_000,
                    counter: 0,
                    node: uuid::Uuid::nil(),
                },
                device: "centre".into(),
            },
        },
    )
    .unwrap()
}

fn device(centre: &MemoryCentre) -> (Mutex<Collection>, MemoryCentre) {
    let col = Collection::open_in_memory(manual_clock(), None).unwrap();
    (Mutex::new(col), centre.connect())
}

fn status(phone: &Mutex<Collection>) -> UnitSignOffStatus {
    UnitSignOff::status_of(
        phone
            .lock()
            .unwrap()
            .unit_sign_off("negotiate")
            .unwrap()
            .as_ref(),
    )
}

#[test]
fn acknowledged_offline_the_acknowledgement_reaches_the_centre_and_the_other_device() {
    let centre = MemoryCentre::new();
    let (phone, mut to_centre) = device(&centre);
    let ack = |name: &str| Mark::Typed { name: name.into() };
    // Nothing signed off yet: nothing to acknowledge, in a sentence.
    assert_eq!(status(&phone), UnitSignOffStatus::NotSignedOff);
    let none = phone
        .lock()
        .unwrap()
        .acknowledge_unit_sign_off("negotiate", "Lee Park", ack("Lee Park"))
        .unwrap_err();
    assert!(none.to_string().contains("unit sign-off"), "{none}");

    centre.put_unit_sign_off(signed_off());
    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    assert!(matches!(
        status(&phone),
        UnitSignOffStatus::AwaitingAcknowledgement { .. }
    ));
    let wrong = phone
        .lock()
        .unwrap()
        .acknowledge_unit_sign_off("negotiate", "Lee Park", ack("Lee"))
        .unwrap_err();
    assert!(
        wrong.to_string().contains("exactly as it is given above"),
        "{wrong}"
    );
    phone
        .lock()
        .unwrap()
        .acknowledge_unit_sign_off("negotiate", "Lee Park", ack("Lee Park"))
        .unwrap();
    assert!(matches!(
        status(&phone),
        UnitSignOffStatus::Acknowledged { .. }
    ));
    // Until it syncs, a pull of the centre's copy keeps the acknowledgement made here.
    let (tablet, mut tablet_to_centre) = device(&centre);
    sync(&tablet, &mut tablet_to_centre, &mut |_| {}).unwrap();
    assert!(matches!(
        status(&tablet),
        UnitSignOffStatus::AwaitingAcknowledgement { .. }
    ));

    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    assert!(matches!(
        status(&phone),
        UnitSignOffStatus::Acknowledged { .. }
    ));
    let held = centre.unit_sign_offs();
    assert!(
        matches!(held[0].status(), UnitSignOffStatus::Acknowledged { ref learner, .. } if learner == "Lee Park"),
        "{:?}",
        held[0].status()
    );
    sync(&tablet, &mut tablet_to_centre, &mut |_| {}).unwrap();
    assert_eq!(status(&tablet), held[0].status());
}
