//! A browser with a cookie jar for the centre's pages (sign-in, forms with CSRF).

use super::Centre;
use reqwest::StatusCode;
use std::collections::HashMap;

/// `application/x-www-form-urlencoded` bodies (reqwest's `form` feature is off here).
pub trait FormBody {
    fn form(self, fields: &[(&str, &str)]) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form(self, fields: &[(&str, &str)]) -> Self {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

/// A browser with a cookie jar.
pub struct Browser<'a> {
    c: &'a Centre,
    pub cookies: HashMap<String, String>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// Fails, showing the page, unless it says `text`.
    #[track_caller]
    pub fn assert_says(&self, text: &str) {
        assert!(
            self.body.contains(text),
            "{text:?} not on the page:\n{}",
            self.body
        );
    }
}

impl<'a> Browser<'a> {
    pub fn new(c: &'a Centre) -> Self {
        Browser {
            c,
            cookies: HashMap::new(),
        }
    }

    /// A browser signed in to the pages as `username` (password "correct horse").
    pub async fn signed_in(c: &'a Centre, username: &str) -> Browser<'a> {
        let mut browser = Browser::new(c);
        browser.sign_in(username).await;
        browser
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn finish(&mut self, r: reqwest::Response) -> Page {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (kv, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .c
            .client
            .get(self.c.url(path))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .c
            .client
            .post(self.c.url(path))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn sign_in(&mut self, username: &str) -> Page {
        self.sign_in_with(username, "correct horse", "").await
    }

    /// Signs in with a password and a second-factor code ("" for none).
    pub async fn sign_in_with(&mut self, username: &str, password: &str, code: &str) -> Page {
        let form = self.get("/sign-in").await;
        let csrf = hidden(&form.body, "csrf");
        self.post(
            "/sign-in",
            &[
                ("csrf", &csrf),
                ("username", username),
                ("password", password),
                ("totp_code", code),
            ],
        )
        .await
    }

    /// The CSRF secret of the signed-in session (read from the account page).
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/account").await;
        hidden(&page.body, "csrf")
    }
}

/// The value of the first hidden input called `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
