//! See `Cargo.toml`: linking this static library proves hooksig is `no_std`.
#![no_std]

use hooksig::{Profile, Verifier};

/// Verifies GitHub's documented example with no allocator and no `std`;
/// returns 0 on success, 1 otherwise. Exported so the linker keeps the
/// whole verify path.
#[unsafe(no_mangle)]
pub extern "C" fn hooksig_nostd_check() -> i32 {
    let headers = [("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
    let verified = Verifier::new(Profile::GitHub, &["It's a Secret to Everybody"])
        .and_then(|v| v.verify(&headers, b"Hello, World!", 0));
    let signed = hooksig::sign(
        &Profile::Stripe,
        b"whsec_test",
        b"{}",
        hooksig::SignOptions { timestamp: Some(1), ..Default::default() },
    );
    i32::from(verified.is_err() || signed.is_err())
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
