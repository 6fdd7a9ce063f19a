//! Placeholder for `hooksig-benches`; being built on its own branch.
