//! One position's scene: both partners as clothed-looking mannequins, placed by the figure
//! model from their poses, with the furniture the position uses and the pillows it adds, as
//! one SVG.
//!
//! Each body part is a thick rounded stroke in the partner's muted tone over a thin white
//! outline, so that two figures that overlap stay apart; the far arm and leg are a shade
//! darker, behind the body. The lower back is stroked in the verdict's colour for that
//! partner and bends by the posture profile's numbers: the pelvis and the chest turn a few
//! degrees per level of rounding (flexion) over arching (extension), so that the lower back
//! bows toward the figure's back when it rounds and away from it when it arches. The curve
//! and the colour show the position as described; the pillows of the suggested modifications
//! are drawn in place, but they do not straighten the curve, so that curve, colour and
//! verdict always tell the same story.
//!
//! Hand-written SVG: no fonts, no text, no scripts, no external references, the same bytes
//! for the same input, so it works under a strict Content-Security-Policy and in snapshot
//! tests.

use std::fmt::Write as _;

use spinewise_domain::knowledge::{
    Facing, Furniture, Pose, Position, Prop, RoleProfile, SCENE_HEIGHT, SCENE_WIDTH, Scene,
    Support, View,
};
use spinewise_domain::vocab::{Role, Verdict};

use super::figure::{self, Figure, Limbs, Pt};
use super::palette::{
    FRAME, GROUND, MATTRESS, MATTRESS_EDGE, PILLOW, PILLOW_EDGE, WHITE, WOOD, tone, verdict_colour,
};
use super::words::{self, Partner};
use crate::server::web::markup::escape;

/// A position's drawing and the words that say what it shows.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub svg: String,
    /// The text alternative: also the drawing's title.
    pub alt: String,
    /// Whether a pillow or towel of a suggested modification is drawn.
    pub shows_suggestions: bool,
}

// Stroke widths of the body parts.
const TRUNK_W: f32 = 12.0;
const NECK_W: f32 = 5.0;
const UPPER_ARM_W: f32 = 5.0;
const FOREARM_W: f32 = 4.2;
const THIGH_W: f32 = 8.0;
const SHIN_W: f32 = 6.0;
const FOOT_W: f32 = 3.8;
/// The narrowest a view from above is cropped to.
const MIN_ABOVE_WIDTH: f32 = 150.0;
/// The white outline around each figure, on each side.
const OUTLINE: f32 = 1.5;

// The furniture, in the drawing's units (y runs down).
const FLOOR: f32 = 112.0;
const BED_TOP: f32 = 96.0;
const BED_EDGE_TOP: f32 = 82.0;
const LOW_BED_TOP: f32 = 98.0;
const SEAT_TOP: f32 = 93.0;

/// The lower back's curve: its two ends and the control point between them, bowed toward
/// the figure's back when it rounds and away from it when it arches.
pub fn lower_back(f: &Figure) -> (Pt, Pt, Pt) {
    (f.lumbar, f.bow, f.thoracic)
}

/// Levels of rounding over arching in a posture: positive rounds the lower back, negative
/// arches it.
pub fn bend_levels(profile: &RoleProfile) -> i8 {
    let level = |d: spinewise_domain::vocab::Demand| i8::try_from(d.level()).unwrap_or(i8::MAX);
    level(profile.flexion) - level(profile.extension)
}

/// The drawing being written, with the extent of what is on it.
struct Canvas {
    out: String,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

impl Canvas {
    fn see(&mut self, p: Pt, half: f32) {
        self.top = self.top.min(p.y - half);
        self.bottom = self.bottom.max(p.y + half);
        self.left = self.left.min(p.x - half);
        self.right = self.right.max(p.x + half);
    }

    fn line(&mut self, a: Pt, b: Pt, width: f32) {
        self.see(a, width / 2.0);
        self.see(b, width / 2.0);
        let _ = writeln!(
            self.out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke-width="{width:.1}"/>"#,
            a.x, a.y, b.x, b.y
        );
    }

    /// A quadratic curve with square-cut ends, to lie over a stroke as wide.
    fn curve(&mut self, (a, c, b): (Pt, Pt, Pt), width: f32) {
        let _ = writeln!(
            self.out,
            r#"<path d="M{:.1} {:.1}Q{:.1} {:.1} {:.1} {:.1}" stroke-width="{width:.1}" stroke-linecap="butt"/>"#,
            a.x, a.y, c.x, c.y, b.x, b.y
        );
    }

    /// The trunk: the pelvis, the lower back's curve and the chest as one stroke.
    fn trunk(&mut self, f: &Figure, width: f32) {
        for p in [f.hip, f.lumbar, f.bow, f.thoracic, f.shoulder] {
            self.see(p, width / 2.0);
        }
        let _ = writeln!(
            self.out,
            r#"<path d="M{:.1} {:.1}L{:.1} {:.1}Q{:.1} {:.1} {:.1} {:.1}L{:.1} {:.1}" stroke-width="{width:.1}" stroke-linejoin="round"/>"#,
            f.hip.x,
            f.hip.y,
            f.lumbar.x,
            f.lumbar.y,
            f.bow.x,
            f.bow.y,
            f.thoracic.x,
            f.thoracic.y,
            f.shoulder.x,
            f.shoulder.y
        );
    }

    fn circle(&mut self, c: Pt, r: f32, fill: &str) {
        self.see(c, r);
        let _ = writeln!(
            self.out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" fill="{fill}" stroke="none"/>"#,
            c.x, c.y
        );
    }

    /// A rounded rectangle from (x, y), `w` wide and `h` high.
    fn rect(&mut self, (x, y, w, h): (f32, f32, f32, f32), rx: f32, fill: &str, stroke: &str) {
        self.see(Pt::new(x, y), 0.5);
        self.see(Pt::new(x + w, y + h), 0.5);
        let _ = writeln!(
            self.out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{rx:.1}" fill="{fill}" stroke="{stroke}"/>"#
        );
    }

    /// A group whose strokes are `stroke`, round-ended, and fill nothing.
    fn open_group(&mut self, stroke: &str) {
        let _ = writeln!(
            self.out,
            r#"<g stroke="{stroke}" fill="none" stroke-linecap="round">"#
        );
    }

    fn close_group(&mut self) {
        self.out.push_str("</g>\n");
    }
}

/// A figure placed, with what it is drawn with.
struct Placed<'a> {
    role: Role,
    figure: Figure,
    pose: &'a Pose,
    profile: &'a RoleProfile,
    verdict: Verdict,
    /// The pose's own props and those of the suggested modifications, each once.
    props: Vec<Prop>,
}

/// Draws a position with both partners. A position without a scene or a pose (which the
/// knowledge base refuses when it loads) is drawn empty, with its words.
pub fn position_drawing(
    position: &Position,
    receptive: &Partner<'_>,
    insertive: &Partner<'_>,
) -> Drawing {
    let words = words::alt_text(position, receptive, insertive);
    let (Some(scene), Some(rp), Some(ip)) = (
        position.scene.as_ref(),
        receptive.profile.pose.as_ref(),
        insertive.profile.pose.as_ref(),
    ) else {
        return Drawing {
            svg: open_svg(
                (0.0, 0.0, f32::from(SCENE_WIDTH), f32::from(SCENE_HEIGHT)),
                &words.alt,
            ),
            alt: words.alt,
            shows_suggestions: false,
        };
    };
    let receptive = place(Role::Receptive, rp, receptive);
    let insertive = place(Role::Insertive, ip, insertive);
    let mut canvas = Canvas {
        out: String::with_capacity(6 * 1024),
        top: f32::MAX,
        bottom: f32::MIN,
        left: f32::MAX,
        right: f32::MIN,
    };
    furniture(&mut canvas, scene, &receptive, &insertive);
    let (back, front) = match scene.front {
        Role::Insertive => (&receptive, &insertive),
        Role::Receptive => (&insertive, &receptive),
    };
    for p in [back, front] {
        props_under(&mut canvas, scene, p);
    }
    // Depth, as the side view sees two bodies whose limbs interleave: the far limbs behind
    // everything, the bodies, then the near limbs in front of both bodies.
    for p in [back, front] {
        far_limbs(&mut canvas, p);
    }
    for p in [back, front] {
        body(&mut canvas, p);
    }
    // Each lower back over its own arm and leg, so that they never hide what the drawing is
    // about; the figure in front may still reach across the other's.
    for p in [back, front] {
        near_limbs(&mut canvas, p);
        canvas.open_group(verdict_colour(p.verdict).0);
        canvas.curve(lower_back(&p.figure), TRUNK_W);
        canvas.close_group();
    }
    // Cropped to what is drawn: from the side only top and bottom, so that every side view
    // keeps one scale; from above also left and right, to the bed, but never narrower than
    // `MIN_ABOVE_WIDTH`, so that it is not drawn much larger.
    let top = (canvas.top - 3.0).floor().max(0.0);
    let bottom = (canvas.bottom + 3.0).ceil().min(f32::from(SCENE_HEIGHT));
    let full = f32::from(SCENE_WIDTH);
    let (left, width) = if scene.view == View::Above {
        let (l, r) = ((canvas.left - 3.0).floor(), (canvas.right + 3.0).ceil());
        let width = (r - l).max(MIN_ABOVE_WIDTH).min(full);
        let left = ((l + r - width) / 2.0).floor().clamp(0.0, full - width);
        (left, width)
    } else {
        (0.0, full)
    };
    let mut svg = open_svg((left, top, width, bottom - top), &words.alt);
    svg.push_str(&canvas.out);
    svg.push_str("</svg>");
    Drawing {
        svg,
        alt: words.alt,
        shows_suggestions: words.suggestions,
    }
}

fn place<'a>(role: Role, pose: &'a Pose, partner: &Partner<'a>) -> Placed<'a> {
    let mut props = pose.props.clone();
    for m in &partner.suggested {
        if let Some(prop) = m.prop
            && !props.contains(&prop)
        {
            props.push(prop);
        }
    }
    Placed {
        role,
        figure: figure::place(pose, bend_levels(partner.profile)),
        pose,
        profile: partner.profile,
        verdict: partner.verdict,
        props,
    }
}

fn open_svg((left, top, width, height): (f32, f32, f32, f32), alt: &str) -> String {
    let label = escape(alt);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{left:.0} {top:.0} {width:.0} {height:.0}\" role=\"img\" aria-label=\"{label}\" class=\"drawing\">\n<title>{label}</title>\n"
    )
}

/// The bed, chair or table, and the floor under them.
fn furniture(c: &mut Canvas, scene: &Scene, receptive: &Placed<'_>, insertive: &Placed<'_>) {
    let width = f32::from(SCENE_WIDTH);
    if scene.view == View::Above {
        // The bed seen from above, around both figures, its pillow under both heads.
        let (mut x0, mut y0, mut y1) = (f32::MAX, f32::MAX, f32::MIN);
        for f in [&receptive.figure, &insertive.figure] {
            for p in [
                f.hip,
                f.head,
                f.shoulder,
                f.near.knee,
                f.near.ankle,
                f.near.toes,
            ] {
                x0 = x0.min(p.x);
                y0 = y0.min(p.y);
                y1 = y1.max(p.y);
            }
        }
        let heads = [receptive.figure.head, insertive.figure.head];
        let x1 = (heads[0].x.max(heads[1].x) + 16.0).min(width - 2.0);
        let (x0, y0, y1) = ((x0 - 12.0).max(2.0), y0 - 12.0, y1 + 12.0);
        c.rect((x0, y0, x1 - x0, y1 - y0), 6.0, MATTRESS, MATTRESS_EDGE);
        let x = (heads[0].x + heads[1].x) / 2.0;
        let (h0, h1) = (heads[0].y.min(heads[1].y), heads[0].y.max(heads[1].y));
        c.rect(
            (x - 9.0, h0 - 10.0, 20.0, h1 - h0 + 20.0),
            6.0,
            PILLOW,
            PILLOW_EDGE,
        );
        return;
    }
    let floor = |c: &mut Canvas| {
        c.open_group(GROUND);
        c.line(Pt::new(2.0, FLOOR), Pt::new(width - 2.0, FLOOR), 2.0);
        c.close_group();
    };
    match scene.furniture {
        Furniture::Bed => {
            c.rect(
                (6.0, BED_TOP + 12.0, width - 12.0, FLOOR - BED_TOP - 12.0),
                1.5,
                FRAME,
                FRAME,
            );
            c.rect(
                (6.0, BED_TOP, width - 12.0, 13.0),
                4.0,
                MATTRESS,
                MATTRESS_EDGE,
            );
        }
        Furniture::BedEdge | Furniture::LowBedEdge => {
            let top = if scene.furniture == Furniture::BedEdge {
                BED_EDGE_TOP
            } else {
                LOW_BED_TOP
            };
            // The bed ends just past the hips of the receptive partner, who lies at its edge
            // with the head on the bed.
            let r = &receptive.figure;
            let toward_feet = if r.head.x < r.hip.x { 1.0 } else { -1.0 };
            let edge = r.hip.x + toward_feet * 5.0;
            let (x0, x1) = if toward_feet > 0.0 {
                (6.0, edge)
            } else {
                (edge, width - 6.0)
            };
            floor(c);
            c.open_group(FRAME);
            for x in [x0 + 4.0, x1 - 4.0] {
                c.line(Pt::new(x, top + 12.0), Pt::new(x, FLOOR - 1.0), 3.0);
            }
            c.close_group();
            c.rect((x0, top + 10.0, x1 - x0, 5.0), 1.5, FRAME, FRAME);
            c.rect((x0, top, x1 - x0, 12.0), 4.0, MATTRESS, MATTRESS_EDGE);
        }
        Furniture::Chair => {
            // Under whoever sits lowest (not the partner on their lap), the backrest behind
            // their back.
            let sitter = [receptive, insertive]
                .into_iter()
                .filter(|p| p.profile.support == Support::Seated)
                .max_by(|a, b| a.figure.hip.y.total_cmp(&b.figure.hip.y))
                .unwrap_or(insertive);
            let f = &sitter.figure;
            let forward = if sitter.pose.facing == Facing::Right {
                1.0
            } else {
                -1.0
            };
            let back = f.hip.x - forward * 8.0;
            let front = f.hip.x + forward * 22.0;
            let (x0, x1) = (back.min(front), back.max(front));
            floor(c);
            c.open_group(WOOD);
            c.line(Pt::new(back, SEAT_TOP), Pt::new(back, FLOOR - 1.0), 3.0);
            c.line(Pt::new(front, SEAT_TOP), Pt::new(front, FLOOR - 1.0), 3.0);
            c.line(
                Pt::new(back - forward * 2.0, SEAT_TOP + 1.0),
                Pt::new(back - forward * 5.0, SEAT_TOP - 40.0),
                3.5,
            );
            c.close_group();
            c.rect((x0 - 2.0, SEAT_TOP, x1 - x0 + 4.0, 4.0), 1.5, WOOD, WOOD);
        }
        Furniture::Table => {
            // At the height of the receptive partner's forearms, reaching out past their hands.
            let f = &receptive.figure;
            let (elbow, hand) = (f.near.elbow, f.near.hand);
            let top = elbow.y.max(hand.y) + FOREARM_W / 2.0 + 0.5;
            let forward = if hand.x > f.hip.x { 1.0 } else { -1.0 };
            let start = if forward > 0.0 {
                elbow.x.min(hand.x) - 4.0
            } else {
                elbow.x.max(hand.x) + 4.0
            };
            let end = start + forward * 46.0;
            let (x0, x1) = (start.min(end), start.max(end));
            floor(c);
            c.open_group(WOOD);
            c.line(Pt::new(x0 + 3.0, top), Pt::new(x0 + 3.0, FLOOR - 1.0), 3.0);
            c.line(Pt::new(x1 - 3.0, top), Pt::new(x1 - 3.0, FLOOR - 1.0), 3.0);
            c.close_group();
            c.rect((x0, top, x1 - x0, 4.0), 1.5, WOOD, WOOD);
        }
    }
}

/// A pillow, towel or cushion centred on `at`.
fn pillow(c: &mut Canvas, at: Pt, w: f32, h: f32) {
    c.rect(
        (at.x - w / 2.0, at.y - h / 2.0, w, h),
        h / 2.0,
        PILLOW,
        PILLOW_EDGE,
    );
}

/// The pillows that lie under a figure, drawn before it.
fn props_under(c: &mut Canvas, scene: &Scene, p: &Placed<'_>) {
    let f = &p.figure;
    let down = Pt::new(0.0, 1.0);
    for prop in &p.props {
        match prop {
            Prop::UnderHead if scene.view == View::Side => {
                pillow(c, f.head.along(down, figure::HEAD + 2.0), 20.0, 5.0);
            }
            Prop::UnderLowerBack => {
                let middle = f.lumbar.mid(f.thoracic).mid(f.bow);
                let at = middle.along(f.back, TRUNK_W / 2.0 + 1.0);
                pillow(c, at, 13.0, 6.5);
            }
            Prop::UnderHips => {
                let at = f.hip.mid(f.lumbar).along(down, TRUNK_W / 2.0 + 2.5);
                pillow(c, at, 18.0, 5.0);
            }
            Prop::UnderKnees => {
                let at = f.near.knee.along(down, THIGH_W / 2.0 + 2.0);
                pillow(c, at, 16.0, 6.5);
            }
            Prop::UnderHead | Prop::BetweenKnees => {}
        }
    }
}

/// The strokes of one arm and one leg; `outline` draws them wider in white, leaving out the
/// part of each next to the trunk, which would cut a ring into the body.
fn leg(c: &mut Canvas, f: &Figure, limbs: &Limbs, outline: bool) {
    let extra = if outline { 2.0 * OUTLINE } else { 0.0 };
    let from = if outline {
        f.hip.along(f.hip.to(limbs.knee), 0.4)
    } else {
        f.hip
    };
    c.line(from, limbs.knee, THIGH_W + extra);
    c.line(limbs.knee, limbs.ankle, SHIN_W + extra);
    c.line(limbs.ankle, limbs.toes, FOOT_W + extra);
}

fn arm(c: &mut Canvas, f: &Figure, limbs: &Limbs, outline: bool) {
    let extra = if outline { 2.0 * OUTLINE } else { 0.0 };
    let from = if outline {
        f.shoulder.along(f.shoulder.to(limbs.elbow), 0.4)
    } else {
        f.shoulder
    };
    c.line(from, limbs.elbow, UPPER_ARM_W + extra);
    c.line(limbs.elbow, limbs.hand, FOREARM_W + extra);
}

/// A figure's far arm and leg, a shade darker, over a white outline, and a pillow between
/// the knees.
fn far_limbs(c: &mut Canvas, p: &Placed<'_>) {
    let tone = tone(p.role);
    let f = &p.figure;
    if let Some(far) = &f.far {
        c.open_group(WHITE);
        leg(c, f, far, true);
        arm(c, f, far, true);
        c.close_group();
        c.open_group(tone.far);
        leg(c, f, far, false);
        arm(c, f, far, false);
        c.close_group();
    }
    if p.props.contains(&Prop::BetweenKnees) {
        // Between the knees, larger than them, so that it shows around the near knee.
        let far_knee = f.far.map_or(f.near.knee, |l| l.knee);
        pillow(c, f.near.knee.mid(far_knee), 16.0, 16.0);
    }
}

/// A figure's trunk and head over a white outline.
fn body(c: &mut Canvas, p: &Placed<'_>) {
    let tone = tone(p.role);
    let f = &p.figure;
    for (colour, extra) in [(WHITE, 2.0 * OUTLINE), (tone.body, 0.0)] {
        c.open_group(colour);
        c.trunk(f, TRUNK_W + extra);
        c.line(f.shoulder, f.head, NECK_W + extra);
        c.circle(f.head, figure::HEAD + extra / 2.0, colour);
        c.close_group();
    }
}

/// A figure's near leg and arm, each over its own white outline.
fn near_limbs(c: &mut Canvas, p: &Placed<'_>) {
    let tone = tone(p.role);
    let f = &p.figure;
    for limb in [leg, arm] {
        c.open_group(WHITE);
        limb(c, f, &f.near, true);
        c.close_group();
        c.open_group(tone.body);
        limb(c, f, &f.near, false);
        c.close_group();
    }
}
