//! No sentence of the source revision sheets is pasted into the pack: no run of eight words
//! (an 8-word shingle) is shared with them, outside titles. The sheets are not in the repo, so
//! their shingles are kept as 64-bit hashes in `seed_shingles.txt`; a test rebuilds the list
//! from `../shared/seeds` when that folder is present and checks it is current.

use super::super::pack::ContentBundle;
use super::super::words::normalised;
use super::cards::note_text;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Words in a shingle.
pub(crate) const SHINGLE: usize = 8;

const SEED_SHINGLES: &str = include_str!("seed_shingles.txt");

fn seed_shingles() -> &'static HashSet<u64> {
    static SET: OnceLock<HashSet<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        SEED_SHINGLES
            .lines()
            .filter_map(|l| u64::from_str_radix(l.trim(), 16).ok())
            .collect()
    })
}

/// FNV-1a, so the hashes are the same on every build and machine.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The hashes of `text`'s 8-word shingles.
pub(crate) fn shingles(text: &str) -> Vec<u64> {
    normalised(text)
        .windows(SHINGLE)
        .map(|w| fnv1a(&w.join(" ")))
        .collect()
}

/// Problems: each piece of pack text that shares a shingle with a seed.
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    check_against(bundle, seed_shingles(), problems);
}

pub(crate) fn check_against(
    bundle: &ContentBundle,
    seeds: &HashSet<u64>,
    problems: &mut Vec<String>,
) {
    let mut texts: Vec<(String, String)> = Vec::new();
    for (_, note) in bundle.notes() {
        texts.push((format!("note '{}'", note.id), note_text(note)));
    }
    for c in &bundle.criteria {
        texts.push((format!("criterion '{}'", c.id), c.text.clone()));
    }
    for u in &bundle.units {
        texts.push((format!("unit '{}' summary", u.id), u.summary.clone()));
    }
    for t in &bundle.templates {
        texts.push((format!("template '{}'", t.id), t.description.clone()));
        for f in &t.fields {
            texts.push((
                format!("template '{}' field '{}'", t.id, f.id),
                f.help.clone(),
            ));
        }
    }
    for w in &bundle.witness_prompts {
        for p in &w.prompts {
            texts.push((format!("witness prompt for '{}'", w.criterion), p.clone()));
        }
    }
    for (i, e) in bundle.examples.iter().enumerate() {
        texts.push((format!("worked example {}", i + 1), e.note.clone()));
    }
    for (what, text) in texts {
        if shingles(&text).iter().any(|h| seeds.contains(h)) {
            problems.push(format!(
                "{what} repeats eight or more words in a row from a source sheet; write it in your own words"
            ));
        }
    }
}
