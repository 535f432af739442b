//! `pocketfolio-centre serve` and `pocketfolio-centre admin …`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use pocketfolio_centre::auth::Passwords;
use pocketfolio_centre::blobs::BlobStore;
use pocketfolio_centre::db::accounts::{Role, TokenKind};
use pocketfolio_centre::db::Db;
use pocketfolio_centre::enrolment;
use pocketfolio_centre::fit::FitOutcome;
use pocketfolio_centre::retention::{self, Retention};
use pocketfolio_centre::serve::{serve, ConnectionLimits};
use pocketfolio_centre::services::{self, Actor};
use pocketfolio_centre::{backup, erasure, export};
use pocketfolio_centre::{router, AppState, Config};
use pocketfolio_core::quality::QaRole;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(version, about = "Pocketfolio's centre server")]
struct Cli {
    /// sqlite://… (default: ./data/centre.db) or postgres://…
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Folder for data (the SQLite file and attachments) when nothing else is given.
    #[arg(long, env = "PF_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Attachments in an S3-compatible bucket, e.g. s3://bucket (needs the `s3` feature;
    /// credentials and endpoint from the usual AWS_* variables). Default: the data folder.
    #[arg(long, env = "PF_BLOB_URL", global = true)]
    blob_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// How long each kind of record is kept (docs/design.md, "Data protection").
#[derive(clap::Args, Clone, Copy)]
struct RetentionArgs {
    /// Days expired or revoked sign-ins and sessions are kept.
    #[arg(long, env = "PF_RETAIN_SESSIONS_DAYS", default_value_t = Retention::default().sessions_days)]
    retain_sessions_days: u32,
    /// Days the content of a draft the learner deleted is kept.
    #[arg(long, env = "PF_RETAIN_DELETED_EVIDENCE_DAYS", default_value_t = Retention::default().deleted_evidence_days)]
    retain_deleted_evidence_days: u32,
    /// Days an attachment none of the learner's items names is kept.
    #[arg(long, env = "PF_RETAIN_UNNAMED_BLOBS_DAYS", default_value_t = Retention::default().unnamed_blobs_days)]
    retain_unnamed_blobs_days: u32,
    /// Days audit entries are kept (default: for as long as the centre runs).
    #[arg(long, env = "PF_RETAIN_AUDIT_DAYS")]
    retain_audit_days: Option<u32>,
}

impl RetentionArgs {
    fn schedule(self) -> Retention {
        Retention {
            sessions_days: self.retain_sessions_days,
            deleted_evidence_days: self.retain_deleted_evidence_days,
            unnamed_blobs_days: self.retain_unnamed_blobs_days,
            audit_days: self.retain_audit_days,
        }
    }
}

/// The SMTP relay one-time links (witness confirmations, employers) are mailed through. Without
/// a host, nothing is mailed: the links are shown to staff to pass on.
#[derive(clap::Args, Clone)]
struct SmtpArgs {
    /// The relay's host name, e.g. smtp.example.ac.uk.
    #[arg(long, env = "PF_SMTP_HOST")]
    smtp_host: Option<String>,
    /// Its port (default: 25 with none, 587 with starttls, 465 with tls).
    #[arg(long, env = "PF_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// How the connection is protected: none, starttls or tls.
    #[arg(long, env = "PF_SMTP_TLS", default_value = "starttls")]
    smtp_tls: pocketfolio_centre::mail::SmtpTls,
    /// The sender, e.g. "Pocketfolio <no-reply@centre.example.ac.uk>".
    #[arg(long, env = "PF_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Sign-in name at the relay, if it asks for one.
    #[arg(long, env = "PF_SMTP_USERNAME")]
    smtp_username: Option<String>,
}

impl SmtpArgs {
    /// The mailer, or `None` when no relay is set; settings that cannot work stop the start.
    fn mailer(
        &self,
        public_url: Option<&str>,
    ) -> anyhow::Result<Option<pocketfolio_centre::mail::Mailer>> {
        use pocketfolio_centre::mail::{Mailer, SmtpSettings};
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let from = self.smtp_from.clone().context(
            "PF_SMTP_HOST is set but PF_SMTP_FROM is not: set the address mail is sent from",
        )?;
        if public_url.is_none() {
            anyhow::bail!(
                "PF_SMTP_HOST is set but PF_PUBLIC_URL is not: mailed links need the address \
                 people reach the centre at"
            );
        }
        let mailer = Mailer::new(&SmtpSettings {
            host,
            port: self.smtp_port,
            from,
            username: self.smtp_username.clone(),
            // From the environment only, so it never shows in the process list.
            password: std::env::var("PF_SMTP_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
            tls: self.smtp_tls,
        })?;
        tracing::info!(relay = ?mailer, "links are mailed through this relay");
        Ok(Some(mailer))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the pages.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PF_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Largest attachment in MB.
        #[arg(long, env = "PF_MAX_BLOB_MB", default_value_t = 50)]
        max_blob_mb: u64,
        /// Attachment storage per learner, in MB.
        #[arg(long, env = "PF_LEARNER_QUOTA_MB", default_value_t = 2_000)]
        learner_quota_mb: u64,
        /// How many proxies (load balancers) stand in front: sign-in is throttled by the
        /// X-Forwarded-For address the outermost one appended (0: by the peer address).
        #[arg(long, env = "PF_TRUST_PROXY", default_value = "0",
              value_parser = pocketfolio_centre::throttle::parse_proxy_hops)]
        trust_proxy: usize,
        /// Most open connections (keep it below the open-file limit, `ulimit -n`).
        #[arg(long, env = "PF_MAX_CONNECTIONS", default_value_t = 768)]
        max_connections: usize,
        /// Most open connections from one address (not applied behind a trusted proxy).
        #[arg(long, env = "PF_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
        max_connections_per_address: usize,
        /// The address people reach the centre at (e.g. https://centre.example.ac.uk), for
        /// links it hands out and to name where its export key is published.
        #[arg(long, env = "PF_PUBLIC_URL")]
        public_url: Option<String>,
        /// Mail a witness their confirmation link as soon as their signed statement reaches
        /// the centre (when their contact is an email address and a mail relay is set);
        /// `false`: the assessor asks from the item page.
        #[arg(long, env = "PF_ASK_WITNESS_ON_SYNC", default_value_t = true,
              action = clap::ArgAction::Set)]
        ask_witness_on_sync: bool,
        #[command(flatten)]
        smtp: SmtpArgs,
        #[command(flatten)]
        retention: RetentionArgs,
    },
    /// Copy the database (online: the centre may keep serving) and the attachment folder into
    /// a new folder.
    Backup {
        /// The folder to create.
        to: PathBuf,
    },
    /// Restore a backup into a fresh data folder (SQLite) or an empty database (PostgreSQL),
    /// with the centre stopped.
    Restore {
        /// The backup folder.
        from: PathBuf,
    },
    /// Check an exported portfolio ZIP offline: the manifest against its seal, every file
    /// against the manifest, each item's record, attachments and signatures. Exits with 1
    /// when anything was altered, the seal does not hold, or the ZIP is not sealed.
    #[command(visible_alias = "verify-export")]
    Verify {
        /// The ZIP.
        zip: PathBuf,
        /// The public key the export must be sealed with (64 hex digits, as the centre
        /// publishes it at /.well-known/pocketfolio-export-key). Without it the seal is
        /// checked with the key it carries, whose fingerprint is printed to compare.
        #[arg(long)]
        key: Option<String>,
        /// Accept a ZIP without a seal (made before exports were sealed).
        #[arg(long)]
        allow_unsealed: bool,
    },
    /// Print the public key this centre seals exports with (made on first use).
    ExportKey,
    /// Erase a learner: their account, portfolio, reviews, sessions and attachments (the
    /// audit log keeps its entries, by account id). Cannot be undone.
    Erase {
        /// The learner's sign-in name.
        learner: String,
        /// The sign-in name again, to confirm (asked for on stdin when not given).
        #[arg(long)]
        confirm: Option<String>,
    },
    /// Write a learner's subject-access export: their portfolio ZIP (drafts too) with their
    /// account, sessions and the audit entries about them.
    SubjectAccess {
        /// The learner's sign-in name.
        learner: String,
        /// The ZIP to write.
        out: PathBuf,
    },
    /// Remove what the retention schedule no longer keeps, now (`serve` does it daily).
    Sweep {
        #[command(flatten)]
        retention: RetentionArgs,
    },
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        action: Admin,
    },
    /// Check or export the audit log.
    Audit {
        #[command(subcommand)]
        action: Audit,
    },
}

#[derive(Subcommand)]
enum Audit {
    /// Walk the hash chain from the first entry; report the first broken entry (exit 1) or the
    /// newest entry's number and hash (note them: a later verify should reach them again).
    Verify,
    /// Write entries as CSV to stdout (all, or filtered), oldest first.
    Export {
        /// Only entries by this account (sign-in name).
        #[arg(long)]
        actor: Option<String>,
        /// Only entries about this learner (sign-in name).
        #[arg(long)]
        learner: Option<String>,
        /// Only this kind, or every kind under it (e.g. `account`).
        #[arg(long)]
        kind: Option<String>,
        /// From this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        from: Option<String>,
        /// Up to and including this day.
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand)]
enum Admin {
    /// Create an account (the password is asked for on a terminal, else read as one line of
    /// stdin; PF_PASSWORD is read too, for scripts).
    Create {
        /// admin, assessor or learner.
        #[arg(value_enum)]
        role: Role,
        /// Sign-in name.
        username: String,
        /// Name shown to people.
        #[arg(long)]
        name: Option<String>,
    },
    /// Grant a role beside an account's own (iqa: an assessor who also quality-assures).
    GrantRole {
        /// Sign-in name.
        username: String,
        /// The role (iqa).
        role: String,
    },
    /// Take away a role granted with `grant-role`.
    RevokeRole {
        /// Sign-in name.
        username: String,
        /// The role (iqa).
        role: String,
    },
    /// Create an external quality assurer's account for a visit: read-only, to the named
    /// qualifications, until the end of the last day (password asked for as with `create`).
    CreateEqa {
        /// Sign-in name.
        username: String,
        /// Name shown to people.
        #[arg(long)]
        name: Option<String>,
        /// Last day of access, YYYY-MM-DD (UTC).
        #[arg(long)]
        last_day: String,
        /// A qualification to inspect (repeat for each).
        #[arg(long = "qualification", required = true)]
        qualifications: Vec<String>,
        /// Only this learner's work, by sign-in name (repeat for each; none: every learner of
        /// the qualifications).
        #[arg(long = "learner")]
        learners: Vec<String>,
    },
    /// Create an employer's account: it sees only the learners whose employer contact has this
    /// email address (their hours and progress reviews), and signs in on the pages (password
    /// asked for as with `create`).
    CreateEmployer {
        /// Sign-in name.
        username: String,
        /// Their full name, as they type it to sign.
        #[arg(long)]
        name: Option<String>,
        /// Their email address, as on their apprentices' employer contact.
        #[arg(long)]
        email: String,
        /// Their organisation.
        #[arg(long)]
        organisation: String,
    },
    /// Move an external quality assurer's last day of access.
    EqaLastDay {
        /// Sign-in name.
        username: String,
        /// Last day of access, YYYY-MM-DD (UTC).
        last_day: String,
    },
    /// Assign a learner to an assessor.
    Assign {
        /// The assessor's sign-in name.
        assessor: String,
        /// The learner's sign-in name.
        learner: String,
    },
    /// Enrol a learner on a qualification (e.g. proqual-cs-l2) and some of its units (every
    /// unit when none is named); enrolling again on it replaces the units.
    Enrol {
        /// The learner's sign-in name.
        learner: String,
        /// Qualification id.
        qualification: String,
        /// A unit of it the learner takes (repeat for each).
        #[arg(long = "unit")]
        units: Vec<String>,
    },
    /// Load the awarding body's references for criteria from a structure file (CSV; see
    /// docs/official-references.md). It replaces the references of the units it names; a file
    /// with any bad line is refused whole, each problem named by line.
    OfficialRefs {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Stop a learner being assessed by an assessor.
    Unassign {
        /// The assessor's sign-in name.
        assessor: String,
        /// The learner's sign-in name.
        learner: String,
    },
    /// Move a learner from one assessor to another (their portfolio stays as it is).
    Transfer {
        /// The learner's sign-in name.
        learner: String,
        /// The assessor now.
        from: String,
        /// The new assessor.
        to: String,
    },
    /// Set a new password (asked for as with `create`) and sign the account out everywhere.
    ResetPassword {
        /// Sign-in name.
        username: String,
    },
    /// Disable an account: it cannot sign in or sync, its sessions end now; data is kept.
    Disable {
        /// Sign-in name.
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// Sign-in name.
        username: String,
    },
    /// List an account's sessions and devices.
    Sessions {
        /// Sign-in name.
        username: String,
    },
    /// End one session or device of an account (by the id `sessions` shows), or every one.
    RevokeSession {
        /// Sign-in name.
        username: String,
        /// The session's id, or its first 12 characters (none: every session).
        session: Option<String>,
    },
    /// Turn off an account's two-step sign-in (e.g. after a lost phone).
    ResetTotp {
        /// Sign-in name.
        username: String,
    },
    /// Unlock an account locked after too many wrong passwords.
    Unlock {
        /// Sign-in name.
        username: String,
    },
    /// List accounts.
    List,
    /// Fit FSRS parameters from each learner's synced reviews (or one learner's) and send
    /// them to their devices. Run it from cron, e.g. nightly.
    FitParameters {
        /// Only this learner.
        learner: Option<String>,
    },
}

/// A new password: asked for twice on a terminal without echo; otherwise PF_PASSWORD (for
/// scripts and tests), or else one line of stdin (`… < file`, a pipe).
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let again = rpassword::prompt_password("The same again: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was changed"
        );
        return Ok(first);
    }
    if let Ok(p) = std::env::var("PF_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Makes the data folder readable by this user alone (0700, attachments included) and the
/// SQLite file 0600 before SQLite opens it (its WAL and shared-memory files take the same mode).
fn private_data(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    let file = dir.join("centre.db");
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&file)
        .with_context(|| format!("creating {}", file.display()))?;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
    Ok(())
}

/// Prints the seal, then "verified" or "altered" and why for each file and item of the ZIP;
/// exit code 1 when anything was altered or the seal does not hold.
async fn verify_zip(
    path: &std::path::Path,
    key: Option<&str>,
    allow_unsealed: bool,
    db: Option<&Db>,
) -> anyhow::Result<()> {
    use pocketfolio_core::portfolio::{verify_portfolio_zip, SealCheck, SealPublicKey};
    let expected = key.map(SealPublicKey::from_hex).transpose()?;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let check = verify_portfolio_zip(std::io::BufReader::new(file), expected.as_ref())?;
    match &check.seal {
        SealCheck::Sealed {
            signer,
            key,
            published_at,
            key_confirmed,
        } => {
            println!("sealed    by {signer}, key {}", key.fingerprint());
            let known = match db {
                Some(db) => {
                    use pocketfolio_centre::services::export_keys::{key_holder, sealed_by};
                    let holder = key_holder(db, key).await?;
                    println!("          {}", sealed_by(&holder));
                    holder != pocketfolio_centre::services::export_keys::KeyHolder::Unknown
                }
                None => {
                    println!(
                        "          no centre database here (--data-dir, --database-url), so \
                         whose key it is cannot be told"
                    );
                    false
                }
            };
            if !key_confirmed && !known {
                let place = published_at
                    .as_deref()
                    .unwrap_or("the signer's published key");
                println!(
                    "          compare that key with {place} (or pass it with --key): \
                     anyone can seal a ZIP with a key of their own"
                );
            }
        }
        SealCheck::Unsealed if allow_unsealed => println!(
            "unsealed  (allowed): a rewrite of the data and the manifest together would not show"
        ),
        SealCheck::Unsealed => println!(
            "NOT SEALED: a rewrite of the data and the manifest together would not show \
             (--allow-unsealed for exports made before sealing)"
        ),
        SealCheck::Broken(why) => println!("SEAL BROKEN: {why}"),
    }
    for problem in &check.files {
        println!("ALTERED   {problem}");
    }
    if let Some(pack) = &check.pack {
        print_pack(pack);
    } else {
        print_items(&check.items);
    }
    if !check.verified(allow_unsealed) {
        std::process::exit(1);
    }
    Ok(())
}

/// A portfolio's items, each verified or altered, and the count.
fn print_items(items: &[pocketfolio_core::portfolio::ItemCheck]) {
    let altered = items.iter().filter(|c| !c.verified()).count();
    for item in items {
        if item.verified() {
            println!("verified  {}  {}", item.id, item.title);
        } else {
            println!(
                "ALTERED   {}  {}: {}",
                item.id,
                item.title,
                item.problems.join("; ")
            );
        }
    }
    println!(
        "{} items: {} verified, {altered} altered",
        items.len(),
        items.len() - altered
    );
}

/// An EQA pack: what it holds, then each sample verified or altered, and the count.
fn print_pack(pack: &pocketfolio_core::portfolio::PackCheck) {
    println!(
        "EQA pack: {} samples of {} learners, {} evidence items in their snapshots, {} files",
        pack.samples.len(),
        pack.learners,
        pack.items,
        pack.files
    );
    let altered = pack.samples.iter().filter(|s| !s.verified()).count();
    for sample in &pack.samples {
        let what = format!(
            "sample {}  {} ({} items)",
            sample.id, sample.learner, sample.items
        );
        if sample.verified() {
            println!("verified  {what}");
        } else {
            println!("ALTERED   {what}: {}", sample.problems.join("; "));
        }
    }
    println!(
        "{} samples: {} verified, {altered} altered",
        pack.samples.len(),
        pack.samples.len() - altered
    );
}

fn database_url(cli: &Cli) -> String {
    match &cli.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", cli.data_dir.join("centre.db").display()),
    }
}

async fn open_db(cli: &Cli) -> anyhow::Result<Db> {
    if cli.database_url.is_none() {
        private_data(&cli.data_dir)?;
    }
    let url = database_url(cli);
    Db::connect(&url)
        .await
        .with_context(|| format!("opening the database at {url}"))
}

/// The local attachment folder, when attachments are not in a bucket.
fn local_blob_dir(cli: &Cli) -> Option<PathBuf> {
    cli.blob_url.is_none().then(|| cli.data_dir.join("blobs"))
}

fn blob_store(cli: &Cli, max: u64) -> anyhow::Result<BlobStore> {
    match cli.blob_url.as_deref() {
        None => Ok(BlobStore::local(&cli.data_dir.join("blobs"), max)?),
        #[cfg(feature = "s3")]
        Some(url) => {
            // Credentials, region and endpoint (for S3-compatible stores) from AWS_* variables.
            let store = object_store::aws::AmazonS3Builder::from_env()
                .with_url(url)
                .build()?;
            Ok(BlobStore::with_store(std::sync::Arc::new(store), max))
        }
        #[cfg(not(feature = "s3"))]
        Some(_) => anyhow::bail!("PF_BLOB_URL needs a build with the `s3` feature"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    if let Command::Verify {
        zip,
        key,
        allow_unsealed,
    } = &cli.command
    {
        // Offline, like the check in the ZIP's own page; the centre's database, when there is
        // one here, only names whose key sealed it (and is never created for that).
        let db = match cli.database_url.is_some() || cli.data_dir.join("centre.db").exists() {
            true => Some(open_db(&cli).await?),
            false => None,
        };
        return verify_zip(zip, key.as_deref(), *allow_unsealed, db.as_ref()).await;
    }
    if let Command::Restore { from } = &cli.command {
        // Before anything opens (and so creates) the database.
        let files =
            backup::restore(from, &database_url(&cli), local_blob_dir(&cli).as_deref()).await?;
        println!("restored {} ({files} attachment files)", from.display());
        return Ok(());
    }
    let db = open_db(&cli).await?;
    let passwords = Passwords::standard();
    match &cli.command {
        Command::Serve {
            listen,
            max_blob_mb,
            learner_quota_mb,
            trust_proxy,
            max_connections,
            max_connections_per_address,
            public_url,
            ask_witness_on_sync,
            smtp,
            retention,
        } => {
            let mailer = smtp.mailer(public_url.as_deref())?;
            let blobs = blob_store(&cli, max_blob_mb * 1_000_000)?;
            let config = Config {
                trusted_proxy_hops: *trust_proxy,
                connections: ConnectionLimits {
                    max_connections: *max_connections,
                    // Behind a proxy every connection comes from the proxy.
                    max_per_address: (*trust_proxy == 0).then_some(*max_connections_per_address),
                    ..ConnectionLimits::default()
                },
                learner_quota: learner_quota_mb.saturating_mul(1_000_000),
                public_url: public_url.clone(),
                mailer,
                ask_witness_on_sync: *ask_witness_on_sync,
                ..Config::default()
            };
            let state = AppState::new(db, blobs, passwords, config);
            // Made now on a first start, so it is published before the first export.
            let key = export::seal_key(&state).await?.public();
            tracing::info!(fingerprint = %key.fingerprint(), "exports are sealed with this key");
            pocketfolio_centre::uploads::spawn_sweeper(state.blobs.clone());
            pocketfolio_centre::retention::spawn_sweeper(
                state.db.clone(),
                state.blobs.clone(),
                retention.schedule(),
            );
            let listener = tokio::net::TcpListener::bind(listen).await?;
            tracing::info!("listening on http://{}", listener.local_addr()?);
            let limits = state.config.connections;
            let background = state.background.clone();
            serve(listener, router(state), limits, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            // Mail a push started is sent and recorded before the process ends.
            background.idle().await;
        }
        Command::Admin { action } => admin(&db, &passwords, action).await?,
        Command::ExportKey => {
            let key = export::kept_seal_key(&db).await?.public();
            println!(
                "public key   {}\nfingerprint  {}",
                key.to_hex(),
                key.fingerprint()
            );
        }
        Command::Restore { .. } | Command::Verify { .. } => {
            unreachable!("handled before the database opens")
        }
        Command::Audit { action } => audit(&db, action).await?,
        command => data_protection(&cli, db, passwords, command).await?,
    }
    Ok(())
}

/// Backup, erasure, subject access and the retention sweep.
async fn data_protection(
    cli: &Cli,
    db: Db,
    passwords: Passwords,
    command: &Command,
) -> anyhow::Result<()> {
    let blobs = blob_store(cli, u64::MAX)?;
    match command {
        Command::Backup { to } => {
            let files =
                backup::backup(&db, &database_url(cli), local_blob_dir(cli).as_deref(), to).await?;
            println!("backed up to {} ({files} attachment files)", to.display());
        }
        Command::Erase { learner, confirm } => {
            let confirmation = match confirm {
                Some(c) => c.clone(),
                None => {
                    eprintln!("This erases {learner} for good. Type their user name to confirm:");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim().to_string()
                }
            };
            let erased = erasure::erase_learner(&db, &blobs, None, learner, &confirmation).await?;
            let rows: u64 = erased.rows.iter().map(|(_, n)| n).sum();
            println!(
                "erased {learner} ({}): {rows} rows, {} attachment files",
                erased.learner_id, erased.files
            );
        }
        Command::SubjectAccess { learner, out } => {
            let account = db
                .get_account_by_username(learner)
                .await?
                .with_context(|| format!("no account is called {learner}"))?;
            anyhow::ensure!(account.role == Role::Learner, "{learner} is not a learner");
            let state = AppState::new(db.clone(), blobs, passwords, Config::default());
            let export = export::gather_subject_access(&state, &account).await?;
            let path = out.clone();
            let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let file = std::fs::File::create(&path)
                    .with_context(|| format!("creating {}", path.display()))?;
                let mut file = std::io::BufWriter::new(file);
                let summary = export::write_zip(export, &mut file)?;
                std::io::Write::flush(&mut file)?;
                Ok(summary)
            })
            .await??;
            db.audit(
                None,
                "learner.subject_access",
                &format!("learner {}", account.id),
                serde_json::Value::Null,
                serde_json::json!({ "items": summary.items, "bytes": summary.bytes }),
            )
            .await?;
            println!(
                "wrote {} ({} items, {} attachments)",
                out.display(),
                summary.items,
                summary.attachments
            );
        }
        Command::Sweep { retention } => {
            let report = retention::sweep(
                &db,
                &blobs,
                &retention.schedule(),
                pocketfolio_centre::db::now_ms(),
            )
            .await?;
            println!("{report:?}");
        }
        Command::Serve { .. }
        | Command::Admin { .. }
        | Command::Audit { .. }
        | Command::ExportKey
        | Command::Restore { .. }
        | Command::Verify { .. } => {
            unreachable!("handled in main")
        }
    }
    Ok(())
}

async fn admin(db: &Db, passwords: &Passwords, action: &Admin) -> anyhow::Result<()> {
    let find = |name: String| async move {
        db.get_account_by_username(&name)
            .await?
            .with_context(|| format!("no account is called {name}"))
    };
    let cli = Actor::CommandLine;
    match action {
        Admin::Create {
            role,
            username,
            name,
        } => {
            // A taken or malformed name is refused before the password is asked for.
            services::accounts::check_new_name(db, username).await?;
            let password = read_password()?;
            let account = services::accounts::create(
                db,
                passwords,
                cli,
                *role,
                username,
                name.as_deref(),
                &password,
            )
            .await?;
            println!(
                "created {} {} ({})",
                role.as_str(),
                account.username,
                account.id
            );
        }
        Admin::GrantRole { username, role } | Admin::RevokeRole { username, role } => {
            let granting = matches!(action, Admin::GrantRole { .. });
            let role = QaRole::parse(role)
                .with_context(|| format!("{role} is not a role; the role granted is iqa"))?;
            if granting {
                services::roles::grant(db, cli, username, role).await?;
                println!("{username} is now an {}", role.label());
            } else {
                services::roles::revoke(db, cli, username, role).await?;
                println!("{username} is no longer an {}", role.label());
            }
        }
        Admin::CreateEqa {
            username,
            name,
            last_day,
            qualifications,
            learners,
        } => {
            services::accounts::check_new_name(db, username).await?;
            let password = read_password()?;
            let new = services::eqa::NewEqa {
                username,
                display_name: name.as_deref(),
                password: &password,
                last_day,
                qualifications: qualifications.clone(),
                learners: learners.clone(),
            };
            let content = pocketfolio_core::content::builtin()
                .context("loading the built-in content pack")?;
            let (account, grant) =
                services::eqa::create(db, passwords, &content, cli, &new).await?;
            println!(
                "created external quality assurer {} ({}) until the end of {}, for {}",
                account.username,
                account.id,
                grant.last_day(),
                grant.qualifications.join(", ")
            );
            if !grant.learners.is_empty() {
                println!("limited to {} chosen learners", grant.learners.len());
            }
        }
        Admin::CreateEmployer {
            username,
            name,
            email,
            organisation,
        } => {
            services::accounts::check_new_name(db, username).await?;
            let password = read_password()?;
            let new = services::employer_accounts::NewEmployer {
                username,
                display_name: name.as_deref(),
                password: &password,
                email,
                organisation,
            };
            let (account, tie) =
                services::employer_accounts::create(db, passwords, cli, &new).await?;
            println!(
                "created employer {} ({}) of {}: sees the learners whose employer contact is {}",
                account.username, account.id, tie.organisation, tie.email
            );
        }
        Admin::EqaLastDay { username, last_day } => {
            let grant = services::eqa::set_last_day(db, cli, username, last_day).await?;
            println!(
                "{username} has access until the end of {}",
                grant.last_day()
            );
        }
        Admin::Assign { assessor, learner } => {
            services::assignments::assign(db, cli, assessor, learner).await?;
            println!("assigned {learner} to {assessor}");
        }
        Admin::Unassign { assessor, learner } => {
            services::assignments::unassign(db, cli, assessor, learner).await?;
            println!("{learner} is no longer assigned to {assessor}");
        }
        Admin::Transfer { learner, from, to } => {
            services::assignments::transfer(db, cli, learner, from, to).await?;
            println!("moved {learner} from {from} to {to}");
        }
        Admin::Enrol {
            learner,
            qualification,
            units,
        } => {
            let content = pocketfolio_core::content::builtin()
                .context("loading the built-in content pack")?;
            let account =
                enrolment::enrol(db, &content, None, learner, qualification, units).await?;
            let taken = enrolment::learner_enrolment(db, &content, &account.id)
                .await?
                .map(|e| e.units.join(", "))
                .unwrap_or_default();
            println!("enrolled {learner} on {qualification}; units taken: {taken}");
        }
        Admin::OfficialRefs { file } => {
            let content = pocketfolio_core::content::builtin()
                .context("loading the built-in content pack")?;
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let name = file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let loaded = services::official::import(
                db,
                &content,
                cli,
                &name,
                &text,
                pocketfolio_centre::db::now_ms(),
            )
            .await?;
            println!(
                "loaded {} official references for {}",
                loaded.references,
                loaded.units.join(", ")
            );
        }
        Admin::ResetPassword { username } => {
            // The account is looked up first, so a typo is not met with a password prompt.
            find(username.clone()).await?;
            let password = read_password()?;
            services::accounts::reset_password(db, passwords, cli, username, &password).await?;
            println!("reset the password of {username}; it is signed out everywhere");
        }
        Admin::Disable { username } => {
            services::accounts::set_disabled(db, cli, username, true).await?;
            println!("disabled {username}; its sessions and devices are signed out");
        }
        Admin::Enable { username } => {
            services::accounts::set_disabled(db, cli, username, false).await?;
            println!("enabled {username}");
        }
        Admin::Sessions { username } => {
            for s in services::sessions::list(db, cli, username).await? {
                println!(
                    "{}\t{}\tsince {}\tuntil {}\t{}",
                    s.id,
                    match s.kind {
                        TokenKind::Api => "app",
                        TokenKind::Session => "browser",
                    },
                    utc(s.created_ms),
                    utc(s.expires_ms),
                    s.client
                );
            }
        }
        Admin::RevokeSession { username, session } => {
            // The full id, or the unique session it begins.
            let id = match session {
                None => None,
                Some(prefix) => {
                    let live = services::sessions::list(db, cli, username).await?;
                    let matching: Vec<_> = live
                        .iter()
                        .filter(|s| s.id.starts_with(prefix.as_str()))
                        .collect();
                    match matching.as_slice() {
                        [one] => Some(one.id.clone()),
                        [] => anyhow::bail!("{username} has no live session {prefix}"),
                        _ => {
                            anyhow::bail!("{prefix} begins more than one session; give more of it")
                        }
                    }
                }
            };
            let n = services::sessions::revoke(db, cli, username, id.as_deref()).await?;
            println!("ended {n} session(s) of {username}");
        }
        Admin::ResetTotp { username } => {
            services::totp::reset(db, cli, username).await?;
            println!("two-step sign-in is off for {username}");
        }
        Admin::FitParameters { learner } => {
            let learners = match learner {
                Some(name) => vec![find(name.clone()).await?],
                None => db
                    .get_accounts()
                    .await?
                    .into_iter()
                    .filter(|a| a.role == Role::Learner)
                    .collect(),
            };
            let mut skipped = 0;
            for (l, outcome) in db.fit_each(&learners).await {
                match outcome {
                    FitOutcome::Fitted { review_count } => {
                        println!("{}: fitted from {review_count} reviews", l.username)
                    }
                    FitOutcome::TooFew => println!("{}: too few reviews to fit yet", l.username),
                    FitOutcome::Skipped(why) => {
                        skipped += 1;
                        eprintln!("{}: skipped: {why}", l.username);
                    }
                }
            }
            anyhow::ensure!(skipped == 0, "{skipped} learner(s) skipped; see above");
        }
        Admin::Unlock { username } => {
            services::accounts::unlock(db, cli, username).await?;
            println!("unlocked {username}");
        }
        Admin::List => {
            for s in services::accounts::list(db, cli).await? {
                let a = &s.account;
                let mut standing = Vec::new();
                if s.disabled {
                    standing.push("disabled");
                }
                if s.locked_until_ms > 0 {
                    standing.push("locked");
                }
                if s.totp {
                    standing.push("two-step");
                }
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.role.as_str(),
                    a.username,
                    a.display_name,
                    a.id,
                    standing.join(",")
                );
            }
        }
    }
    Ok(())
}

fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

async fn audit(db: &Db, action: &Audit) -> anyhow::Result<()> {
    match action {
        Audit::Verify => match services::audit::verify(db).await? {
            Ok(head) => println!(
                "the audit log is intact: {} entries; the newest is {} with hash {}",
                head.seq, head.seq, head.hash
            ),
            Err(broken) => {
                eprintln!("the audit log is broken: {broken}");
                std::process::exit(1);
            }
        },
        Audit::Export {
            actor,
            learner,
            kind,
            from,
            to,
        } => {
            let q = services::audit::AuditQuery {
                actor: actor.clone().unwrap_or_default(),
                learner: learner.clone().unwrap_or_default(),
                kind: kind.clone().unwrap_or_default(),
                from: from.clone().unwrap_or_default(),
                to: to.clone().unwrap_or_default(),
            };
            let csv = services::audit::export_csv(db, Actor::CommandLine, &q).await?;
            std::io::Write::write_all(&mut std::io::stdout(), &csv)?;
        }
    }
    Ok(())
}
