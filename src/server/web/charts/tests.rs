//! The charts' tests: well-formed, self-contained SVG, the words of the summaries, the
//! table rows, and the same bytes for the same input.

use time::macros::date;
use time::{Date, Duration};

use super::dates::ticks;
use super::draw::ident;
use super::style::{EXERCISE, GROUND, INTIMACY, PRIOR};
use super::{
    Band, Mark, MarkKind, PainPoint, PositionBar, pain_over_time, position_outcomes,
    table_rows_pain, table_rows_positions,
};
use crate::server::web::markup::escape;

/// Checks that `s` is one well-formed XML element: tags balance, attributes are quoted,
/// and `&` only starts a known entity. Returns the tag names in order of opening.
fn well_formed(s: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut opened = Vec::new();
    let mut rest = s;
    let entity_ok = |t: &str| {
        ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"]
            .iter()
            .any(|e| t.starts_with(e))
    };
    while let Some(i) = rest.find(['<', '&']) {
        let (text, tail) = rest.split_at(i);
        assert!(!text.contains('>'), "stray '>' in text: {text}");
        assert!(
            !stack.is_empty() || text.trim().is_empty(),
            "text outside the root"
        );
        if let Some(after) = tail.strip_prefix('&') {
            let at: String = tail.chars().take(12).collect();
            assert!(entity_ok(tail), "bad entity at {at}");
            rest = after;
            continue;
        }
        let end = tag_end(tail);
        let tag = &tail[1..end];
        rest = &tail[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("a closing tag with nothing open");
            assert_eq!(open, name.trim(), "mismatched close");
            if stack.is_empty() {
                assert!(rest.trim().is_empty(), "content after the root");
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let inner = tag.trim_end_matches('/');
        let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "bad tag name {name:?}"
        );
        check_attributes(&inner[name.len()..]);
        assert!(
            !stack.is_empty() || opened.is_empty(),
            "a second root element"
        );
        opened.push(name.clone());
        if self_closing {
            if stack.is_empty() {
                assert!(rest.trim().is_empty(), "content after the root");
            }
        } else {
            stack.push(name);
        }
    }
    assert!(rest.trim().is_empty() || !stack.is_empty());
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(!opened.is_empty(), "no element");
    opened
}

/// Where the tag starting at tail[0] ends, skipping '>' inside quotes.
fn tag_end(tail: &str) -> usize {
    let mut quote = None;
    for (i, c) in tail.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '<') => panic!("'<' inside a tag"),
            (Some(_), '<') => panic!("'<' inside an attribute"),
            (None, '>') => return i,
            _ => {}
        }
    }
    panic!("unterminated tag");
}

fn check_attributes(mut s: &str) {
    let mut names = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            break;
        }
        let eq = s.find('=').expect("attribute without a value");
        let name = s[..eq].trim();
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
            "bad attribute name {name:?}"
        );
        assert!(!names.contains(&name), "duplicate attribute {name}");
        names.push(name);
        let after = &s[eq + 1..];
        let q = after.chars().next().expect("a value");
        assert!(q == '"' || q == '\'', "unquoted attribute {name}");
        let close = after[1..].find(q).expect("closing quote") + 1;
        let value = &after[1..close];
        for (i, _) in value.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| value[i..].starts_with(e)),
                "bad entity in attribute {name}"
            );
        }
        s = &after[close + 1..];
    }
}

#[test]
fn the_checker_catches_broken_markup() {
    let ok = r#"<svg a="1"><g><text x="1">a &amp; b</text></g><rect/></svg>"#;
    assert_eq!(well_formed(ok), ["svg", "g", "text", "rect"]);
    for bad in [
        "<svg><g></svg>",
        "<svg></g></svg>",
        "<svg><text>a & b</text></svg>",
        "<svg><text>a <b> c</text></svg>",
        r#"<svg a=1></svg>"#,
        r#"<svg a="1" a="2"></svg>"#,
        r#"<svg a="<"></svg>"#,
        "<svg></svg><svg></svg>",
        "<svg>",
    ] {
        let caught = std::panic::catch_unwind(|| well_formed(bad)).is_err();
        assert!(caught, "not caught: {bad}");
    }
}

fn self_contained(svg: &str) {
    well_formed(svg);
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    let without_ns = svg.replacen(r#"xmlns="http://www.w3.org/2000/svg""#, "", 1);
    for forbidden in [
        "style", "<script", "href", "http", "url(", "<image", "<foreign", "on",
    ] {
        let hits = if forbidden == "on" {
            // Event handler attributes: ` onload=`, ` onclick=` and the like.
            without_ns
                .match_indices(" on")
                .filter(|(i, _)| {
                    without_ns[i + 3..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .count()
                        > 0
                        && without_ns[i + 3..]
                            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                            .starts_with('=')
                })
                .count()
        } else {
            without_ns.matches(forbidden).count()
        };
        assert_eq!(hits, 0, "found {forbidden}");
    }
}

fn pts(list: &[(Date, f64)]) -> Vec<PainPoint> {
    list.iter()
        .map(|&(date, pain)| PainPoint { date, pain })
        .collect()
}

fn every_day(from: Date, n: i64, pain: impl Fn(i64) -> f64) -> Vec<PainPoint> {
    (0..n)
        .map(|i| PainPoint {
            date: from + Duration::days(i),
            pain: pain(i),
        })
        .collect()
}

fn sample() -> (Vec<PainPoint>, Vec<Mark>, Vec<Band>) {
    let from = date!(2026 - 08 - 25);
    let mut points = every_day(from, 91, |i| 3.0 + ((i * 7) % 5) as f64);
    points.retain(|p| !(p.date >= date!(2026 - 09 - 10) && p.date <= date!(2026 - 09 - 14)));
    let marks = vec![
        Mark {
            date: date!(2026 - 09 - 01),
            kind: MarkKind::Intimacy { flared: true },
        },
        Mark {
            date: date!(2026 - 09 - 20),
            kind: MarkKind::Intimacy { flared: false },
        },
        Mark {
            date: date!(2026 - 09 - 21),
            kind: MarkKind::Exercise,
        },
    ];
    let bands = vec![Band {
        from: date!(2026 - 09 - 02),
        to: date!(2026 - 09 - 05),
        label: "Flare".to_owned(),
    }];
    (points, marks, bands)
}

fn bar(label: &str, logs: u32, flares: u32, est: f64, prior: f64) -> PositionBar {
    PositionBar {
        label: label.to_owned(),
        logs,
        flares,
        estimate: est,
        low: (est - 0.2).max(0.0),
        high: (est + 0.25).min(1.0),
        prior,
    }
}

#[test]
fn the_pain_chart_is_well_formed_and_self_contained() {
    let (points, marks, bands) = sample();
    let c = pain_over_time(
        "pain",
        date!(2026 - 08 - 25),
        date!(2026 - 11 - 23),
        &points,
        &marks,
        &bands,
    );
    self_contained(&c.svg);
    assert!(c.svg.contains(r#"role="img""#));
    assert!(c.svg.contains(r#"aria-labelledby="pain-title pain-desc""#));
    assert!(c.svg.contains(r#"<title id="pain-title">"#));
    assert!(c.svg.contains(&format!(
        r#"<desc id="pain-desc">{}</desc>"#,
        escape(&c.summary)
    )));
}

#[test]
fn the_summary_counts_what_is_in_the_period() {
    let from = date!(2026 - 10 - 01);
    let points = pts(&[
        (date!(2026 - 10 - 01), 3.0),
        (date!(2026 - 10 - 02), 7.0),
        (date!(2026 - 10 - 03), 5.5),
        (date!(2026 - 10 - 05), 7.0),
        (date!(2026 - 12 - 01), 10.0), // outside
    ]);
    let mut marks: Vec<Mark> = (0..14)
        .map(|i| Mark {
            date: from + Duration::days(i % 7),
            kind: MarkKind::Intimacy { flared: i < 3 },
        })
        .collect();
    marks.extend((0..9).map(|i| Mark {
        date: from + Duration::days(i % 7),
        kind: MarkKind::Exercise,
    }));
    marks.push(Mark {
        date: date!(2026 - 09 - 30),
        kind: MarkKind::Exercise,
    });
    let bands = [Band {
        from: date!(2026 - 09 - 28),
        to: date!(2026 - 10 - 02),
        label: "Flare".to_owned(),
    }];
    let c = pain_over_time("p", from, date!(2026 - 10 - 10), &points, &marks, &bands);
    assert_eq!(
        c.summary,
        "Pain from 3 to 7 between 2026-10-01 and 2026-10-10, logged on 4 of 10 days, \
         average 5.6; highest on 2026-10-02. 14 intimacy logs (3 followed by a pain rise \
         of 2 points or more) and 9 exercise sessions. Shaded: Flare from 2026-10-01 to \
         2026-10-02."
    );
    assert_eq!(
        c.svg.matches("<circle").count() - 3,
        14,
        "14 marks, 2 in the legend and a dot for the lone 5 October"
    );
}

#[test]
fn gaps_split_the_line() {
    let d = date!(2026 - 03 - 01);
    let day = |n| d + Duration::days(n);
    let points = pts(&[
        (day(0), 2.0),
        (day(1), 3.0),
        (day(2), 4.0),
        (day(5), 5.0),
        (day(6), 6.0),
        (day(9), 1.0),
    ]);
    let c = pain_over_time("g", d, day(13), &points, &[], &[]);
    self_contained(&c.svg);
    assert_eq!(c.svg.matches("<polyline").count(), 2);
    assert_eq!(
        c.svg.matches(r#"<circle"#).count(),
        1,
        "the lone day is a dot"
    );
    // Given out of order, the same line.
    let mut shuffled = points.clone();
    shuffled.reverse();
    assert_eq!(
        c.svg,
        pain_over_time("g", d, day(13), &shuffled, &[], &[]).svg
    );
    // Consecutive days stay joined.
    let whole = pain_over_time("g", d, day(13), &every_day(d, 14, |_| 4.0), &[], &[]);
    assert_eq!(whole.svg.matches("<polyline").count(), 1);
}

#[test]
fn marks_differ_in_shape_and_fill() {
    let d = date!(2026 - 03 - 01);
    let points = every_day(d, 10, |_| 4.0);
    let marks = [
        Mark {
            date: d,
            kind: MarkKind::Intimacy { flared: true },
        },
        Mark {
            date: d,
            kind: MarkKind::Intimacy { flared: false },
        },
        Mark {
            date: d,
            kind: MarkKind::Exercise,
        },
    ];
    let c = pain_over_time("m", d, d + Duration::days(9), &points, &marks, &[]);
    let filled = format!(r#"r="6" fill="{INTIMACY}""#);
    let hollow = format!(r#"r="6" fill="{GROUND}" stroke="{INTIMACY}""#);
    assert_eq!(c.svg.matches(&filled).count(), 2, "a mark and its legend");
    assert_eq!(c.svg.matches(&hollow).count(), 2);
    assert_eq!(
        c.svg.matches(&format!(r#"fill="{EXERCISE}""#)).count(),
        2,
        "a triangle and its legend"
    );
    assert!(c.svg.contains(">Intimacy, pain rose after<"));
}

#[test]
fn labels_and_ids_are_escaped() {
    let d = date!(2026 - 03 - 01);
    let bands = [Band {
        from: d,
        to: d + Duration::days(2),
        label: "<b>&\"flare\"".to_owned(),
    }];
    let c = pain_over_time(
        "x\" onload=\"a",
        d,
        d + Duration::days(5),
        &every_day(d, 6, |_| 2.0),
        &[],
        &bands,
    );
    self_contained(&c.svg);
    assert!(c.svg.contains("&lt;b&gt;&amp;&quot;flare&quot;"));
    assert!(!c.svg.contains("<b>"));
    assert!(c.svg.contains(r#"id="x--onload--a-title""#));

    let bars = [bar("<b>& 'Spoon'\u{1}", 3, 1, 0.3, 0.2)];
    let p = position_outcomes("pos", &bars);
    self_contained(&p.svg);
    assert!(p.svg.contains("&lt;b&gt;&amp; &#39;Spoon&#39;"));
    assert!(
        p.summary
            .starts_with("Chance of a pain rise after intimacy, for 1 position.")
    );
    assert!(
        p.summary.contains("<b>& 'Spoon'"),
        "the summary is plain text"
    );
}

#[test]
fn empty_inputs_say_so() {
    let d = date!(2026 - 03 - 01);
    let c = pain_over_time("e", d, d + Duration::days(30), &[], &[], &[]);
    self_contained(&c.svg);
    assert!(c.svg.contains(">No pain logged in this period<"));
    assert_eq!(
        c.summary,
        "No pain logged in this period (2026-03-01 to 2026-03-31)."
    );
    // Only points outside the period: still empty, but the marks are counted.
    let marks = [Mark {
        date: d,
        kind: MarkKind::Exercise,
    }];
    let c = pain_over_time(
        "e",
        d,
        d + Duration::days(30),
        &pts(&[(d - Duration::days(1), 4.0)]),
        &marks,
        &[],
    );
    assert!(c.svg.contains(">No pain logged in this period<"));
    assert!(c.summary.ends_with(" 1 exercise session."));

    let p = position_outcomes("e", &[]);
    self_contained(&p.svg);
    assert!(p.svg.contains(">No positions logged yet<"));
    assert_eq!(p.summary, "No positions logged yet.");
    assert!(table_rows_pain(&[], &[]).is_empty());
    assert!(table_rows_positions(&[]).is_empty());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (points, marks, bands) = sample();
    let run = || {
        pain_over_time(
            "pain",
            date!(2026 - 08 - 25),
            date!(2026 - 11 - 23),
            &points,
            &marks,
            &bands,
        )
    };
    assert_eq!(run(), run());
    let bars = [
        bar("Spooning", 6, 2, 0.33, 0.2),
        bar("Missionary", 4, 0, 0.1, 0.3),
    ];
    assert_eq!(position_outcomes("p", &bars), position_outcomes("p", &bars));
    // No float printed with more than one decimal.
    for svg in [run().svg, position_outcomes("p", &bars).svg] {
        let digits_after_dot = svg
            .split('.')
            .skip(1)
            .map(|s| s.chars().take_while(char::is_ascii_digit).count())
            .max()
            .unwrap_or(0);
        assert!(digits_after_dot <= 1);
    }
}

#[test]
fn ticks_are_weekly_then_monthly() {
    let d = date!(2026 - 11 - 03);
    let weekly = ticks(d, d + Duration::days(30));
    assert_eq!(weekly.len(), 5);
    assert_eq!(weekly[0].1, "Nov 3");
    assert_eq!(weekly[4].1, "Dec 1");
    let monthly = ticks(date!(2026 - 08 - 25), date!(2027 - 02 - 10));
    let labels: Vec<&str> = monthly.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(labels, ["Sep", "Oct", "Nov", "Dec", "Jan 2027", "Feb"]);
    // A single day still draws.
    let c = pain_over_time("one", d, d, &pts(&[(d, 5.0)]), &[], &[]);
    self_contained(&c.svg);
    assert!(c.svg.contains(">Nov 3<"));
    assert!(
        c.summary
            .starts_with("Pain at 5 between 2026-11-03 and 2026-11-03, logged on 1 of 1 day,")
    );
}

#[test]
fn the_position_chart_shows_counts_chances_and_the_prior() {
    let bars = [
        bar("Spooning", 6, 2, 0.33, 0.2),
        bar(
            "A very long position name that will not fit on a phone",
            1,
            1,
            0.9,
            0.5,
        ),
    ];
    let c = position_outcomes("pos", &bars);
    self_contained(&c.svg);
    assert!(
        c.svg
            .contains(">Pain rose after 2 of 6 logs; your chance 33%<")
    );
    assert!(
        c.svg
            .contains(">Pain rose after 1 of 1 log; your chance 90%<")
    );
    // A long name is wrapped onto lines of its own, never cut.
    assert!(!c.svg.contains('…'), "no name is cut");
    let shown: Vec<&str> = c
        .svg
        .split(r#"font-weight="600" fill=""#)
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(
        shown[1..].join(" "),
        "A very long position name that will not fit on a phone"
    );
    assert!(
        shown.len() > 2,
        "the long name takes more than one line: {shown:?}"
    );
    assert_eq!(
        c.svg.matches(&format!(r#"stroke="{PRIOR}""#)).count(),
        3,
        "a tick per row and in the legend"
    );
    assert!(
        c.summary.contains(
            "Spooning: pain rose after 2 of 6 logs; your chance 33% (likely 13% to 58%), \
             expected from the posture 20%."
        ),
        "{}",
        c.summary
    );
    assert!(
        c.summary
            .contains("A very long position name that will not fit on a phone:")
    );
    let rows = table_rows_positions(&bars);
    assert_eq!(
        rows[0],
        (
            "Spooning".to_owned(),
            "2 of 6 logs".to_owned(),
            "33% (likely 13% to 58%)".to_owned(),
            "20%".to_owned()
        )
    );
}

#[test]
fn out_of_range_chances_are_clamped() {
    let b = PositionBar {
        label: "x".to_owned(),
        logs: 0,
        flares: 0,
        estimate: f64::NAN,
        low: 1.5,
        high: -0.2,
        prior: 2.0,
    };
    let c = position_outcomes("c", &[b]);
    self_contained(&c.svg);
    assert!(
        c.summary
            .contains("your chance 0% (likely 0% to 100%), expected from the posture 100%")
    );
    assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"));
}

#[test]
fn table_rows_list_each_day_with_pain_or_a_mark() {
    let d = date!(2026 - 10 - 01);
    let points = pts(&[(d, 4.0), (d + Duration::days(2), 6.5)]);
    let marks = [
        Mark {
            date: d + Duration::days(1),
            kind: MarkKind::Exercise,
        },
        Mark {
            date: d + Duration::days(2),
            kind: MarkKind::Exercise,
        },
        Mark {
            date: d + Duration::days(2),
            kind: MarkKind::Intimacy { flared: true },
        },
    ];
    let rows = table_rows_pain(&points, &marks);
    let row = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        rows,
        [
            row("2026-10-01", "4", ""),
            row("2026-10-02", "not logged", "exercise"),
            row("2026-10-03", "6.5", "intimacy (pain rose after), exercise"),
        ]
    );
}

#[test]
fn ids_start_with_a_letter() {
    assert_eq!(ident("9 lives"), "chart-9-lives");
}
