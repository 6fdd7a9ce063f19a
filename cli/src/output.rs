//! What the commands print: a verdict line (or JSON), findings, curl commands.

use std::path::Path;

use hooksig::{Error, FieldValue, Finding, Profile, Verified};
use serde_json::{Map, Value, json};

use crate::Fail;

/// The outcome of one verification, ready to print.
#[derive(Debug)]
pub(crate) struct Report {
    profile: String,
    /// `(secret_index, timestamp, id)` on success.
    result: Result<(usize, Option<u64>, Option<String>), Error>,
    /// `Some` for `explain`.
    findings: Option<Vec<Finding>>,
}

impl Report {
    pub(crate) fn from_result(profile: &Profile, result: Result<Verified<'_>, Error>) -> Report {
        Report {
            profile: profile.to_string(),
            result: result.map(|v| (v.secret_index, v.timestamp, v.id.map(str::to_owned))),
            findings: None,
        }
    }

    pub(crate) fn with_findings(mut self, findings: Vec<Finding>) -> Report {
        self.findings = Some(findings);
        self
    }

    pub(crate) fn code(&self) -> &'static str {
        self.result.as_ref().map_or_else(|e| e.code(), |_| "OK")
    }

    pub(crate) fn http_status(&self) -> u16 {
        self.result.as_ref().map_or_else(|e| e.http_status(), |_| 200)
    }

    /// The `--json` object (schema in the README).
    pub(crate) fn to_json(&self) -> Value {
        let (secret_index, timestamp, id) = match &self.result {
            Ok((index, ts, id)) => (json!(index), json!(ts), json!(id)),
            Err(_) => (Value::Null, Value::Null, Value::Null),
        };
        let mut out = json!({
            "valid": self.result.is_ok(),
            "code": self.code(),
            "message": self.result.as_ref().err().map(|e| e.message()),
            "http_status": self.http_status(),
            "profile": self.profile,
            "secret_index": secret_index,
            "timestamp": timestamp,
            "id": id,
        });
        if let (Some(findings), Some(object)) = (&self.findings, out.as_object_mut()) {
            object.insert("findings".into(), findings.iter().map(finding_json).collect());
        }
        out
    }

    /// One line: `OK …` or `REJECTED CODE (HTTP n): message`.
    pub(crate) fn line(&self) -> String {
        match &self.result {
            Ok((index, ts, id)) => {
                let mut line = format!("OK {} delivery verified with secret #{index}", self.profile);
                if let Some(ts) = ts {
                    line.push_str(&format!(", timestamp {ts}"));
                }
                if let Some(id) = id {
                    line.push_str(&format!(", id {id}"));
                }
                line
            }
            Err(e) => format!("REJECTED {} (HTTP {}): {}", e.code(), e.http_status(), e.message()),
        }
    }

    pub(crate) fn print(&self, json: bool) {
        if json {
            println!("{}", self.to_json());
            return;
        }
        println!("{}", self.line());
        match &self.findings {
            Some(findings) if findings.is_empty() && self.result.is_err() => println!(
                "  no known cause found: the secret may be wrong, or the delivery was forged or altered in transit"
            ),
            Some(findings) => {
                for finding in findings {
                    println!("  {}: {finding}", finding.code());
                }
            }
            None => {}
        }
    }

    /// Exit 0 valid, 1 rejected, 2 for the endpoint's own configuration errors.
    pub(crate) fn exit(&self) -> Result<(), Fail> {
        match self.result {
            Ok(_) => Ok(()),
            Err(e) if e.http_status() >= 500 => Err(Fail::Usage(format!("{}: {}", e.code(), e.message()))),
            Err(_) => Err(Fail::Rejected),
        }
    }
}

/// `{"code", "message", …fields}`.
pub(crate) fn finding_json(finding: &Finding) -> Value {
    let mut object = Map::new();
    object.insert("code".into(), finding.code().into());
    object.insert("message".into(), finding.to_string().into());
    for (name, value) in finding.fields() {
        let value = match value {
            FieldValue::Text(text) => Value::from(text),
            FieldValue::Integer(n) => Value::from(n),
        };
        object.insert(name.into(), value);
    }
    Value::Object(object)
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
        let report = Report::from_result(&Profile::GitHub, Err(Error::SignatureMismatch));
        let value = report.with_findings(Vec::new()).to_json();
        for key in ["valid", "code", "message", "http_status", "profile", "secret_index", "timestamp", "id", "findings"]
        {
            assert!(value.get(key).is_some(), "{key}");
        }
        assert_eq!(value.get("code"), Some(&Value::from("SIGNATURE_MISMATCH")));
        assert_eq!(value.get("http_status"), Some(&Value::from(401)));
    }
}
