//! Drives the built `hooksig` binary: every subcommand, the exit codes, the
//! `--json` schema, `send` into `listen` on 127.0.0.1 for every built-in
//! profile, and `explain` on every seeded failure of testdata/explain.json;
//! `listen` accepting each delivery once, in memory and through a real
//! `redis-server` shared by two `listen` processes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use hooksig::Profile;
use serde_json::Value;

#[path = "../../replay/tests/support/redis_server.rs"]
mod redis_server;
use redis_server::RedisServer;

const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_SIG: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
/// Works for every profile: raw text for most, base64 after `whsec_` for Standard Webhooks.
const ANY_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("hooksig-cli-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn hooksig() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hooksig"));
    cmd.env("GH_SECRET", GITHUB_SECRET).env("ANY_SECRET", ANY_SECRET).env_remove("UNSET_SECRET");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = cmd.output().unwrap();
    (status.code().unwrap_or(-1), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn github_verify(scratch: &Scratch, body: &[u8]) -> Command {
    let body = scratch.file("github-body", body);
    let mut cmd = hooksig();
    cmd.args(["verify", "--profile", "github", "--secret-env", "GH_SECRET", "--header"])
        .arg(format!("X-Hub-Signature-256: {GITHUB_SIG}"))
        .args(["--body-file", path(&body)]);
    cmd
}

#[test]
fn verify_exit_codes() {
    let s = Scratch::new();
    let (code, out, _) = run(&mut github_verify(&s, b"Hello, World!"));
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("OK github delivery verified with secret #0"), "{out}");

    let (code, out, _) = run(&mut github_verify(&s, b"Hello, World?"));
    assert_eq!(code, 1);
    assert!(out.starts_with("REJECTED SIGNATURE_MISMATCH (HTTP 401)"), "{out}");

    let body = s.file("b", b"Hello, World!");
    let usage: Vec<Vec<&str>> = vec![
        vec!["verify", "--profile", "github", "--body-file", path(&body)],
        vec!["verify", "--profile", "github", "--secret-env", "UNSET_SECRET", "--body-file", path(&body)],
        vec!["verify", "--profile", "github", "--secret-env", "GH_SECRET", "--body-file", "/nonexistent/body"],
        vec!["verify", "--profile", "github", "--secret-file", "/nonexistent/secret", "--body-file", path(&body)],
        vec!["verify", "--profile", "no-such-profile", "--secret-env", "GH_SECRET", "--body-file", path(&body)],
        vec!["verify", "--profile", "github", "--secret-env", "GH_SECRET", "--body-file", path(&body), "-H", "nocolon"],
        vec!["verify", "--secret-env", "GH_SECRET", "--body-file", path(&body)],
        vec!["verify", "--profile", "github", "--secret-env", "GH_SECRET", "--body-file", path(&body), "--bogus"],
        vec!["verify", "--profile", "github", "--secret-env", "GH_SECRET", "--body-file", path(&body), "--now", "x"],
        vec!["frobnicate"],
        vec![],
        vec![
            "sign",
            "--profile",
            "github",
            "--secret-env",
            "GH_SECRET",
            "--secret-env",
            "GH_SECRET",
            "--body-file",
            path(&body),
        ],
    ];
    for args in usage {
        let (code, out, err) = run(hooksig().args(&args));
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        assert!(!err.is_empty(), "{args:?}: no message");
    }
    // An empty secret is the endpoint's configuration error: exit 2, not "rejected".
    let empty = s.file("empty-secret", b"");
    let (code, _, err) =
        run(hooksig().args(["verify", "-p", "github", "--secret-file", path(&empty), "--body-file", path(&body)]));
    assert_eq!(code, 2);
    assert!(err.contains("INVALID_SECRET"), "{err}");
    let (code, out, _) = run(hooksig().args(["--help"]));
    assert_eq!(code, 0);
    for sub in ["verify", "explain", "sign", "send", "listen"] {
        assert!(out.contains(sub), "{sub} missing from --help");
    }
}

#[test]
fn profiles_lists_the_builtins() {
    let (code, out, _) = run(hooksig().arg("profiles"));
    assert_eq!(code, 0);
    let names: Vec<&str> = Profile::BUILTIN.iter().map(Profile::name).collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), names);
    let (code, out, _) = run(hooksig().args(["profiles", "--json"]));
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list.as_array().unwrap().len(), names.len());
    assert_eq!(keys(&list[0]), ["name", "timestamp", "id_header", "signs_request"]);
    let stripe = list.as_array().unwrap().iter().find(|p| p["name"] == "stripe").unwrap();
    assert_eq!(stripe["timestamp"], true);
    assert_eq!(stripe["id_header"], Value::Null);
}

fn keys(value: &Value) -> Vec<&str> {
    value.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn verify_and_explain_json_schema() {
    let s = Scratch::new();
    let (code, out, _) = run(github_verify(&s, b"Hello, World!").arg("--json"));
    assert_eq!(code, 0);
    let ok: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&ok),
        [
            "valid",
            "code",
            "message",
            "http_status",
            "profile",
            "secret_index",
            "timestamp",
            "id",
            "id_signed",
            "replay_key"
        ]
    );
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["code"], "OK");
    assert_eq!(ok["message"], Value::Null);
    assert_eq!(ok["http_status"], 200);
    assert_eq!(ok["profile"], "github");
    assert_eq!(ok["secret_index"], 0);

    let (code, out, _) = run(github_verify(&s, b"tampered").arg("--json"));
    assert_eq!(code, 1);
    let bad: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["code"], "SIGNATURE_MISMATCH");
    assert_eq!(bad["http_status"], 401);
    assert!(bad["message"].as_str().unwrap().contains("no signature matches"));
    assert_eq!(bad["secret_index"], Value::Null);
    assert_eq!((&bad["id_signed"], &bad["replay_key"]), (&Value::Null, &Value::Null));

    // explain --json: the core's Explanation::to_json, findings as {code, message, fields}.
    let body = s.file("b", b"Hello, World!");
    let secret = s.file("secret", format!("{GITHUB_SECRET}\n").as_bytes());
    let (code, out, _) = run(hooksig()
        .args(["explain", "--json", "-p", "github", "--secret-file", path(&secret), "--body-file", path(&body)])
        .args(["--now", "1700000000", "--header"])
        .arg(format!("X-Hub-Signature-256: {GITHUB_SIG}")));
    assert_eq!(code, 1);
    let explained: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(explained["verdict"], "SIGNATURE_MISMATCH");
    assert_eq!(explained["secret_index"], Value::Null);
    let finding = &explained["findings"][0];
    assert_eq!(finding["code"], "SECRET_WHITESPACE");
    assert!(finding["message"].as_str().unwrap().starts_with("secret #0 has whitespace"), "{finding}");
    assert_eq!(finding["fields"], serde_json::json!({"secret_index": 0}));
    // The same bytes the core serialises: the CLI adds nothing.
    let headers = [("X-Hub-Signature-256", GITHUB_SIG)];
    let secrets = [format!("{GITHUB_SECRET}\n")];
    let core = hooksig::explain(
        &Profile::GitHub,
        &secrets,
        hooksig::Tolerance::DEFAULT,
        &headers,
        b"Hello, World!",
        None,
        1_700_000_000,
    );
    assert_eq!(out.trim_end(), core.to_json());
}

#[test]
fn explain_prints_one_line_per_finding() {
    let s = Scratch::new();
    let body = s.file("b", b"Hello, World!");
    let secret = s.file("secret", format!("{GITHUB_SECRET}\n").as_bytes());
    let (code, out, _) = run(hooksig()
        .args(["explain", "-p", "github", "--secret-file", path(&secret), "--body-file", path(&body)])
        .arg("-H")
        .arg(format!("X-Hub-Signature-256: {GITHUB_SIG}")));
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("REJECTED SIGNATURE_MISMATCH"));
    assert!(lines[1].starts_with("  SECRET_WHITESPACE: secret #0 has whitespace"), "{out}");

    // A plain wrong secret: rejected, and explain says no known cause applies.
    let (code, out, _) = run(hooksig()
        .env("WRONG", "nope")
        .args(["explain", "-p", "github", "--secret-env", "WRONG", "--body-file", path(&body)])
        .arg("-H")
        .arg(format!("X-Hub-Signature-256: {GITHUB_SIG}")));
    assert_eq!(code, 1);
    assert!(out.contains("no known cause found"), "{out}");
}

fn signed(profile: &str, body: &Path, extra: &[&str]) -> Vec<(String, String)> {
    signed_at(profile, body, "1700000000", extra)
}

fn signed_at(profile: &str, body: &Path, timestamp: &str, extra: &[&str]) -> Vec<(String, String)> {
    let (code, out, err) = run(hooksig()
        .args(["sign", "--json", "--profile", profile, "--secret-env", "ANY_SECRET", "--body-file", path(body)])
        .args(["--timestamp", timestamp])
        .args(extra));
    assert_eq!(code, 0, "{profile}: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(keys(&doc), ["headers"]);
    doc["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_owned(), pair[1].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn sign_round_trips_through_verify_for_every_profile() {
    let s = Scratch::new();
    let body = s.file("body.json", br#"{"id":"evt_1","amount":1250}"#);
    let tampered = s.file("tampered.json", br#"{"id":"evt_1","amount":1251}"#);
    for profile in Profile::BUILTIN {
        let name = profile.name();
        let request: &[&str] =
            if profile.signs_request() { &["--method", "POST", "--path", "/v1/hook?a=1"] } else { &[] };
        let headers = signed(name, &body, request);
        assert!(!headers.is_empty(), "{name}");
        for (file, want) in [(&body, 0), (&tampered, 1)] {
            let mut cmd = hooksig();
            cmd.args(["verify", "-p", name, "--secret-env", "ANY_SECRET", "--body-file", path(file)]);
            cmd.args(["--now", "1700000000"]).args(request);
            for (n, v) in &headers {
                cmd.arg("--header").arg(format!("{n}: {v}"));
            }
            let (code, out, err) = run(&mut cmd);
            assert_eq!(code, want, "{name} {}: {out} {err}", file.display());
        }
    }
    // Human output is `Name: value` lines; --curl is a ready command.
    let (code, out, _) =
        run(hooksig().args(["sign", "-p", "github", "--secret-env", "GH_SECRET", "--body-file", path(&body)]));
    assert_eq!(code, 0);
    assert!(out.starts_with("X-Hub-Signature-256: sha256="), "{out}");
    let (code, out, _) = run(hooksig()
        .args([
            "sign",
            "-p",
            "stripe",
            "--secret-env",
            "ANY_SECRET",
            "--body-file",
            path(&body),
            "--timestamp",
            "1700000000",
        ])
        .args(["--curl", "https://example.com/hook"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("curl -X 'POST' 'https://example.com/hook' -H 'Stripe-Signature: t=1700000000,v1="),
        "{out}"
    );
    assert!(out.trim_end().ends_with(&format!("--data-binary '@{}'", path(&body))), "{out}");
}

/// A `listen` child, killed if the test fails before it exits by itself.
struct Listener {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    port: u16,
}

impl Listener {
    fn start(profile: &str, max_requests: u32) -> Listener {
        Listener::spawn(profile, &["--json", "--max-requests", &max_requests.to_string()])
    }

    /// `hooksig listen` on a free port of 127.0.0.1, with `extra` arguments; stderr piped.
    fn spawn(profile: &str, extra: &[&str]) -> Listener {
        let mut child = hooksig()
            .args(["listen", "--port", "0", "-p", profile, "--secret-env", "ANY_SECRET"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let port = first.split("http://127.0.0.1:").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
        Listener { child, lines, port }
    }

    fn next_line(&mut self) -> String {
        self.lines.next().unwrap().unwrap()
    }

    fn next_json(&mut self) -> Value {
        serde_json::from_str(&self.lines.next().unwrap().unwrap()).unwrap()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

#[test]
fn send_into_listen_for_every_profile() {
    for profile in Profile::BUILTIN {
        let name = profile.name();
        let mut listener = Listener::start(name, 2);
        let url = format!("http://127.0.0.1:{}/webhooks/{name}?test=1", listener.port);

        let (code, out, err) = run(hooksig().args(["send", &url, "-p", name, "--secret-env", "ANY_SECRET"]));
        assert_eq!(code, 0, "{name}: {out} {err}");
        assert!(out.contains("HTTP 200"), "{name}: {out}");
        let got = listener.next_json();
        assert_eq!(got["valid"], true, "{name}: {got}");
        assert_eq!(got["code"], "OK");
        assert_eq!(got["method"], "POST");
        assert_eq!(got["path"], format!("/webhooks/{name}?test=1"));
        let body: Value = serde_json::from_str(got["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["event_type"], "webhook.test");
        if profile.id_header().is_some() {
            assert!(got["id"].as_str().unwrap().starts_with("evt_test_"), "{name}: {got}");
        }

        let (code, out, _) =
            run(hooksig().args(["send", &url, "-p", name, "--secret-env", "ANY_SECRET", "--tamper", "--json"]));
        assert_eq!(code, 1, "{name}: {out}");
        let sent: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(sent["status"], 401, "{name}: {sent}");
        assert_eq!(sent["tampered"], true);
        let answer: Value = serde_json::from_str(sent["response"].as_str().unwrap()).unwrap();
        assert_eq!(answer, serde_json::json!({"ok": false, "code": "SIGNATURE_MISMATCH"}));
        let got = listener.next_json();
        assert_eq!(got["valid"], false);
        assert_eq!(got["code"], "SIGNATURE_MISMATCH");
        assert_eq!(got["http_status"], 401);

        let status = listener.child.wait().unwrap();
        assert!(status.success(), "{name}: listen exited with {status}");
    }
}

#[test]
fn listen_answers_400_to_an_unsigned_request_and_send_reports_it() {
    let s = Scratch::new();
    let mut listener = Listener::start("github", 1);
    let body = s.file("form", b"a=1");
    // Signed for Slack, received by a GitHub endpoint: the signature header is missing.
    let url = format!("http://127.0.0.1:{}/", listener.port);
    let (code, out, _) = run(hooksig()
        .args(["send", &url, "-p", "slack", "--secret-env", "ANY_SECRET", "--body-file", path(&body)])
        .args(["--content-type", "application/x-www-form-urlencoded"]));
    assert_eq!(code, 1);
    assert!(out.contains("HTTP 400"), "{out}");
    assert!(out.contains("MISSING_HEADER"), "{out}");
    let got = listener.next_json();
    assert_eq!(got["code"], "MISSING_HEADER");
    assert_eq!(got["body"], "a=1");
    assert!(listener.child.wait().unwrap().success());

    // Nothing listening: send fails with exit 1 and says why.
    drop(listener);
    let (code, _, err) = run(hooksig().args(["send", &url, "-p", "github", "--secret-env", "ANY_SECRET"]));
    assert_eq!(code, 1);
    assert!(err.contains("failed"), "{err}");
}

#[test]
fn explain_finds_every_seeded_cause() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/explain.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let s = Scratch::new();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let body = s.file(&format!("body-{i}"), case["body"].as_str().unwrap().as_bytes());
        let mut cmd = hooksig();
        cmd.args(["explain", "--json", "--profile", case["scheme"].as_str().unwrap(), "--body-file", path(&body)]);
        for (j, secret) in case["secrets"].as_array().unwrap().iter().enumerate() {
            let var = format!("EXPLAIN_SECRET_{j}");
            cmd.env(&var, secret.as_str().unwrap()).args(["--secret-env", &var]);
        }
        for pair in case["headers"].as_array().unwrap() {
            cmd.arg("--header").arg(format!("{}: {}", pair[0].as_str().unwrap(), pair[1].as_str().unwrap()));
        }
        cmd.args(["--now", &case["now"].as_u64().unwrap().to_string()]);
        match &case["tolerance"] {
            Value::Null => {}
            Value::String(d) if d == "disabled" => {
                cmd.arg("--no-window");
            }
            window => {
                cmd.args(["--past", &window["past"].to_string(), "--future", &window["future"].to_string()]);
            }
        }
        let (code, out, err) = run(&mut cmd);
        // Bad input to explain itself (an unknown profile…): INVALID_ARGUMENT, exit 2, no verdict.
        if let Some(raises) = case["raises"].as_str() {
            if code != 2 || !out.is_empty() || !err.contains(raises) {
                failures.push(format!("{name}: exit {code}, stdout {out:?}, stderr {err:?}; want {raises}"));
            }
            continue;
        }
        let Ok(got) = serde_json::from_str::<Value>(&out) else {
            failures.push(format!("{name}: no JSON: {out} {err}"));
            continue;
        };
        let expect = case["expect"].as_str().unwrap();
        let want_code = match expect {
            "OK" => 0,
            "INVALID_SECRET" | "INVALID_ARGUMENT" => 2,
            _ => 1,
        };
        // The vectors list {code, fields}: the core's JSON without the message.
        let findings: Vec<Value> = got["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| {
                assert!(!finding["message"].as_str().unwrap().is_empty());
                serde_json::json!({"code": finding["code"], "fields": finding["fields"]})
            })
            .collect();
        if got["verdict"] != expect || Value::from(findings.clone()) != case["findings"] || code != want_code {
            failures.push(format!(
                "{name}: exit {code}, got {} {findings:?}, want {expect} {}",
                got["verdict"], case["findings"]
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn window_options_are_checked_by_the_core() {
    let s = Scratch::new();
    let body = s.file("b", b"{}");
    // A Stripe delivery signed in 2001, verified now.
    let headers = signed_at("stripe", &body, "1000000000", &[]);
    let verify = |extra: &[&str]| {
        let mut cmd = hooksig();
        cmd.args(["verify", "-p", "stripe", "--secret-env", "ANY_SECRET", "--body-file", path(&body)]).args(extra);
        for (n, v) in &headers {
            cmd.arg("--header").arg(format!("{n}: {v}"));
        }
        run(&mut cmd)
    };
    let (code, out, _) = verify(&[]);
    assert_eq!(code, 1);
    assert!(out.starts_with("REJECTED TIMESTAMP_TOO_OLD"), "{out}");
    assert_eq!(verify(&["--no-window"]).0, 0);
    assert_eq!(verify(&["--tolerance", "0", "--now", "1000000000"]).0, 0);
    let (code, out, _) = verify(&["--past", "10", "--now", "1000000011"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("REJECTED TIMESTAMP_TOO_OLD"), "{out}");

    // Negative, fractional, non-numeric, over MAX_WINDOW or over i64: INVALID_ARGUMENT, exit 2, no verdict.
    let too_big = (hooksig::MAX_WINDOW + 1).to_string();
    for flag in ["--tolerance", "--past", "--future"] {
        for value in ["-1", "1.5", "300s", "true", "", "1000000000000000000000000000000", too_big.as_str()] {
            let (code, out, err) = verify(&[flag, value]);
            assert_eq!(code, 2, "{flag} {value:?}: {out}");
            assert!(out.is_empty(), "{flag} {value:?}: {out}");
            assert!(err.contains("INVALID_ARGUMENT"), "{flag} {value:?}: {err}");
        }
    }
    // A window both disabled and given a side contradicts itself.
    let (code, _, err) = verify(&["--no-window", "--past", "10"]);
    assert_eq!(code, 2);
    assert!(err.contains("INVALID_ARGUMENT"), "{err}");
    // The same rules for explain and listen.
    let (code, out, err) = run(hooksig()
        .args(["explain", "-p", "stripe", "--secret-env", "ANY_SECRET", "--body-file", path(&body)])
        .args(["--tolerance", "-1"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("INVALID_ARGUMENT"), "{err}");
    let (code, _, err) = run(hooksig().args(["listen", "-p", "stripe", "--secret-env", "ANY_SECRET", "--past", "-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("INVALID_ARGUMENT"), "{err}");
}

#[test]
fn request_line_and_sign_options_follow_the_core() {
    let s = Scratch::new();
    let body = s.file("b", b"{}");
    let line = ["--method", "POST", "--path", "/v1/hook"];
    // The core writes Idempotency-Key from --id; the CLI adds no header of its own.
    let headers = signed("unknownpay-s2s", &body, &[&line[..], &["--id", "idem-1"]].concat());
    let ids: Vec<&(String, String)> =
        headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("idempotency-key")).collect();
    assert_eq!(ids, [&("Idempotency-Key".to_owned(), "idem-1".to_owned())], "{headers:?}");
    let verify = |profile: &str, headers: &[(String, String)], extra: &[&str]| {
        let mut cmd = hooksig();
        cmd.args(["verify", "-p", profile, "--secret-env", "ANY_SECRET", "--body-file", path(&body)]);
        cmd.args(["--now", "1700000000"]).args(extra);
        for (n, v) in headers {
            cmd.arg("--header").arg(format!("{n}: {v}"));
        }
        run(&mut cmd)
    };
    let (code, out, _) = verify("unknownpay-s2s", &headers, &line);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("id idem-1"), "{out}");
    // S2S without the line, or half a line: INVALID_ARGUMENT (exit 2).
    for extra in
        [&[][..], &["--method", "POST"][..], &["--path", "/v1/hook"][..], &["--method", "PO ST", "--path", "/"]]
    {
        let (code, _, err) = verify("unknownpay-s2s", &headers, extra);
        assert_eq!(code, 2, "{extra:?}");
        assert!(err.contains("INVALID_ARGUMENT"), "{extra:?}: {err}");
    }
    // Any other profile takes a request line and ignores it.
    let github = signed("github", &body, &[]);
    assert_eq!(verify("github", &github, &line).0, 0);
    // A key id or an id the profile has no header for is refused by the core.
    for (profile, extra) in [("github", ["--key-id", "k"]), ("stripe", ["--id", "evt_1"])] {
        let (code, out, err) = run(hooksig()
            .args(["sign", "-p", profile, "--secret-env", "ANY_SECRET", "--body-file", path(&body)])
            .args(extra));
        assert_eq!(code, 2, "{profile}: {out}");
        assert!(err.contains("INVALID_ARGUMENT"), "{profile}: {err}");
    }
}

/// Sends `request` as is to 127.0.0.1:`port`; the whole answer, once the server closes.
fn raw_request(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A hung server fails the test instead of hanging it.
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_stalled_client_does_not_delay_a_valid_delivery() {
    let mut listener = Listener::spawn("github", &["--json"]);
    let port = listener.port;
    // Headers promising 10 MB, then 200 KB of it, then nothing; another client stops mid-headers.
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stalled.write_all(b"POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n\r\n").unwrap();
    stalled.write_all(&vec![b'a'; 200 * 1024]).unwrap();
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half.write_all(b"POST /half HTTP/1.1\r\nContent-Le").unwrap();

    // While both are connected, a valid delivery gets its answer, well within 1 s.
    let body = br#"{"id":"evt_1"}"#;
    let options = hooksig::SignOptions { id: Some("d-1"), ..Default::default() };
    let signed = hooksig::sign(&Profile::GitHub, ANY_SECRET.as_bytes(), body, options).unwrap();
    let mut request = format!("POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n", body.len());
    for header in signed.iter() {
        request.push_str(&format!("{}: {}\r\n", header.name(), header.value()));
    }
    request.push_str("\r\n");
    let started = Instant::now();
    let answer = raw_request(port, &[request.as_bytes(), body].concat());
    let round_trip = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.contains(r#""ok":true"#), "{answer}");
    assert!(round_trip < Duration::from_secs(1), "the valid delivery took {round_trip:?}");
    let got: Value = serde_json::from_str(&listener.next_line()).unwrap();
    assert_eq!(
        (got["valid"].clone(), got["path"].clone(), got["id"].clone()),
        (true.into(), "/hook".into(), "d-1".into())
    );
    drop((stalled, half));
}

#[test]
fn listen_prints_control_characters_escaped() {
    let mut listener = Listener::spawn("github", &[]);
    let port = listener.port;
    // A C1 CSI (U+009B) in the path; ESC, BEL and a bare CR in a body that is not JSON.
    let body = "hello \u{1b}[2J\u{7} wo\rrld\nbye";
    let request = format!("POST /hook\u{9b}2J HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    let answer = raw_request(port, request.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let verdict = listener.next_line();
    assert!(verdict.starts_with("POST /hook\\u{9b}2J -> REJECTED MISSING_HEADER (HTTP 400)"), "{verdict}");
    assert_eq!(listener.next_line(), "    hello \\x1b[2J\\x07 wo\\x0drld");
    assert_eq!(listener.next_line(), "    bye");

    // A raw ESC in the request target is no valid request line: 400, said on stderr, escaped.
    let answer = raw_request(port, b"GET /\x1b]0;owned\x07 HTTP/1.1\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let _ = listener.child.kill();
    let _ = listener.child.wait();
    let mut err = String::new();
    listener.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("GET /\\x1b]0;owned\\x07: bad request line"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

/// The core's replay key of a delivery, as hex.
fn replay_key(profile: Profile, headers: &[(String, String)], body: &[u8]) -> String {
    let verifier = hooksig::Verifier::new(profile, &[ANY_SECRET]).unwrap();
    let verified = verifier.with_tolerance(hooksig::Tolerance::Disabled).verify(headers, body, 0).unwrap();
    String::from_utf8(verified.replay_key.to_hex().to_vec()).unwrap()
}

#[test]
fn verify_shows_the_replay_key_and_whether_the_id_is_signed() {
    let s = Scratch::new();
    let body = s.file("b", br#"{"a":1}"#);
    for (profile, id, signed) in
        [(Profile::GitHub, "d-1", false), (Profile::StandardWebhooks, "msg_1", true), (Profile::Stripe, "", false)]
    {
        let name = profile.name();
        let extra: &[&str] = if id.is_empty() { &[] } else { &["--id", id] };
        let headers = signed_at(name, &body, "1700000000", extra);
        let key = replay_key(profile, &headers, br#"{"a":1}"#);
        let verify = |json: bool| {
            let mut cmd = hooksig();
            cmd.args(["verify", "-p", name, "--secret-env", "ANY_SECRET", "--body-file", path(&body)]);
            cmd.args(["--now", "1700000000"]);
            if json {
                cmd.arg("--json");
            }
            for (n, v) in &headers {
                cmd.arg("--header").arg(format!("{n}: {v}"));
            }
            run(&mut cmd)
        };
        let (code, out, err) = verify(false);
        assert_eq!(code, 0, "{name}: {out} {err}");
        assert!(out.trim_end().ends_with(&format!(", replay key {key}")), "{name}: {out}");
        if !id.is_empty() {
            let want = format!("id {id} ({})", if signed { "signed" } else { "not signed" });
            assert!(out.contains(&want), "{name}: {out}");
        }
        let (code, out, _) = verify(true);
        assert_eq!(code, 0);
        let got: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (got["replay_key"].as_str(), got["id_signed"].as_bool()),
            (Some(key.as_str()), Some(signed)),
            "{got}"
        );
    }
}

/// Header pairs, in sending order.
type Headers = Vec<(String, String)>;

/// A GitHub delivery of `body` with delivery id `id`, signed with ANY_SECRET by the core.
fn github_delivery(body: &[u8], id: &str) -> Headers {
    let options = hooksig::SignOptions { id: Some(id), ..Default::default() };
    let signed = hooksig::sign(&Profile::GitHub, ANY_SECRET.as_bytes(), body, options).unwrap();
    signed.iter().map(|h| (h.name().to_owned(), h.value().to_owned())).collect()
}

/// POSTs `body` with `headers` to `/hook` on 127.0.0.1:`port`: the status and the answer's JSON.
fn post(port: u16, headers: &[(String, String)], body: &[u8]) -> (u16, Value) {
    let mut head = format!("POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let answer = raw_request(port, &[head.as_bytes(), body].concat());
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status: {answer:?}"));
    let (_, json) = answer.split_once("\r\n\r\n").unwrap();
    (status, serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {answer}")))
}

fn answer(code: &str) -> Value {
    serde_json::json!({"ok": code == "OK", "code": code})
}

fn with_header(headers: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut changed = headers.to_vec();
    let slot = changed.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)).unwrap();
    value.clone_into(&mut slot.1);
    changed
}

#[test]
fn listen_accepts_a_delivery_once_in_memory() {
    let mut listener = Listener::spawn("github", &["--json"]);
    let port = listener.port;
    let body = br#"{"id":"evt_1"}"#;
    let first = github_delivery(body, "d-1");
    let key = replay_key(Profile::GitHub, &first, body);

    // The first time: 200 OK; the same bytes again: 200 DUPLICATE_DELIVERY.
    assert_eq!(post(port, &first, body), (200, answer("OK")));
    let got = listener.next_json();
    assert_eq!((&got["code"], &got["valid"], &got["id"]), (&"OK".into(), &true.into(), &"d-1".into()), "{got}");
    assert_eq!((&got["replay_key"], &got["id_signed"]), (&key.as_str().into(), &false.into()));
    assert_eq!(post(port, &first, body), (200, answer("DUPLICATE_DELIVERY")));
    let got = listener.next_json();
    assert_eq!(
        (&got["code"], &got["valid"], &got["http_status"]),
        (&"DUPLICATE_DELIVERY".into(), &false.into(), &200.into())
    );
    assert!(got["message"].as_str().unwrap().contains("already claimed"), "{got}");

    // X-GitHub-Delivery is not signed: a replay with another id is the same delivery; so is
    // the signature in upper-case hex.
    let other_id = with_header(&first, "X-GitHub-Delivery", "d-2");
    let signature = &first.iter().find(|(n, _)| n == "X-Hub-Signature-256").unwrap().1;
    let upper = with_header(&first, "X-Hub-Signature-256", &format!("sha256={}", signature[7..].to_uppercase()));
    for replay in [&other_id, &upper] {
        assert_eq!(post(port, replay, body), (200, answer("DUPLICATE_DELIVERY")), "{replay:?}");
        assert_eq!(listener.next_json()["code"], "DUPLICATE_DELIVERY");
    }
    // A tampered one is rejected before the store; another body is another delivery.
    assert_eq!(post(port, &first, br#"{"id":"evt_2"}"#), (401, answer("SIGNATURE_MISMATCH")));
    assert_eq!(listener.next_json()["code"], "SIGNATURE_MISMATCH");
    let second = github_delivery(br#"{"id":"evt_2"}"#, "d-1");
    assert_eq!(post(port, &second, br#"{"id":"evt_2"}"#), (200, answer("OK")));
    assert_eq!(listener.next_json()["code"], "OK");

    // People see the duplicate verdict with its code.
    let mut human = Listener::spawn("github", &[]);
    assert_eq!(post(human.port, &first, body), (200, answer("OK")));
    let line = human.next_line();
    assert!(line.starts_with("POST /hook -> OK github delivery verified"), "{line}");
    assert!(line.contains(&format!("id d-1 (not signed), replay key {key}")), "{line}");
    assert_eq!(human.next_line(), "    {");
    while human.next_line() != "    }" {}
    assert_eq!(post(human.port, &other_id, body), (200, answer("DUPLICATE_DELIVERY")));
    let line = human.next_line();
    assert_eq!(
        line,
        "POST /hook -> SKIPPED DUPLICATE_DELIVERY (HTTP 200): duplicate delivery: this signed delivery was already claimed"
    );
}

#[test]
fn listen_store_options_are_checked() {
    for extra in [&["--retention", "0"][..], &["--retention", "-5"], &["--retention", "1d"], &["--redis", "nope://x"]] {
        let (code, out, err) =
            run(hooksig().args(["listen", "-p", "github", "--secret-env", "ANY_SECRET"]).args(extra));
        assert_eq!(code, 2, "{extra:?}: {out}");
        assert!(out.is_empty() && !err.is_empty(), "{extra:?}: {out} {err}");
    }
    let (_, _, err) =
        run(hooksig().args(["listen", "-p", "github", "--secret-env", "ANY_SECRET", "--redis", "nope://x"]));
    assert!(err.contains("INVALID_ARGUMENT"), "{err}");
}

#[test]
fn two_listen_processes_sharing_redis_accept_each_delivery_once() {
    let server = RedisServer::start();
    let url = server.url();
    // 5 deliveries, each sent twice to each of 2 listeners, all at once: 20 requests, 10 each.
    let args = ["--json", "--redis", url.as_str(), "--retention", "3600", "--max-requests", "10"];
    let mut listeners = [Listener::spawn("github", &args), Listener::spawn("github", &args)];
    let deliveries: Vec<(Vec<u8>, Headers)> = (0..5)
        .map(|n| {
            let body = format!(r#"{{"id":"evt_{n}"}}"#).into_bytes();
            let headers = github_delivery(&body, &format!("d-{n}"));
            (body, headers)
        })
        .collect();
    let start = std::sync::Arc::new(std::sync::Barrier::new(20));
    let mut threads = Vec::new();
    for (n, (body, headers)) in deliveries.iter().enumerate() {
        for listener in &listeners {
            for _ in 0..2 {
                let (port, body, headers, start) = (listener.port, body.clone(), headers.clone(), start.clone());
                threads.push(std::thread::spawn(move || {
                    start.wait();
                    let (status, answer) = post(port, &headers, &body);
                    (n, status, answer["code"].as_str().unwrap().to_owned())
                }));
            }
        }
    }
    let mut outcomes = std::collections::BTreeMap::<(usize, u16, String), usize>::new();
    for thread in threads {
        *outcomes.entry(thread.join().unwrap()).or_default() += 1;
    }
    for n in 0..5 {
        assert_eq!(outcomes.get(&(n, 200, "OK".into())), Some(&1), "delivery {n}: {outcomes:?}");
        assert_eq!(outcomes.get(&(n, 200, "DUPLICATE_DELIVERY".into())), Some(&3), "delivery {n}: {outcomes:?}");
    }
    assert_eq!(outcomes.values().sum::<usize>(), 20, "no other outcome: {outcomes:?}");
    // What the two processes printed agrees: 5 accepted in all, 15 duplicates.
    let mut printed = Vec::new();
    for listener in &mut listeners {
        printed.extend((0..10).map(|_| listener.next_json()["code"].as_str().unwrap().to_owned()));
        assert!(listener.child.wait().unwrap().success());
    }
    assert_eq!(printed.iter().filter(|c| *c == "OK").count(), 5, "{printed:?}");
    assert_eq!(printed.iter().filter(|c| *c == "DUPLICATE_DELIVERY").count(), 15, "{printed:?}");

    // In Redis: one claim per delivery, named by the core's prefix and replay key, kept for --retention.
    let mut redis = server.client();
    let mut names: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut redis).unwrap();
    names.sort();
    let mut want: Vec<String> = deliveries
        .iter()
        .map(|(body, headers)| {
            format!("{}{}", hooksig::REPLAY_STORE_PREFIX, replay_key(Profile::GitHub, headers, body))
        })
        .collect();
    want.sort();
    assert_eq!(names, want);
    let ttl: i64 = redis::cmd("PTTL").arg(&want[0]).query(&mut redis).unwrap();
    assert!(ttl > 3_500_000 && ttl <= 3_600_000, "PTTL {ttl}");
}

#[test]
fn listen_answers_503_when_redis_is_down() {
    let mut server = RedisServer::start();
    let mut listener = Listener::spawn("github", &["--json", "--redis", &server.url()]);
    let port = listener.port;
    let body = br#"{"id":"evt_1"}"#;
    let first = github_delivery(body, "d-1");
    assert_eq!(post(port, &first, body), (200, answer("OK")));
    assert_eq!(listener.next_json()["code"], "OK");

    server.stop();
    // Redis gone: nothing is accepted, not even as a duplicate; the sender is told to retry.
    let second_body = br#"{"id":"evt_2"}"#;
    let second = github_delivery(second_body, "d-2");
    for (headers, body) in [(&second, &second_body[..]), (&first, &body[..])] {
        assert_eq!(post(port, headers, body), (503, answer("REPLAY_STORE_UNAVAILABLE")));
        let got = listener.next_json();
        assert_eq!(
            (&got["code"], &got["valid"], &got["http_status"]),
            (&"REPLAY_STORE_UNAVAILABLE".into(), &false.into(), &503.into()),
            "{got}"
        );
    }
    // Verification still comes first: a forged delivery is 401, not 503.
    assert_eq!(post(port, &first, second_body), (401, answer("SIGNATURE_MISMATCH")));
    assert_eq!(listener.next_json()["code"], "SIGNATURE_MISMATCH");
}
