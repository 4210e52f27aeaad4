//! The parametric figure: a side view of a body as segments with lengths in body proportions
//! (a body about 90 units tall), placed by forward kinematics from the hip joint and the
//! pose's joint angles. Pure geometry: what the joints' places are, not how they are drawn.
//!
//! Angles follow the pose in `content/positions.toml`: measured as if the figure faced right
//! with y up, flexion (bending forward) positive; the figure is then mirrored when it faces
//! left, and turned into the drawing's coordinates, where y runs down.

use spinewise_domain::knowledge::{Facing, Pose};

/// From the hip joint to the base of the lower back.
pub const PELVIS: f32 = 6.0;
/// The lower back, from its base to the bottom of the chest.
pub const LOWER_BACK: f32 = 11.0;
/// The chest, up to the shoulders.
pub const UPPER_TRUNK: f32 = 10.0;
/// From the shoulders to the centre of the head.
pub const NECK: f32 = 10.0;
/// The head's radius.
pub const HEAD: f32 = 6.0;
/// How many degrees the pelvis and the chest each turn from the trunk's line per level of
/// rounding over arching, bending the lower back between them.
pub const BEND_PER_LEVEL: f32 = 6.0;
/// Shoulder to elbow.
pub const UPPER_ARM: f32 = 16.0;
/// Elbow to the end of the hand.
pub const FOREARM: f32 = 16.0;
/// Hip to knee.
pub const THIGH: f32 = 22.0;
/// Knee to ankle.
pub const SHIN: f32 = 21.0;
/// Ankle to toes.
pub const FOOT: f32 = 10.0;

/// A point in the drawing (x to the right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    pub x: f32,
    pub y: f32,
}

impl Pt {
    pub const fn new(x: f32, y: f32) -> Pt {
        Pt { x, y }
    }

    /// This point moved by `v` times `by`.
    pub fn along(self, v: Pt, by: f32) -> Pt {
        Pt::new(self.x + v.x * by, self.y + v.y * by)
    }

    /// Halfway to `other`.
    pub fn mid(self, other: Pt) -> Pt {
        Pt::new((self.x + other.x) / 2.0, (self.y + other.y) / 2.0)
    }

    /// The vector to `other`.
    pub fn to(self, other: Pt) -> Pt {
        Pt::new(other.x - self.x, other.y - self.y)
    }

    /// The dot product with `other`, both taken as vectors.
    #[cfg(test)]
    pub fn dot(self, other: Pt) -> f32 {
        self.x * other.x + self.y * other.y
    }
}

/// The joints of one arm and one leg.
#[derive(Debug, Clone, Copy)]
pub struct Limbs {
    pub elbow: Pt,
    pub hand: Pt,
    pub knee: Pt,
    pub ankle: Pt,
    pub toes: Pt,
}

/// A figure's joints in the drawing.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// The hip joint: the root.
    pub hip: Pt,
    /// The base of the lower back.
    pub lumbar: Pt,
    /// Where the lines of the pelvis and the chest meet: the control point of the lower back's
    /// curve, off the trunk's line toward the back when it rounds and toward the front when
    /// it arches.
    pub bow: Pt,
    /// The top of the lower back, where the chest begins.
    pub thoracic: Pt,
    pub shoulder: Pt,
    /// The centre of the head.
    pub head: Pt,
    /// The arm and leg on the viewer's side.
    pub near: Limbs,
    /// The arm and leg on the far side, when the pose sets them apart from the near ones.
    pub far: Option<Limbs>,
    /// A unit vector from the trunk's line toward the figure's back: rounding bows the lower
    /// back this way, arching the other.
    pub back: Pt,
}

/// The direction `degrees` from straight up toward the front, in the figure's own frame
/// (x forward, y up).
fn direction(degrees: f32) -> (f32, f32) {
    let r = degrees.to_radians();
    (r.sin(), r.cos())
}

/// Places a figure in `pose` by forward kinematics from its hip joint, its lower back bent
/// by `levels` of rounding over arching (negative: arching): the pelvis turns back and the
/// chest forward from the trunk's line as the lower back rounds, the other way as it arches.
pub fn place(pose: &Pose, levels: i8) -> Figure {
    let mirror = match pose.facing {
        Facing::Right => 1.0,
        Facing::Left => -1.0,
    };
    // A direction in the figure's frame, as a vector in the drawing.
    let v = |degrees: f32| {
        let (x, y) = direction(degrees);
        Pt::new(x * mirror, -y)
    };
    let hip = Pt::new(f32::from(pose.at[0]), f32::from(pose.at[1]));
    let trunk = f32::from(pose.trunk);
    let bend = f32::from(levels) * BEND_PER_LEVEL;
    let (pelvis, chest) = (v(trunk - bend), v(trunk + bend));
    let lumbar = hip.along(pelvis, PELVIS);
    // The curve's ends are its control point's two tangents apart, half the lower back each.
    let half = LOWER_BACK / 2.0 / bend.to_radians().cos();
    let bow = lumbar.along(pelvis, half);
    let thoracic = bow.along(chest, half);
    let shoulder = thoracic.along(chest, UPPER_TRUNK);
    let head = shoulder.along(v(trunk + f32::from(pose.neck)), NECK);
    let limbs = |shoulder_angle: i16, elbow: i16, hip_angle: i16, knee: i16, ankle: i16| {
        // The arm hangs along the trunk at 0 and rises forward; the forearm bends forward
        // from it. The thigh hangs along the trunk at 0 and rises forward; the shin bends
        // back from it; the foot points forward at a right angle to the shin at 0.
        let upper_arm = trunk + 180.0 - f32::from(shoulder_angle);
        let forearm = upper_arm - f32::from(elbow);
        let thigh = trunk + 180.0 - f32::from(hip_angle);
        let shin = thigh + f32::from(knee);
        let foot = shin - 90.0 + f32::from(ankle);
        let elbow_at = shoulder.along(v(upper_arm), UPPER_ARM);
        let knee_at = hip.along(v(thigh), THIGH);
        let ankle_at = knee_at.along(v(shin), SHIN);
        Limbs {
            elbow: elbow_at,
            hand: elbow_at.along(v(forearm), FOREARM),
            knee: knee_at,
            ankle: ankle_at,
            toes: ankle_at.along(v(foot), FOOT),
        }
    };
    let near = limbs(pose.shoulder, pose.elbow, pose.hip, pose.knee, pose.ankle);
    let far_pose = (
        pose.far_shoulder.unwrap_or(pose.shoulder),
        pose.far_elbow.unwrap_or(pose.elbow),
        pose.far_hip.unwrap_or(pose.hip),
        pose.far_knee.unwrap_or(pose.knee),
        pose.far_ankle.unwrap_or(pose.ankle),
    );
    let apart = far_pose != (pose.shoulder, pose.elbow, pose.hip, pose.knee, pose.ankle);
    let far = apart.then(|| limbs(far_pose.0, far_pose.1, far_pose.2, far_pose.3, far_pose.4));
    Figure {
        hip,
        lumbar,
        bow,
        thoracic,
        shoulder,
        head,
        near,
        far,
        back: v(trunk - 90.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(facing: Facing, trunk: i16) -> Pose {
        Pose {
            shows: "stands".to_owned(),
            at: [100, 60],
            facing,
            trunk,
            neck: 0,
            shoulder: 0,
            elbow: 0,
            hip: 0,
            knee: 0,
            ankle: 0,
            far_shoulder: None,
            far_elbow: None,
            far_hip: None,
            far_knee: None,
            far_ankle: None,
            props: Vec::new(),
        }
    }

    fn close(a: Pt, b: Pt) -> bool {
        (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01
    }

    #[test]
    fn a_standing_figure_stands_in_body_proportions() {
        let f = place(&pose(Facing::Right, 0), 0);
        let head_top = f.head.y - HEAD;
        let sole = f.near.ankle.y;
        let height = sole - head_top;
        assert!((80.0..100.0).contains(&height), "{height}");
        assert!(close(f.near.knee, Pt::new(100.0, 60.0 + THIGH)));
        assert!(f.near.toes.x > f.near.ankle.x, "the foot points forward");
        assert!(
            f.back.x < 0.0,
            "a figure facing right has its back to the left"
        );
        assert!(f.far.is_none());
    }

    #[test]
    fn lying_back_puts_the_head_behind_and_the_back_down() {
        let f = place(&pose(Facing::Left, -90), 0);
        assert!(
            f.head.x > f.hip.x,
            "facing left and lying back, the head is to the right"
        );
        assert!((f.head.y - f.hip.y).abs() < 0.01);
        assert!(
            close(f.back, Pt::new(0.0, 1.0)),
            "the back faces down: {:?}",
            f.back
        );
    }

    #[test]
    fn joints_bend_the_way_bodies_do() {
        let mut p = pose(Facing::Right, 0);
        p.hip = 90;
        p.knee = 90;
        p.shoulder = 90;
        p.elbow = 90;
        let f = place(&p, 0);
        // Sitting: the thigh points forward, the shin down; the arm forward, the forearm up.
        assert!(close(f.near.knee, Pt::new(100.0 + THIGH, 60.0)));
        assert!(close(f.near.ankle, Pt::new(100.0 + THIGH, 60.0 + SHIN)));
        assert!(f.near.elbow.x > f.shoulder.x + UPPER_ARM - 0.01);
        assert!(close(
            f.near.hand,
            f.near.elbow.along(Pt::new(0.0, -1.0), FOREARM)
        ));
        p.far_knee = Some(0);
        assert!(place(&p, 0).far.is_some(), "a far leg set apart is drawn");
    }
}
