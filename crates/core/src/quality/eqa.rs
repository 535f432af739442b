//! External quality assurers' access: an awarding body's EQA gets an account of their own for
//! a visit. It ends on a set day, covers only the qualifications the centre chose, and reads
//! without changing anything. The centre asks these functions on every request, so what an
//! EQA may do is decided here once.

use super::QualityError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest an EQA's access may run in one grant: a visit, not a standing account.
pub const LONGEST_GRANT_DAYS: i64 = 92;

const DAY_MS: i64 = 86_400_000;

/// What one EQA account may see, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EqaGrant {
    /// Access ends at this instant (ms since the epoch): the start of the day after the last
    /// day chosen, so the last day is whole.
    pub expires_ms: i64,
    /// The qualifications whose learners, samples and plans the EQA may read.
    pub qualifications: Vec<String>,
    /// When not empty, the only learners (account ids) the EQA may read, each enrolled on one
    /// of `qualifications`; empty means every learner of those qualifications.
    #[serde(default)]
    pub learners: Vec<String>,
}

/// A learner an administrator chose for an EQA, as the centre knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenLearner {
    /// Account id.
    pub id: String,
    /// Name, for the sentence that refuses them.
    pub name: String,
    /// The qualifications they are enrolled on.
    pub enrolled: Vec<String>,
}

impl EqaGrant {
    /// A grant whose last day is the UTC day containing `last_day_ms`.
    pub fn until_day(last_day_ms: i64, qualifications: Vec<String>) -> EqaGrant {
        EqaGrant {
            expires_ms: last_day_ms.div_euclid(DAY_MS) * DAY_MS + DAY_MS,
            qualifications,
            learners: Vec::new(),
        }
    }

    /// Refuses chosen learners the EQA could not inspect: each must be enrolled on one of the
    /// grant's qualifications (an EQA reads a qualification's learners, never others).
    pub fn check_learners(&self, chosen: &[ChosenLearner]) -> Result<(), QualityError> {
        let outside: Vec<&str> = chosen
            .iter()
            .filter(|l| !l.enrolled.iter().any(|q| self.covers(q)))
            .map(|l| l.name.as_str())
            .collect();
        if outside.is_empty() {
            return Ok(());
        }
        Err(QualityError::EqaGrant(format!(
            "{} {} not enrolled on the qualifications chosen for the external quality \
             assurer; choose learners of those qualifications.",
            outside.join(", "),
            if outside.len() == 1 { "is" } else { "are" }
        )))
    }

    /// True when the EQA may read the learner `id` (given they are enrolled on one of the
    /// grant's qualifications): every learner when none were chosen, else the chosen ones.
    pub fn covers_learner(&self, id: &str) -> bool {
        self.learners.is_empty() || self.learners.iter().any(|l| l == id)
    }

    /// The last day of access, as a sentence writes it ("5 December 2026").
    pub fn last_day(&self) -> String {
        day_text(self.expires_ms - 1)
    }

    /// Refuses a grant that is already over, runs past [`LONGEST_GRANT_DAYS`], or covers no
    /// qualification (an EQA inspects something in particular). `known` says whether a
    /// qualification id is one the centre offers.
    pub fn check(&self, now_ms: i64, known: impl Fn(&str) -> bool) -> Result<(), QualityError> {
        if self.expires_ms <= now_ms {
            return Err(QualityError::EqaGrant(
                "Choose a last day of access that is today or later.".to_string(),
            ));
        }
        if self.expires_ms - now_ms > (LONGEST_GRANT_DAYS + 1) * DAY_MS {
            return Err(QualityError::EqaGrant(format!(
                "An external quality assurer's access runs for at most {LONGEST_GRANT_DAYS} \
                 days; choose an earlier last day and extend it later if the visit needs more."
            )));
        }
        if self.qualifications.is_empty() {
            return Err(QualityError::EqaGrant(
                "Choose at least one qualification for the external quality assurer to inspect."
                    .to_string(),
            ));
        }
        if let Some(unknown) = self.qualifications.iter().find(|q| !known(q)) {
            return Err(QualityError::EqaGrant(format!(
                "This centre offers no qualification {unknown}."
            )));
        }
        Ok(())
    }

    /// True when `qualification` is one of the grant's.
    pub fn covers(&self, qualification: &str) -> bool {
        self.qualifications.iter().any(|q| q == qualification)
    }
}

/// Decides one request of an EQA at `now_ms`: refused once the grant is over (or when there is
/// none), and refused when it would change anything (`writes`), except ending their own
/// session (`signs_out`), which an EQA may always do.
pub fn check_eqa_request(
    grant: Option<&EqaGrant>,
    now_ms: i64,
    writes: bool,
    signs_out: bool,
) -> Result<(), QualityError> {
    if signs_out {
        return Ok(());
    }
    let grant = grant.ok_or(QualityError::EqaNoGrant)?;
    if now_ms >= grant.expires_ms {
        return Err(QualityError::EqaExpired {
            last_day: grant.last_day(),
        });
    }
    if writes {
        return Err(QualityError::EqaReadOnly);
    }
    Ok(())
}

fn day_text(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| "an unknown day".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-05 10:00 UTC.
    const NOW: i64 = 1_796_464_800_000;

    fn grant(days: i64) -> EqaGrant {
        EqaGrant::until_day(NOW + days * DAY_MS, vec!["q1".to_string()])
    }

    #[test]
    fn the_last_day_is_whole_and_access_ends_at_the_next_midnight() {
        let g = grant(0);
        assert_eq!(g.last_day(), "5 December 2026");
        assert_eq!(
            g.expires_ms, 1_796_515_200_000,
            "midnight starting 6 December"
        );
        let ok = check_eqa_request(Some(&g), g.expires_ms - 1, false, false);
        assert_eq!(ok, Ok(()));
        let err = check_eqa_request(Some(&g), g.expires_ms, false, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Your access as an external quality assurer ended on 5 December 2026; ask the \
             centre's administrator to extend it if your visit continues."
        );
    }

    #[test]
    fn an_eqa_reads_but_every_write_is_refused_except_signing_out() {
        let g = grant(3);
        assert_eq!(check_eqa_request(Some(&g), NOW, false, false), Ok(()));
        assert_eq!(
            check_eqa_request(Some(&g), NOW, true, false),
            Err(QualityError::EqaReadOnly)
        );
        assert_eq!(check_eqa_request(Some(&g), NOW, true, true), Ok(()));
        // Signing out still works after the end, so an expired session can be closed.
        assert_eq!(
            check_eqa_request(Some(&g), NOW + 9 * DAY_MS, true, true),
            Ok(())
        );
        assert_eq!(
            check_eqa_request(None, NOW, false, false),
            Err(QualityError::EqaNoGrant)
        );
    }

    #[test]
    fn a_grant_must_be_current_short_and_name_known_qualifications() {
        let known = |q: &str| q == "q1" || q == "q2";
        assert_eq!(grant(0).check(NOW, known), Ok(()));
        assert_eq!(grant(LONGEST_GRANT_DAYS).check(NOW, known), Ok(()));
        let over = grant(-1).check(NOW, known).unwrap_err().to_string();
        assert!(over.contains("today or later"), "{over}");
        let long = grant(LONGEST_GRANT_DAYS + 2).check(NOW, known);
        assert!(long.unwrap_err().to_string().contains("at most 92 days"));
        let none = EqaGrant::until_day(NOW, vec![]).check(NOW, known);
        assert!(none.unwrap_err().to_string().contains("at least one"));
        let odd = EqaGrant::until_day(NOW, vec!["q9".into()]).check(NOW, known);
        assert_eq!(
            odd.unwrap_err().to_string(),
            "This centre offers no qualification q9."
        );
        assert!(grant(1).covers("q1") && !grant(1).covers("q2"));
    }

    #[test]
    fn chosen_learners_must_be_of_the_qualifications_and_narrow_the_scope() {
        let learner = |id: &str, quals: &[&str]| ChosenLearner {
            id: id.into(),
            name: id.to_uppercase(),
            enrolled: quals.iter().map(|q| q.to_string()).collect(),
        };
        let mut g = grant(3);
        assert!(
            g.covers_learner("lee") && g.covers_learner("kim"),
            "none chosen: all"
        );
        assert_eq!(g.check_learners(&[learner("lee", &["q2", "q1"])]), Ok(()));
        let err = g
            .check_learners(&[
                learner("lee", &["q1"]),
                learner("kim", &["q2"]),
                learner("ola", &[]),
            ])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("KIM, OLA are not enrolled"), "{err}");
        g.learners = vec!["lee".into()];
        assert!(g.covers_learner("lee") && !g.covers_learner("kim"));
    }
}
