//! The background sync worker: one thread per process, blocking HTTP, never on the UI thread.
//! It syncs on start, soon after the learner changes something, every few minutes, on demand,
//! and after a failure with backoff (which is also how it notices the connection is back).

use super::backoff::{probe_every, Jitter};
use super::handle::{Command, SyncHandle};
use super::session_store::{self, SavedSession};
use super::sign_in_message::sign_in_message;
use super::status::{Account, Next, Progress, SyncState};
use crate::state::Backend;
use pocketfolio_client::{Centre, ClientError, HttpTransport};
use pocketfolio_core::sync::sync;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often to sync while nothing else prompts it.
pub const ROUTINE: Duration = Duration::from_secs(4 * 60);
/// How long after a change to wait, so a burst of reviews goes in one push.
pub const DEBOUNCE: Duration = Duration::from_secs(2);
/// How often the "retry in Xs" countdown is refreshed.
const TICK: Duration = Duration::from_secs(1);

/// The wait before retry `attempt` after a failure, in ms, given whether the app is on
/// screen (tests replace it).
type Backoff = fn(&mut Jitter, u32, bool) -> u64;

/// Starts the worker for `backend`, whose collection lives in `data_dir`. Once per process:
/// a second call does nothing.
pub fn start(backend: &Backend, data_dir: PathBuf) {
    start_with_backoff(backend, data_dir, Jitter::delay_for);
}

/// [`start`], with another backoff schedule.
pub(super) fn start_with_backoff(backend: &Backend, data_dir: PathBuf, backoff: Backoff) {
    let (tx, rx) = channel();
    if !backend.sync().attach(tx) {
        return;
    }
    let mut worker = Worker::new(backend.clone(), data_dir);
    worker.backoff = backoff;
    let spawned = std::thread::Builder::new()
        .name("pocketfolio-sync".into())
        .spawn(move || worker.run(rx));
    if let Err(e) = spawned {
        eprintln!("Sync could not start: {e}");
    }
}

struct Worker {
    backend: Backend,
    handle: SyncHandle,
    dir: PathBuf,
    session: Option<SavedSession>,
    link: Option<HttpTransport>,
    next_sync: Option<Instant>,
    attempt: u32,
    jitter: Jitter,
    backoff: Backoff,
    last_ping: Instant,
    /// While a backoff wait runs: when the connection went, and when to probe it next.
    offline_since: Option<Instant>,
    next_probe: Option<Instant>,
    /// The app is on screen (the platform's lifecycle says when it is not): waits are
    /// capped so catch-up after an outage takes seconds.
    foreground: bool,
}

impl Worker {
    fn new(backend: Backend, dir: PathBuf) -> Worker {
        let handle = backend.sync().clone();
        Worker {
            backend,
            handle,
            dir,
            session: None,
            link: None,
            next_sync: None,
            attempt: 0,
            jitter: Jitter::from_time(),
            backoff: Jitter::delay_for,
            last_ping: Instant::now(),
            offline_since: None,
            next_probe: None,
            foreground: true,
        }
    }

    fn run(&mut self, rx: Receiver<Command>) {
        self.load_session();
        self.refresh_pending();
        loop {
            let wait = match self.next_sync {
                Some(at) => at.saturating_duration_since(Instant::now()).min(TICK),
                None => Duration::from_secs(3600),
            };
            let wait = match self.next_probe {
                Some(at) => wait.min(at.saturating_duration_since(Instant::now())),
                None => wait,
            };
            match rx.recv_timeout(wait) {
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(command) => self.obey(command),
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.probe_if_due();
            match self.next_sync {
                Some(at) if at <= Instant::now() => self.sync_once(),
                Some(_) => self.refresh_clock(),
                None => {}
            }
        }
    }

    /// While waiting out a backoff, asks now and then whether the centre answers again, and
    /// syncs at once when it does instead of at the end of the wait.
    fn probe_if_due(&mut self) {
        let (Some(at), Some(since)) = (self.next_probe, self.offline_since) else {
            return;
        };
        if at > Instant::now() {
            return;
        }
        let back = self
            .session
            .as_ref()
            .and_then(|s| Centre::new(&s.centre).ok())
            .is_some_and(|centre| centre.reachable());
        if back {
            self.next_probe = None;
            self.next_sync = Some(Instant::now());
        } else {
            self.next_probe = Some(Instant::now() + probe_every(since.elapsed(), self.foreground));
        }
    }

    /// Screens show "retry in Xs" and "Synced 3 min ago": have them look again as time
    /// passes, every second while offline and every half minute otherwise.
    fn refresh_clock(&mut self) {
        let every = match self.handle.status().state {
            SyncState::Offline { .. } => TICK,
            _ => Duration::from_secs(30),
        };
        if self.last_ping.elapsed() >= every {
            self.last_ping = Instant::now();
            self.handle.ping();
        }
    }

    fn obey(&mut self, command: Command) {
        match command {
            Command::SignIn {
                centre,
                username,
                password,
            } => self.sign_in(&centre, &username, &password),
            Command::SignOut { remove_data } => self.sign_out(remove_data),
            Command::SyncNow => {
                if self.session.is_some() {
                    self.next_sync = Some(Instant::now());
                }
            }
            Command::Changed => self.changed(),
            Command::Foreground(on_screen) => self.foreground(on_screen),
            Command::NetworkUp => self.cut_wait_short(),
            Command::Stop => {}
        }
    }

    /// The app came on screen or left it. Either way sync now: coming back, to catch up at
    /// once (the wait may have grown while the phone slept); leaving, to send what was just
    /// saved before the system suspends the app.
    fn foreground(&mut self, on_screen: bool) {
        self.foreground = on_screen;
        self.cut_wait_short();
    }

    /// Something suggests the connection may work now (the network came back, the app came
    /// on screen): sync at once and start the backoff afresh if this try fails too. A sync
    /// that waits for the learner (a refused sign-in, a refused file) keeps waiting.
    fn cut_wait_short(&mut self) {
        if self.session.is_none() {
            return;
        }
        let state = self.handle.status().state;
        if matches!(state, SyncState::SignInAgain | SyncState::Failed { .. }) {
            return;
        }
        self.attempt = 0;
        self.next_probe = None;
        self.next_sync = Some(Instant::now());
    }

    fn load_session(&mut self) {
        match session_store::load(&self.dir) {
            Ok(Some(session)) => self.use_session(session),
            Ok(None) => {}
            Err(message) => self.handle.update(|s| s.message = Some(Err(message))),
        }
    }

    /// Starts syncing as `session`, at once.
    fn use_session(&mut self, session: SavedSession) {
        let account = Account {
            centre: session.centre.clone(),
            username: session.username.clone(),
            display_name: session.display_name.clone(),
        };
        self.link = Centre::new(&session.centre).ok().and_then(|centre| {
            let device = self.backend.with(|c| c.device_id()).ok()?;
            Some(self.new_link(centre, session.token.clone(), device))
        });
        self.session = Some(session);
        self.attempt = 0;
        self.next_sync = Some(Instant::now());
        self.handle.update(|s| {
            s.account = Some(account);
            s.state = SyncState::Waiting;
        });
    }

    fn new_link(
        &self,
        centre: Centre,
        token: String,
        device: pocketfolio_core::model::DeviceId,
    ) -> HttpTransport {
        let handle = self.handle.clone();
        // The worker retries and probes by itself: a sync begun while the centre cannot
        // answer must end before the next probe, or Sync now waits on it.
        HttpTransport::new(centre, token, device)
            .with_first_wait(pocketfolio_client::patience::QUICK_FIRST_WAIT)
            .on_upload_progress(Arc::new(move |_sha, held, size| {
                handle.update(|s| s.uploaded_chunk(held, size))
            }))
    }

    fn sign_in(&mut self, address: &str, username: &str, password: &str) {
        match self.try_sign_in(address, username, password) {
            Ok(session) => {
                let name = session.display_name.clone();
                self.use_session(session);
                self.handle
                    .update(|s| s.message = Some(Ok(format!("Signed in as {name}."))));
            }
            Err(message) => {
                let signed_in = self.session.is_some();
                self.handle.update(|s| {
                    if !signed_in {
                        s.state = SyncState::SignedOut;
                    }
                    s.message = Some(Err(message));
                });
            }
        }
    }

    fn try_sign_in(
        &self,
        address: &str,
        username: &str,
        password: &str,
    ) -> Result<SavedSession, String> {
        if username.trim().is_empty() || password.is_empty() {
            return Err("Enter your username and password from your centre.".to_string());
        }
        let failed = |e: ClientError| {
            // The screen says it in plain words; the detail is for whoever reads the log.
            eprintln!("Sign-in failed: {e}");
            sign_in_message(&e, address.trim())
        };
        let centre = Centre::new(address).map_err(failed)?;
        let session = centre.sign_in(username.trim(), password).map_err(failed)?;
        let owner = session_store::Owner {
            centre: centre.address().to_string(),
            username: session.username.clone(),
        };
        if let Err(message) =
            session_store::may_sign_in(session_store::load_owner(&self.dir).as_ref(), &owner)
        {
            // Best effort: the unused session would expire on the centre anyway.
            let _ = centre.sign_out(&session);
            return Err(message);
        }
        session_store::save_owner(&self.dir, &owner)?;
        // Known before the first sync, so housekeeping this centre would refuse is not queued.
        // Not a reason to refuse the sign-in: unrecorded, a refusal is handled when it comes.
        let recorded = self
            .backend
            .with(|c| c.record_centre_kinds(session.accepted_kinds.clone()))
            .and_then(|r| r.map_err(|e| e.to_string()));
        if let Err(e) = recorded {
            eprintln!("The kinds of change the centre takes were not recorded: {e}");
        }
        let device_id = self.backend.with(|c| c.device_id().to_string())?;
        let saved = SavedSession {
            centre: centre.address().to_string(),
            token: session.token,
            expires_ms: session.expires_ms,
            device_id,
            username: session.username,
            display_name: session.display_name,
        };
        session_store::save(&self.dir, &saved)?;
        Ok(saved)
    }

    fn sign_out(&mut self, remove_data: bool) {
        if let Some(session) = self.session.take() {
            // Best effort: offline, the token simply expires on the centre later.
            if let Ok(centre) = Centre::new(&session.centre) {
                let _ = centre.sign_out(&pocketfolio_client::Session {
                    token: session.token.clone(),
                    expires_ms: session.expires_ms,
                    username: session.username.clone(),
                    display_name: session.display_name.clone(),
                    accepted_kinds: None,
                });
            }
        }
        self.link = None;
        self.next_sync = None;
        self.next_probe = None;
        self.offline_since = None;
        let mut message = match session_store::clear(&self.dir) {
            Ok(()) => Ok("Signed out. Your work stays on this device.".to_string()),
            Err(e) => Err(e),
        };
        if remove_data && message.is_ok() {
            message = super::remove::remove_device_data(&self.backend, &self.dir)
                .map(|()| "Signed out and removed this device's data.".to_string());
        }
        self.refresh_pending();
        self.handle.update(|s| {
            s.state = SyncState::SignedOut;
            s.account = None;
            s.last_synced_ms = None;
            s.message = Some(message);
            if remove_data {
                s.data_generation += 1;
            }
        });
    }

    /// The learner changed something: sync soon if anything waits to be sent, unless a
    /// backoff wait is running (the retry will carry it) or the worker waits for the learner.
    /// Whether the change added to the outbox is not asked: the screen's write has counted it
    /// already, and so may the end of a sync it overlapped.
    fn changed(&mut self) {
        if self.refresh_pending() == 0 || self.session.is_none() {
            return;
        }
        let soon = Instant::now() + DEBOUNCE;
        let state = self.handle.status().state;
        let waiting = matches!(
            state,
            SyncState::Offline { .. } | SyncState::SignInAgain | SyncState::Failed { .. }
        );
        if !waiting && self.next_sync.is_none_or(|at| at > soon) {
            self.next_sync = Some(soon);
        }
    }

    fn refresh_pending(&self) -> u64 {
        let pending = self
            .backend
            .with(|c| c.pending_changes().unwrap_or(0))
            .unwrap_or(0);
        self.handle.update(|s| s.pending = pending);
        pending
    }

    fn sync_once(&mut self) {
        self.next_sync = None;
        let (Some(link), Ok(col)) = (self.link.as_mut(), self.backend.collection()) else {
            return;
        };
        let handle = self.handle.clone();
        handle.update(|s| s.state = SyncState::Syncing(Progress::Starting));
        // Once a learner day, the centre is sent the learner's knowledge strength for their
        // progress reviews; not while retrying after a failure, so a phone that stays offline
        // does not pile up measures among its changes waiting.
        if self.attempt == 0 {
            let mut guard = col.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match guard.measure_strengths() {
                Ok(measured) => {
                    for skipped in &measured.skipped {
                        eprintln!("Knowledge strength not measured for the centre: {skipped}");
                    }
                }
                Err(e) => eprintln!("Knowledge strength was not measured for the centre: {e}"),
            }
        }
        let result = sync(&col, link, &mut |p| handle.update(|s| s.progress(p)));
        drop(col);
        if let Err(e) = &result {
            // The screen says it in plain words; the detail is for whoever reads the log.
            eprintln!("Sync failed: {e}");
        }
        if let Ok(report) = &result {
            if !report.left_out.is_empty() {
                eprintln!(
                    "Sync left out changes the centre does not take (made again once it does): {}",
                    report.left_out.join(", ")
                );
            }
        }
        let delay = Duration::from_millis((self.backoff)(
            &mut self.jitter,
            self.attempt,
            self.foreground,
        ));
        let now_ms = chrono::Utc::now().timestamp_millis();
        let retry_at_ms = now_ms + delay.as_millis() as i64;
        let mut next = Next::Routine;
        // The outbox is counted and the result shown under the collection's lock: a change
        // saved between the two would otherwise sit under "Synced".
        let shown = self.backend.with(|c| {
            let pending = c.pending_changes().unwrap_or(0);
            self.handle.update(|s| {
                s.pending = pending;
                next = s.finish(&result, now_ms, retry_at_ms);
            });
        });
        if shown.is_err() {
            self.handle
                .update(|s| next = s.finish(&result, now_ms, retry_at_ms));
        }
        self.next_probe = None;
        match next {
            Next::Again => {
                self.attempt = 0;
                self.offline_since = None;
                self.next_sync = Some(Instant::now());
            }
            Next::Routine => {
                self.attempt = 0;
                self.offline_since = None;
                self.next_sync = Some(Instant::now() + ROUTINE);
            }
            Next::Backoff => {
                self.attempt = self.attempt.saturating_add(1);
                self.next_sync = Some(Instant::now() + delay);
                let since = *self.offline_since.get_or_insert_with(Instant::now);
                let probe = Instant::now() + probe_every(since.elapsed(), self.foreground);
                // Only worth it when the wait is longer than the probe's.
                self.next_probe = (probe < Instant::now() + delay).then_some(probe);
            }
            Next::WaitForLearner => {
                self.attempt = 0;
                self.offline_since = None;
            }
        }
    }
}
