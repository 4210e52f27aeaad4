//! Schematic drawings of a position: one neutral, non-explicit scene with both partners as
//! clothed-looking mannequins, posed from the joint angles in `content/positions.toml`, on
//! the bed, chair or table the position uses, with the pillows its suggested modifications
//! add, and each lower back bent and coloured by the posture profile and the verdict for
//! that back.
//!
//! - `figure`: the parametric figure — segments in body proportions placed by forward
//!   kinematics from the hip joint.
//! - `scene`: a position's scene as SVG: furniture, pillows, both figures.
//! - `words`: what the drawing shows, in words (its text alternative).
//! - `palette`: the colours.

mod figure;
mod palette;
mod scene;
mod words;

#[cfg(test)]
mod tests;

pub use palette::{Tone, tone, verdict_colour};
pub use scene::{Drawing, position_drawing};
pub use words::Partner;
