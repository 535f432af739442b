//! Randomised kill trials: real processes on real files, killed with SIGKILL at random moments
//! and at named points of the protocol, over connections a proxy cuts mid-request; then a
//! clean sync and every invariant checked straight from the SQLite files.
//!
//! Each trial: a centre process (this test binary in its `centre` role: the centre's own
//! router on SQLite and a blob folder), two or three devices (collections on disk) of one
//! learner, and a random run of steps: device work in a `work` process (reviews, evidence
//! created, edited, submitted, deleted, photos of 10 KB–3 MB attached), `pf-sync` processes
//! through the proxy, kills of either at random or named points, centre kills and restarts.
//! Then the proxy passes everything, every device syncs until clean, and the trial checks:
//! every device agrees (cards, notes, evidence, attachments); every review made is on every
//! device and once at the centre; every attachment is on every device and at the centre with
//! the right SHA-256; every outbox is empty; every SQLite file passes its integrity check;
//! nothing a `work` process reported committed before it was killed is lost; and no sync
//! wedged (each clean sync ends in time).
//!
//! `cargo test -p pocketfolio-client --test kill_trials` runs a short seeded slice (CI);
//! `PF_KILL_TRIALS=1000 PF_KILL_SEED=1 cargo test --release -p pocketfolio-client --test
//! kill_trials` runs a thousand and prints the figures (docs/performance.md).

use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::Centre;
use pocketfolio_core::model::{EvidenceId, EvidenceKind};
use pocketfolio_core::testing::{answer_next_cards, digest_difference, incompressible_bytes};
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";
const USER: &str = "lee";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("centre") => centre_role(Path::new(&args[1]), args[2].parse().unwrap()),
        Some("work") => work_role(Path::new(&args[1]), args[2].parse().unwrap()),
        // libtest's own flags (--nocapture, filters) are ignored: this is one test.
        _ => run_trials(),
    }
}

// ---- roles -------------------------------------------------------------------------------

/// Serves the centre on `dir` at `port` until killed (fault points from PF_FAULT_STOP_AT).
fn centre_role(dir: &Path, port: u16) {
    let centre = BackgroundCentre::start(dir, port);
    let exists = centre
        .runtime
        .block_on(centre.state.db.get_account_by_username(USER))
        .ok()
        .flatten()
        .is_some();
    if !exists {
        centre.add_account(Role::Learner, USER, "Lee Learner", PASSWORD);
    }
    println!("READY");
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// Random work on one collection, from a seed; prints `COMMITTED …` after each commit.
fn work_role(db: &Path, seed: u64) {
    let mut rng = Rng(seed);
    let mut col = Collection::open(db, Arc::new(SystemClock)).expect("the collection");
    pocketfolio_core::testing::declare(&mut col).expect("the declaration is signed");
    let out = &mut std::io::stdout();
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    for _ in 0..rng.below(6) + 2 {
        let items = col.evidence_items().unwrap();
        let pick = |rng: &mut Rng| items.get(rng.below(items.len().max(1) as u64) as usize);
        match rng.below(10) {
            0..=3 => {
                let n = rng.below(20) as usize + 1;
                if answer_next_cards(&mut col, n, 2_000).is_ok() {
                    writeln!(out, "COMMITTED reviews {n}").ok();
                }
            }
            4 | 5 => {
                let id = col
                    .create_evidence(EvidenceDraft {
                        kind: Some(EvidenceKind::Observation),
                        title: format!("Item {}", rng.below(1_000_000)),
                        criteria: vec![criterion.clone()],
                        fields: BTreeMap::from([("what".into(), "Served a customer".into())]),
                        ..EvidenceDraft::default()
                    })
                    .unwrap();
                writeln!(out, "COMMITTED item {id}").ok();
            }
            6 if rng.chance(50) => {
                if let Some(item) = pick(&mut rng) {
                    let mut fields = item.fields.clone();
                    fields.insert("what".into(), format!("Edit {}", rng.below(1_000_000)));
                    if col.update_evidence(item.id, &item.title, fields).is_ok() {
                        writeln!(out, "COMMITTED edit {}", item.id).ok();
                    }
                }
            }
            6 | 7 => {
                if let Some(item) = pick(&mut rng) {
                    let len = 10_000 + rng.below(3_000_000) as usize;
                    let bytes = incompressible_bytes(rng.next(), len);
                    if let Ok(a) = col.attach_file(item.id, "photo.jpg", "image/jpeg", &bytes) {
                        writeln!(out, "COMMITTED attach {} {}", item.id, a.sha256).ok();
                    }
                }
            }
            8 => {
                if let Some(item) = pick(&mut rng) {
                    if col.submit_evidence(item.id).is_ok() {
                        writeln!(out, "COMMITTED submit {}", item.id).ok();
                    }
                }
            }
            _ => {
                if let Some(item) = pick(&mut rng) {
                    if col.delete_evidence(item.id).is_ok() {
                        writeln!(out, "COMMITTED delete {}", item.id).ok();
                    }
                }
            }
        }
        out.flush().ok();
    }
}

// ---- the harness -------------------------------------------------------------------------

/// splitmix64: seeded, so a failing trial can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Kills by where they struck, for the figures.
#[derive(Default)]
struct Tally(BTreeMap<String, usize>);

impl Tally {
    fn add(&mut self, what: &str) {
        self.add_n(what, 1);
    }
    fn add_n(&mut self, what: &str, n: usize) {
        *self.0.entry(what.to_string()).or_default() += n;
    }
}

/// A process whose stdout lines arrive on a channel.
struct Proc {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Proc {
    fn spawn(mut command: Command) -> Proc {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("a process");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Proc { child, lines }
    }

    /// Waits for a line starting with `prefix` (None on timeout or exit).
    fn wait_for(&self, prefix: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    /// Waits for this process to print `STOPPED` while `other` still runs (a sync that has
    /// nothing to upload never brings the centre to an upload's fault point).
    fn stopped_while(&self, other: &mut Proc, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(20)) {
                Ok(line) if line.starts_with("STOPPED") => return true,
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return false,
            }
            if other.child.try_wait().ok().flatten().is_some() {
                // It may have stopped the centre just before it ended.
                return self
                    .lines
                    .try_iter()
                    .any(|line| line.starts_with("STOPPED"));
            }
        }
        false
    }

    fn kill(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.lines.try_iter().collect()
    }

    /// Waits for the process to end; its success and the lines it printed.
    fn finish(mut self, timeout: Duration) -> Option<(bool, Vec<String>)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().ok().flatten() {
                std::thread::sleep(Duration::from_millis(5));
                return Some((status.success(), self.lines.try_iter().collect()));
            }
            if Instant::now() > deadline {
                self.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A TCP proxy that cuts connections after a random number of bytes while `cutting` is on.
struct Proxy {
    port: u16,
    cut_per_mille: Arc<AtomicU64>,
    cuts: Arc<AtomicUsize>,
    /// Bytes sent from devices to the centre.
    upstream: Arc<AtomicU64>,
}

impl Proxy {
    fn start(target: u16, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut_per_mille = Arc::new(AtomicU64::new(0));
        let cuts = Arc::new(AtomicUsize::new(0));
        let upstream = Arc::new(AtomicU64::new(0));
        let (odds, count, sent) = (cut_per_mille.clone(), cuts.clone(), upstream.clone());
        let rng = Arc::new(Mutex::new(Rng(seed)));
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let cut_at = {
                    let mut rng = rng.lock().unwrap();
                    // Most cuts early (headers, a small body), some deep into a chunk.
                    let limit = if rng.chance(70) { 2_000 } else { 3_000_000 };
                    (rng.below(1000) < odds.load(Ordering::SeqCst)).then(|| rng.below(limit))
                };
                let budget = Arc::new(AtomicU64::new(cut_at.unwrap_or(u64::MAX)));
                let up = (client.try_clone().unwrap(), server.try_clone().unwrap());
                for (from, to, tally) in [(up.0, up.1, Some(sent.clone())), (server, client, None)]
                {
                    let (budget, count) = (budget.clone(), count.clone());
                    std::thread::spawn(move || pipe(from, to, &budget, &count, tally.as_deref()));
                }
            }
        });
        Proxy {
            port,
            cut_per_mille,
            cuts,
            upstream,
        }
    }

    fn set_cutting(&self, per_mille: u64) {
        self.cut_per_mille.store(per_mille, Ordering::SeqCst);
    }
}

/// Copies bytes until either side closes or the shared budget runs out (then cuts both).
fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    budget: &AtomicU64,
    cuts: &AtomicUsize,
    sent: Option<&AtomicU64>,
) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let left = budget.load(Ordering::SeqCst);
        if left < n as u64 {
            let _ = to.write_all(&buf[..left as usize]);
            cuts.fetch_add(1, Ordering::SeqCst);
            let _ = from.shutdown(Shutdown::Both);
            let _ = to.shutdown(Shutdown::Both);
            return;
        }
        if left != u64::MAX {
            budget.fetch_sub(n as u64, Ordering::SeqCst);
        }
        if let Some(sent) = sent {
            sent.fetch_add(n as u64, Ordering::SeqCst);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// A free port below the ephemeral range, so that no outgoing connection (of this or a
/// parallel run) takes it while the centre is down between a kill and its restart.
fn free_port() -> u16 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let salt = u64::from(std::process::id()) * 7_919;
    loop {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = 20_000 + ((salt + n * 104_729) % 12_000) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// One trial's world.
struct Trial {
    dir: PathBuf,
    centre_port: u16,
    centre: Option<Proc>,
    proxy: Proxy,
    devices: Vec<PathBuf>,
    token: String,
    /// What `work` processes reported committed: (kind, id).
    committed: Vec<(String, String)>,
}

impl Trial {
    /// A centre with one learner, signed in, and `devices` collections with the built-in content.
    fn new(dir: &Path, devices: usize, seed: u64) -> Result<Trial, String> {
        let centre_port = free_port();
        let mut world = Trial {
            dir: dir.to_path_buf(),
            centre_port,
            centre: None,
            proxy: Proxy::start(centre_port, seed),
            devices: Vec::new(),
            token: String::new(),
            committed: Vec::new(),
        };
        world.start_centre(None);
        let centre = Centre::new(&format!("http://127.0.0.1:{centre_port}")).unwrap();
        world.token = centre
            .sign_in(USER, PASSWORD)
            .map_err(|e| e.to_string())?
            .token;
        for d in 0..devices {
            let path = dir.join(format!("device{d}"));
            std::fs::create_dir_all(&path).unwrap();
            let mut col = Collection::open(&path.join("pocketfolio.db"), Arc::new(SystemClock))
                .map_err(|e| e.to_string())?;
            col.install_builtin_content().map_err(|e| e.to_string())?;
            world.devices.push(path);
        }
        Ok(world)
    }

    /// Starts the centre (a few tries: its port may be in TIME_WAIT just after a kill).
    fn start_centre(&mut self, stop_at: Option<&str>) {
        for _ in 0..5 {
            let mut command = Command::new(std::env::current_exe().unwrap());
            let port = self.centre_port.to_string();
            command.args(["centre", self.dir.to_str().unwrap(), &port]);
            if let Some(point) = stop_at {
                command.env("PF_FAULT_STOP_AT", point);
            }
            let proc = Proc::spawn(command);
            if proc.wait_for("READY", Duration::from_secs(60)).is_some() {
                self.centre = Some(proc);
                return;
            }
            proc.kill();
            std::thread::sleep(Duration::from_millis(500));
        }
        panic!("the centre would not start on port {}", self.centre_port);
    }

    fn kill_centre(&mut self) {
        if let Some(centre) = self.centre.take() {
            centre.kill();
        }
    }

    fn sync_command(&self, device: usize, stop_at: Option<&str>) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pf-sync"));
        command
            .arg(self.devices[device].join("pocketfolio.db"))
            .arg(format!("http://127.0.0.1:{}", self.proxy.port))
            .args([USER, PASSWORD])
            .env("PF_SYNC_TOKEN", &self.token);
        if let Some(point) = stop_at {
            command.env("PF_SYNC_STOP_AT", point);
        }
        command
    }

    fn work(&mut self, device: usize, seed: u64, kill_after: Option<Duration>, tally: &mut Tally) {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command.args([
            "work",
            self.devices[device]
                .join("pocketfolio.db")
                .to_str()
                .unwrap(),
            &seed.to_string(),
        ]);
        let proc = Proc::spawn(command);
        let lines = match kill_after {
            Some(after) => {
                std::thread::sleep(after);
                tally.add("device killed mid-work");
                proc.kill()
            }
            None => proc.finish(Duration::from_secs(120)).expect("work ends").1,
        };
        for line in lines {
            let mut words = line.split_whitespace().skip(1);
            if let (Some(kind), Some(id)) = (words.next(), words.next()) {
                let rest: Vec<&str> = words.collect();
                let id = if kind == "attach" {
                    rest.first().copied().unwrap_or(id).to_string()
                } else {
                    id.to_string()
                };
                self.committed.push((kind.to_string(), id));
            }
        }
    }
}

fn run_trials() {
    let trials: u64 = env_or("PF_KILL_TRIALS", 6);
    let seed: u64 = env_or("PF_KILL_SEED", 20_261_130);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut tally = Tally::default();
    let mut violations = Vec::new();
    for (name, resend_allowed, centre_point, sync_point) in RESUMES {
        match resumed_upload(centre_point, sync_point) {
            Ok(sent) if sent <= resend_allowed + PROTOCOL_BYTES => {
                println!("resume after {name}: {sent} bytes sent")
            }
            Ok(sent) => violations.push(format!(
                "resume after {name}: {sent} bytes sent, at most {} expected",
                resend_allowed + PROTOCOL_BYTES
            )),
            Err(e) => violations.push(format!("resume after {name}: {e}")),
        }
    }
    let started = Instant::now();
    let mut clean_syncs = Vec::new();
    for t in 0..trials {
        let trial_seed = seed.wrapping_add(t.wrapping_mul(0x9E37_79B9));
        if t > 0 && t % 50 == 0 {
            println!(
                "… {t} trials, {} violations, {:.0} s",
                violations.len(),
                started.elapsed().as_secs_f64()
            );
        }
        match trial(trial_seed, &mut tally, &mut clean_syncs) {
            Ok(()) => {}
            Err(e) => violations.push(format!("trial seed {trial_seed}: {e}")),
        }
    }
    clean_syncs.sort();
    let median = clean_syncs
        .get(clean_syncs.len() / 2)
        .copied()
        .unwrap_or_default();
    println!(
        "kill trials: {trials} trials in {:.0} s, seed {seed}; clean syncs {} (median {} ms)",
        started.elapsed().as_secs_f64(),
        clean_syncs.len(),
        median.as_millis()
    );
    for (what, n) in &tally.0 {
        println!("  {what}: {n}");
    }
    println!("  violations: {}", violations.len());
    for v in &violations {
        println!("  VIOLATION {v}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A photo for the resume scenarios: three chunks.
const PHOTO: usize = 3 * 1024 * 1024;
/// Upstream bytes of a resumed sync besides attachment bytes: headers, a status question, a
/// push of a few changes, a pull.
const PROTOCOL_BYTES: u64 = 64 * 1024;
/// (what was interrupted, photo bytes a resume may send, centre stop point, sync stop point).
const RESUMES: [(&str, u64, Option<&str>, Option<&str>); 4] = [
    (
        "a sync killed after the first chunk",
        (PHOTO - 1024 * 1024) as u64,
        None,
        Some("upload:1048576"),
    ),
    (
        "the centre killed with every chunk held",
        0,
        Some("upload-held"),
        None,
    ),
    (
        "the centre killed with the file stored, not recorded",
        0,
        Some("upload-stored"),
        None,
    ),
    (
        "the centre killed with the file recorded, chunks left",
        0,
        Some("upload-recorded"),
        None,
    ),
];

/// A 3 MB photo's upload interrupted as named, then resumed by a clean sync: how many bytes
/// the resume sent upstream (so nothing the centre held is sent again).
fn resumed_upload(centre_point: Option<&str>, sync_point: Option<&str>) -> Result<u64, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut world = Trial::new(dir.path(), 1, 1)?;
    let sha = {
        let path = world.devices[0].join("pocketfolio.db");
        let mut col = Collection::open(&path, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
        let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::Observation),
                title: "Shelf".into(),
                criteria: vec![criterion],
                ..EvidenceDraft::default()
            })
            .map_err(|e| e.to_string())?;
        let photo = incompressible_bytes(7, PHOTO);
        col.attach_file(id, "shelf.jpg", "image/jpeg", &photo)
            .map_err(|e| e.to_string())?
            .sha256
    };
    if let Some(point) = centre_point {
        world.kill_centre();
        world.start_centre(Some(point));
    }
    let sync = Proc::spawn(world.sync_command(0, sync_point));
    let stopped = match centre_point {
        Some(_) => world
            .centre
            .as_ref()
            .unwrap()
            .wait_for("STOPPED", Duration::from_secs(60)),
        None => sync.wait_for("STOPPED", Duration::from_secs(60)),
    };
    stopped.ok_or("the interruption point was never reached")?;
    world.kill_centre();
    sync.kill();
    world.start_centre(None);
    world.proxy.upstream.store(0, Ordering::SeqCst);
    match Proc::spawn(world.sync_command(0, None)).finish(Duration::from_secs(60)) {
        Some((true, _)) => {}
        Some((false, _)) => return Err("the resumed sync failed".into()),
        None => return Err("the resumed sync wedged".into()),
    }
    let sent = world.proxy.upstream.load(Ordering::SeqCst);
    world.kill_centre();
    check(&world)?;
    let conn =
        rusqlite::Connection::open(dir.path().join("centre.db")).map_err(|e| e.to_string())?;
    let recorded: i64 = conn
        .query_row(
            "SELECT count(*) FROM blobs WHERE sha256 = ?1",
            [&sha],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if recorded != 1 {
        return Err(format!("the photo is recorded {recorded} times"));
    }
    Ok(sent)
}

/// Named points where a sync process is stopped and killed.
const SYNC_POINTS: [&str; 5] = [
    "after-push",
    "upload:1",
    "upload:1048576",
    "after-upload",
    "after-pull",
];
/// Named points where the centre is stopped and killed.
const CENTRE_POINTS: [&str; 3] = ["upload-held", "upload-stored", "upload-recorded"];

fn trial(seed: u64, tally: &mut Tally, clean_syncs: &mut Vec<Duration>) -> Result<(), String> {
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let devices = 2 + rng.below(2) as usize;
    let mut world = Trial::new(dir.path(), devices, rng.next())?;
    for _ in 0..4 + rng.below(6) {
        let device = rng.below(world.devices.len() as u64) as usize;
        world
            .proxy
            .set_cutting(if rng.chance(30) { 300 } else { 0 });
        match rng.below(10) {
            0..=2 => {
                let kill = rng
                    .chance(30)
                    .then(|| Duration::from_millis(rng.below(400)));
                let work_seed = rng.next();
                world.work(device, work_seed, kill, tally);
            }
            3 | 4 => {
                // A sync killed at a named point of the protocol (if it reaches it).
                let point = SYNC_POINTS[rng.below(SYNC_POINTS.len() as u64) as usize];
                let proc = Proc::spawn(world.sync_command(device, Some(point)));
                if proc.wait_for("STOPPED", Duration::from_secs(30)).is_some() {
                    tally.add(&format!("sync killed at {point}"));
                }
                proc.kill();
            }
            5 | 6 => {
                // A sync killed at a random moment.
                let proc = Proc::spawn(world.sync_command(device, None));
                std::thread::sleep(Duration::from_millis(rng.below(300)));
                tally.add("sync killed at random");
                proc.kill();
            }
            7 => {
                // The centre killed at a random moment of a sync, and started again.
                let proc = Proc::spawn(world.sync_command(device, None));
                std::thread::sleep(Duration::from_millis(rng.below(300)));
                world.kill_centre();
                tally.add("centre killed at random");
                let _ = proc.finish(Duration::from_secs(60));
                world.start_centre(None);
            }
            8 => {
                // The centre stopped at a named point of an upload, killed, started again.
                let point = CENTRE_POINTS[rng.below(CENTRE_POINTS.len() as u64) as usize];
                world.kill_centre();
                world.start_centre(Some(point));
                let mut proc = Proc::spawn(world.sync_command(device, None));
                let centre = world.centre.as_ref().expect("a centre");
                if centre.stopped_while(&mut proc, Duration::from_secs(60)) {
                    tally.add(&format!("centre killed at {point}"));
                }
                world.kill_centre();
                let _ = proc.finish(Duration::from_secs(60));
                world.start_centre(None);
            }
            _ => {
                let proc = Proc::spawn(world.sync_command(device, None));
                let _ = proc.finish(Duration::from_secs(120));
            }
        }
    }
    tally.add_n(
        "connections cut mid-request by the proxy",
        world.proxy.cuts.load(Ordering::SeqCst),
    );
    // Clean: every device syncs until it has nothing to send, twice round so each has what
    // the others sent.
    world.proxy.set_cutting(0);
    for _round in 0..2 {
        for device in 0..world.devices.len() {
            let began = Instant::now();
            let proc = Proc::spawn(world.sync_command(device, None));
            match proc.finish(Duration::from_secs(120)) {
                Some((true, _)) => clean_syncs.push(began.elapsed()),
                Some((false, lines)) => {
                    return Err(format!("device {device}: a clean sync failed: {lines:?}"))
                }
                None => return Err(format!("device {device}: a clean sync wedged")),
            }
        }
    }
    world.kill_centre();
    let result = check(&world);
    tally.add("trials");
    result
}

// ---- invariants --------------------------------------------------------------------------

fn check(world: &Trial) -> Result<(), String> {
    let mut digests = Vec::new();
    let mut review_sets = Vec::new();
    for device in &world.devices {
        let path = device.join("pocketfolio.db");
        integrity(&path)?;
        let col = Collection::open(&path, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
        let pending = col.pending_changes().map_err(|e| e.to_string())?;
        if pending != 0 {
            return Err(format!("{} changes left in an outbox", pending));
        }
        for item in col.evidence_items().map_err(|e| e.to_string())? {
            for a in &item.attachments {
                let file = col.attachment_path(&a.sha256).ok_or("no attachment path")?;
                let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", a.sha256))?;
                if sha256_hex(&bytes) != a.sha256 {
                    return Err(format!("attachment {} damaged on a device", a.sha256));
                }
            }
        }
        digests.push(pocketfolio_core::testing::state_digest(&col).map_err(|e| e.to_string())?);
        review_sets.push(device_reviews(&path)?);
    }
    for (i, d) in digests.iter().enumerate().skip(1) {
        if d != &digests[0] {
            return Err(format!(
                "device {i} differs from device 0: {}",
                digest_difference(&digests[0], d)
            ));
        }
    }
    if review_sets.iter().any(|s| s != &review_sets[0]) {
        return Err("devices hold different reviews".into());
    }
    let centre_db = world.dir.join("centre.db");
    integrity(&centre_db)?;
    let conn = rusqlite::Connection::open(&centre_db).map_err(|e| e.to_string())?;
    let (rows, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT id) FROM reviews",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| e.to_string())?;
    if rows != distinct || distinct as usize != review_sets[0].len() {
        return Err(format!(
            "the centre holds {rows} reviews ({distinct} distinct), devices {}",
            review_sets[0].len()
        ));
    }
    // Nothing committed before a kill is lost.
    let deleted: BTreeSet<&str> = world
        .committed
        .iter()
        .filter(|(k, _)| k == "delete")
        .map(|(_, id)| id.as_str())
        .collect();
    let path0 = world.devices[0].join("pocketfolio.db");
    let col = Collection::open(&path0, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
    let items: BTreeSet<String> = col
        .evidence_items()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|i| i.id.to_string())
        .collect();
    for (kind, id) in &world.committed {
        // A deletion may commit and its process be killed before it says so: the device's
        // tombstone is the record that the learner deleted the item.
        let gone = !items.contains(id) && !deleted.contains(id.as_str());
        if kind == "item" && gone && !tombstoned(&path0, id) {
            return Err(format!("item {id} was committed and is lost"));
        }
        if kind == "attach" {
            let held = conn
                .query_row("SELECT count(*) FROM blobs WHERE sha256 = ?1", [id], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| e.to_string())?;
            let named = col
                .attachment_label(id)
                .map_err(|e| e.to_string())?
                .is_some();
            if named && held == 0 {
                return Err(format!("attachment {id} is named but not at the centre"));
            }
        }
    }
    centre_blobs_sound(&world.dir.join("blobs"))
}

/// True when the collection holds a tombstone for evidence item `id`.
fn tombstoned(path: &Path, id: &str) -> bool {
    let Ok(id) = EvidenceId::parse(id) else {
        return false;
    };
    rusqlite::Connection::open(path)
        .and_then(|conn| {
            conn.query_row(
                "SELECT count(*) FROM tombstone WHERE kind = 'evidence' AND id = ?1",
                [id.0.as_bytes().to_vec()],
                |r| r.get::<_, i64>(0),
            )
        })
        .is_ok_and(|n| n > 0)
}

fn integrity(path: &Path) -> Result<(), String> {
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    let answer: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    (answer == "ok")
        .then_some(())
        .ok_or_else(|| format!("{}: {answer}", path.display()))
}

fn device_reviews(path: &Path) -> Result<BTreeSet<Vec<u8>>, String> {
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare("SELECT id FROM review_log")
        .map_err(|e| e.to_string())?;
    let ids = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .map_err(|e| e.to_string())?;
    ids.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

/// Every file in the centre's blob folder holds the bytes its name promises.
fn centre_blobs_sound(dir: &Path) -> Result<(), String> {
    let root = dir.join("blobs");
    let Ok(prefixes) = std::fs::read_dir(&root) else {
        return Ok(());
    };
    for prefix in prefixes.flatten() {
        for file in std::fs::read_dir(prefix.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = file.file_name().to_string_lossy().to_string();
            if name.contains('#') {
                continue; // an assembly cut off by a kill: never under its final name
            }
            let bytes = std::fs::read(file.path()).map_err(|e| e.to_string())?;
            if sha256_hex(&bytes) != name {
                return Err(format!("the centre's file {name} is damaged"));
            }
        }
    }
    Ok(())
}
