//! Placeholder for `hooksig-cli`; being built on its own branch.
