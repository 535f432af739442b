//! The content packs compiled into the binary, so the app needs no files at run time (there is
//! no writable asset folder on a phone).

use super::ContentBundle;
use crate::Result;

macro_rules! pack_file {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!("../../../../assets/content/", $path)),
        )
    };
}

/// Every file of the built-in pack: (path relative to `assets/content/`, contents). A test
/// checks this list against the manifest.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    pack_file!("manifest.json"),
    pack_file!("structure/proqual-customer-service.json"),
    pack_file!("structure/proqual-retail.json"),
    pack_file!("decks/negotiate.json"),
    pack_file!("decks/retail-relationships.json"),
    pack_file!("decks/retail-reliable-service.json"),
    pack_file!("decks/assessment-skills.json"),
    pack_file!("templates.json"),
    pack_file!("phrases.json"),
];

/// The built-in pack, loaded and checked.
pub fn builtin() -> Result<ContentBundle> {
    ContentBundle::load(|path| {
        BUILTIN_FILES
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.to_string())
    })
}

/// The built-in pack, loaded once and shared: forms read its structure and templates often,
/// and parsing it each time would be wasteful. The pack is compiled in and a unit test checks
/// it loads, so the empty fallback is only reachable in a broken build, where "no content" is
/// the safest behaviour.
pub fn builtin_shared() -> &'static ContentBundle {
    static PACK: std::sync::OnceLock<ContentBundle> = std::sync::OnceLock::new();
    PACK.get_or_init(|| builtin().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CriterionKind;
    use std::path::Path;

    fn pack_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/content")
    }

    #[test]
    fn builtin_pack_loads_and_validates() {
        let bundle = builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(!bundle.version.is_empty());
    }

    #[test]
    fn embedded_files_match_the_manifest_and_the_folder() {
        let manifest: super::super::Manifest = serde_json::from_str(BUILTIN_FILES[0].1).unwrap();
        let mut listed: Vec<&str> = manifest.structure.iter().map(String::as_str).collect();
        listed.extend(manifest.decks.iter().map(String::as_str));
        listed.push(&manifest.templates);
        listed.extend(manifest.phrases.as_deref());
        for path in &listed {
            assert!(
                BUILTIN_FILES.iter().any(|(p, _)| p == path),
                "{path} is in the manifest but not embedded"
            );
        }
        for (path, text) in BUILTIN_FILES {
            let on_disk = std::fs::read_to_string(pack_dir().join(path)).unwrap();
            assert_eq!(&on_disk, text, "{path}");
        }
    }

    #[test]
    fn pack_meets_the_card_counts() {
        let bundle = builtin().unwrap();
        let count = |deck: &str| {
            bundle
                .decks
                .iter()
                .find(|(_, d)| d.id == deck)
                .map_or(0, |(_, d)| d.notes.len())
        };
        assert!(
            count("negotiate") >= 60,
            "negotiate: {}",
            count("negotiate")
        );
        assert!(count("retail-relationships") >= 30);
        assert!(count("retail-reliable-service") >= 30);
        assert!(count("assessment-skills") >= 20);
        let marking_points = bundle
            .criteria
            .iter()
            .filter(|c| c.kind == CriterionKind::MarkingPoint)
            .count();
        assert!(marking_points >= 10, "{marking_points} marking points");
        for kind in [
            "observation",
            "reflective_account",
            "negotiation_plan",
            "outcome_evaluation",
            "improvement_plan",
            "service_delivery_plan",
            "feedback_analysis",
            "witness_testimony",
        ] {
            assert!(
                bundle.templates.iter().any(|t| t.kind.as_str() == kind),
                "no {kind} template"
            );
        }
    }

    /// Loads the builtin pack with one file replaced.
    fn load_with(path: &str, edit: impl Fn(&mut serde_json::Value)) -> Result<ContentBundle> {
        ContentBundle::load(|p| {
            let text = BUILTIN_FILES.iter().find(|(f, _)| *f == p)?.1;
            if p != path {
                return Some(text.to_string());
            }
            let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
            edit(&mut value);
            Some(value.to_string())
        })
    }

    #[test]
    fn a_duplicate_note_id_fails_naming_the_id() {
        let err = load_with("decks/negotiate.json", |v| {
            let notes = v["notes"].as_array_mut().unwrap();
            let first = notes[0].clone();
            notes.push(first);
        })
        .unwrap_err()
        .to_string();
        let first_id = serde_json::from_str::<serde_json::Value>(BUILTIN_FILES[3].1).unwrap()
            ["notes"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            err.contains(&format!("duplicate note id '{first_id}'")),
            "{err}"
        );
    }

    #[test]
    fn a_dangling_link_fails_naming_the_note() {
        let err = load_with("decks/assessment-skills.json", |v| {
            v["notes"][0]["criteria"] = serde_json::json!(["no/such/criterion"]);
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("unknown criterion 'no/such/criterion'"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_field_or_missing_cloze_fails() {
        let err = load_with("decks/negotiate.json", |v| {
            v["notes"][0] = serde_json::json!({"id": "x-empty", "kind": "basic", "front": " ", "back": "b", "criteria": ["negotiate/lo1/ac1.1"]});
            v["notes"][1] = serde_json::json!({"id": "x-cloze", "kind": "cloze", "text": "no gap", "criteria": ["negotiate/lo1/ac1.1"]});
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("'x-empty'"), "{err}");
        assert!(err.contains("'x-cloze'"), "{err}");
    }

    #[test]
    fn an_unserved_marking_point_fails() {
        let err = load_with("structure/proqual-retail.json", |v| {
            v["units"][0]["outcomes"][0]["criteria"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({"id": "retail-relationships/mp-lonely", "code": "MPX", "kind": "marking_point", "text": "Credit something."}));
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("marking point 'retail-relationships/mp-lonely' has no card"),
            "{err}"
        );
    }

    #[test]
    fn an_example_naming_an_unknown_criterion_fails() {
        let err = load_with("phrases.json", |v| {
            v["examples"][0] = serde_json::json!({"note": "Put two packs by for a regular.", "criteria": ["no/such/criterion"]});
            v["examples"][1] = serde_json::json!({"note": " ", "criteria": []});
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("example 1 (\"Put two packs by for a\") names unknown criterion 'no/such/criterion'"),
            "{err}"
        );
        assert!(err.contains("example 2 (\"\") has no note"), "{err}");
    }

    #[test]
    fn a_requirement_naming_an_unknown_criterion_or_group_fails() {
        let err = load_with("phrases.json", |v| {
            v["requires"] = serde_json::json!([
                {"criteria": ["no/such/criterion"], "any": ["@no_such_group"]},
                {"criteria": ["negotiate/lo3/ac3.5"], "any": []}
            ]);
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("requirement 1 names unknown criterion 'no/such/criterion'"),
            "{err}"
        );
        assert!(
            err.contains("requirement 1 names unknown synonym group '@no_such_group'"),
            "{err}"
        );
        assert!(err.contains("requirement 2 has no phrase"), "{err}");
    }
}
