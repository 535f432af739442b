//! The export's seal: an Ed25519 signature over the exact bytes of `manifest.json`, made with
//! a key the exporter holds (the centre's, or the device's), written as `seal.json`.
//!
//! The manifest lists the SHA-256 of every other file in the ZIP and each record as exported,
//! so it alone needs signing. Without the seal, someone who changes a record could recompute
//! the manifest to match; with it, they would need the key. The seal carries its public key
//! so that anyone can check it offline, which proves only that *someone* holding that key
//! signed it: a reader trusts it after comparing the key (or its [`SealPublicKey::fingerprint`])
//! with the one the centre publishes at [`WELL_KNOWN_KEY_PATH`], or passes the key to the
//! check ([`check_seal`]), which then refuses any other.

use crate::{CoreError, Result};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The seal's file name in the ZIP.
pub const SEAL_FILE: &str = "seal.json";
/// Where a centre publishes the public key its exports are sealed with.
pub const WELL_KNOWN_KEY_PATH: &str = "/.well-known/pocketfolio-export-key";
/// The only algorithm a seal uses.
pub const SEAL_ALGORITHM: &str = "Ed25519";

/// A secret key that seals exports. Kept by whoever exports: the centre in its database, a
/// device in its collection.
#[derive(Clone)]
pub struct SealKey(SigningKey);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, whatever prints it.
        write!(f, "SealKey({})", self.public().fingerprint())
    }
}

impl SealKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<SealKey> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| CoreError::invalid(format!("No random numbers for a new key: {e}")))?;
        Ok(SealKey(SigningKey::from_bytes(&secret)))
    }

    /// The key kept as [`SealKey::secret_hex`].
    pub fn from_secret_hex(hex_text: &str) -> Result<SealKey> {
        let bytes: [u8; 32] = hex::decode(hex_text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| CoreError::invalid("The export key kept here is not a key."))?;
        Ok(SealKey(SigningKey::from_bytes(&bytes)))
    }

    /// The secret, as hex, to keep.
    pub fn secret_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// The public half, to publish.
    pub fn public(&self) -> SealPublicKey {
        SealPublicKey(self.0.verifying_key().to_bytes())
    }

    /// The seal of `manifest` (its exact bytes), naming who sealed it and where their key is
    /// published, when it is.
    pub fn seal(&self, manifest: &[u8], signer: &str, published_at: Option<&str>) -> Seal {
        Seal {
            algorithm: SEAL_ALGORITHM.to_string(),
            signer: signer.to_string(),
            public_key: self.public().to_hex(),
            published_at: published_at.map(str::to_string),
            manifest_sha256: crate::signing::sha256_hex(manifest),
            signature: hex::encode(self.0.sign(manifest).to_bytes()),
        }
    }
}

/// Who seals an export, with what key, and where the key is published.
#[derive(Debug, Clone)]
pub struct Sealer {
    /// The key.
    pub key: SealKey,
    /// Who holds it, for people ("the centre", "Sam's phone").
    pub signer: String,
    /// Where its public key is published, when it is (the centre's [`WELL_KNOWN_KEY_PATH`]).
    pub published_at: Option<String>,
}

impl Sealer {
    /// The seal of `manifest`'s exact bytes.
    pub fn seal(&self, manifest: &[u8]) -> Seal {
        self.key
            .seal(manifest, &self.signer, self.published_at.as_deref())
    }
}

/// A public key that checks seals: 32 bytes known to be an Ed25519 point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealPublicKey([u8; 32]);

impl SealPublicKey {
    /// The key from its 64 hex digits (as published and as a seal carries it).
    pub fn from_hex(hex_text: &str) -> Result<SealPublicKey> {
        let bytes: [u8; 32] = hex::decode(hex_text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                CoreError::invalid("A public key is 64 hexadecimal digits; this is not one.")
            })?;
        VerifyingKey::from_bytes(&bytes)
            .map(|_| SealPublicKey(bytes))
            .map_err(|_| CoreError::invalid("These 64 digits are not an Ed25519 public key."))
    }

    /// The key as 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A short form for people to compare: the first 16 bytes of the key's SHA-256, in
    /// groups of four hex digits.
    pub fn fingerprint(&self) -> String {
        let digest = hex::encode(&Sha256::digest(self.0)[..16]);
        digest
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `seal.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// [`SEAL_ALGORITHM`].
    pub algorithm: String,
    /// Who sealed it, for people ("the centre", "Sam's phone").
    pub signer: String,
    /// The public key that checks [`Seal::signature`] (64 hex digits).
    pub public_key: String,
    /// Where the signer publishes the key, when known, to compare it with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    /// SHA-256 of the manifest's bytes (for people; the signature is over the bytes).
    pub manifest_sha256: String,
    /// The Ed25519 signature over the manifest's exact bytes (128 hex digits).
    pub signature: String,
}

/// What the seal says about the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealCheck {
    /// The manifest is exactly as the holder of the key sealed it.
    Sealed {
        /// Who the seal says sealed it.
        signer: String,
        /// The key it was sealed with.
        key: SealPublicKey,
        /// Where the signer publishes their key, as the seal says.
        published_at: Option<String>,
        /// True when the key is the one the reader gave ([`check_seal`]'s `expected`); false
        /// when none was given, so the reader should compare the fingerprint themselves.
        key_confirmed: bool,
    },
    /// The ZIP has no seal (exports made before sealing have none).
    Unsealed,
    /// The seal does not hold: the manifest was changed after sealing, the seal is damaged,
    /// or it was made with a key other than the one expected.
    Broken(String),
}

impl SealCheck {
    /// True when the seal holds (whether or not its key was confirmed).
    pub fn holds(&self) -> bool {
        matches!(self, SealCheck::Sealed { .. })
    }
}

/// Checks `seal` (the bytes of `seal.json`, if the ZIP has one) against the exact bytes of
/// `manifest`; with `expected`, a seal made with any other key is broken.
pub fn check_seal(
    manifest: &[u8],
    seal: Option<&[u8]>,
    expected: Option<&SealPublicKey>,
) -> SealCheck {
    let Some(seal) = seal else {
        return SealCheck::Unsealed;
    };
    let seal: Seal = match serde_json::from_slice(seal) {
        Ok(seal) => seal,
        Err(e) => return SealCheck::Broken(format!("{SEAL_FILE} cannot be read ({e})")),
    };
    if seal.algorithm != SEAL_ALGORITHM {
        return SealCheck::Broken(format!(
            "{SEAL_FILE} names the algorithm {}, not {SEAL_ALGORITHM}",
            seal.algorithm
        ));
    }
    let key = match SealPublicKey::from_hex(&seal.public_key) {
        Ok(key) => key,
        Err(e) => return SealCheck::Broken(format!("the seal's key is damaged: {e}")),
    };
    if let Some(expected) = expected {
        if *expected != key {
            return SealCheck::Broken(format!(
                "it was sealed with the key {}, not the expected {}",
                key.fingerprint(),
                expected.fingerprint()
            ));
        }
    }
    let signature = hex::decode(&seal.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    let Some(signature) = signature else {
        return SealCheck::Broken("the seal's signature is damaged".into());
    };
    let holds =
        VerifyingKey::from_bytes(&key.0).is_ok_and(|k| k.verify(manifest, &signature).is_ok());
    if !holds {
        return SealCheck::Broken(
            "manifest.json is not what was sealed: it was changed after the export was made".into(),
        );
    }
    SealCheck::Sealed {
        signer: seal.signer,
        key,
        published_at: seal.published_at,
        key_confirmed: expected.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_holds_for_its_manifest_only_and_only_with_its_key() {
        let key = SealKey::generate().unwrap();
        let manifest = br#"{"format":2}"#;
        let seal = serde_json::to_vec(&key.seal(manifest, "the centre", None)).unwrap();
        let public = key.public();
        assert!(check_seal(manifest, Some(&seal), None).holds());
        assert!(matches!(
            check_seal(manifest, Some(&seal), Some(&public)),
            SealCheck::Sealed {
                key_confirmed: true,
                ..
            }
        ));
        assert!(matches!(
            check_seal(br#"{"format":3}"#, Some(&seal), None),
            SealCheck::Broken(_)
        ));
        let other = SealKey::generate().unwrap().public();
        assert!(matches!(
            check_seal(manifest, Some(&seal), Some(&other)),
            SealCheck::Broken(_)
        ));
        assert_eq!(check_seal(manifest, None, None), SealCheck::Unsealed);
    }

    #[test]
    fn a_key_survives_being_kept_as_hex_and_never_prints_its_secret() {
        let key = SealKey::generate().unwrap();
        let again = SealKey::from_secret_hex(&key.secret_hex()).unwrap();
        assert_eq!(again.public(), key.public());
        assert!(!format!("{key:?}").contains(&key.secret_hex()));
        assert_eq!(
            SealPublicKey::from_hex(&key.public().to_hex()).unwrap(),
            key.public()
        );
        assert_eq!(key.public().fingerprint().len(), 39);
        assert!(SealPublicKey::from_hex("00ff").is_err());
    }
}
