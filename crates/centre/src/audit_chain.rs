//! The audit log's hash chain, as pure functions: how an entry is hashed and how a run of
//! entries is checked, over the one [`AuditEntry`] type. Storage (`db::audit`) seals each entry
//! ([`AuditEntry::sealed`]) when it appends and
//! `pocketfolio-centre audit verify` feeds stored entries to a [`Verifier`].
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's fields in a
//! canonical encoding: every field length-prefixed (8 bytes, big-endian) so no two different
//! entries encode alike, absent values marked apart from empty ones. Changing, deleting or
//! reordering an entry breaks the link to the next one; deleting the newest entries is caught
//! against the stored head (and, against someone who rewrites the head too, by comparing the
//! head `verify` prints with one noted earlier, e.g. in an EQA report).

use sha2::{Digest, Sha256};

/// The previous hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry, as appended, stored, shown, exported and verified: the one type the
/// chain, the database, the pages, the CSV and the EQA pack all use. Its hash covers every
/// field but the hash itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the chain, from 1 with no gaps.
    pub seq: i64,
    /// When (ms since the epoch).
    pub time_ms: i64,
    /// The acting account's id (none: the command line, or nobody signed in).
    pub actor_id: Option<String>,
    /// The actor as shown (display name, or "command line").
    pub actor: String,
    /// The kind of action, e.g. `account.disable`.
    pub action: String,
    /// What it acted on, e.g. `account {id}`.
    pub target: String,
    /// The learner it concerns, if any (for filtering).
    pub learner_id: Option<String>,
    /// JSON before.
    pub before: String,
    /// JSON after.
    pub after: String,
    /// The previous entry's hash, as recorded with this one.
    pub prev_hash: String,
    /// This entry's hash, as recorded.
    pub hash: String,
}

impl AuditEntry {
    /// The entry with `hash` set from its other fields: how an entry is sealed when appended.
    pub fn sealed(self) -> AuditEntry {
        let hash = entry_hash(&self);
        AuditEntry { hash, ..self }
    }
}

fn put(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

fn put_optional(hasher: &mut Sha256, value: Option<&str>) {
    match value {
        None => hasher.update([0u8]),
        Some(v) => {
            hasher.update([1u8]);
            put(hasher, v.as_bytes());
        }
    }
}

/// The hash `entry`'s fields give after its `prev_hash` (lower-case hex); its own `hash` is
/// not read.
pub fn entry_hash(entry: &AuditEntry) -> String {
    let mut h = Sha256::new();
    // A version tag, so a later encoding can never collide with this one.
    put(&mut h, b"pocketfolio-audit-v1");
    put(&mut h, entry.prev_hash.as_bytes());
    h.update(entry.seq.to_be_bytes());
    h.update(entry.time_ms.to_be_bytes());
    put_optional(&mut h, entry.actor_id.as_deref());
    put(&mut h, entry.actor.as_bytes());
    put(&mut h, entry.action.as_bytes());
    put(&mut h, entry.target.as_bytes());
    put_optional(&mut h, entry.learner_id.as_deref());
    put(&mut h, entry.before.as_bytes());
    put(&mut h, entry.after.as_bytes());
    hex::encode(h.finalize())
}

/// Where the chain breaks first, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// An entry is missing or out of order: the next one is not numbered as expected.
    #[error("entry {expected} is missing (the next entry found is number {found}): entries were deleted or renumbered")]
    Gap {
        /// The number the next entry should have.
        expected: i64,
        /// The number it has.
        found: i64,
    },
    /// The entry does not name the previous entry's hash: something before it was changed,
    /// removed or moved.
    #[error("entry {seq} does not follow entry {}: an entry before it was changed, deleted or moved", .seq - 1)]
    Unlinked {
        /// The entry.
        seq: i64,
    },
    /// The entry's fields do not hash to its stored hash: it was edited.
    #[error("entry {seq} was changed after it was written (its contents do not match its hash)")]
    Edited {
        /// The entry.
        seq: i64,
    },
    /// Entries were added beside the chain, with no place in it.
    #[error(
        "{count} entries are outside the chain (added without a number): they were slipped in"
    )]
    Outside {
        /// How many.
        count: i64,
    },
    /// The chain ends before, or differently from, the recorded head: newest entries were
    /// deleted (or the head was tampered with).
    #[error("the log ends at entry {last_seq}, but the centre recorded entry {head_seq} as its newest: entries at the end were deleted")]
    Truncated {
        /// The last entry found.
        last_seq: i64,
        /// The newest entry the head names.
        head_seq: i64,
    },
}

/// The end of a verified chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The number of the newest entry (0: none).
    pub seq: i64,
    /// Its hash ([`GENESIS`] when there is none).
    pub hash: String,
}

/// Checks stored entries in order, one at a time (so a long log need not be in memory).
#[derive(Debug, Clone)]
pub struct Verifier {
    head: Head,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            head: Head {
                seq: 0,
                hash: GENESIS.to_string(),
            },
        }
    }
}

impl Verifier {
    /// A verifier at the start of the chain.
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// A verifier for a chain whose entries before `first_seq` were pruned: the first kept
    /// entry must be `first_seq` and follow `first_prev`.
    pub fn starting_at(first_seq: i64, first_prev: &str) -> Verifier {
        Verifier {
            head: Head {
                seq: first_seq - 1,
                hash: first_prev.to_string(),
            },
        }
    }

    /// Checks the next stored entry.
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), Broken> {
        let expected = self.head.seq + 1;
        if entry.seq != expected {
            return Err(Broken::Gap {
                expected,
                found: entry.seq,
            });
        }
        if entry.prev_hash != self.head.hash {
            return Err(Broken::Unlinked { seq: entry.seq });
        }
        if entry_hash(entry) != entry.hash {
            return Err(Broken::Edited { seq: entry.seq });
        }
        self.head = Head {
            seq: entry.seq,
            hash: entry.hash.clone(),
        };
        Ok(())
    }

    /// After the last entry: checks it against the head the centre recorded.
    pub fn finish(self, recorded: &Head) -> Result<Head, Broken> {
        if self.head != *recorded {
            return Err(Broken::Truncated {
                last_seq: self.head.seq,
                head_seq: recorded.seq,
            });
        }
        Ok(self.head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let entry = AuditEntry {
                    seq,
                    time_ms: 1_700_000_000_000 + seq,
                    actor_id: (seq % 2 == 0).then(|| format!("id{seq}")),
                    actor: format!("actor {seq}"),
                    action: "account.disable".into(),
                    target: format!("account {seq}"),
                    learner_id: None,
                    before: "null".into(),
                    after: format!("{{\"n\":{seq}}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                }
                .sealed();
                prev = entry.hash.clone();
                entry
            })
            .collect()
    }

    fn verify(links: &[AuditEntry], head: &Head) -> Result<Head, Broken> {
        let mut v = Verifier::new();
        for l in links {
            v.check(l)?;
        }
        v.finish(head)
    }

    fn head_of(links: &[AuditEntry]) -> Head {
        let last = links.last().unwrap();
        Head {
            seq: last.seq,
            hash: last.hash.clone(),
        }
    }

    #[test]
    fn an_intact_chain_verifies_to_its_head() {
        let links = chain(5);
        let head = head_of(&links);
        assert_eq!(verify(&links, &head), Ok(head));
        let empty = Head {
            seq: 0,
            hash: GENESIS.into(),
        };
        assert_eq!(verify(&[], &empty), Ok(empty));
    }

    #[test]
    fn an_edited_field_is_found_at_its_entry() {
        let links = chain(5);
        let head = head_of(&links);
        for field in 0..6 {
            let mut bad = links.clone();
            let e = &mut bad[2];
            match field {
                0 => e.after = "{\"n\":99}".into(),
                1 => e.actor = "someone else".into(),
                2 => e.time_ms += 1,
                3 => e.actor_id = Some(String::new()),
                4 => e.learner_id = Some("x".into()),
                _ => e.action = "account.enable".into(),
            }
            assert_eq!(
                verify(&bad, &head),
                Err(Broken::Edited { seq: 3 }),
                "{field}"
            );
        }
    }

    #[test]
    fn a_deleted_or_reordered_entry_is_found() {
        let links = chain(5);
        let head = head_of(&links);
        let mut deleted = links.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, &head),
            Err(Broken::Gap {
                expected: 2,
                found: 3
            })
        );
        // Renumbered to hide the gap: the link to the previous hash breaks.
        for (i, l) in deleted.iter_mut().enumerate() {
            l.seq = i as i64 + 1;
        }
        assert_eq!(verify(&deleted, &head), Err(Broken::Unlinked { seq: 2 }));
        // Two entries swapped, numbers and all.
        let mut swapped = links.clone();
        swapped.swap(1, 2);
        swapped[1].seq = 2;
        swapped[2].seq = 3;
        assert_eq!(verify(&swapped, &head), Err(Broken::Unlinked { seq: 2 }));
        // The newest entry removed: caught against the recorded head.
        // The oldest pruned, with the start recorded: the rest verifies from there.
        let mut v = Verifier::starting_at(3, &links[1].hash);
        for l in &links[2..] {
            v.check(l).unwrap();
        }
        assert_eq!(v.finish(&head), Ok(head.clone()));
        let truncated = &links[..4];
        assert_eq!(
            verify(truncated, &head),
            Err(Broken::Truncated {
                last_seq: 4,
                head_seq: 5
            })
        );
    }

    #[test]
    fn absent_and_empty_values_hash_apart() {
        let links = chain(2);
        let mut a = links[1].clone();
        a.prev_hash = GENESIS.into();
        a.actor_id = None;
        let mut b = a.clone();
        b.actor_id = Some(String::new());
        assert_ne!(entry_hash(&a), entry_hash(&b));
        // Moving bytes from one field to the next changes the hash (lengths are encoded).
        let mut c = a.clone();
        c.actor = "ab".into();
        c.action = "c".into();
        let mut d = a.clone();
        d.actor = "a".into();
        d.action = "bc".into();
        assert_ne!(entry_hash(&c), entry_hash(&d));
        // The recorded hash is not part of what is hashed.
        let mut e = a.clone();
        e.hash = "anything".into();
        assert_eq!(entry_hash(&a), entry_hash(&e));
    }
}
