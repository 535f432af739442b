//! The audit log for admins: filtered by actor, learner, kind and dates, and exported as CSV
//! for an external quality assurer (EQA).

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::audit::AuditQuery;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Entries shown on the page; the CSV holds every one that passes the filter.
const SHOWN: i64 = 500;

fn query_string(q: &AuditQuery) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("actor", &q.actor)
        .append_pair("learner", &q.learner)
        .append_pair("kind", &q.kind)
        .append_pair("from", &q.from)
        .append_pair("to", &q.to)
        .finish()
}

/// `GET /admin/audit`: the newest entries that pass the filter.
pub async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    let result = async {
        let entries = services::audit::list(&state.db, Actor::Account(&user.account), &q, SHOWN).await?;
        let rows: String = entries
            .iter()
            .map(|e| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                    e.seq,
                    when(e.time_ms),
                    escape(&e.actor),
                    escape(&e.action),
                    escape(&e.target),
                    escape(&e.before),
                    escape(&e.after)
                )
            })
            .collect();
        let field = |name: &str, label: &str, value: &str, kind: &str| {
            format!(
                r#"<label>{label} <input name="{name}" type="{kind}" value="{}"></label>"#,
                escape(value)
            )
        };
        let body = format!(
            r#"<h1>Audit log</h1>
<form method="get" action="/admin/audit" class="card">
<div class="columns">{actor}{learner}{kind}<div>{from}{to}</div></div>
<button type="submit">Filter</button></form>
<p><a class="button" href="/admin/audit.csv?{qs}">Export these entries as CSV</a>
<span class="hint">Each entry carries the hash of the one before; <code>pocketfolio-centre audit verify</code> checks the whole chain.</span></p>
<table class="audit"><thead><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>On</th><th>Before</th><th>After</th></tr></thead><tbody>{rows}</tbody></table>"#,
            actor = field("actor", "By (user name)", &q.actor, "text"),
            learner = field("learner", "About learner (user name)", &q.learner, "text"),
            kind = field("kind", "Kind (e.g. account, sign_in.failed)", &q.kind, "text"),
            from = field("from", "From", &q.from, "date"),
            to = field("to", "To", &q.to, "date"),
            qs = escape(&query_string(&q)),
        );
        Ok::<_, ApiError>(page("Audit log", Some(&user), &body))
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// `GET /admin/audit.csv`: every entry that passes the filter, oldest first.
pub async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    match services::audit::export_csv(&state.db, Actor::Account(&user.account), &q).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"pocketfolio-audit.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => error_page(e.into()),
    }
}
