//! A plain loop over one verify, for `perf stat` / `valgrind --tool=callgrind`
//! (criterion's own machinery would blur the profile).
//!
//! Usage: `hooksig-bench-profile <profile> <size> <iterations>`

use std::process::ExitCode;

use hooksig::Verifier;
use hooksig_benches::{NOW, case, secrets};

fn run() -> Result<usize, String> {
    let mut args = std::env::args().skip(1);
    let profile = args.next().ok_or("usage: hooksig-bench-profile <profile> <size> <iterations>")?;
    let size: usize = args.next().and_then(|s| s.parse().ok()).ok_or("size: a number")?;
    let iterations: usize = args.next().and_then(|s| s.parse().ok()).ok_or("iterations: a number")?;
    let c = case(&profile, size, 0).map_err(|e| e.code())?;
    let verifier = Verifier::new(c.profile, secrets(&profile).get(..1).unwrap_or_default()).map_err(|e| e.code())?;
    let mut ok = 0;
    for _ in 0..iterations {
        ok += usize::from(
            core::hint::black_box(&verifier).verify(&c.headers, core::hint::black_box(&c.body), NOW).is_ok(),
        );
    }
    Ok(ok)
}

fn main() -> ExitCode {
    match run() {
        Ok(ok) => {
            println!("{ok} verified");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hooksig-bench-profile: {e}");
            ExitCode::FAILURE
        }
    }
}
