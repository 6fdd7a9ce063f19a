//! Placeholder for `hooksig-python`; being built on its own branch.
