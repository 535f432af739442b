//! The browser preview: the same components served over dioxus-liveview on 127.0.0.1. The
//! collection stays in this process, as it would on a phone; each tab gets its own screens
//! over one shared collection.

use crate::state::Backend;
use crate::App;
use axum::extract::{Path, WebSocketUpgrade};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dioxus::prelude::VirtualDom;
use dioxus_liveview::{axum_socket, interpreter_glue, LiveViewPool};
use std::path::PathBuf;
use std::sync::Arc;

/// Serves the app on 127.0.0.1:`port` until the process is stopped. `data_dir` is the
/// collection's folder, whose `exports/` the portfolio export writes to.
pub fn serve(backend: Backend, port: u16, data_dir: PathBuf) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("Could not listen on 127.0.0.1:{port}: {e}");
                std::process::exit(1);
            }
        };
        let addr = listener.local_addr().expect("a bound address");
        println!("Pocketfolio preview on http://{addr}/");
        // Open websockets would keep a graceful axum shutdown waiting for ever, so stop
        // serving on the signal and close the collection: dropping it checkpoints the WAL
        // into the database file, as a phone app does when it goes to the background.
        tokio::select! {
            served = axum::serve(listener, router(backend.clone(), data_dir)) => {
                if let Err(e) = served {
                    eprintln!("The preview server stopped: {e}");
                }
            }
            () = stop_signal() => {}
        }
        backend.close();
    });
}

/// Ctrl-C, or SIGTERM on Unix (what test runners and service managers send).
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn router(backend: Backend, data_dir: PathBuf) -> Router {
    let pool = Arc::new(LiveViewPool::new());
    let page = Html(index_page());
    Router::new()
        .route(
            "/ws",
            get(move |ws: WebSocketUpgrade| {
                let pool = pool.clone();
                let backend = backend.clone();
                async move {
                    ws.on_upgrade(move |socket| async move {
                        let _ = pool
                            .launch_virtualdom(axum_socket(socket), move || {
                                VirtualDom::new(App).with_root_context(backend)
                            })
                            .await;
                    })
                }
            }),
        )
        .route(
            "/exports/{file}",
            get(move |Path(file): Path<String>| download_export(data_dir.join("exports"), file)),
        )
        // Every other path is a screen: the router inside the app reads the location.
        .fallback(get(move || async move { page.clone() }))
}

/// A portfolio (`.zip`) or Anki (`.apkg`, `.tsv`, `.csv`) export, so a browser can save what
/// the app wrote. Only plain names in the exports folder: no paths.
async fn download_export(folder: PathBuf, file: String) -> Response {
    let kind = match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("zip" | "apkg") => "application/zip",
        Some("tsv") => "text/tab-separated-values; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let plain = !file.starts_with('.')
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !plain {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = folder.join(&file);
    match tokio::task::spawn_blocking(move || std::fs::read(path)).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, kind.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn index_page() -> String {
    let glue = interpreter_glue("/ws");
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>Pocketfolio</title>
</head>
<body><div id="main"></div>{glue}</body>
</html>"#
    )
}
