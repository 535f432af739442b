//! `POST /admin/official/upload`: the official-references page's upload form. The file chosen
//! on the admin's computer arrives as multipart/form-data; it is read whole (up to
//! `MAX_FILE_BYTES`) and checked before anything is stored, then loaded exactly as a pasted
//! file is (`official::load_text`), so a bad line is named and nothing is half-applied.

use super::official::{load_text, render, Outcome};
use super::session::error_page;
use super::PageUser;
use crate::services::official::MAX_FILE_BYTES;
use crate::AppState;
use axum::extract::multipart::{Field, Multipart, MultipartError, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// How much more than the file itself the whole request may carry (the CSRF field, the
/// part headers, the boundaries).
const FORM_OVERHEAD: usize = 16 * 1024;

/// The request size the upload route accepts (its `DefaultBodyLimit`).
pub const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + FORM_OVERHEAD;

/// What the form sent: its CSRF token (the page puts it before the file, so it is kept even
/// when the file cannot be read) and the file, or why it could not be read.
#[derive(Debug)]
struct Upload {
    csrf: String,
    file: Result<(String, Vec<u8>), UploadError>,
}

/// Why an upload could not be read as text; each is said to the admin in a sentence.
#[derive(Debug, thiserror::Error, PartialEq)]
enum UploadError {
    #[error("The file is larger than {} KB; a structure file is a few kilobytes of CSV. Check that you chose the right file.", MAX_FILE_BYTES / 1024)]
    TooBig,
    #[error(
        "No file was chosen, or the file is empty. Choose the structure file and upload it again."
    )]
    NoFile,
    #[error("Line {line} is not plain text (UTF-8). Save the file from the spreadsheet as \"CSV UTF-8\" and upload it again.")]
    NotText { line: usize },
    #[error("The upload did not arrive whole ({0}). Try again.")]
    Broken(String),
}

impl UploadError {
    fn status(&self) -> StatusCode {
        match self {
            UploadError::TooBig => StatusCode::PAYLOAD_TOO_LARGE,
            UploadError::Broken(_) => StatusCode::BAD_REQUEST,
            UploadError::NoFile | UploadError::NotText { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl From<MultipartError> for UploadError {
    fn from(e: MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooBig
        } else {
            UploadError::Broken(e.body_text())
        }
    }
}

/// `POST /admin/official/upload`.
pub async fn upload(
    State(state): State<AppState>,
    user: PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = async {
        let upload = match form {
            Ok(form) => read_upload(form).await,
            Err(e) => Upload {
                csrf: String::new(),
                file: Err(UploadError::Broken(e.body_text())),
            },
        };
        // A request too broken to carry its CSRF token is refused as a forged one would be.
        user.check_csrf(&upload.csrf)?;
        let text = upload
            .file
            .and_then(|(name, bytes)| Ok((text_of(&bytes)?, name)));
        match text {
            Ok((text, name)) => load_text(&state, &user, &name, &text).await,
            Err(why) => {
                let said = why.to_string();
                let page = render(&state, &user, Outcome::Unreadable(&said), "", "").await?;
                Ok((why.status(), page).into_response())
            }
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// Reads the form's fields: `csrf` and `file`, the latter up to [`MAX_FILE_BYTES`].
async fn read_upload(mut form: Multipart) -> Upload {
    let mut csrf = String::new();
    let file = async {
        let mut file = (String::new(), Vec::new());
        while let Some(mut field) = form.next_field().await? {
            let name = field.name().map(str::to_owned);
            match name.as_deref() {
                Some("csrf") => csrf = field.text().await?,
                Some("file") => file = read_file(&mut field).await?,
                _ => {}
            }
        }
        Ok(file)
    }
    .await;
    Upload { csrf, file }
}

/// The file's name and bytes, refused as soon as it passes [`MAX_FILE_BYTES`].
async fn read_file(field: &mut Field<'_>) -> Result<(String, Vec<u8>), UploadError> {
    let name = field
        .file_name()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("uploaded file")
        .to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(UploadError::TooBig);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((name, bytes))
}

/// The file as text, or which line is not UTF-8. A spreadsheet's byte-order mark is dropped.
fn text_of(bytes: &[u8]) -> Result<String, UploadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(UploadError::NoFile);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            Err(UploadError::NotText { line })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_names_the_first_line_that_is_not_utf8() {
        let latin1 = b"qualification,unit\nproqual,negotiate\nproqual,caf\xE9\n";
        assert_eq!(text_of(latin1), Err(UploadError::NotText { line: 3 }));
        assert_eq!(text_of(b"  \n"), Err(UploadError::NoFile));
        assert_eq!(text_of(b"\xEF\xBB\xBFa,b\n").as_deref(), Ok("a,b\n"));
    }
}
