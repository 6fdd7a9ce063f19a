//! What the core's vector tests share beyond `hooksig-testdata`: a case's
//! window as the core's `Tolerance`.

use hooksig::Tolerance;
use hooksig_testdata::{Value, Window, window};

/// A case's `tolerance` (absent: the default window).
pub fn tolerance(case: &Value) -> Tolerance {
    match window(case) {
        Window::Default => Tolerance::DEFAULT,
        Window::Disabled => Tolerance::Disabled,
        Window::Window { past, future } => Tolerance::Window { past, future },
    }
}
