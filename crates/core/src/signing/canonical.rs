//! Canonical JSON and its SHA-256: the one way a record is turned into the bytes that are
//! signed, so the phone, the centre and the export's checker hash the same record alike.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical text of a JSON value: object keys sorted by their UTF-8 bytes, no whitespace,
/// strings and numbers as `serde_json` writes them. Sorting here rather than relying on the
/// map type keeps the form fixed even if a dependency turns on `serde_json/preserve_order`.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

/// SHA-256 (lower-case hex) of the canonical text of `value`.
pub fn content_sha256(value: &Value) -> String {
    sha256_hex(canonical_json(value).as_bytes())
}

/// SHA-256 (lower-case hex) of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// True for a lower-case hex SHA-256.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth_and_nothing_else_moves() {
        let v = json!({"b": [3, {"z": 1, "a": "x"}], "a": null, "é": "\"q\""});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":null,"b":[3,{"a":"x","z":1}],"é":"\"q\""}"#
        );
    }

    #[test]
    fn the_hash_is_sha256_of_the_canonical_text() {
        // echo -n '[1,"a"]' | sha256sum
        assert_eq!(content_sha256(&json!([1, "a"])), sha256_hex(b"[1,\"a\"]"));
        assert!(is_sha256_hex(&content_sha256(&json!({}))));
        assert!(!is_sha256_hex("ABC"));
    }
}
