//! A tiny SMTP server on 127.0.0.1 for tests: it speaks just enough SMTP (no TLS, no AUTH) for
//! the centre's mailer to hand it mail, keeps every message, and can be told to refuse mail,
//! so a test reads the link a mail carries or sees a refused send handled.

use pocketfolio_centre::mail::{Mailer, SmtpSettings, SmtpTls};
use pocketfolio_centre::Config;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// The public address a centre mailing through the sink gives ([`SmtpSink::config`]).
pub const PUBLIC_URL: &str = "https://centre.example.ac.uk";

/// One mail as the sink received it.
#[derive(Debug, Clone)]
pub struct SunkMail {
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message: headers, a blank line, the body (transfer encoding undone for
    /// quoted-printable bodies).
    pub headers: String,
    /// The body as a reader sees it.
    pub body: String,
}

impl SunkMail {
    /// The first `http(s)://…` address in the body.
    pub fn link(&self) -> Option<String> {
        let start = self.body.find("http")?;
        let link: String = self.body[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        Some(link)
    }
}

/// The sink; mail is kept until it is dropped.
#[derive(Clone)]
pub struct SmtpSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    mails: Arc<Mutex<Vec<SunkMail>>>,
    refuse: Arc<Mutex<Option<String>>>,
}

impl SmtpSink {
    /// Starts listening on a free port.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let sink = SmtpSink {
            port: listener.local_addr().expect("an address").port(),
            mails: Arc::default(),
            refuse: Arc::default(),
        };
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = serving.clone();
                tokio::spawn(async move {
                    let _ = sink.session(stream).await;
                });
            }
        });
        sink
    }

    /// From now on, answer each `DATA` with this permanent failure (e.g. "550 mailbox
    /// unavailable"), or accept mail again with `None`.
    pub fn refuse_with(&self, reply: Option<&str>) {
        *self.refuse.lock().unwrap() = reply.map(str::to_string);
    }

    /// The centre's settings for mailing through this sink, with [`PUBLIC_URL`] as the
    /// centre's public address (so a mailed link can be read back as a path).
    pub fn config(&self) -> Config {
        let mailer = Mailer::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(self.port),
            from: "Pocketfolio <no-reply@centre.example.ac.uk>".into(),
            username: None,
            password: None,
            tls: SmtpTls::None,
        })
        .unwrap();
        Config {
            sign_in_burst: 1000,
            sign_in_refill_ms: 1,
            public_url: Some(PUBLIC_URL.into()),
            mailer: Some(mailer),
            ..Config::default()
        }
    }

    /// Every mail taken so far.
    pub fn mails(&self) -> Vec<SunkMail> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits up to ten seconds for the `n`th mail (1-based) to arrive.
    pub async fn wait_for(&self, n: usize) -> SunkMail {
        for _ in 0..200 {
            if let Some(mail) = self.mails().get(n - 1) {
                return mail.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("mail {n} never reached the SMTP sink");
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink.test ESMTP\r\n").await?;
        let mut to = Vec::new();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: String = if command.starts_with("EHLO") {
                "250-sink.test\r\n250 8BITMIME\r\n".into()
            } else if command.starts_with("HELO") || command.starts_with("MAIL FROM") {
                "250 OK\r\n".into()
            } else if command.starts_with("RCPT TO") {
                let address = line.trim_end()[8..].trim().trim_matches(['<', '>']);
                to.push(address.to_string());
                "250 OK\r\n".into()
            } else if command == "DATA" {
                write.write_all(b"354 go on\r\n").await?;
                let raw = read_data(&mut lines).await?;
                let refused = self.refuse.lock().unwrap().clone();
                match refused {
                    Some(reply) => format!("{reply}\r\n"),
                    None => {
                        self.mails
                            .lock()
                            .unwrap()
                            .push(parse(std::mem::take(&mut to), &raw));
                        "250 queued\r\n".into()
                    }
                }
            } else if command == "RSET" || command == "NOOP" {
                "250 OK\r\n".into()
            } else if command == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                "502 not here\r\n".into()
            };
            write.write_all(reply.as_bytes()).await?;
        }
    }
}

async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
    let mut raw = String::new();
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 || line == ".\r\n" {
            return Ok(raw);
        }
        // Dot-stuffing undone.
        raw.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

fn parse(to: Vec<String>, raw: &str) -> SunkMail {
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let quoted = headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable");
    let body = if quoted {
        unquote(body)
    } else {
        body.to_string()
    };
    SunkMail {
        to,
        headers: headers.to_string(),
        body: body.replace("\r\n", "\n"),
    }
}

/// Quoted-printable undone: soft line breaks joined, `=XX` back to bytes.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if let (b'=', Some(Ok(b))) = (bytes[i], hex.map(|h| u8::from_str_radix(h, 16))) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
