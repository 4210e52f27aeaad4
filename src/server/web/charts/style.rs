//! The charts' sizes and colours: one viewBox width, two font sizes, a margin, and a palette
//! that colour-blind readers can tell apart (Okabe and Ito).

// The width of every chart's viewBox. Shown 330 to 400 pixels wide on a phone, text of 15
// units is 12 pixels or more.
pub(super) const W: f64 = 400.0;
pub(super) const FONT: f64 = 15.0;
pub(super) const SMALL: f64 = 14.0;
pub(super) const MARGIN: f64 = 10.0;

pub(super) const GROUND: &str = "#ffffff";
pub(super) const INK: &str = "#1f2933";
pub(super) const MUTED: &str = "#52606d";
pub(super) const GRID: &str = "#c9ced6";
pub(super) const GRID_LIGHT: &str = "#e8ebef";
pub(super) const TRACK: &str = "#eef0f3";
// Okabe–Ito: blue, vermillion, bluish green, reddish purple.
pub(super) const PAIN: &str = "#0072b2";
pub(super) const INTIMACY: &str = "#d55e00";
pub(super) const EXERCISE: &str = "#009e73";
pub(super) const BAND_FILL: &str = "#f7e9f1";
pub(super) const BAND_HATCH: &str = "#cc79a7";
pub(super) const BAND_TEXT: &str = "#7a3366";
pub(super) const ESTIMATE: &str = "#0072b2";
pub(super) const PRIOR: &str = "#d55e00";
