//! What the commands print: a verdict line (or JSON), findings, curl commands.
//! Human output shows received text with its control characters escaped.

use std::path::Path;

use hooksig::{Error, Explanation, Profile, Verified};
use serde_json::{Value, json};

use crate::Fail;

/// What a verified delivery says about itself.
#[derive(Debug)]
pub(crate) struct Accepted {
    secret_index: usize,
    timestamp: Option<u64>,
    id: Option<String>,
    /// The MAC covers `id` (Standard Webhooks / Svix only).
    id_signed: bool,
    /// [`hooksig::ReplayKey::to_hex`], what `listen` de-duplicates on.
    replay_key: String,
}

/// The outcome of one verification, ready to print.
#[derive(Debug)]
pub(crate) struct Report {
    profile: String,
    pub(crate) result: Result<Accepted, Error>,
}

impl Report {
    pub(crate) fn from_result(profile: &Profile, result: Result<Verified<'_>, Error>) -> Report {
        let result = result.map(|v| Accepted {
            secret_index: v.secret_index,
            timestamp: v.timestamp,
            id: v.id.map(str::to_owned),
            id_signed: v.id_signed,
            replay_key: v.replay_key.to_hex().iter().map(|&b| char::from(b)).collect(),
        });
        Report { profile: profile.to_string(), result }
    }

    pub(crate) fn code(&self) -> &'static str {
        self.result.as_ref().map_or_else(|e| e.code(), |_| "OK")
    }

    pub(crate) fn http_status(&self) -> u16 {
        self.result.as_ref().map_or_else(|e| e.http_status(), |_| 200)
    }

    /// The `--json` object (schema in the README).
    pub(crate) fn to_json(&self) -> Value {
        let ok = self.result.as_ref().ok();
        json!({
            "valid": ok.is_some(),
            "code": self.code(),
            "message": self.result.as_ref().err().map(|e| e.message()),
            "http_status": self.http_status(),
            "profile": self.profile,
            "secret_index": ok.map(|a| a.secret_index),
            "timestamp": ok.and_then(|a| a.timestamp),
            "id": ok.and_then(|a| a.id.as_deref()),
            "id_signed": ok.map(|a| a.id_signed),
            "replay_key": ok.map(|a| a.replay_key.as_str()),
        })
    }

    /// One line: `OK …`, `SKIPPED DUPLICATE_DELIVERY …` or `REJECTED CODE (HTTP n): message`, control characters escaped.
    pub(crate) fn line(&self) -> String {
        let a = match &self.result {
            Ok(accepted) => accepted,
            Err(e) => return verdict_line(&self.profile, Err(e)),
        };
        let mut line = format!("OK {} delivery verified with secret #{}", self.profile, a.secret_index);
        if let Some(ts) = a.timestamp {
            line.push_str(&format!(", timestamp {ts}"));
        }
        if let Some(id) = &a.id {
            let signed = if a.id_signed { "signed" } else { "not signed" };
            line.push_str(&format!(", id {id} ({signed})"));
        }
        line.push_str(&format!(", replay key {}", a.replay_key));
        escape(&line)
    }

    pub(crate) fn print(&self, json: bool) {
        if json {
            println!("{}", self.to_json());
        } else {
            println!("{}", self.line());
        }
    }
}

/// `OK profile delivery verified with secret #n` (explain's verdict), or the error's line:
/// a duplicate is answered 200 but not processed again, so it is SKIPPED, not REJECTED.
fn verdict_line(profile: &str, result: Result<usize, &Error>) -> String {
    let line = match result {
        Ok(index) => format!("OK {profile} delivery verified with secret #{index}"),
        Err(e @ Error::DuplicateDelivery) => {
            format!("SKIPPED {} (HTTP {}): {}", e.code(), e.http_status(), e.message())
        }
        Err(e) => format!("REJECTED {} (HTTP {}): {}", e.code(), e.http_status(), e.message()),
    };
    escape(&line)
}

/// `explain`: `--json` prints the core's [`Explanation::to_json`]; people get
/// the verdict line and one line per finding (its `Display`).
pub(crate) fn print_explanation(profile: &Profile, explanation: &Explanation, json: bool) {
    if json {
        println!("{}", explanation.to_json());
        return;
    }
    println!("{}", verdict_line(&profile.to_string(), explanation.verdict.as_ref().copied()));
    if explanation.findings.is_empty() && explanation.verdict.is_err() {
        println!("  no known cause found: the secret may be wrong, or the delivery was forged or altered in transit");
    }
    for finding in &explanation.findings {
        println!("  {}: {}", finding.code(), escape(&finding.to_string()));
    }
}

/// Exit 0 valid, 1 rejected, 2 for the endpoint's own configuration errors.
pub(crate) fn exit<T>(result: Result<T, Error>) -> Result<(), Fail> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.http_status() >= 500 => Err(Fail::from(e)),
        Err(_) => Err(Fail::Rejected),
    }
}

/// `text` safe for a terminal: control characters (C0, DEL, C1: escape
/// sequences, carriage returns) and bidirectional overrides are shown as
/// `\x1b` / `\u{9b}`; everything else is kept.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_ascii_control() {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Single-quotes `text` for a POSIX shell.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `curl -X POST URL -H '…' --data-binary @FILE`.
pub(crate) fn curl_command(url: &str, method: &str, headers: &[(String, String)], body_file: &Path) -> String {
    let mut parts = vec!["curl".to_owned(), "-X".into(), shell_quote(method), shell_quote(url)];
    for (name, value) in headers {
        parts.push("-H".into());
        parts.push(shell_quote(&format!("{name}: {value}")));
    }
    parts.push("--data-binary".into());
    let body = body_file.to_string_lossy();
    parts.push(if body == "-" { "@-".into() } else { shell_quote(&format!("@{body}")) });
    parts.join(" ")
}

/// The body for people: pretty JSON when it is JSON, else the text (lossy).
pub(crate) fn pretty_body(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        let cmd = curl_command("http://x/", "POST", &[("A".into(), "b c".into())], Path::new("body.json"));
        assert_eq!(cmd, "curl -X 'POST' 'http://x/' -H 'A: b c' --data-binary '@body.json'");
    }

    #[test]
    fn report_json_has_every_field() {
        let value = Report::from_result(&Profile::GitHub, Err(Error::SignatureMismatch)).to_json();
        let keys = ["valid", "code", "message", "http_status", "profile", "secret_index", "timestamp", "id"];
        for key in keys.into_iter().chain(["id_signed", "replay_key"]) {
            assert!(value.get(key).is_some(), "{key}");
        }
        assert_eq!(value.get("code"), Some(&Value::from("SIGNATURE_MISMATCH")));
        assert_eq!(value.get("http_status"), Some(&Value::from(401)));
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(escape("a\u{1b}[31mb\r\u{7f}"), "a\\x1b[31mb\\x0d\\x7f");
        assert_eq!(escape("\u{9b}2J \u{202e}x"), "\\u{9b}2J \\u{202e}x");
        assert_eq!(escape("caf\u{e9} {\"a\": 1}"), "caf\u{e9} {\"a\": 1}");
    }
}
