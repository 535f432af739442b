//! Pocketfolio, the learner app: one Dioxus component tree for desktop, Android and iOS, and
//! for a browser preview used by the end-to-end tests.

mod args;
mod components;
mod platform;
mod plural;
#[cfg(feature = "preview")]
mod preview;
mod services;
mod state;
mod views;

use dioxus::prelude::*;
use state::Backend;
use views::{
    AddCard, Browse, DeckOptions, Decks, EditCard, EvidenceDetail, Hours, ImportCards, NotFound,
    Portfolio, ProgressReviewPage, ProgressReviews, Review, Settings, Shell, Stats, Today,
    UnitDetail, Units,
};

/// The stylesheet as an asset, which `dx` bundles for Android and iOS.
pub const MAIN_CSS: Asset = asset!("/assets/main.css");

/// The same stylesheet compiled in. `cargo run` has no asset bundler (the link above then
/// points at a file that was never bundled), and the preview serves no files; inlining it
/// makes every target styled the same way with no extra step.
const MAIN_CSS_TEXT: &str = include_str!("../assets/main.css");

/// Every screen. `Review` takes a scope: `all/-`, `deck/<deck id>` or `unit/<unit id>`.
#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/")]
        Today {},
        #[route("/review/:kind/:id")]
        Review { kind: String, id: String },
        #[route("/decks")]
        Decks {},
        #[route("/decks/import")]
        ImportCards {},
        #[route("/decks/:deck/options")]
        DeckOptions { deck: String },
        #[route("/browse")]
        Browse {},
        #[route("/add")]
        AddCard {},
        #[route("/edit/:note")]
        EditCard { note: String },
        #[route("/units")]
        Units {},
        #[route("/units/:unit")]
        UnitDetail { unit: String },
        #[route("/evidence")]
        Portfolio {},
        #[route("/evidence/item/:id")]
        EvidenceDetail { id: String },
        #[route("/hours")]
        Hours {},
        #[route("/progress-reviews")]
        ProgressReviews {},
        #[route("/progress-reviews/:id")]
        ProgressReviewPage { id: String },
        #[route("/stats")]
        Stats {},
        #[route("/settings")]
        Settings {},
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

fn main() {
    let args = match args::Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    // The criteria suggester learns from the pack's examples; doing it now, beside the window
    // opening, means the first item screen does not wait for it under the collection lock.
    std::thread::spawn(pocketfolio_core::evidence::prepare_suggestions);
    let backend = services::open::open_backend(&args.data_dir, args.seed_cards);
    if let Some(message) = backend.open_error() {
        eprintln!("{message}");
    } else {
        // One worker per process, shared by every window or preview tab.
        services::sync::start(&backend, args.data_dir.clone());
    }
    run(backend, &args);
}

#[cfg(feature = "preview")]
fn run(backend: Backend, args: &args::Args) {
    preview::serve(backend, args.port, args.data_dir.clone());
}

#[cfg(not(feature = "preview"))]
fn run(backend: Backend, _args: &args::Args) {
    let builder = LaunchBuilder::new().with_context(backend);
    #[cfg(feature = "desktop")]
    let builder = builder.with_cfg(
        dioxus::desktop::Config::new().with_menu(None).with_window(
            dioxus::desktop::WindowBuilder::new()
                .with_title("Pocketfolio")
                .with_inner_size(dioxus::desktop::LogicalSize::new(430.0, 860.0)),
        ),
    );
    builder.launch(App);
}

/// The root: provides the collection to every screen, or explains why it can't.
#[component]
pub fn App() -> Element {
    let backend = use_context::<Backend>();
    let app = state::provide_app(backend);
    views::evidence::provide_handover();
    platform::provide_lifecycle();
    rsx! {
        document::Stylesheet { href: MAIN_CSS }
        style { {MAIN_CSS_TEXT} }
        document::Title { "Pocketfolio" }
        if let Some(message) = app.open_error() {
            main { class: "app open-error", role: "alert",
                h1 { "Pocketfolio can't open your collection" }
                p { "{message}" }
                p { "If the file is damaged, restore it from a backup, or move it aside and Pocketfolio will start a new collection." }
            }
        } else {
            Router::<Route> {}
        }
    }
}
