//! What the C ABI's vector tests share beyond `hooksig-testdata`: a case's
//! window as the C options struct.

use hooksig_ffi::{hooksig_window, hooksig_window_arg, hooksig_window_kind};
use hooksig_testdata::{Value, Window, window};

/// One option of the given kind.
pub fn arg(kind: hooksig_window_kind, integer: i64) -> hooksig_window_arg {
    hooksig_window_arg { kind: kind as u32, integer, number: 0.0 }
}

/// A case's `tolerance` (absent: all options absent, the default window) as the C struct.
pub fn tolerance(case: &Value) -> hooksig_window {
    let absent = arg(hooksig_window_kind::Absent, 0);
    let int = |n: u64| arg(hooksig_window_kind::Int, i64::try_from(n).unwrap_or(i64::MAX));
    match window(case) {
        Window::Default => hooksig_window { tolerance: absent, past: absent, future: absent },
        Window::Disabled => {
            hooksig_window { tolerance: arg(hooksig_window_kind::Null, 0), past: absent, future: absent }
        }
        Window::Window { past, future } => hooksig_window { tolerance: absent, past: int(past), future: int(future) },
    }
}
