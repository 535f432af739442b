//! The centre's outgoing mail: one-time links to people without an account (a witness asked to
//! confirm their testimony, an employer asked to sign or confirm), sent through the SMTP relay
//! set in the centre's settings (`PF_SMTP_*`, see the README).
//!
//! Mail is a convenience, never the only way: with no relay set, or when a send fails, the
//! caller shows the link to the member of staff to pass on themselves, and the link stays
//! valid. [`deliver`] answers with a [`Delivery`] that says which happened, in a sentence for
//! the page and as JSON for the audit entry; it never fails.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same machine or a private network only).
    None,
    /// Plain, then upgraded with STARTTLS; refused when the relay does not offer it.
    StartTls,
    /// TLS from the first byte (SMTPS, "implicit TLS").
    Tls,
}

impl SmtpTls {
    /// The port used when none is set: 25, 587 or 465.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

impl std::str::FromStr for SmtpTls {
    type Err = MailError;
    fn from_str(s: &str) -> Result<SmtpTls, MailError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(SmtpTls::None),
            "starttls" => Ok(SmtpTls::StartTls),
            "tls" => Ok(SmtpTls::Tls),
            other => Err(MailError::Settings(format!(
                "The SMTP TLS mode must be none, starttls or tls, not \"{other}\"."
            ))),
        }
    }
}

/// The relay's settings as given (`PF_SMTP_HOST`, `PF_SMTP_PORT`, `PF_SMTP_FROM`,
/// `PF_SMTP_USERNAME`, `PF_SMTP_PASSWORD`, `PF_SMTP_TLS`).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// The relay's host name (checked against its certificate under TLS).
    pub host: String,
    /// Its port; `None` for the TLS mode's usual one.
    pub port: Option<u16>,
    /// The sender, e.g. `Pocketfolio <no-reply@centre.example.ac.uk>`.
    pub from: String,
    /// Sign-in name at the relay, if it asks for one.
    pub username: Option<String>,
    /// Its password (never logged).
    pub password: Option<String>,
    /// How the connection is protected.
    pub tls: SmtpTls,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("tls", &self.tls)
            .finish()
    }
}

/// Why mail could not be set up or sent.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum MailError {
    /// The settings cannot work (checked when the centre starts).
    #[error("{0}")]
    Settings(String),
    /// The recipient's address cannot be written on a mail.
    #[error("\"{0}\" is not an email address mail can be sent to.")]
    Address(String),
    /// The relay refused the mail or could not be reached.
    #[error("{0}")]
    Send(String),
}

/// A plain-text mail to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Their name as the centre knows it.
    pub to_name: String,
    /// Their address.
    pub to_email: String,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
}

/// Sends mail through the relay. Built once when the centre starts; cheap to share.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    relay: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("relay", &self.relay)
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// How long one send may take, connection included, before it counts as failed: the member of
/// staff is waiting on the page.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

impl Mailer {
    /// A mailer for these settings; refused in a sentence when the sender is not an address
    /// or the host cannot be checked under TLS. Nothing is sent or connected here.
    pub fn new(settings: &SmtpSettings) -> Result<Mailer, MailError> {
        let host = settings.host.trim();
        if host.is_empty() {
            return Err(MailError::Settings(
                "Set the SMTP relay's host name (PF_SMTP_HOST).".into(),
            ));
        }
        let from: Mailbox = settings.from.trim().parse().map_err(|_| {
            MailError::Settings(format!(
                "The sender (PF_SMTP_FROM) must be an email address, such as \
                 \"Pocketfolio <no-reply@centre.example.ac.uk>\", not \"{}\".",
                settings.from
            ))
        })?;
        let port = settings.port.unwrap_or(settings.tls.default_port());
        let tls = match settings.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::StartTls => Tls::Required(tls_parameters(host)?),
            SmtpTls::Tls => Tls::Wrapper(tls_parameters(host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(SEND_TIMEOUT));
        match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            _ => {
                return Err(MailError::Settings(
                    "Give the SMTP relay both a username and a password \
                     (PF_SMTP_USERNAME, PF_SMTP_PASSWORD), or neither."
                        .into(),
                ))
            }
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            relay: format!("{host}:{port}"),
        })
    }

    /// Sends one mail. The error is a sentence for the member of staff (the relay's own words
    /// kept short), since they decide whether to pass the link on by hand.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let to = recipient(&mail.to_name, &mail.to_email)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&mail.subject))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Send(format!("The mail could not be written: {e}.")))?;
        let sent = tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await;
        match sent {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(MailError::Send(format!(
                "The mail relay {} did not take the mail: {}.",
                self.relay,
                short(&e.to_string())
            ))),
            Err(_) => Err(MailError::Send(format!(
                "The mail relay {} did not answer within {} seconds.",
                self.relay,
                SEND_TIMEOUT.as_secs()
            ))),
        }
    }
}

fn tls_parameters(host: &str) -> Result<TlsParameters, MailError> {
    TlsParameters::new(host.to_string()).map_err(|e| {
        MailError::Settings(format!(
            "The SMTP relay's host name \"{host}\" cannot be used with TLS: {e}."
        ))
    })
}

/// The recipient as a mailbox; a name that cannot be written on a mail is left off rather
/// than refusing the address.
fn recipient(name: &str, email: &str) -> Result<Mailbox, MailError> {
    let address = email
        .trim()
        .parse()
        .map_err(|_| MailError::Address(email.to_string()))?;
    let name = one_line(name);
    Ok(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// Header text on one line: a name or subject typed with a line break must not add headers.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn short(text: &str) -> String {
    let line = one_line(text);
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// What became of a link meant to be mailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The relay took the mail for this address.
    Sent {
        /// The address.
        to: String,
    },
    /// No relay is set: the link is for the member of staff to pass on.
    NotConfigured,
    /// The relay did not take it; the link still works.
    Failed {
        /// The address tried.
        to: String,
        /// Why, in a sentence.
        reason: String,
    },
}

impl Delivery {
    /// Whether the link must be shown to the member of staff to pass on by hand.
    pub fn link_to_show(&self) -> bool {
        !matches!(self, Delivery::Sent { .. })
    }

    /// The sentence for the page. `whom` names the recipient ("the witness").
    pub fn sentence(&self, whom: &str) -> String {
        match self {
            Delivery::Sent { to } => format!("The link was emailed to {whom} at {to}."),
            Delivery::NotConfigured => format!(
                "This centre has no mail relay set, so nothing was emailed: copy the link below \
                 and send it to {whom} yourself."
            ),
            Delivery::Failed { to, reason } => format!(
                "The link could not be emailed to {to}. {reason} The link still works: copy it \
                 below and send it to {whom} yourself, or try again later."
            ),
        }
    }

    /// For the audit entry of the send.
    pub fn audit_json(&self) -> serde_json::Value {
        match self {
            Delivery::Sent { to } => serde_json::json!({"mail": "sent", "to": to}),
            Delivery::NotConfigured => serde_json::json!({"mail": "no relay set"}),
            Delivery::Failed { to, reason } => {
                serde_json::json!({"mail": "failed", "to": to, "reason": reason})
            }
        }
    }
}

/// Mails `mail` when a relay is set, and says what happened. A failure is logged and returned
/// as [`Delivery::Failed`], never as an error: the link it carries is already stored and valid.
pub async fn deliver(mailer: Option<&Mailer>, mail: &Mail) -> Delivery {
    let Some(mailer) = mailer else {
        return Delivery::NotConfigured;
    };
    match mailer.send(mail).await {
        Ok(()) => Delivery::Sent {
            to: mail.to_email.clone(),
        },
        Err(e) => {
            tracing::warn!(error = %e, "a link could not be mailed");
            Delivery::Failed {
                to: mail.to_email.clone(),
                reason: e.to_string(),
            }
        }
    }
}

/// The full address of a page of this centre, for a mail: the public address
/// (`PF_PUBLIC_URL`) and the path. `None` when the centre does not know its public address.
pub fn public_link(public_url: Option<&str>, path: &str) -> Option<String> {
    let base = public_url?.trim().trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.ac.uk".into(),
            port: None,
            from: "Pocketfolio <no-reply@example.ac.uk>".into(),
            username: None,
            password: None,
            tls: SmtpTls::StartTls,
        }
    }

    #[test]
    fn settings_that_cannot_work_are_refused_in_a_sentence() {
        let bad_from = Mailer::new(&SmtpSettings {
            from: "the centre".into(),
            ..settings()
        })
        .unwrap_err();
        assert!(bad_from.to_string().contains("PF_SMTP_FROM"), "{bad_from}");
        let half_credentials = Mailer::new(&SmtpSettings {
            username: Some("centre".into()),
            ..settings()
        })
        .unwrap_err();
        assert!(half_credentials.to_string().contains("or neither"));
        let no_host = Mailer::new(&SmtpSettings {
            host: " ".into(),
            ..settings()
        })
        .unwrap_err();
        assert!(no_host.to_string().contains("PF_SMTP_HOST"));
        assert!("ssl".parse::<SmtpTls>().is_err());
        assert_eq!("STARTTLS".parse::<SmtpTls>(), Ok(SmtpTls::StartTls));
        let ok = Mailer::new(&settings()).expect("good settings");
        assert_eq!(ok.relay, "smtp.example.ac.uk:587");
    }

    #[test]
    fn the_password_never_shows_in_debug_output() {
        let s = SmtpSettings {
            username: Some("centre".into()),
            password: Some("hunter2-secret".into()),
            ..settings()
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn a_line_break_in_a_name_or_subject_cannot_add_a_header() {
        assert_eq!(one_line("Sam\r\nBcc: x@y.z"), "Sam Bcc: x@y.z");
        let to = recipient("Sam\nBcc: x@example.com", "sam@example.com").unwrap();
        assert_eq!(to.email.to_string(), "sam@example.com");
        assert!(!to.to_string().contains('\n'));
        assert!(matches!(
            recipient("Sam", "not an address"),
            Err(MailError::Address(_))
        ));
    }

    #[test]
    fn each_delivery_says_whether_the_link_must_be_passed_on_by_hand() {
        let sent = Delivery::Sent {
            to: "w@example.com".into(),
        };
        assert!(!sent.link_to_show());
        assert!(sent
            .sentence("the witness")
            .contains("emailed to the witness"));
        assert!(Delivery::NotConfigured.link_to_show());
        assert!(Delivery::NotConfigured
            .sentence("the witness")
            .contains("no mail relay"));
        let failed = Delivery::Failed {
            to: "w@example.com".into(),
            reason: "The mail relay smtp:25 did not take the mail: 550 no.".into(),
        };
        assert!(failed.link_to_show());
        assert!(failed.sentence("the witness").contains("still works"));
        assert_eq!(failed.audit_json()["mail"], "failed");
    }

    #[test]
    fn a_public_link_needs_the_public_address() {
        assert_eq!(public_link(None, "/w/abc"), None);
        assert_eq!(
            public_link(Some("https://c.example.ac.uk/"), "/w/abc").as_deref(),
            Some("https://c.example.ac.uk/w/abc")
        );
    }
}
