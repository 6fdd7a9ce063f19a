//! Gives the shared library its SONAME on ELF targets: `libhooksig.so.<major>`, the
//! name `make install` installs it under (with `libhooksig.so` -> `libhooksig.so.0`
//! -> `libhooksig.so.<version>` symlinks), so programs linked with `-lhooksig` record
//! `libhooksig.so.0` and keep working across compatible upgrades.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libhooksig.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
