//! Placeholder for `hooksig-ffi`; being built on its own branch.
