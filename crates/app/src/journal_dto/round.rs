//! Rounding at the JSON boundary, so that the same journal gives the same bytes: numbers to
//! 3 decimals, interval levels to 4.

/// Rounds to 3 decimals, and turns a value that is not a number into `None`.
pub(super) fn round3(x: f64) -> Option<f64> {
    x.is_finite().then(|| (x * 1000.0).round() / 1000.0 + 0.0)
}

/// [`round3`] for a value that is always a number (0 if it is not).
pub(super) fn r3(x: f64) -> f64 {
    round3(x).unwrap_or(0.0)
}

/// Rounds a level to 4 decimals (0.9964), where 3 would hide the correction.
pub(super) fn round4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0 + 0.0
    } else {
        0.0
    }
}
