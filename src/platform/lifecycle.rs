//! The app going to the background and coming back, and the network returning or changing:
//! the moments a phone app must save and sync. The webview tells us, on every target alike
//! (desktop, the Android and iOS webviews, the browser preview), through the page's own
//! events: `visibilitychange` and `pagehide` for background and foreground, `online` for the
//! network coming back and, where the webview has the Network Information API (Chromium's,
//! so Android and the desktop, not iOS), `navigator.connection`'s `change` for a move from
//! one network to another (Wi-Fi to mobile data). On the way out every screen with unsaved
//! text saves it first, then the sync worker sends it; on the way back, and when the network
//! returns or changes, the worker syncs at once instead of at the end of its backoff wait.
//! What Android and iOS would add natively is in docs/mobile.md.

use crate::state::use_app;
use dioxus::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Forwards the page's lifecycle events as one word each: "hidden", "visible", "online",
/// "network-changed".
const WATCH_JS: &str = r#"
const say = (what) => { try { dioxus.send(what); } catch (_) {} };
document.addEventListener('visibilitychange', () => say(document.hidden ? 'hidden' : 'visible'));
window.addEventListener('pagehide', () => say('hidden'));
// Back from the page cache (a phone restoring a suspended app): on screen again.
window.addEventListener('pageshow', (e) => { if (e.persisted) say('visible'); });
window.addEventListener('online', () => say('online'));
// Another network (Wi-Fi to mobile data, a new access point): a request begun on the old one
// may never be answered, so try afresh. Only while there is a network at all.
navigator.connection?.addEventListener?.('change', () => { if (navigator.onLine) say('network-changed'); });
await new Promise(() => {});
"#;

/// What the platform said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// The app left the screen (another app, the lock screen, the home button).
    Paused,
    /// The app is on screen again.
    Resumed,
    /// The device's network came back, or it moved to another network.
    NetworkUp,
}

impl LifecycleEvent {
    /// Reads the page's word for it.
    pub fn parse(word: &str) -> Option<LifecycleEvent> {
        match word {
            "hidden" => Some(LifecycleEvent::Paused),
            "visible" => Some(LifecycleEvent::Resumed),
            "online" | "network-changed" => Some(LifecycleEvent::NetworkUp),
            _ => None,
        }
    }
}

/// One screen's save, run as the app leaves the screen.
type Saver = Rc<dyn Fn()>;

/// Saves to run before the app leaves the screen, by the screens that hold unsaved text.
#[derive(Clone, Default)]
pub struct SaveOnPause {
    next: Rc<RefCell<u64>>,
    savers: Rc<RefCell<BTreeMap<u64, Saver>>>,
}

impl SaveOnPause {
    /// Runs every registered save.
    pub fn save_all(&self) {
        // Cloned out first: a save re-renders, which may register or drop savers.
        let savers: Vec<_> = self.savers.borrow().values().cloned().collect();
        for save in savers {
            save();
        }
    }
}

/// Registers `save` for the calling component's life: it runs when the app is paused.
pub fn use_save_on_pause(save: impl Fn() + 'static) {
    let registry = try_consume_context::<SaveOnPause>();
    let key = use_hook(|| {
        let registry = registry.clone()?;
        let key = {
            let mut next = registry.next.borrow_mut();
            *next += 1;
            *next
        };
        registry.savers.borrow_mut().insert(key, Rc::new(save));
        Some(key)
    });
    use_drop(move || {
        if let (Some(registry), Some(key)) = (registry, key) {
            registry.savers.borrow_mut().remove(&key);
        }
    });
}

/// From the root component: listens for the platform's lifecycle events and acts on them.
pub fn provide_lifecycle() {
    let app = use_app();
    let savers = use_context_provider(SaveOnPause::default);
    use_future(move || {
        let savers = savers.clone();
        async move {
            let mut page = document::eval(WATCH_JS);
            while let Ok(word) = page.recv::<String>().await {
                let Some(event) = LifecycleEvent::parse(&word) else {
                    continue;
                };
                handle(event, &savers, &app.sync());
            }
        }
    });
}

/// What each event does. Paused: save what is typed, then sync it before the system suspends
/// the app. Resumed: sync now, with retry waits capped while on screen. Network back: sync now.
fn handle(event: LifecycleEvent, savers: &SaveOnPause, sync: &crate::services::sync::SyncHandle) {
    match event {
        LifecycleEvent::Paused => {
            savers.save_all();
            sync.set_foreground(false);
        }
        LifecycleEvent::Resumed => sync.set_foreground(true),
        LifecycleEvent::NetworkUp => sync.network_up(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_words_map_to_events() {
        assert_eq!(
            LifecycleEvent::parse("hidden"),
            Some(LifecycleEvent::Paused)
        );
        assert_eq!(
            LifecycleEvent::parse("visible"),
            Some(LifecycleEvent::Resumed)
        );
        assert_eq!(
            LifecycleEvent::parse("online"),
            Some(LifecycleEvent::NetworkUp)
        );
        assert_eq!(
            LifecycleEvent::parse("network-changed"),
            Some(LifecycleEvent::NetworkUp)
        );
        assert_eq!(LifecycleEvent::parse("other"), None);
    }

    #[test]
    fn a_pause_runs_every_registered_save() {
        let savers = SaveOnPause::default();
        let ran = Rc::new(RefCell::new(0));
        for key in 0..3 {
            let ran = ran.clone();
            savers
                .savers
                .borrow_mut()
                .insert(key, Rc::new(move || *ran.borrow_mut() += 1));
        }
        handle(
            LifecycleEvent::Paused,
            &savers,
            &crate::services::sync::SyncHandle::new(),
        );
        assert_eq!(*ran.borrow(), 3);
    }
}
