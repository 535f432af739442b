//! Two devices edit hours entries offline and sync in any order while the assessor confirms
//! and rejects what the centre holds. Afterwards every node holds the same entries in the same
//! states, and each device's confirmed total is exactly the hours the assessor confirmed in
//! the versions that stand: an edit made after a confirmation is never counted as confirmed,
//! and nothing is lost or counted twice.

use super::testing::{date, entry, programme};
use super::{progress, HoursDecision, HoursEntry, HoursState, Plan, Verdict};
use crate::model::HoursEntryId;
use crate::sync::hlc::Hlc;
use crate::sync::rules::remote_wins;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
enum Msg {
    Put(HoursEntry, Hlc),
    Deleted(HoursEntryId),
    Decision(HoursDecision),
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Node {
    entries: BTreeMap<HoursEntryId, (HoursEntry, Hlc)>,
    deleted: BTreeSet<HoursEntryId>,
    decisions: BTreeMap<HoursEntryId, HoursDecision>,
}

impl Node {
    fn apply(&mut self, msg: &Msg) {
        match msg {
            Msg::Put(e, hlc) if !self.deleted.contains(&e.id) => {
                if remote_wins(self.entries.get(&e.id).map(|(_, h)| *h), *hlc) {
                    self.entries.insert(e.id, (e.clone(), *hlc));
                }
            }
            Msg::Put(..) => {}
            Msg::Deleted(id) => {
                self.deleted.insert(*id);
                self.entries.remove(id);
            }
            Msg::Decision(d) => {
                if remote_wins(self.decisions.get(&d.entry_id).map(|x| x.hlc), d.hlc) {
                    self.decisions.insert(d.entry_id, d.clone());
                }
            }
        }
    }

    fn states(&self) -> Vec<(HoursEntry, HoursState)> {
        self.entries
            .values()
            .map(|(e, h)| (e.clone(), HoursState::of(*h, self.decisions.get(&e.id))))
            .collect()
    }
}

#[derive(Debug, Default)]
struct Device {
    node: Node,
    outbox: Vec<Msg>,
    cursor: usize,
    clock: Option<Hlc>,
}

#[derive(Debug, Clone)]
enum Step {
    Put {
        device: usize,
        slot: usize,
        minutes: u16,
    },
    Delete {
        device: usize,
        slot: usize,
    },
    Push {
        device: usize,
    },
    Pull {
        device: usize,
    },
    Decide {
        slot: usize,
        confirm: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize, 0..4usize, 1..240u16)
            .prop_map(|(device, slot, minutes)| Step::Put { device, slot, minutes }),
        1 => (0..2usize, 0..4usize).prop_map(|(device, slot)| Step::Delete { device, slot }),
        2 => (0..2usize).prop_map(|device| Step::Push { device }),
        2 => (0..2usize).prop_map(|device| Step::Pull { device }),
        2 => (0..4usize, any::<bool>()).prop_map(|(slot, confirm)| Step::Decide { slot, confirm }),
    ]
}

struct World {
    devices: [Device; 2],
    stream: Vec<Msg>,
    ids: Vec<HoursEntryId>,
    now: i64,
}

impl World {
    fn new() -> World {
        World {
            devices: [Device::default(), Device::default()],
            stream: vec![],
            ids: (0..4)
                .map(|n| HoursEntryId(uuid::Uuid::from_u128(n + 1)))
                .collect(),
            now: 1_000,
        }
    }

    fn tick(&mut self, device: usize) -> Hlc {
        self.now += 1;
        let d = &mut self.devices[device];
        let stamp = Hlc::tick(
            d.clock,
            self.now,
            uuid::Uuid::from_u128(100 + device as u128),
        );
        d.clock = Some(stamp);
        stamp
    }

    fn local(&mut self, device: usize, msg: Msg) {
        let d = &mut self.devices[device];
        d.node.apply(&msg);
        d.outbox.push(msg);
    }

    fn centre(&self) -> Node {
        let mut node = Node::default();
        self.stream.iter().for_each(|m| node.apply(m));
        node
    }

    fn run(&mut self, step: &Step) {
        match *step {
            Step::Put {
                device,
                slot,
                minutes,
            } => {
                let hlc = self.tick(device);
                let mut e = self.devices[device]
                    .node
                    .entries
                    .get(&self.ids[slot])
                    .map(|(e, _)| e.clone())
                    .unwrap_or_else(|| entry("2026-03-02", 9 * 60, 1));
                e.id = self.ids[slot];
                e.duration_min = minutes;
                self.local(device, Msg::Put(e, hlc));
            }
            Step::Delete { device, slot } => self.local(device, Msg::Deleted(self.ids[slot])),
            Step::Push { device } => {
                let sent = std::mem::take(&mut self.devices[device].outbox);
                self.stream.extend(sent);
            }
            Step::Pull { device } => {
                let d = &mut self.devices[device];
                for msg in &self.stream[d.cursor..] {
                    d.node.apply(msg);
                    if let Msg::Put(_, h) | Msg::Decision(HoursDecision { hlc: h, .. }) = msg {
                        d.clock = Some(Hlc::observe(
                            d.clock,
                            *h,
                            self.now,
                            uuid::Uuid::from_u128(100 + device as u128),
                        ));
                    }
                }
                d.cursor = self.stream.len();
            }
            Step::Decide { slot, confirm } => {
                let centre = self.centre();
                let Some((_, version)) = centre.entries.get(&self.ids[slot]) else {
                    return;
                };
                self.now += 1;
                let hlc = Hlc::observe(
                    centre.decisions.get(&self.ids[slot]).map(|d| d.hlc),
                    *version,
                    self.now,
                    uuid::Uuid::nil(),
                );
                self.stream.push(Msg::Decision(HoursDecision {
                    entry_id: self.ids[slot],
                    verdict: if confirm {
                        Verdict::Confirmed
                    } else {
                        Verdict::Rejected
                    },
                    reason: if confirm {
                        String::new()
                    } else {
                        "Normal duties".into()
                    },
                    assessor: "Sam".into(),
                    time_ms: self.now,
                    version: *version,
                    hlc,
                }));
            }
        }
    }

    /// Minutes the assessor confirmed, counted from the stream alone: for each entry still
    /// there, the minutes of the version its latest decision confirmed, when that version is
    /// the one that stands.
    fn confirmed_by_assessor(&self) -> i64 {
        let centre = self.centre();
        centre
            .decisions
            .values()
            .filter(|d| d.verdict == Verdict::Confirmed)
            .filter(|d| {
                centre
                    .entries
                    .get(&d.entry_id)
                    .is_some_and(|(_, h)| *h == d.version)
            })
            .filter_map(|d| {
                self.stream.iter().find_map(|m| match m {
                    Msg::Put(e, h) if *h == d.version => Some(i64::from(e.duration_min)),
                    _ => None,
                })
            })
            .sum()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_confirmed_total_is_what_the_assessor_confirmed_however_edits_and_syncs_interleave(
        steps in proptest::collection::vec(step(), 1..60)
    ) {
        let mut world = World::new();
        for s in &steps {
            world.run(s);
        }
        for device in [0, 1, 0, 1] {
            world.run(&Step::Push { device });
            world.run(&Step::Pull { device });
        }
        let centre = world.centre();
        let plan = programme("2026-01-05", "2026-12-31", Plan::Total { minutes: 187 * 60 });
        let expected = world.confirmed_by_assessor();
        for d in &world.devices {
            prop_assert_eq!(&d.node, &centre);
            let got = progress(&plan, &d.node.states(), date("2026-03-10"));
            prop_assert_eq!(got.confirmed, expected);
            let all: i64 = d.node.entries.values().map(|(e, _)| i64::from(e.duration_min)).sum();
            prop_assert_eq!(got.confirmed + got.pending + got.rejected, all);
        }
    }
}
