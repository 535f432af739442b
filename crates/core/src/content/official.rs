//! The awarding body's own references for the pack's criteria. The built-in pack numbers its
//! criteria itself ("Topic 2.2") because the source sheets give no numbers; a centre that holds
//! the official unit specification loads a structure file mapping each criterion to the
//! reference and text the awarding body uses ("AC 2.3"), so the codes a learner quotes are the
//! ones the centre uses. This module reads and checks that file against the pack; the centre
//! stores it and sync carries it to learners' phones.
//!
//! The file is CSV with a header row (lines starting `#` are comments):
//!
//! ```text
//! qualification,unit,criterion,official_unit,official_ref,official_text
//! proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.3,"Identify fallback, …"
//! ```

use super::pack::ContentBundle;
use crate::model::Criterion;
use crate::sync::protocol::OfficialReference;
use std::collections::HashSet;

/// The header an official-references file must start with.
pub const OFFICIAL_FILE_HEADER: [&str; 6] = [
    "qualification",
    "unit",
    "criterion",
    "official_unit",
    "official_ref",
    "official_text",
];

/// A problem on one line of an official-references file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The line in the file (1 is the header).
    pub line: u64,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Why an official-references file was refused: every problem, by line. Nothing of a refused
/// file is kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(.problems))]
pub struct OfficialFileError {
    /// Each problem found, in file order.
    pub problems: Vec<LineProblem>,
}

fn describe(problems: &[LineProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect();
    format!("The file was not loaded. {}", lines.join("; "))
}

/// Reads an official-references file and checks every line against `bundle`: the
/// qualification, unit and criterion must exist and belong together, the references must not be
/// empty, and no criterion or (unit, reference) pair may appear twice. Returns the references
/// in file order, or every problem found.
pub fn parse_official_file(
    bundle: &ContentBundle,
    text: &str,
) -> Result<Vec<OfficialReference>, OfficialFileError> {
    // Comment lines are taken out before reading, remembering where each kept line was: the
    // CSV reader's own count skips comment lines, so problems were named on the wrong lines.
    // Line endings are made "\n" first: with "\r\n" (a browser's form, a file saved on Windows)
    // the reader's count was one short after a comment.
    let text = text.replace("\r\n", "\n");
    let mut kept_lines = Vec::new();
    let mut body = String::with_capacity(text.len());
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if !l.trim_start().starts_with('#') {
            kept_lines.push(i as u64 + 1);
            body.push_str(l);
        }
    }
    let line_at = |p: &csv::Position| {
        let n = usize::try_from(p.line()).unwrap_or(usize::MAX);
        n.checked_sub(1)
            .and_then(|i| kept_lines.get(i))
            .copied()
            .unwrap_or(p.line())
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen_criteria = HashSet::new();
    let mut seen_refs = HashSet::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, line_at);
                problems.push(problem(line, format!("cannot be read as CSV ({e})")));
                continue;
            }
        };
        let line = record.position().map_or(0, line_at);
        if !header_seen {
            header_seen = true;
            if record.iter().ne(OFFICIAL_FILE_HEADER) {
                problems.push(problem(
                    line,
                    format!("the header must be {}", OFFICIAL_FILE_HEADER.join(",")),
                ));
                break;
            }
            continue;
        }
        match check_line(bundle, &record) {
            Err(message) => problems.push(problem(line, message)),
            Ok(r) => {
                if !seen_criteria.insert(r.criterion.clone()) {
                    problems.push(problem(
                        line,
                        format!("criterion '{}' is listed twice", r.criterion),
                    ));
                } else if !seen_refs.insert((r.unit_ref.clone(), r.reference.clone())) {
                    problems.push(problem(
                        line,
                        format!(
                            "reference '{}' of unit '{}' is given to two criteria",
                            r.reference, r.unit_ref
                        ),
                    ));
                } else {
                    out.push(r);
                }
            }
        }
    }
    if !header_seen {
        problems.push(problem(1, "the file is empty".to_string()));
    } else if problems.is_empty() && out.is_empty() {
        problems.push(problem(
            2,
            "the file has no references after its header".to_string(),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(OfficialFileError { problems })
    }
}

/// `criteria` with each one's official reference from `refs` (the rest get none): how the
/// centre, which keeps its references apart from the pack, names criteria as phones do.
pub fn with_official_refs(criteria: &[Criterion], refs: &[OfficialReference]) -> Vec<Criterion> {
    criteria
        .iter()
        .map(|c| Criterion {
            official_ref: refs
                .iter()
                .find(|r| r.criterion == c.id)
                .map(|r| r.reference.clone()),
            ..c.clone()
        })
        .collect()
}

fn problem(line: u64, message: String) -> LineProblem {
    LineProblem { line, message }
}

/// One data line, checked against the pack.
fn check_line(
    bundle: &ContentBundle,
    record: &csv::StringRecord,
) -> Result<OfficialReference, String> {
    if record.len() != OFFICIAL_FILE_HEADER.len() {
        return Err(format!(
            "has {} fields, not {}",
            record.len(),
            OFFICIAL_FILE_HEADER.len()
        ));
    }
    let field = |i: usize| record.get(i).unwrap_or_default().to_string();
    let (qualification, unit, criterion) = (field(0), field(1), field(2));
    if !bundle.qualifications.iter().any(|q| q.id == qualification) {
        return Err(format!("unknown qualification '{qualification}'"));
    }
    let Some(u) = bundle.units.iter().find(|u| u.id == unit) else {
        return Err(format!("unknown unit '{unit}'"));
    };
    if !u.qualifications.contains(&qualification) {
        return Err(format!(
            "unit '{unit}' is not part of qualification '{qualification}'"
        ));
    }
    match bundle.criteria.iter().find(|c| c.id == criterion) {
        None => return Err(format!("unknown criterion '{criterion}'")),
        Some(c) if c.unit_id != unit => {
            return Err(format!(
                "criterion '{criterion}' belongs to unit '{}', not '{unit}'",
                c.unit_id
            ))
        }
        Some(_) => {}
    }
    let reference = OfficialReference {
        criterion,
        unit_ref: field(3),
        reference: field(4),
        text: field(5),
    };
    for (name, value) in [
        ("official_unit", &reference.unit_ref),
        ("official_ref", &reference.reference),
        ("official_text", &reference.text),
    ] {
        if value.is_empty() {
            return Err(format!("{name} is empty"));
        }
    }
    Ok(reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::builtin;

    const FILE: &str = "\
# ProQual unit specification, version 2
qualification,unit,criterion,official_unit,official_ref,official_text
proqual-cs-l2,negotiate,negotiate/lo1/ac1.1,R/650/1234,AC 1.1,\"Explain the principles of negotiation, with examples\"
proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.3,Identify positions before negotiating
";

    #[test]
    fn a_good_file_gives_each_criterion_its_reference_and_text() {
        let got = parse_official_file(&builtin().unwrap(), FILE).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].criterion, "negotiate/lo2/ac2.2");
        assert_eq!(got[1].reference, "AC 2.3");
        assert_eq!(got[1].unit_ref, "R/650/1234");
        assert_eq!(
            got[0].text,
            "Explain the principles of negotiation, with examples"
        );
    }

    #[test]
    fn lines_are_numbered_alike_whatever_the_line_endings() {
        // The CSV reader's line count skipped comment lines, so the centre named the wrong
        // line; a browser sends a form's text with CRLF endings, as Windows saves a file.
        let text = format!(
            "# A comment\n{FILE}proqual-cs-l2,negotiate,negotiate/lo9/ac9.9,R/650/1234,AC 9.9,No\n"
        );
        let lines = |t: &str| -> Vec<u64> {
            parse_official_file(&builtin().unwrap(), t)
                .unwrap_err()
                .problems
                .iter()
                .map(|p| p.line)
                .collect()
        };
        let unix = lines(&text);
        assert_eq!(unix, [text.lines().count() as u64], "{text}");
        assert_eq!(lines(&text.replace('\n', "\r\n")), unix);
    }

    #[test]
    fn every_bad_line_is_named_with_what_is_wrong() {
        let bad = format!(
            "{FILE}\
proqual-cs-l2,negotiate,negotiate/lo9/ac9.9,R/650/1234,AC 9.9,No such criterion
proqual-cs-l2,no-such-unit,negotiate/lo1/ac1.2,R/650/1234,AC 1.2,Text
proqual-cs-l2,negotiate,retail-relationships/lo1/ac1.1,R/650/1234,AC 1.3,Text
proqual-cs-l2,negotiate,negotiate/lo1/ac1.2,R/650/1234,,Text
proqual-cs-l2,negotiate,negotiate/lo1/ac1.1,R/650/1234,AC 1.4,Twice
proqual-cs-l2,negotiate,negotiate/lo1/ac1.3,R/650/1234,AC 1.1,Same reference
proqual-cs-l2,negotiate,negotiate/lo1/ac1.4
no-such-qualification,negotiate,negotiate/lo1/ac1.5,R/650/1234,AC 1.5,Text
"
        );
        let err = parse_official_file(&builtin().unwrap(), &bad).unwrap_err();
        let lines: Vec<u64> = err.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [5, 6, 7, 8, 9, 10, 11, 12], "{err}");
        let text = err.to_string();
        for expected in [
            "line 5: unknown criterion 'negotiate/lo9/ac9.9'",
            "line 6: unknown unit 'no-such-unit'",
            "line 7: criterion 'retail-relationships/lo1/ac1.1' belongs to unit 'retail-relationships', not 'negotiate'",
            "line 8: official_ref is empty",
            "line 9: criterion 'negotiate/lo1/ac1.1' is listed twice",
            "line 10: reference 'AC 1.1' of unit 'R/650/1234' is given to two criteria",
            "line 11: has 3 fields, not 6",
            "line 12: unknown qualification 'no-such-qualification'",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn a_wrong_header_or_an_empty_file_is_refused() {
        let bundle = builtin().unwrap();
        let err = parse_official_file(&bundle, "criterion,reference\nx,y\n").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert!(
            err.to_string().contains("line 1: the header must be"),
            "{err}"
        );
        let err = parse_official_file(&bundle, "# only a comment\n").unwrap_err();
        assert!(err.to_string().contains("the file is empty"), "{err}");
    }
}
