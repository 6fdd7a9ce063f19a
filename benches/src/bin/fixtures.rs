//! Writes the benchmark inputs for the non-Rust benches into a directory:
//! `body-<size>.json` (the bodies) and `cases.json` (for each profile and
//! size, the headers signed by the current secret and by the old one), and
//! the same as tab-separated lines in `cases.tsv` for the C bench.
//!
//! Usage: `hooksig-bench-fixtures <dir> [<unix time to sign at>]` (default:
//! now, since the peers check the timestamp against the real clock).

use std::path::PathBuf;
use std::process::ExitCode;

use hooksig_benches::{ID, PROFILES, SIZES, body, case_at, secrets};
use serde_json::{Map, Value, json};

/// What else a real request carries: the benches hand these to every
/// contestant along with the signed headers, as a framework would.
const EXTRA_HEADERS: [(&str, &str); 8] = [
    ("Host", "hooks.example.com"),
    ("User-Agent", "Provider-Webhooks/1.0"),
    ("Content-Type", "application/json; charset=utf-8"),
    ("Content-Length", "0"),
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip"),
    ("X-Forwarded-For", "203.0.113.7"),
    ("X-Request-Id", "req_7f3c2a9b1d"),
];

fn headers(profile: &str, size: usize, signer: usize, now: u64) -> Result<Value, String> {
    let c = case_at(profile, size, signer, now).map_err(|e| format!("{profile} {size}: {}", e.code()))?;
    Ok(Value::Object(c.headers.into_iter().map(|(n, v)| (n, Value::String(v))).collect()))
}

fn run() -> Result<(), String> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: hooksig-bench-fixtures <dir> [<now>]")?);
    let clock = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?;
    let now = match std::env::args().nth(2) {
        Some(text) => text.parse().map_err(|_| format!("not a Unix time: {text}"))?,
        None => clock.as_secs(),
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for size in SIZES {
        let path = dir.join(format!("body-{size}.json"));
        std::fs::write(&path, body(size)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut cases = Map::new();
    for profile in PROFILES {
        let mut per_size = Map::new();
        for size in SIZES {
            let entry =
                json!({ "headers": headers(profile, size, 0, now)?, "headers_old": headers(profile, size, 1, now)? });
            per_size.insert(size.to_string(), entry);
        }
        let all = json!({ "secrets": secrets(profile), "sizes": per_size });
        cases.insert(profile.to_owned(), all);
    }
    let doc = json!({ "now": now, "id": ID, "sizes": SIZES, "extra_headers": EXTRA_HEADERS.iter().map(|(n, v)| (n.to_string(), Value::String((*v).to_owned()))).collect::<Map<String, Value>>(), "profiles": cases });
    let mut tsv = format!("now\t{now}\n");
    for (name, value) in EXTRA_HEADERS {
        tsv.push_str(&format!("extra\t{name}\t{value}\n"));
    }
    for profile in PROFILES {
        for (index, secret) in secrets(profile).iter().enumerate() {
            tsv.push_str(&format!("secret\t{profile}\t{index}\t{secret}\n"));
        }
        for size in SIZES {
            for signer in [0, 1] {
                let c = case_at(profile, size, signer, now).map_err(|e| e.code())?;
                for (name, value) in c.headers {
                    tsv.push_str(&format!("header\t{profile}\t{size}\t{signer}\t{name}\t{value}\n"));
                }
            }
        }
    }
    let path = dir.join("cases.tsv");
    std::fs::write(&path, tsv).map_err(|e| format!("{}: {e}", path.display()))?;
    let path = dir.join("cases.json");
    std::fs::write(&path, doc.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {} bodies and {}", SIZES.len(), path.display());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hooksig-bench-fixtures: {e}");
            ExitCode::FAILURE
        }
    }
}
