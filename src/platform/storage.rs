//! Where the learner's collection and attachments live on each platform. On Android
//! `dirs::data_dir()` is `None` (the app would open its collection in `.`, which is not
//! writable there); the app's private files folder is `/data/user/<user>/<package>/files`,
//! which we read from the process itself (its package name and user), so no JNI call (and no
//! `unsafe`) is needed. On iOS the sandbox's `Library/Application Support` under `HOME`. On the
//! desktop the user's data folder.

use std::path::{Path, PathBuf};

/// The folder name inside a shared data folder (desktop).
const APP_FOLDER: &str = "pocketfolio";

/// The folder the collection lives in on this platform; `.` only if the platform gives none.
pub fn data_dir() -> PathBuf {
    platform_data_dir().unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(target_os = "android")]
fn platform_data_dir() -> Option<PathBuf> {
    let cmdline = std::fs::read("/proc/self/cmdline").ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    android_files_dir(&cmdline, &status)
}

#[cfg(target_os = "ios")]
fn platform_data_dir() -> Option<PathBuf> {
    ios_support_dir(std::env::var_os("HOME").as_deref().map(Path::new))
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_FOLDER))
}

/// An Android app's private files folder, from its process's command line (the package name,
/// NUL-terminated, possibly with `:service` after it) and `/proc/self/status` (whose `Uid:`
/// line gives the Android user: uid / 100000).
#[cfg_attr(not(target_os = "android"), allow(dead_code))]
fn android_files_dir(cmdline: &[u8], status: &str) -> Option<PathBuf> {
    let first = cmdline.split(|b| *b == 0).next()?;
    let name = std::str::from_utf8(first).ok()?;
    let package = name.split(':').next()?.trim();
    let valid = !package.is_empty()
        && package.contains('.')
        && package
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if !valid {
        return None;
    }
    let uid: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(
        Path::new("/data/user")
            .join((uid / 100_000).to_string())
            .join(package)
            .join("files"),
    )
}

/// An iOS app's Application Support folder inside its sandbox (`HOME` is the sandbox).
#[cfg_attr(not(target_os = "ios"), allow(dead_code))]
fn ios_support_dir(home: Option<&Path>) -> Option<PathBuf> {
    let home = home.filter(|h| h.is_absolute())?;
    Some(home.join("Library").join("Application Support"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str =
        "Name:\tpocketfolio\nUmask:\t0077\nUid:\t1010123\t1010123\t1010123\t1010123\n";

    #[test]
    fn android_uses_the_packages_own_files_folder_for_its_user() {
        let dir = android_files_dir(b"uk.pocketfolio.app\0\0\0", STATUS).unwrap();
        assert_eq!(dir, PathBuf::from("/data/user/10/uk.pocketfolio.app/files"));
        let owner = "Uid:\t10123\t10123\t10123\t10123\n";
        assert_eq!(
            android_files_dir(b"uk.pocketfolio.app:sync\0", owner).unwrap(),
            PathBuf::from("/data/user/0/uk.pocketfolio.app/files"),
            "a service process of the same app shares its folder"
        );
    }

    #[test]
    fn android_refuses_what_is_not_a_package() {
        assert_eq!(
            android_files_dir(b"/system/bin/app_process\0", STATUS),
            None
        );
        assert_eq!(android_files_dir(b"", STATUS), None);
        assert_eq!(
            android_files_dir(b"uk.pocketfolio.app\0", "Name:\tx\n"),
            None
        );
    }

    #[test]
    fn ios_uses_application_support_in_the_sandbox() {
        let home = Path::new("/var/mobile/Containers/Data/Application/ABC");
        assert_eq!(
            ios_support_dir(Some(home)).unwrap(),
            home.join("Library/Application Support")
        );
        assert_eq!(ios_support_dir(Some(Path::new("relative"))), None);
        assert_eq!(ios_support_dir(None), None);
    }

    #[test]
    fn the_desktop_uses_a_folder_of_its_own() {
        if let Some(data) = dirs::data_dir() {
            assert_eq!(data_dir(), data.join(APP_FOLDER));
        }
    }
}
