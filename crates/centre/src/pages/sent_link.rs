//! What a member of staff sees after making a one-time link: whether it was mailed, and, when
//! it was not, the link to copy and pass on by hand (shown only then, and only this once).

use super::html::escape;
use crate::services::one_time_link::SentLink;
use crate::AppState;
use axum::http::{header, HeaderMap};

/// The link as staff can copy it: the centre's public address when set, else the one their
/// browser used.
pub(super) fn full_link(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    if let Some(link) = crate::mail::public_link(state.config.public_url.as_deref(), path) {
        return link;
    }
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}{path}"),
        None => path.to_string(),
    }
}

/// The sentence saying what became of the mail to `whom` ("the employer"), then the link in
/// a read-only box with the id `input_id` when it must be passed on by hand.
pub(super) fn sent_link_html(
    state: &AppState,
    headers: &HeaderMap,
    sent: &SentLink,
    whom: &str,
    input_id: &str,
) -> String {
    let shown = if sent.delivery.link_to_show() {
        format!(
            r#"
<p><label>Link for {whom} <input id="{input_id}" readonly value="{link}" size="80"></label></p>
<p class="hint">It is shown only now: the centre keeps no copy it could show again.</p>"#,
            whom = escape(whom),
            input_id = escape(input_id),
            link = escape(&full_link(state, headers, &sent.path)),
        )
    } else {
        String::new()
    };
    format!(
        r#"<p id="delivery">{}</p>{shown}"#,
        escape(&sent.delivery.sentence(whom))
    )
}
