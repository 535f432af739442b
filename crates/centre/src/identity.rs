//! Rules for sign-in names, display names and passwords, applied wherever an account is made
//! or a password set (the command line and the admin pages call the same functions).
//!
//! A sign-in name is folded to lower case and limited to ASCII letters, digits and `.` `_`
//! `-`, so no two accounts differ only in case, spacing or look-alike letters (`l1` and `L1`,
//! Cyrillic `а` and Latin `a`, an invisible right-to-left override). Display names may be any
//! text a person writes, without control or direction-override characters.

/// A name or password the centre will not accept: the field and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    /// `username`, `display_name` or `password`.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl From<Refused> for crate::error::ApiError {
    fn from(r: Refused) -> Self {
        crate::error::ApiError::invalid(r.field, r.message)
    }
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refused {
    Refused {
        field,
        message: message.into(),
    }
}

/// Shortest password.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The stored form of a sign-in name: trimmed and in lower case (how sign-in looks it up).
pub fn fold_user_name(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

/// Checks a new sign-in name and returns its stored form.
pub fn user_name(raw: &str) -> Result<String, Refused> {
    if raw != raw.trim() {
        return Err(refuse(
            "username",
            "A user name cannot start or end with a space.",
        ));
    }
    let name = fold_user_name(raw);
    if !(2..=64).contains(&name.len()) {
        return Err(refuse("username", "A user name needs 2 to 64 characters."));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if !name.chars().all(allowed) {
        return Err(refuse(
            "username",
            "A user name may hold only the letters a–z, digits, '.', '_' and '-'.",
        ));
    }
    Ok(name)
}

/// Checks a display name and returns it trimmed.
pub fn display_name(raw: &str) -> Result<String, Refused> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(refuse("display_name", "A name needs 1 to 100 characters."));
    }
    // Control characters, and the bidirectional overrides and isolates that make text
    // display in another order than it is stored.
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if name.chars().any(hidden) {
        return Err(refuse(
            "display_name",
            "A name cannot hold control or text-direction characters.",
        ));
    }
    Ok(name.to_string())
}

/// Checks a new password for the account `username`: long enough, not on the list of the
/// most common passwords, and not the user name.
pub fn check_password(password: &str, username: &str) -> Result<(), Refused> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(refuse(
            "password",
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    let folded = password.trim().to_lowercase();
    let user = fold_user_name(username);
    if folded == user || (user.len() >= 4 && folded.contains(&user)) {
        return Err(refuse(
            "password",
            "A password cannot contain the user name.",
        ));
    }
    let common = include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l == folded);
    if common {
        return Err(refuse(
            "password",
            "That password is one of the most common; choose another.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_and_look_alikes_refused() {
        assert_eq!(user_name("Lee.Smith-2").unwrap(), "lee.smith-2");
        for bad in [
            "",
            " ",
            " lee",
            "lee ",
            "l",
            "lee smith",
            "l\u{0435}e",
            "lee\u{202E}",
            "lée",
        ] {
            assert_eq!(user_name(bad).unwrap_err().field, "username", "{bad:?}");
        }
        assert_eq!(display_name("  José Núñez ").unwrap(), "José Núñez");
        assert!(display_name("Lee\u{202E}rekcah").is_err());
        assert!(display_name("   ").is_err());
    }

    #[test]
    fn weak_passwords_are_refused() {
        for bad in [
            "short",
            "password",
            "PASSWORD",
            "12345678",
            "lee12345",
            "pocketfolio",
        ] {
            assert_eq!(
                check_password(bad, "lee1").unwrap_err().field,
                "password",
                "{bad}"
            );
        }
        assert!(check_password("learner7", "learner7").is_err());
        check_password("correct horse", "lee").unwrap();
    }
}
