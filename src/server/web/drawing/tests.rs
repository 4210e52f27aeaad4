//! The drawings: every position's scene pinned as a snapshot, and what each must show — both
//! partners, distinct poses, the suggested pillows, each lower back bent the right way and
//! coloured by its verdict.

use spinewise_domain::Knowledge;
use spinewise_domain::knowledge::{Position, Prop};
use spinewise_domain::vocab::{Role, Verdict};

use super::figure::{self, Pt};
use super::scene::{bend_levels, lower_back};
use super::{Partner, position_drawing};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("valid")
}

fn position(id: &str) -> &'static Position {
    knowledge().position(id).expect("position")
}

/// A partner in `role` with `verdict`, with every modification listed for that role that
/// adds a pillow suggested (`pillows`) or none.
fn partner(p: &'static Position, role: Role, verdict: Verdict, pillows: bool) -> Partner<'static> {
    let profile = p.profile(role);
    let suggested = profile
        .modifications
        .iter()
        .filter_map(|e| knowledge().modification(&e.id).ok())
        .filter(|m| pillows && m.prop.is_some())
        .collect();
    Partner {
        profile,
        verdict,
        suggested,
    }
}

fn drawing(p: &'static Position, receptive: Verdict, insertive: Verdict, pillows: bool) -> String {
    position_drawing(
        p,
        &partner(p, Role::Receptive, receptive, pillows),
        &partner(p, Role::Insertive, insertive, pillows),
    )
    .svg
}

#[test]
fn every_position_is_drawn_as_pinned() {
    for p in &knowledge().positions {
        let d = position_drawing(
            p,
            &partner(p, Role::Receptive, Verdict::Caution, true),
            &partner(p, Role::Insertive, Verdict::Recommended, true),
        );
        insta::assert_snapshot!(
            format!("position_{}", p.id),
            format!("{}\n\n{}", d.alt, d.svg)
        );
    }
}

#[test]
fn the_lower_back_is_coloured_by_each_verdict() {
    let p = position("quadruped");
    let svg = drawing(p, Verdict::Avoid, Verdict::Recommended, false);
    assert!(
        svg.contains(r##"stroke="#c62828""##),
        "red for the receptive back"
    );
    assert!(
        svg.contains(r##"stroke="#2e7d32""##),
        "green for the insertive back"
    );
    assert!(!svg.contains(r##"stroke="#b26a00""##));
    let d = position_drawing(
        p,
        &partner(p, Role::Receptive, Verdict::Avoid, false),
        &partner(p, Role::Insertive, Verdict::Recommended, false),
    );
    assert!(
        d.alt.contains("Lower back: red for the receptive partner (likely to provoke this back's pain), green for the insertive partner (suits this back)."),
        "{}",
        d.alt
    );
}

#[test]
fn drawings_are_self_contained_and_labelled() {
    for p in &knowledge().positions {
        for pillows in [false, true] {
            let d = position_drawing(
                p,
                &partner(p, Role::Receptive, Verdict::Caution, pillows),
                &partner(p, Role::Insertive, Verdict::Avoid, pillows),
            );
            let svg = &d.svg;
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            for forbidden in [
                "<script", "<text", "href", "url(", "font", "style", "<image",
            ] {
                assert!(!svg.contains(forbidden), "{}: {forbidden}", p.id);
            }
            assert!(svg.contains(&format!("<title>{}</title>", d.alt.replace('\'', "&#39;"))));
            assert!(d.alt.starts_with("Schematic "), "{}", d.alt);
            assert!(d.alt.contains(&p.name), "{}", d.alt);
            assert!(
                d.alt.contains("The receptive partner, in blue, "),
                "{}",
                d.alt
            );
            assert!(
                d.alt.contains("The insertive partner, in sand, "),
                "{}",
                d.alt
            );
            assert_eq!(
                svg,
                &drawing_with(p, pillows),
                "{}: the same input gives the same bytes",
                p.id
            );
        }
    }
}

fn drawing_with(p: &'static Position, pillows: bool) -> String {
    drawing(p, Verdict::Caution, Verdict::Avoid, pillows)
}

#[test]
fn both_figures_stay_inside_the_drawing() {
    for p in &knowledge().positions {
        for role in [Role::Receptive, Role::Insertive] {
            let profile = p.profile(role);
            let f = figure::place(profile.pose.as_ref().expect("a pose"), bend_levels(profile));
            for (name, at) in joints(&f) {
                assert!(
                    (4.0..196.0).contains(&at.x) && (4.0..116.0).contains(&at.y),
                    "{} ({role}): the {name} is at {at:?}",
                    p.id
                );
            }
        }
    }
}

fn joints(f: &figure::Figure) -> Vec<(&'static str, Pt)> {
    vec![
        ("hip", f.hip),
        ("lower back", f.bow),
        ("shoulder", f.shoulder),
        ("head", f.head),
        ("elbow", f.near.elbow),
        ("hand", f.near.hand),
        ("knee", f.near.knee),
        ("ankle", f.near.ankle),
        ("toes", f.near.toes),
    ]
}

#[test]
fn every_position_is_drawn_in_a_pose_of_its_own() {
    let placed = |p: &Position| {
        [Role::Receptive, Role::Insertive].map(|role| {
            let profile = p.profile(role);
            figure::place(profile.pose.as_ref().expect("a pose"), bend_levels(profile))
        })
    };
    let positions = &knowledge().positions;
    for (i, a) in positions.iter().enumerate() {
        for b in &positions[i + 1..] {
            // Some joint of either figure is well away from where the other scene has it.
            let moved = placed(a)
                .iter()
                .zip(placed(b).iter())
                .flat_map(|(fa, fb)| joints(fa).into_iter().zip(joints(fb)))
                .map(|((_, pa), (_, pb))| (pa.x - pb.x).hypot(pa.y - pb.y))
                .fold(0.0_f32, f32::max);
            assert!(moved > 8.0, "{} and {} are drawn alike", a.id, b.id);
            assert_ne!(
                drawing(a, Verdict::Caution, Verdict::Caution, false),
                drawing(b, Verdict::Caution, Verdict::Caution, false)
            );
        }
    }
}

#[test]
fn a_suggested_pillow_is_drawn_and_said() {
    let pillows = |svg: &str| svg.matches(super::palette::PILLOW).count();
    for (id, role, words) in [
        (
            "missionary",
            Role::Receptive,
            "with a pillow or rolled towel under the lower back (a change suggested below)",
        ),
        (
            "receptive-on-top",
            Role::Insertive,
            "with a pillow under the knees (a change suggested below)",
        ),
        (
            "prone-flat",
            Role::Receptive,
            "with a pillow under the hips (a change suggested below)",
        ),
        (
            "seated-chair",
            Role::Insertive,
            "with a rolled towel between the lower back and the backrest (a change suggested below)",
        ),
    ] {
        let p = position(id);
        let without = position_drawing(
            p,
            &partner(p, Role::Receptive, Verdict::Caution, false),
            &partner(p, Role::Insertive, Verdict::Caution, false),
        );
        let with = position_drawing(
            p,
            &partner(p, role, Verdict::Caution, true),
            &partner(p, role.other(), Verdict::Caution, false),
        );
        let with = if role == Role::Receptive {
            with
        } else {
            position_drawing(
                p,
                &partner(p, Role::Receptive, Verdict::Caution, false),
                &partner(p, Role::Insertive, Verdict::Caution, true),
            )
        };
        assert_eq!(pillows(&with.svg), pillows(&without.svg) + 1, "{id}");
        assert!(with.shows_suggestions && !without.shows_suggestions, "{id}");
        let sentence = format!("The {role} partner, in ");
        let theirs = &with.alt[with.alt.find(&sentence).expect("their sentence")..];
        assert!(theirs.contains(words), "{id}: {}", with.alt);
        assert!(!without.alt.contains("suggested"), "{id}: {}", without.alt);
    }
    // A pillow that the position already has is not drawn twice.
    let p = position("missionary");
    let r = p.receptive.pose.as_ref().expect("a pose");
    assert!(r.props.contains(&Prop::UnderHead));
}

#[test]
fn rounding_bows_the_lower_back_toward_the_back_and_arching_away_from_it() {
    for p in &knowledge().positions {
        for role in [Role::Receptive, Role::Insertive] {
            let profile = p.profile(role);
            let levels = bend_levels(profile);
            let f = figure::place(profile.pose.as_ref().expect("a pose"), levels);
            let (a, control, b) = lower_back(&f);
            let toward_back = a.mid(b).to(control).dot(f.back);
            match levels {
                1.. => assert!(toward_back > 0.2, "{} ({role}) rounds", p.id),
                ..0 => assert!(toward_back < -0.2, "{} ({role}) arches", p.id),
                0 => assert!(toward_back.abs() < 0.01, "{} ({role}) is neutral", p.id),
            }
            // The more levels, the deeper the bow.
            let deeper = figure::place(profile.pose.as_ref().expect("a pose"), levels + 1);
            let (a2, c2, b2) = lower_back(&deeper);
            assert!(
                a2.mid(b2).to(c2).dot(deeper.back) > toward_back,
                "{} ({role})",
                p.id
            );
        }
    }
    // In the drawing's own terms: lying on the back and rounding, the lower back sinks toward
    // the bed; on hands and knees and arching, it sags toward the bed too, from the belly's
    // side; standing and arching, it bows toward the front.
    let bow = |id: &str, role: Role| {
        let profile = position(id).profile(role);
        let f = figure::place(profile.pose.as_ref().expect("a pose"), bend_levels(profile));
        let (a, c, b) = lower_back(&f);
        (a.mid(b).to(c), f.back)
    };
    let (down, back) = bow("missionary", Role::Receptive);
    assert!(
        down.y > 1.0 && back.y > 0.9,
        "rounds into the bed: {down:?}"
    );
    let (sag, back) = bow("quadruped", Role::Receptive);
    assert!(
        sag.y > 1.0 && back.y < -0.9,
        "sags toward the bed, away from the back: {sag:?}"
    );
    let (forward, back) = bow("standing-supported", Role::Insertive);
    assert!(
        forward.x > 0.5 && back.x < -0.9,
        "arches forward: {forward:?}"
    );
}

#[test]
fn rounding_and_arching_draw_different_lower_backs() {
    let a = drawing(
        position("missionary"),
        Verdict::Caution,
        Verdict::Caution,
        false,
    );
    let b = drawing(
        position("edge-of-bed"),
        Verdict::Caution,
        Verdict::Caution,
        false,
    );
    assert_ne!(a, b, "different demands, different curves");
}
