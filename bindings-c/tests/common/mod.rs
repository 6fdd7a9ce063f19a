//! Helpers shared by the vector tests.

use hooksig_ffi::{hooksig_tolerance, hooksig_tolerance_default};
use serde_json::Value;

/// A case's `tolerance` (absent: the default window; `"disabled"`; `{"past", "future"}`) as the C struct.
pub fn tolerance(case: &Value) -> hooksig_tolerance {
    match &case["tolerance"] {
        Value::Null => hooksig_tolerance_default(),
        Value::String(s) if s == "disabled" => hooksig_tolerance { disabled: true, past: 0, future: 0 },
        Value::Object(o) => hooksig_tolerance {
            disabled: false,
            past: o["past"].as_u64().unwrap(),
            future: o["future"].as_u64().unwrap(),
        },
        other => panic!("bad tolerance {other}"),
    }
}
