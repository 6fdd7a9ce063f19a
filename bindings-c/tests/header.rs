//! The checked-in headers are exactly what the pinned cbindgen generates
//! from this crate. Stale? Run `make header` (it sets HOOKSIG_WRITE_HEADERS=1
//! and runs this test, which then rewrites them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

fn check(config: &str, header: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join(config)).expect("cbindgen config");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    let path = dir.join("include").join(header);
    if std::env::var_os("HOOKSIG_WRITE_HEADERS").is_some() {
        std::fs::write(&path, &generated).expect("write header");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "bindings-c/include/{header} is stale: regenerate it with `make header` \
         (= HOOKSIG_WRITE_HEADERS=1 cargo test -p hooksig-ffi --test header) and commit it"
    );
}

#[test]
fn c_header_is_fresh() {
    check("cbindgen.toml", "hooksig.h");
}

#[test]
fn php_header_is_fresh_and_preprocessor_free() {
    check("cbindgen-php.toml", "hooksig_php.h");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/hooksig_php.h")).unwrap();
    assert!(!text.lines().any(|line| line.trim_start().starts_with('#')), "PHP's FFI::cdef rejects preprocessor lines");
}
