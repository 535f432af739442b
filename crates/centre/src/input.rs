//! Refuses a NUL character anywhere in a request's path, query string or form body (422
//! naming the field), before any handler runs. PostgreSQL cannot store NUL in text and
//! SQLite can, so without this the same request was a 500 on one and stored on the other.
//! JSON bodies are checked where they are read: pushes by the core's rules
//! (`sync::validate`), sign-in in `auth`.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The first form or query field (`name=value` pairs) whose name or value holds a NUL.
pub fn field_with_nul(pairs: &[u8]) -> Option<String> {
    form_urlencoded::parse(pairs)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', "\\0"))
}

fn refuse(field: String) -> Response {
    ApiError::invalid(
        field,
        "The request contains a NUL character, which cannot be stored.",
    )
    .into_response()
}

/// The middleware; `max_body` bounds how much of a form body it reads (as the handler would).
pub async fn refuse_nul(request: Request, next: Next, max_body: usize) -> Response {
    let uri = request.uri();
    let path_has_nul = percent_decoded(uri.path().as_bytes()).contains(&0);
    if path_has_nul {
        return refuse("path".into());
    }
    if let Some(field) = uri.query().and_then(|q| field_with_nul(q.as_bytes())) {
        return refuse(field);
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::TooLarge("The form is too large.".into()).into_response(),
    };
    if let Some(field) = field_with_nul(&bytes) {
        return refuse(field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// `%XX` escapes decoded (anything malformed is kept as it is).
fn percent_decoded(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            text[i],
            text.get(i + 1).copied().and_then(hex),
            text.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_with_a_nul_however_it_is_written() {
        assert_eq!(
            field_with_nul(b"a=1&feedback=x%00y"),
            Some("feedback".into())
        );
        assert_eq!(field_with_nul(b"user%00name=x"), Some("user\\0name".into()));
        assert_eq!(
            field_with_nul(b"a=1&b=%2500"),
            None,
            "an escaped percent sign is text"
        );
        assert_eq!(percent_decoded(b"/learners/%00x"), b"/learners/\0x");
        assert_eq!(percent_decoded(b"/a%zz%4"), b"/a%zz%4");
    }
}
