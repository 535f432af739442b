//! Changing settings. A change to the scheduling rules re-derives every card from its log,
//! so stored schedules stay equal to their replay.

use super::{Collection, OpChanges};
use crate::model::Settings;
use crate::scheduler::{Scheduler, SchedulerConfig};
use crate::sync::protocol::{ChangeBody, SettingsRecord};

/// Meta key of the stamp of the settings in force.
pub(crate) const SETTINGS_HLC_KEY: &str = "settings_hlc";
use crate::Result;

const SETTINGS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: true,
    content: false,
    hours: false,
};

impl Collection {
    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The scheduler in force.
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Validates and stores new settings. An invalid value changes nothing.
    pub fn update_settings(&mut self, settings: Settings) -> Result<()> {
        settings.validate()?;
        let params = self.scheduler.config().parameters.clone();
        let config = SchedulerConfig::from_settings(&settings, &params);
        let rederive =
            &config != self.scheduler.config() || self.steps_differ(&self.settings, &settings)?;
        let scheduler = Scheduler::new(config)?;
        self.transact(SETTINGS, |col| {
            col.store.put_settings(&settings)?;
            let hlc = col.next_hlc()?;
            col.store
                .set_meta(SETTINGS_HLC_KEY, &serde_json::to_string(&hlc)?)?;
            col.queue_change(ChangeBody::SettingsPut(SettingsRecord {
                settings: settings.clone(),
                hlc,
            }))?;
            if rederive {
                col.replay_all_with(&settings, &scheduler)?;
            }
            Ok(())
        })?;
        self.settings = settings;
        self.scheduler = scheduler;
        Ok(())
    }
}
