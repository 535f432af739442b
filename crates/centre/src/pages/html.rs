//! Escaping and the page frame.

use super::PageUser;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML content and quoted attributes (the export's escaping, so the
/// portfolio a learner downloads and the pages an assessor reads escape alike).
pub use pocketfolio_core::portfolio::escape_html as escape;

/// A whole page: header with navigation for `user`, then `body` (already escaped HTML).
pub fn page(title: &str, user: Option<&PageUser>, body: &str) -> Response {
    let nav = match user {
        Some(u) if u.is_employer() => format!(
            r#"<nav><a href="/apprentices">Apprentices</a>
<form method="post" action="/sign-out" class="inline"><input type="hidden" name="csrf" value="{csrf}">
<a class="who" href="/account">{name}</a> <button type="submit">Sign out</button></form></nav>"#,
            csrf = escape(&u.csrf),
            name = escape(&u.account.display_name),
        ),
        Some(u) => {
            let admin = if u.is_admin() {
                r#"<a href="/admin">Accounts</a> <a href="/admin/eqa">EQA access</a> <a href="/admin/employers">Employers</a> <a href="/admin/audit">Audit log</a> <a href="/admin/data">Data protection</a> <a href="/admin/official">Official references</a>"#
            } else {
                ""
            };
            format!(
                r#"<nav><a href="/">Learners</a> <a href="/queue">Evidence queue</a> <a href="/quality">Quality</a> <a href="/hours">Hours</a> {admin}
<form method="post" action="/sign-out" class="inline"><input type="hidden" name="csrf" value="{csrf}">
<a class="who" href="/account">{name}</a> <button type="submit">Sign out</button></form></nav>"#,
                csrf = escape(&u.csrf),
                name = escape(&u.account.display_name),
            )
        }
        None => String::new(),
    };
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Pocketfolio centre</title>
<link rel="stylesheet" href="/static/centre.css"></head>
<body><header><span class="brand">Pocketfolio centre</span>{nav}</header>
<main>{body}</main></body></html>"#,
        title = escape(title),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// A date and time (UTC) for people.
pub fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%d %b %Y %H:%M UTC").to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
