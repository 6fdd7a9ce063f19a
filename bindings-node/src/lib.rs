//! Placeholder for `hooksig-node`; being built on its own branch.
