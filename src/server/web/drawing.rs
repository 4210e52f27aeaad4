//! Schematic drawings of a position: a neutral, non-explicit side view of each partner as a
//! stick figure in their posture, drawn from the posture profile, with the lower back
//! coloured by the verdict for that person (green, amber, red) and bent the way the position
//! bends it (rounded forward for flexion, arched for extension).
//!
//! Hand-written SVG: no fonts, no scripts, no external references, the same bytes for the
//! same input, so it works under a strict Content-Security-Policy and in snapshot tests.

use std::fmt::Write as _;

use spinewise_domain::knowledge::{RoleProfile, Support};
use spinewise_domain::vocab::Verdict;

use super::markup::escape;

/// The colour a verdict gives the lower back, and its word for the text alternative.
pub fn verdict_colour(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Recommended => ("#2e7d32", "green: suits this back"),
        Verdict::Caution => ("#b26a00", "amber: with care"),
        Verdict::Avoid => ("#c62828", "red: likely to provoke this back's pain"),
    }
}

type Pt = (f32, f32);

/// The joints of a figure in a 120 × 100 panel, and which way the back of the trunk faces
/// (a unit vector), so that rounding bows the lower back that way and arching the other.
struct Skeleton {
    head: Pt,
    shoulder: Pt,
    hip: Pt,
    knee: Pt,
    foot: Pt,
    hand: Pt,
    back_side: Pt,
}

fn skeleton(support: Support) -> Skeleton {
    match support {
        Support::Back => Skeleton {
            head: (100.0, 74.0),
            shoulder: (88.0, 78.0),
            hip: (46.0, 78.0),
            knee: (30.0, 58.0),
            foot: (14.0, 80.0),
            hand: (64.0, 82.0),
            back_side: (0.0, 1.0),
        },
        Support::Front => Skeleton {
            head: (100.0, 76.0),
            shoulder: (88.0, 80.0),
            hip: (46.0, 80.0),
            knee: (26.0, 82.0),
            foot: (6.0, 83.0),
            hand: (104.0, 86.0),
            back_side: (0.0, -1.0),
        },
        Support::Side => Skeleton {
            head: (100.0, 72.0),
            shoulder: (88.0, 76.0),
            hip: (46.0, 78.0),
            knee: (34.0, 62.0),
            foot: (16.0, 70.0),
            hand: (96.0, 86.0),
            back_side: (0.0, 1.0),
        },
        Support::HandsAndKnees => Skeleton {
            head: (100.0, 40.0),
            shoulder: (86.0, 50.0),
            hip: (42.0, 50.0),
            knee: (42.0, 86.0),
            foot: (12.0, 86.0),
            hand: (88.0, 86.0),
            back_side: (0.0, -1.0),
        },
        Support::Kneeling => Skeleton {
            head: (58.0, 12.0),
            shoulder: (56.0, 24.0),
            hip: (52.0, 56.0),
            knee: (62.0, 86.0),
            foot: (30.0, 86.0),
            hand: (70.0, 50.0),
            back_side: (-1.0, 0.0),
        },
        Support::Seated => Skeleton {
            head: (52.0, 12.0),
            shoulder: (50.0, 24.0),
            hip: (46.0, 58.0),
            knee: (80.0, 58.0),
            foot: (80.0, 88.0),
            hand: (66.0, 52.0),
            back_side: (-1.0, 0.0),
        },
        Support::Standing => Skeleton {
            head: (56.0, 10.0),
            shoulder: (54.0, 22.0),
            hip: (50.0, 54.0),
            knee: (54.0, 72.0),
            foot: (50.0, 90.0),
            hand: (62.0, 52.0),
            back_side: (-1.0, 0.0),
        },
    }
}

fn mid(a: Pt, b: Pt) -> Pt {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

fn line(out: &mut String, a: Pt, b: Pt, colour: &str, width: f32) {
    let _ = write!(
        out,
        r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="{width:.1}" stroke-linecap="round"/>"#,
        a.0, a.1, b.0, b.1
    );
}

/// One figure, offset by `dx`, with the lower back in `colour`.
fn figure(out: &mut String, profile: &RoleProfile, dx: f32, colour: &str) {
    let s = skeleton(profile.support);
    let at = |p: Pt| (p.0 + dx, p.1);
    let body = "#5f6b7a";
    let waist = mid(s.hip, s.shoulder);
    // Rounding bows the lower back toward the back side, arching away from it.
    let bow = (f32::from(profile.flexion.level()) - f32::from(profile.extension.level())) * 3.0;
    let m = mid(s.hip, waist);
    let control = at((m.0 + s.back_side.0 * bow, m.1 + s.back_side.1 * bow));
    let (hip, waist) = (at(s.hip), at(waist));
    line(out, hip, at(s.knee), body, 4.0);
    line(out, at(s.knee), at(s.foot), body, 4.0);
    line(out, waist, at(s.shoulder), body, 4.0);
    line(out, at(s.shoulder), at(s.hand), body, 3.0);
    let _ = write!(
        out,
        r#"<path d="M{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}" fill="none" stroke="{colour}" stroke-width="6" stroke-linecap="round"/>"#,
        hip.0, hip.1, control.0, control.1, waist.0, waist.1
    );
    let head = at(s.head);
    let _ = write!(
        out,
        r#"<circle cx="{:.1}" cy="{:.1}" r="7" fill="{body}"/>"#,
        head.0, head.1
    );
}

/// A side view of both partners, each in their own panel, with their lower backs coloured
/// by their verdicts. `label` is the text alternative.
pub fn position_svg(
    receptive: (&RoleProfile, Verdict),
    insertive: (&RoleProfile, Verdict),
    label: &str,
) -> String {
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 250 100" role="img" aria-label="{}" class="drawing">"#,
        escape(label)
    );
    let _ = write!(out, "<title>{}</title>", escape(label));
    out.push_str(r##"<line x1="4" y1="93" x2="246" y2="93" stroke="#c9ced6" stroke-width="2"/>"##);
    out.push_str(r##"<line x1="125" y1="6" x2="125" y2="93" stroke="#e3e6ea" stroke-width="1"/>"##);
    figure(&mut out, receptive.0, 0.0, verdict_colour(receptive.1).0);
    figure(&mut out, insertive.0, 128.0, verdict_colour(insertive.1).0);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use spinewise_domain::Knowledge;

    fn profiles(id: &str) -> (&'static RoleProfile, &'static RoleProfile) {
        let p = Knowledge::bundled()
            .expect("valid")
            .position(id)
            .expect("position");
        (&p.receptive, &p.insertive)
    }

    #[test]
    fn the_lower_back_is_coloured_by_each_verdict() {
        let (r, i) = profiles("quadruped");
        let svg = position_svg((r, Verdict::Avoid), (i, Verdict::Recommended), "a label");
        assert!(
            svg.contains(r##"stroke="#c62828""##),
            "red for the receptive back"
        );
        assert!(
            svg.contains(r##"stroke="#2e7d32""##),
            "green for the insertive back"
        );
        assert!(!svg.contains(r##"stroke="#b26a00""##));
    }

    #[test]
    fn drawings_are_self_contained_and_labelled() {
        let k = Knowledge::bundled().expect("valid");
        for p in &k.positions {
            let svg = position_svg(
                (&p.receptive, Verdict::Caution),
                (&p.insertive, Verdict::Caution),
                "Side view & <label>",
            );
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            for forbidden in ["<script", "<text", "href", "url(", "font"] {
                assert!(!svg.contains(forbidden), "{}: {forbidden}", p.id);
            }
            assert!(svg.contains("<title>Side view &amp; &lt;label&gt;</title>"));
        }
    }

    #[test]
    fn rounding_and_arching_bend_the_lower_back_opposite_ways() {
        let (r, _) = profiles("missionary");
        let (r2, _) = profiles("edge-of-bed");
        let a = position_svg((r, Verdict::Caution), (r, Verdict::Caution), "x");
        let b = position_svg((r2, Verdict::Caution), (r2, Verdict::Caution), "x");
        assert_ne!(a, b, "different demands, different curves");
    }
}
