//! Learner days: a day starts at the rollover hour in local time (04:00 by default, as in
//! Anki), so a late-night session still counts as "today".

use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};

/// The learner's day number containing `time_ms`, for a zone `offset_min` east of UTC.
pub fn day_of(time_ms: i64, offset_min: i32, rollover_hour: u8) -> i64 {
    (time_ms + i64::from(offset_min) * MINUTE_MS - i64::from(rollover_hour) * HOUR_MS)
        .div_euclid(DAY_MS)
}

/// The instant (ms, UTC) at which learner day `day` starts.
pub fn day_start_ms(day: i64, offset_min: i32, rollover_hour: u8) -> i64 {
    day * DAY_MS + i64::from(rollover_hour) * HOUR_MS - i64::from(offset_min) * MINUTE_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_night_belongs_to_the_previous_day() {
        // 03:30 UTC in a UTC zone with rollover at 04:00 is still the previous learner day.
        let t = 1_763_868_600_000; // 2025-11-23T03:30:00Z
        let before = day_of(t, 0, 4);
        let after = day_of(t + HOUR_MS, 0, 4);
        assert_eq!(after, before + 1);
    }

    #[test]
    fn day_start_is_inverse_of_day_of() {
        for offset in [-300, 0, 60, 330] {
            for day in [19_000, 20_415] {
                let start = day_start_ms(day, offset, 4);
                assert_eq!(day_of(start, offset, 4), day);
                assert_eq!(day_of(start - 1, offset, 4), day - 1);
            }
        }
    }
}
