//! Interval fuzz, as in Anki: cards learned together would otherwise come due together
//! forever. The fuzz is seeded by the card and its answer count, so replaying a card's log
//! gives the same intervals on every device.

use crate::model::CardId;

/// Spreads `interval` (days) within Anki's fuzz range, deterministically for (card, reps).
pub fn fuzzed_interval(interval: f32, card: CardId, reps: u32, maximum: u32) -> u32 {
    let rounded = interval.round().max(1.0) as u32;
    if interval < 2.5 {
        return rounded.min(maximum);
    }
    let (low, high) = fuzz_range(interval, maximum);
    let span = u64::from(high - low + 1);
    low + (seed(card, reps) % span) as u32
}

fn fuzz_range(interval: f32, maximum: u32) -> (u32, u32) {
    const RANGES: [(f32, f32, f32); 3] =
        [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];
    let delta = 1.0
        + RANGES
            .iter()
            .map(|&(start, end, factor)| factor * (interval.min(end) - start).max(0.0))
            .sum::<f32>();
    let low = ((interval - delta).round() as u32).max(2).min(maximum);
    let high = ((interval + delta).round() as u32).min(maximum).max(low);
    (low, high)
}

/// SplitMix64 over the card id and answer count: fast, well spread, no RNG state to carry.
fn seed(card: CardId, reps: u32) -> u64 {
    let (hi, lo) = card.0.as_u64_pair();
    let mut z = hi ^ lo.rotate_left(17) ^ u64::from(reps).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_intervals_are_not_fuzzed() {
        let card = CardId::new_at(1);
        assert_eq!(fuzzed_interval(1.2, card, 3, 36_500), 1);
        assert_eq!(fuzzed_interval(2.4, card, 3, 36_500), 2);
    }

    #[test]
    fn fuzz_stays_in_range_and_is_repeatable() {
        let mut seen = std::collections::BTreeSet::new();
        for n in 0..200 {
            let card = CardId::new_at(n);
            let ivl = fuzzed_interval(30.0, card, 5, 36_500);
            assert_eq!(ivl, fuzzed_interval(30.0, card, 5, 36_500));
            assert!((27..=33).contains(&ivl), "{ivl}");
            seen.insert(ivl);
        }
        assert!(seen.len() > 3, "fuzz should spread intervals: {seen:?}");
    }

    #[test]
    fn fuzz_respects_the_maximum() {
        assert_eq!(fuzzed_interval(400.0, CardId::new_at(9), 1, 365), 365);
    }
}
