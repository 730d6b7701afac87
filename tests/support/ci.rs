//! When a Rust test may skip (the JavaScript side of the same rule is `tests/support/ci.mjs`).
//!
//! Tests that need what only a full run provides (the Cognito emulator, Chromium) skip without it, with a
//! message, so a plain `cargo test` still runs anywhere. Under CI (`CI=true`) such a skip would report a pass
//! for a test that never ran, so there the test fails instead, saying what is missing. (Tests that skip because
//! `../shared` is absent do not use this: they skip everywhere, CI included.)
#![allow(dead_code)]

/// Whether a value of the `CI` variable means a CI run: `true` (any case) or `1`.
pub fn is_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        v.eq_ignore_ascii_case("true") || v == "1"
    })
}

/// The `CI` variable: read when the test runs natively; in the browser, where there is no environment, when
/// the test was compiled (cargo rebuilds when it changes).
pub fn ci_value() -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::env::var("CI").ok()
    }
    #[cfg(target_arch = "wasm32")]
    {
        option_env!("CI").map(str::to_owned)
    }
}

/// A test cannot run because of `reason`: prints that it skips (the caller then returns), or under CI
/// panics, so the test fails.
#[track_caller]
pub fn skip_unless_ci(reason: &str) {
    let ci = ci_value();
    if is_ci(ci.as_deref()) {
        panic!(
            "{reason}; under CI (CI={}) a test must not skip for a missing prerequisite",
            ci.unwrap_or_default()
        );
    }
    #[cfg(not(target_arch = "wasm32"))]
    println!("skipping: {reason}");
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("skipping: {reason}");
}
