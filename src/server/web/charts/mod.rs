//! Charts for the pain journal: daily pain over time with intimacy and exercise marked along
//! the bottom and flare periods shaded, and the chance of a pain rise by position.
//!
//! Hand-written SVG like the drawings: no scripts, no external references, no inline styles
//! (only presentation attributes, so a strict Content-Security-Policy allows them), and the
//! same bytes for the same input. Each chart scales with its viewBox to the width it is
//! given and names itself with a `<title>` and a `<desc>` that says in words what it shows;
//! the same words come back as [`Chart::summary`], and the `table_rows_*` functions give the
//! rows of an HTML table with the same data.
//!
//! Colours come from a palette that colour-blind readers can tell apart (Okabe and Ito), and
//! no meaning rests on colour alone: intimacy is a circle (filled when pain rose after it),
//! exercise a triangle, a flare period a hatched band with its label, the posture model's
//! expectation a tall tick and the likely range a whisker with caps.
//!
//! Pages style the charts with `svg.chart { width: 100%; height: auto; }` (and may cap the
//! width); the `width="100%"` attribute makes them fill their box even without it. They
//! carry their own white ground, so they read the same in dark mode.

mod data;
mod dates;
mod draw;
mod model;
mod pain;
mod positions;
mod style;
mod words;

#[cfg(test)]
mod tests;

pub use model::{Band, Chart, Mark, MarkKind, PainPoint, PositionBar};
pub use pain::{pain_over_time, table_rows_pain};
pub use positions::{position_outcomes, table_rows_positions};
