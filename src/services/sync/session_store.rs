//! The centre sign-in kept between runs, in a small file beside the collection. The token is a
//! secret: the file is readable by this user only, and it never appears in logs or on screen.

use super::said_plainly;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Saving the sign-in failed: most often a full phone.
const NOT_SAVED: &str =
    "Pocketfolio couldn't save your sign-in on this phone. Check the phone has free space, then sign in again.";

/// The file's name inside the data folder.
pub const SESSION_FILE: &str = "centre-session.json";

/// A signed-in device.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    /// The centre's address.
    pub centre: String,
    /// The bearer token.
    pub token: String,
    /// When the token stops working (ms since the epoch).
    pub expires_ms: i64,
    /// This device's id (the collection's).
    pub device_id: String,
    /// The learner's sign-in name.
    pub username: String,
    /// The learner's name as the centre shows it.
    pub display_name: String,
}

impl std::fmt::Debug for SavedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedSession")
            .field("centre", &self.centre)
            .field("token", &"(hidden)")
            .field("device_id", &self.device_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

fn path(dir: &Path) -> PathBuf {
    dir.join(SESSION_FILE)
}

/// The saved session, if any. A damaged file reads as signed out (the learner signs in again)
/// with the reason, rather than stopping the app.
pub fn load(dir: &Path) -> Result<Option<SavedSession>, String> {
    match std::fs::read(path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|_| "The saved sign-in could not be read; sign in again.".to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(said_plainly(
            "The saved sign-in could not be read; sign in again.",
            e,
        )),
    }
}

/// Saves `session`, replacing any other: written to a temporary file, synced, then renamed,
/// so a crash leaves the old file or the new one, never half of one.
pub fn save(dir: &Path, session: &SavedSession) -> Result<(), String> {
    use std::io::Write;
    let failed = |e: std::io::Error| said_plainly(NOT_SAVED, e);
    let json = serde_json::to_vec_pretty(session).map_err(|e| said_plainly(NOT_SAVED, e))?;
    let temp = dir.join(format!("{SESSION_FILE}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temp).map_err(failed)?;
    file.write_all(&json).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    std::fs::rename(&temp, path(dir)).map_err(failed)
}

/// Forgets the session.
pub fn clear(dir: &Path) -> Result<(), String> {
    match std::fs::remove_file(path(dir)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(said_plainly(
            "Pocketfolio couldn't forget the sign-in on this phone. Close the app, open it again and sign out once more.",
            e,
        )),
    }
}

/// The file naming whose work this device holds; it outlives a sign-out that keeps the data.
pub const OWNER_FILE: &str = "centre-owner.json";

/// Whose work the collection holds: the first account that signed in on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The centre's address.
    pub centre: String,
    /// The learner's sign-in name.
    pub username: String,
}

/// The owner recorded for this device's data, if any (an unreadable file counts as none: the
/// session file, not this one, is what syncing trusts).
pub fn load_owner(dir: &Path) -> Option<Owner> {
    serde_json::from_slice(&std::fs::read(dir.join(OWNER_FILE)).ok()?).ok()
}

/// Records the owner of this device's data.
pub fn save_owner(dir: &Path, owner: &Owner) -> Result<(), String> {
    let json = serde_json::to_vec(owner).map_err(|e| said_plainly(NOT_SAVED, e))?;
    std::fs::write(dir.join(OWNER_FILE), json).map_err(|e| said_plainly(NOT_SAVED, e))
}

/// Whether `owner` may sign in on a device whose data belongs to `recorded`: one learner's
/// work must never be sent to another's account.
pub fn may_sign_in(recorded: Option<&Owner>, owner: &Owner) -> Result<(), String> {
    match recorded {
        Some(r) if r != owner => Err(format!(
            "This device holds the work of {} at {}. To sign in as someone else, sign in as {} \
             and sign out with \"also remove this device's data\" first.",
            r.username, r.centre, r.username
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
pub(crate) fn sample() -> SavedSession {
    SavedSession {
        centre: "https://centre.example.ac.uk".into(),
        token: "s3cret-token".into(),
        expires_ms: 1_900_000_000_000,
        device_id: "0190b5d2-0000-7000-8000-000000000001".into(),
        username: "lee".into(),
        display_name: "Lee Park".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        save(dir.path(), &sample()).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(sample()));
        let mut other = sample();
        other.username = "sam".into();
        save(dir.path(), &other).unwrap();
        assert_eq!(load(dir.path()).unwrap().unwrap().username, "sam");
        clear(dir.path()).unwrap();
        clear(dir.path()).unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn only_this_user_can_read_the_token() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &sample()).unwrap();
        let mode = std::fs::metadata(path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    #[test]
    fn only_the_owner_of_the_data_may_sign_in() {
        let lee = Owner {
            centre: "https://c.example".into(),
            username: "lee".into(),
        };
        let sam = Owner {
            username: "sam".into(),
            ..lee.clone()
        };
        assert!(may_sign_in(None, &lee).is_ok());
        assert!(may_sign_in(Some(&lee), &lee).is_ok());
        let err = may_sign_in(Some(&lee), &sam).unwrap_err();
        assert!(err.contains("holds the work of lee"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_owner(dir.path()), None);
        save_owner(dir.path(), &lee).unwrap();
        assert_eq!(load_owner(dir.path()), Some(lee));
    }

    #[test]
    fn a_sign_in_that_cannot_be_saved_says_so_plainly() {
        // A "folder" that is a file: every write fails with an OS error.
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("file");
        std::fs::write(&not_a_folder, b"x").unwrap();
        let owner = Owner {
            centre: "https://c.example".into(),
            username: "lee".into(),
        };
        for message in [
            save(&not_a_folder, &sample()).unwrap_err(),
            save_owner(&not_a_folder, &owner).unwrap_err(),
        ] {
            assert_eq!(message, NOT_SAVED);
            assert!(!message.contains("os error"), "{message}");
        }
    }

    #[test]
    fn the_token_is_never_printed_and_damage_reads_as_signed_out() {
        assert!(!format!("{:?}", sample()).contains("s3cret"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(path(dir.path()), b"{not json").unwrap();
        assert!(load(dir.path()).unwrap_err().contains("sign in again"));
    }
}
