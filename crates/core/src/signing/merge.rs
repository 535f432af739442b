//! Two copies of one record's log, each with events the other lacks (two devices signed or
//! voided while apart, or the centre signed while a phone voided), merged into their union.
//! Nothing is dropped, so a void can never be lost to a later edit; the order is by clock
//! stamp, the same on every device and the centre.

use super::event::SignatureEvent;
use std::collections::HashSet;

/// The union of two copies of a log, oldest first by clock stamp (ties, which only a forged
/// copy could make, by hash). An event both hold once; where one copy's event no longer
/// matches its hash and the other's does, the intact one is kept.
pub fn merge_logs(a: &[SignatureEvent], b: &[SignatureEvent]) -> Vec<SignatureEvent> {
    let mut all: Vec<SignatureEvent> = Vec::with_capacity(a.len() + b.len());
    for event in a.iter().chain(b) {
        match all.iter_mut().find(|held| held.sha256 == event.sha256) {
            Some(held) => {
                let intact = |e: &SignatureEvent| e.computed_sha256() == e.sha256;
                if !intact(held) && intact(event) {
                    *held = event.clone();
                }
            }
            None => all.push(event.clone()),
        }
    }
    all.sort_by(|x, y| x.hlc.cmp(&y.hlc).then_with(|| x.sha256.cmp(&y.sha256)));
    all
}

/// The hashes of the events no other event follows, in log order: one for a log kept on one
/// device, one per branch after a merge until the next event names them all.
pub(crate) fn tips_of(events: &[SignatureEvent]) -> Vec<String> {
    let followed: HashSet<&str> = events
        .iter()
        .flat_map(|e| {
            std::iter::once(e.prev_sha256.as_str()).chain(e.merges.iter().map(String::as_str))
        })
        .collect();
    events
        .iter()
        .filter(|e| !followed.contains(e.sha256.as_str()))
        .map(|e| e.sha256.clone())
        .collect()
}
