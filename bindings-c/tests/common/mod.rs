//! What the C ABI's vector tests share beyond `hooksig-testdata`: a case's
//! window as the C struct.

use hooksig_ffi::{hooksig_tolerance, hooksig_tolerance_default};
use hooksig_testdata::{Value, Window, window};

/// A case's `tolerance` (absent: the default window) as the C struct.
pub fn tolerance(case: &Value) -> hooksig_tolerance {
    match window(case) {
        Window::Default => hooksig_tolerance_default(),
        Window::Disabled => hooksig_tolerance { disabled: true, past: 0, future: 0 },
        Window::Window { past, future } => hooksig_tolerance { disabled: false, past, future },
    }
}
