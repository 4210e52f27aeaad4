//! What the charts are drawn from and what they give back: pain by day, marks and shaded
//! periods for the pain chart, a row per position for the positions chart, and the rendered
//! chart with its summary in words.

use time::Date;

/// One day's pain, 0 to 10.
#[derive(Debug, Clone, PartialEq)]
pub struct PainPoint {
    /// The day.
    pub date: Date,
    /// Pain that day, 0 (none) to 10 (worst imaginable).
    pub pain: f64,
}

/// What happened on a marked day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// Intimacy; `flared` when pain rose by 2 points or more afterwards.
    Intimacy {
        /// Pain rose by 2 points or more afterwards.
        flared: bool,
    },
    /// An exercise session.
    Exercise,
}

/// Something logged on a day, drawn as a mark along the bottom of the pain chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The day.
    pub date: Date,
    /// What it was.
    pub kind: MarkKind,
}

/// A period shaded on the pain chart, such as a flare, from `from` to `to` inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
    /// What the period was, shown on the chart ("Flare").
    pub label: String,
}

/// A rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The `<svg>` element, ready to put in a page unescaped.
    pub svg: String,
    /// What the chart shows, in words: the text of its `<desc>` (plain text, not escaped).
    pub summary: String,
}

/// One position's row in [`position_outcomes`](super::positions::position_outcomes).
#[derive(Debug, Clone, PartialEq)]
pub struct PositionBar {
    /// The position's name (the user may have chosen it).
    pub label: String,
    /// How many times it was logged.
    pub logs: u32,
    /// How many of those were followed by a pain rise.
    pub flares: u32,
    /// The estimated personal chance of a pain rise, 0 to 1.
    pub estimate: f64,
    /// The low end of its likely range, 0 to 1.
    pub low: f64,
    /// The high end of its likely range, 0 to 1.
    pub high: f64,
    /// What the posture model expected before any logs, 0 to 1.
    pub prior: f64,
}
