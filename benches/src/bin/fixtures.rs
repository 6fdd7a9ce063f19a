//! Writes the benchmark inputs for the non-Rust benches into a directory:
//! `body-<size>.json` (the bodies) and `cases.json` (for each profile and
//! size, the headers signed by the current secret and by the old one).
//!
//! Usage: `hooksig-bench-fixtures <dir>`

use std::path::PathBuf;
use std::process::ExitCode;

use hooksig_benches::{ID, NOW, PROFILES, SIZES, body, case, secrets};
use serde_json::{Map, Value, json};

fn headers(profile: &str, size: usize, signer: usize) -> Result<Value, String> {
    let c = case(profile, size, signer).map_err(|e| format!("{profile} {size}: {}", e.code()))?;
    Ok(Value::Object(c.headers.into_iter().map(|(n, v)| (n, Value::String(v))).collect()))
}

fn run() -> Result<(), String> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: hooksig-bench-fixtures <dir>")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for size in SIZES {
        let path = dir.join(format!("body-{size}.json"));
        std::fs::write(&path, body(size)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut cases = Map::new();
    for profile in PROFILES {
        let mut per_size = Map::new();
        for size in SIZES {
            let entry = json!({ "headers": headers(profile, size, 0)?, "headers_old": headers(profile, size, 1)? });
            per_size.insert(size.to_string(), entry);
        }
        let all = json!({ "secrets": secrets(profile), "sizes": per_size });
        cases.insert(profile.to_owned(), all);
    }
    let doc = json!({ "now": NOW, "id": ID, "sizes": SIZES, "profiles": cases });
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
