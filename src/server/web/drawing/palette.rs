//! The drawings' colours: the lower back's by verdict, each partner's muted clothing tone,
//! and the furniture's.

use spinewise_domain::vocab::{Role, Verdict};

/// The colour a verdict gives the lower back, its name and what it means, for the words.
pub fn verdict_colour(v: Verdict) -> (&'static str, &'static str, &'static str) {
    match v {
        Verdict::Recommended => ("#2e7d32", "green", "suits this back"),
        Verdict::Caution => ("#b26a00", "amber", "with care"),
        Verdict::Avoid => ("#c62828", "red", "likely to provoke this back's pain"),
    }
}

/// A partner's muted clothing tone: the body, the far limbs, and its name in words.
#[derive(Debug, Clone, Copy)]
pub struct Tone {
    pub body: &'static str,
    pub far: &'static str,
    pub name: &'static str,
}

/// The receptive partner's tone.
pub const RECEPTIVE_TONE: Tone = Tone {
    body: "#6d8db0",
    far: "#54718f",
    name: "blue",
};
/// The insertive partner's tone.
pub const INSERTIVE_TONE: Tone = Tone {
    body: "#a88e6c",
    far: "#87704f",
    name: "sand",
};

/// The tone of a role.
pub const fn tone(role: Role) -> Tone {
    match role {
        Role::Receptive => RECEPTIVE_TONE,
        Role::Insertive => INSERTIVE_TONE,
    }
}

pub const GROUND: &str = "#c9ced6";
pub const MATTRESS: &str = "#ebe7df";
pub const MATTRESS_EDGE: &str = "#cfc8bb";
pub const FRAME: &str = "#b9b1a4";
pub const PILLOW: &str = "#fbf9f4";
pub const PILLOW_EDGE: &str = "#a99f8f";
pub const WOOD: &str = "#b3a89a";
pub const WHITE: &str = "#ffffff";
