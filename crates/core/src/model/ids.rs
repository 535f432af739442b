//! Typed ids. User-made things get UUIDv7 made on the device (time-ordered, so inserts stay
//! local in the B-tree); built-in content gets UUIDv5 derived from its pack id, so every
//! device that installs the same pack names the same note the same way and sync merges them.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Namespace for ids derived from built-in content keys.
const CONTENT_NAMESPACE: Uuid = Uuid::from_u128(0x6f0c_5e1a_3b7d_4c2e_9a41_28d3_7b5e_f001);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id for something made now on this device.
            pub fn new_at(time_ms: i64) -> Self {
                let ts = uuid::Timestamp::from_unix(
                    uuid::NoContext,
                    time_ms.max(0) as u64 / 1000,
                    (time_ms.max(0) as u64 % 1000) as u32 * 1_000_000,
                );
                Self(Uuid::new_v7(ts))
            }

            /// The id built-in content with this key always has.
            pub fn from_content_key(key: &str) -> Self {
                let name = format!("{}:{key}", stringify!($name));
                Self(Uuid::new_v5(&CONTENT_NAMESPACE, name.as_bytes()))
            }

            /// Parses the hyphenated text form.
            pub fn parse(text: &str) -> crate::Result<Self> {
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|_| crate::CoreError::invalid(format!("'{text}' is not a valid id.")))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0.as_bytes().to_vec()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                Uuid::column_result(value).map(Self)
            }
        }
    };
}

id_type!(
    /// A deck of notes.
    DeckId
);
id_type!(
    /// A note: the facts one or more cards ask about.
    NoteId
);
id_type!(
    /// One card: one way of asking a note.
    CardId
);
id_type!(
    /// One entry in the append-only review log.
    ReviewId
);
id_type!(
    /// An evidence item in the learner's portfolio.
    EvidenceId
);
id_type!(
    /// One device of a learner (phone, tablet).
    DeviceId
);
id_type!(
    /// One change in the outbox, unique across every device.
    ChangeId
);
id_type!(
    /// One entry in an apprentice's off-the-job hours log.
    HoursEntryId
);
id_type!(
    /// One progress review of an apprentice with their employer.
    ProgressReviewId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_sort_by_time() {
        let a = CardId::new_at(1_000);
        let b = CardId::new_at(2_000);
        assert!(a < b);
    }

    #[test]
    fn content_ids_are_stable_and_typed() {
        assert_eq!(
            NoteId::from_content_key("neg-1"),
            NoteId::from_content_key("neg-1")
        );
        assert_ne!(
            NoteId::from_content_key("neg-1").0,
            DeckId::from_content_key("neg-1").0
        );
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(CardId::parse("nope").is_err());
    }
}
