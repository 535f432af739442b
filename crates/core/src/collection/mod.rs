//! The facade. Every user action is one method here; it runs in one SQLite transaction that
//! writes the change and its outbox row together (so nothing reaches the screen that is not
//! durable and queued for sync), rolls back on any error, and records what changed.

mod blob_batch;
mod centre_kinds;
mod content;
mod deck_list;
mod enrolment;
mod evidence;
mod evidence_location;
mod hours;
mod media;
mod merge;
mod note_deletion;
#[cfg(test)]
mod note_deletion_tests;
mod note_links;
mod notes;
mod official;
mod optimise;
mod parameters;
mod presets;
mod progress_reviews;
mod qualification_offers;
mod ready_by;
mod review;
mod settings;
mod stats;
mod strength;
mod study_more;
mod undo;
mod unit_sign_offs;

#[cfg(test)]
mod evidence_tests;
#[cfg(test)]
mod notes_tests;
#[cfg(test)]
mod progress_review_tests;
#[cfg(test)]
mod pull_compat_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod unit_sign_off_tests;

pub use crate::strength::CriterionStrength;
pub(crate) use blob_batch::BlobBatch;
pub use content::InstallReport;
pub use evidence::{
    check_attachment, mime_from_name, EvidenceDraft, ACCEPTED_MIME_TYPES, MAX_ATTACHMENT_BYTES,
};
pub use hours::{HoursChange, LoggedHours};
pub use media::{MediaFile, MediaMissing, MAX_PLAYED_SOUND_BYTES, MAX_SHOWN_IMAGE_BYTES};
pub use merge::MergeReport;
pub use note_links::CriterionLink;
pub(crate) use notes::{card_ords, check_fields, NOTES};
pub use optimise::{Optimised, ToolInputs, RETENTIONS};
pub use parameters::FittedParameters;
pub use qualification_offers::{QualificationOffer, UnitOffer};
pub use ready_by::{date_of_day, day_of_date, ReadyBy};
pub use review::{ReviewCard, Today, UnitToday};
pub use stats::{
    ReviewHeatmap, Stats, WeekRetention, FORECAST_DAYS, HEATMAP_DAYS, RETENTION_WEEKS,
};
pub use strength::StrengthsMeasured;
pub use study_more::MAX_EXTRA;
pub use undo::{CardAction, Undone};

pub use crate::store::{BrowseFilter, BrowseSort, BrowseState, DeckSummary, SearchHit};

use crate::clock::Clock;
use crate::model::{ChangeId, DeviceId, Settings};
use crate::scheduler::{Scheduler, SchedulerConfig};
use crate::store::Store;
use crate::sync::protocol::ChangeBody;
use crate::sync::Hlc;
use crate::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the last action changed, so a screen knows what to re-read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpChanges {
    /// Card schedules or the queue.
    pub cards: bool,
    /// Notes, decks or tags.
    pub notes: bool,
    /// Evidence items.
    pub evidence: bool,
    /// Settings.
    pub settings: bool,
    /// Qualification structure or built-in content.
    pub content: bool,
    /// The off-the-job hours log or the programme.
    pub hours: bool,
}

/// A learner's collection on one device.
pub struct Collection {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) device: DeviceId,
    pub(crate) settings: Settings,
    pub(crate) scheduler: Scheduler,
    pub(crate) blob_dir: Option<PathBuf>,
    /// The time of the last review-log entry this collection wrote, so the next is stamped
    /// after it (see `record`): undo takes back the newest entry, so "newest" must be certain.
    pub(crate) last_log_ms: i64,
    last_changes: OpChanges,
}

const DEVICE_KEY: &str = "device_id";
pub(crate) const PARAMS_KEY: &str = "fsrs_parameters";
pub(crate) const HLC_KEY: &str = "hlc";

impl Collection {
    /// Opens the collection at `path`, creating it if absent. Attachments live in a folder
    /// named `attachments` beside it.
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Collection> {
        let store = Store::open(path)?;
        let blob_dir = path
            .parent()
            .map(|dir| dir.join("attachments"))
            .unwrap_or_else(|| PathBuf::from("attachments"));
        Collection::with_store(store, clock, Some(blob_dir))
    }

    /// A collection in memory (attachments in `blob_dir`, if given): for tests and previews.
    pub fn open_in_memory(clock: Arc<dyn Clock>, blob_dir: Option<PathBuf>) -> Result<Collection> {
        Collection::with_store(Store::open_in_memory()?, clock, blob_dir)
    }

    fn with_store(
        store: Store,
        clock: Arc<dyn Clock>,
        blob_dir: Option<PathBuf>,
    ) -> Result<Collection> {
        let settings = store.get_settings()?;
        let params: Vec<f32> = match store.get_meta(PARAMS_KEY)? {
            Some(json) => serde_json::from_str(&json)?,
            None => Vec::new(),
        };
        let scheduler = Scheduler::new(SchedulerConfig::from_settings(&settings, &params))?;
        let device = match store.get_meta(DEVICE_KEY)? {
            Some(id) => DeviceId::parse(&id)?,
            None => {
                let id = DeviceId::new_at(clock.now_ms());
                store.begin()?;
                store.set_meta(DEVICE_KEY, &id.to_string())?;
                store.commit()?;
                id
            }
        };
        Ok(Collection {
            store,
            clock,
            device,
            settings,
            scheduler,
            blob_dir,
            last_log_ms: i64::MIN,
            last_changes: OpChanges::default(),
        })
    }

    /// This device's id.
    pub fn device_id(&self) -> DeviceId {
        self.device
    }

    /// The database file, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.store.path()
    }

    /// Where imports and exports unpack their files: `scratch/` beside the collection file,
    /// in the app's own data folder (a phone's system temp folder may be small, or not the
    /// app's to write), or the system's temp folder for a collection in memory.
    pub(crate) fn scratch_root(&self) -> PathBuf {
        self.path()
            .and_then(Path::parent)
            .map_or_else(std::env::temp_dir, |folder| folder.join("scratch"))
    }

    /// The clock the collection reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// What the last successful action changed.
    pub fn last_changes(&self) -> OpChanges {
        self.last_changes
    }

    /// Changes waiting to be pushed to the centre.
    pub fn pending_changes(&self) -> Result<u64> {
        self.store.outbox_len()
    }

    /// Up to `limit` changes waiting to be pushed, oldest first.
    pub fn outbox(&self, limit: usize) -> Result<Vec<crate::sync::protocol::Change>> {
        self.store.get_outbox(limit)
    }

    /// Forgets changes the centre has confirmed, up to and including `seq`.
    pub fn acknowledge_pushed(&mut self, seq: u64) -> Result<()> {
        self.transact(OpChanges::default(), |col| {
            col.store.remove_outbox_through(seq)
        })
    }

    /// Runs `f` in one transaction; on error nothing of it is kept.
    pub(crate) fn transact<T>(
        &mut self,
        changes: OpChanges,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.store.begin()?;
        let result = f(self).and_then(|value| {
            self.store.commit()?;
            Ok(value)
        });
        match result {
            Ok(value) => {
                self.last_changes = changes;
                Ok(value)
            }
            Err(err) => {
                self.store.rollback();
                Err(err)
            }
        }
    }

    /// Queues a change for sync; must be called inside `transact`.
    /// Records a change to send. It is checked first by the rules the centre applies to a
    /// push (`sync::validate`): a change the centre would refuse must never enter the outbox,
    /// where it would stop every later change from being sent. The edit is refused instead,
    /// with a sentence, and the transaction around it rolls back.
    pub(crate) fn queue_change(&self, body: ChangeBody) -> Result<()> {
        let now = self.clock.now_ms();
        let change = crate::sync::protocol::Change {
            seq: 1,
            id: ChangeId::new_at(now),
            time_ms: now,
            body,
        };
        // The centre refuses stamps far ahead of *its* clock. Here the only clock is the
        // device's, and a stamp ahead of it came from the centre or another device (the
        // stamp follows the latest one received): judging it against this clock would refuse
        // every edit on a phone whose clock runs more than a week slow. So the reference is
        // the later of the two.
        let reference = self.latest_hlc()?.map_or(now, |h| now.max(h.wall_ms));
        if let Err(invalid) = crate::sync::validate::check_change(&change, reference, "change") {
            return Err(crate::CoreError::invalid(format!(
                "This can't be saved: {} ({})",
                invalid.message,
                invalid.field.trim_start_matches("change.body.")
            )));
        }
        self.store.add_outbox(change.id, now, &change.body)?;
        Ok(())
    }

    /// The next hybrid-logical-clock stamp of this device; must be called inside `transact`.
    pub(crate) fn next_hlc(&self) -> Result<Hlc> {
        let hlc = Hlc::tick(self.latest_hlc()?, self.clock.now_ms(), self.device.0);
        self.store
            .set_meta(HLC_KEY, &serde_json::to_string(&hlc)?)?;
        Ok(hlc)
    }

    /// The latest stamp this device has made or received.
    pub(crate) fn latest_hlc(&self) -> Result<Option<Hlc>> {
        Ok(match self.store.get_meta(HLC_KEY)? {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    pub(crate) fn now(&self) -> (i64, i32) {
        let now = self.clock.now_ms();
        (now, self.clock.utc_offset_minutes(now))
    }

    /// The calendar date of the learner day `time_ms` falls in (a day starts at the learner's
    /// rollover hour), as the learner's due dates are counted.
    pub fn learner_date_of(&self, time_ms: i64) -> chrono::NaiveDate {
        let offset = self.clock.utc_offset_minutes(time_ms);
        date_of_day(self.scheduler.day_of(time_ms, offset))
    }

    /// The learner day it is now, and when it ends.
    pub(crate) fn today(&self) -> (i64, i64) {
        let (now, offset) = self.now();
        let day = self.scheduler.day_of(now, offset);
        (day, self.scheduler.day_start_ms(day + 1, offset))
    }
}

impl std::fmt::Debug for Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collection")
            .field("path", &self.store.path())
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}
