// --- recommend -------------------------------------------------------------------------------

use super::*;

const VERDICTS: [&str; 3] = ["recommended", "caution", "avoid"];

#[test]
fn text_plan_describes_the_couple_and_ranks_the_positions() {
    let sb = Sandbox::new();
    let run = sb.run(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);
    run.ok();
    let out = &run.stdout;
    assert!(out.starts_with("Your plan"), "{out}");
    assert!(out.contains("You: flexion-intolerant, receptive"), "{out}");
    assert!(out.contains("Partner: no back pain, insertive"), "{out}");
    assert!(out.contains("Positions, best first"), "{out}");
    // The women's study ranked kneeling from behind (on the hands) first for a
    // flexion-intolerant back, side-lying second.
    assert!(
        out.contains(" 1. Kneeling from behind (hands and knees): RECOMMENDED"),
        "{out}"
    );
    assert!(
        out.contains(" 2. Spooning (side-lying): RECOMMENDED"),
        "{out}"
    );
    assert!(
        out.contains("Basis: Posture filmed with motion capture"),
        "the plan labels measured positions: {out}"
    );
    assert!(
        out.contains("Basis: Posture not measured in a study"),
        "the plan labels reasoned positions: {out}"
    );
    assert!(out.contains("AVOID"), "{out}");
    assert!(out.contains("does not replace an examination"), "{out}");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        !sb.data_dir().exists(),
        "recommend does not create the data directory"
    );
}

#[test]
fn json_follows_the_documented_contract() {
    let sb = Sandbox::new();
    let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);

    let positions = as_array(&plan["positions"], "positions");
    assert_eq!(positions.len(), 13, "every position is ranked");
    for p in positions {
        assert!(!as_str(&p["id"], "id").is_empty());
        assert!(!as_str(&p["name"], "name").is_empty());
        let verdict = as_str(&p["verdict"], "verdict");
        assert!(VERDICTS.contains(&verdict), "unknown verdict {verdict}");
        assert!(!strings(&p["reasons"], "reasons").is_empty(), "{p}");
        for m in as_array(&p["modifications"], "modifications") {
            as_str(&m["id"], "modification id");
            as_str(&m["how"], "modification how");
        }
        assert!(
            !strings(&p["sources"], "position sources").is_empty(),
            "{p}"
        );
    }

    let tips = plan["tips"].as_object().expect("tips is an object");
    for phase in ["before", "during", "after"] {
        let list = as_array(&tips[phase], phase);
        assert!(!list.is_empty(), "no tips for {phase}");
        for t in list {
            as_str(&t["id"], "tip id");
            assert!(!as_str(&t["text"], "tip text").is_empty());
            strings(&t["sources"], "tip sources");
        }
    }

    assert_triage_contract(&plan["triage"]);
    assert_eq!(plan["triage"]["level"], "none");
    assert_eq!(plan["triage"]["findings"], json!([]));

    for n in as_array(&plan["notices"], "notices") {
        as_str(&n["id"], "notice id");
        as_str(&n["text"], "notice text");
        strings(&n["sources"], "notice sources");
    }
    assert!(as_str(&plan["disclaimer"], "disclaimer").contains("does not diagnose"));

    // Every source cited anywhere is listed in full once under "references".
    let references: Vec<String> = as_array(&plan["references"], "references")
        .iter()
        .map(|r| as_str(&r["id"], "reference id").to_owned())
        .collect();
    let mut cited: Vec<String> = Vec::new();
    for p in positions {
        cited.extend(strings(&p["sources"], "sources"));
    }
    for phase in ["before", "during", "after"] {
        for t in as_array(&tips[phase], phase) {
            cited.extend(strings(&t["sources"], "sources"));
        }
    }
    for id in &cited {
        assert!(references.contains(id), "{id} is cited but not referenced");
    }
    let mut unique = references.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), references.len(), "references are listed once");
}

#[test]
fn json_flag_is_accepted_before_the_subcommand() {
    let sb = Sandbox::new();
    let args = ["recommend", "--pain-type", "motion", "--role", "insertive"];
    let after = sb.json(&args);
    let mut before = vec!["--json"];
    before.extend(args);
    assert_eq!(sb.run(&before).json(), after);
}

#[test]
fn an_emergency_symptom_withholds_every_position() {
    let sb = Sandbox::new();
    let plan = sb.json(&[
        "recommend",
        "--pain-type",
        "flexion",
        "--role",
        "receptive",
        "--symptom",
        "saddle-numbness",
    ]);
    assert_eq!(plan["positions"], json!([]));
    assert_eq!(plan["triage"]["level"], "emergency");
    assert_eq!(plan["triage"]["findings"][0]["symptom"], "saddle-numbness");
    assert!(tip_ids(&plan).is_empty(), "{}", plan["tips"]);
}

#[test]
fn kidney_disease_replaces_the_pain_reliever_with_asking_a_pharmacist() {
    let sb = Sandbox::new();
    let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
    let plain = tip_ids(&sb.json(&base));
    assert!(plain.contains(&"pain-reliever".to_owned()), "{plain:?}");
    assert!(!plain.contains(&"ask-pharmacist".to_owned()), "{plain:?}");

    let mut args = base.to_vec();
    args.extend(["--condition", "kidney-disease"]);
    let plan = sb.json(&args);
    let tips = tip_ids(&plan);
    assert!(!tips.contains(&"pain-reliever".to_owned()), "{tips:?}");
    assert!(tips.contains(&"ask-pharmacist".to_owned()), "{tips:?}");
    let ask = as_array(&plan["tips"]["before"], "before")
        .iter()
        .find(|t| t["id"] == "ask-pharmacist")
        .expect("ask-pharmacist comes before");
    assert_eq!(ask["replaces"], "pain-reliever");
}

#[test]
fn recent_spine_surgery_puts_the_surgeon_first_and_recommends_nothing() {
    let sb = Sandbox::new();
    let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
    let plain = verdicts(&sb.json(&base));
    assert!(plain.iter().any(|(_, v)| v == "recommended"));

    let mut args = base.to_vec();
    args.extend(["--condition", "recent-spine-surgery"]);
    let plan = sb.json(&args);
    assert_eq!(
        notice_ids(&plan).first().map(String::as_str),
        Some("surgeon-first")
    );
    let list = verdicts(&plan);
    assert_eq!(list.len(), plain.len());
    assert!(
        list.iter().all(|(_, v)| v != "recommended"),
        "nothing is recommended after surgery: {list:?}"
    );
}

#[test]
fn a_high_pain_day_puts_non_penetrative_first() {
    let sb = Sandbox::new();
    let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
    let plain = verdicts(&sb.json(&base));
    assert_ne!(plain[0].0, "non-penetrative", "the test needs a contrast");

    let mut args = base.to_vec();
    args.extend(["--pain-now", "8"]);
    let plan = sb.json(&args);
    assert_eq!(plan["positions"][0]["id"], "non-penetrative");
    assert_eq!(plan["couple"]["you"]["pain_now"], 8);
}

#[test]
fn the_couple_can_be_described_from_either_side() {
    let sb = Sandbox::new();
    // (your pain type, your role, your condition, partner's pain type, partner's condition)
    let couples = [
        ("flexion", "receptive", None, "none", None),
        (
            "extension",
            "insertive",
            Some("disc-problem"),
            "motion",
            None,
        ),
        (
            "flexion",
            "receptive",
            Some("disc-problem"),
            "extension",
            Some("kidney-disease"),
        ),
        (
            "motion",
            "receptive",
            None,
            "unclear",
            Some("hip-replacement"),
        ),
        ("unclear", "insertive", Some("pregnancy"), "flexion", None),
    ];
    for (pain, role, condition, partner_pain, partner_condition) in couples {
        let other = if role == "receptive" {
            "insertive"
        } else {
            "receptive"
        };
        let mut mine = vec![
            "recommend",
            "--pain-type",
            pain,
            "--role",
            role,
            "--partner-pain-type",
            partner_pain,
            "--pain-now",
            "6",
        ];
        let mut theirs = vec![
            "recommend",
            "--pain-type",
            partner_pain,
            "--role",
            other,
            "--partner-pain-type",
            pain,
            "--partner-pain-now",
            "6",
        ];
        if let Some(c) = condition {
            mine.extend(["--condition", c]);
            theirs.extend(["--partner-condition", c]);
        }
        if let Some(c) = partner_condition {
            mine.extend(["--partner-condition", c]);
            theirs.extend(["--condition", c]);
        }
        let a = sb.json(&mine);
        let b = sb.json(&theirs);
        assert_eq!(
            verdicts(&a),
            verdicts(&b),
            "the same couple described from either side: {mine:?} / {theirs:?}"
        );
        assert_eq!(a["couple"]["you"], b["couple"]["partner"]);
    }
}

#[test]
fn arguments_override_the_saved_profile_and_no_profile_ignores_it() {
    let sb = Sandbox::new();
    sb.run(&[
        "profile",
        "set",
        "--pain-type",
        "extension",
        "--role",
        "insertive",
        "--condition",
        "disc-problem",
    ])
    .ok();

    let plan = sb.json(&["recommend"]);
    assert_eq!(plan["couple"]["you"]["pain_type"], "extension");
    assert_eq!(plan["couple"]["you"]["role"], "insertive");
    assert_eq!(plan["couple"]["you"]["conditions"], json!(["disc-problem"]));

    let plan = sb.json(&["recommend", "--pain-type", "flexion"]);
    assert_eq!(plan["couple"]["you"]["pain_type"], "flexion");
    assert_eq!(
        plan["couple"]["you"]["role"], "insertive",
        "from the profile"
    );
    assert_eq!(plan["couple"]["partner"]["role"], "receptive");

    sb.run(&["recommend", "--no-profile"])
        .usage_error(&["no pain type given", "--pain-type"]);
}

#[test]
fn snapshot_flexion_receptive() {
    let sb = Sandbox::new();
    let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);
    insta::assert_json_snapshot!("recommend_flexion_receptive", plan);
}

#[test]
fn snapshot_extension_insertive_with_partner_motion() {
    let sb = Sandbox::new();
    let plan = sb.json(&[
        "recommend",
        "--pain-type",
        "extension",
        "--role",
        "insertive",
        "--partner-pain-type",
        "motion",
    ]);
    insta::assert_json_snapshot!("recommend_extension_insertive_partner_motion", plan);
}

#[test]
fn snapshot_unclear_receptive_painful_morning_disc_problem() {
    let sb = Sandbox::new();
    let plan = sb.json(&[
        "recommend",
        "--pain-type",
        "unclear",
        "--role",
        "receptive",
        "--pain-now",
        "7",
        "--time",
        "morning",
        "--condition",
        "disc-problem",
    ]);
    insta::assert_json_snapshot!("recommend_unclear_receptive_pain7_morning_disc", plan);
}

#[test]
fn snapshot_night_pain() {
    let sb = Sandbox::new();
    let plan = sb.json(&[
        "recommend",
        "--pain-type",
        "flexion",
        "--role",
        "receptive",
        "--symptom",
        "night-pain",
    ]);
    insta::assert_json_snapshot!("recommend_symptom_night_pain", plan);
}

// Errors.

fn flexion_receptive_and(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec!["recommend", "--pain-type", "flexion", "--role", "receptive"];
    args.extend(extra);
    args
}

#[test]
fn an_unknown_pain_type_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&[
        "recommend",
        "--pain-type",
        "sideways",
        "--role",
        "receptive",
    ])
    .usage_error(&["'sideways'", "flexion, extension, motion, none, unclear"]);
    sb.run(&flexion_receptive_and(&["--partner-pain-type", "wobbly"]))
        .usage_error(&["'wobbly'", "flexion, extension, motion, none, unclear"]);
}

#[test]
fn an_unknown_role_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&["recommend", "--pain-type", "flexion", "--role", "bottom"])
        .usage_error(&["'bottom'", "receptive, insertive"]);
}

#[test]
fn an_unknown_partner_role_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--partner-role", "top"]))
        .usage_error(&["'top'", "--partner-role", "receptive, insertive"]);
}

#[test]
fn an_unknown_time_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--time", "noon"]))
        .usage_error(&["'noon'", "morning, afternoon, evening, night"]);
}

#[test]
fn an_unknown_condition_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--condition", "gout"]))
        .usage_error(&["'gout'", "--condition", "disc-problem", "kidney-disease"]);
    sb.run(&flexion_receptive_and(&["--partner-condition", "gout"]))
        .usage_error(&[
            "'gout'",
            "--partner-condition",
            "disc-problem",
            "recent-spine-surgery",
        ]);
}

#[test]
fn an_unknown_symptom_is_named_with_the_allowed_ones() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--symptom", "sneezing"]))
        .usage_error(&["'sneezing'", "saddle-numbness", "night-pain"]);
}

#[test]
fn pain_now_must_be_a_whole_number_from_0_to_10() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--pain-now", "11"]))
        .usage_error(&["'11'", "--pain-now", "0 to 10"]);
    sb.run(&flexion_receptive_and(&["--pain-now", "3.5"]))
        .usage_error(&["'3.5'", "--pain-now", "0 to 10"]);
    sb.run(&flexion_receptive_and(&["--partner-pain-now", "12"]))
        .usage_error(&["'12'", "--partner-pain-now", "0 to 10"]);
    sb.run(&flexion_receptive_and(&["--pain-now", "-1"]))
        .usage_error(&["'-1'", "--pain-now", "0 to 10"]);
    sb.run(&flexion_receptive_and(&["--pain-now=-1"]))
        .usage_error(&["'-1'", "--pain-now", "0 to 10"]);
}

#[test]
fn both_partners_cannot_take_the_same_role() {
    let sb = Sandbox::new();
    sb.run(&flexion_receptive_and(&["--partner-role", "receptive"]))
        .usage_error(&["receptive", "both"]);
    sb.run(&[
        "recommend",
        "--pain-type",
        "flexion",
        "--role",
        "insertive",
        "--partner-role",
        "insertive",
    ])
    .usage_error(&["insertive", "both", "'switch'"]);
}

#[test]
fn a_couple_that_switches_is_judged_both_ways_round() {
    let sb = Sandbox::new();
    let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "switch"]);
    assert_eq!(plan["couple"]["you"]["role"], "switch");
    assert_eq!(plan["couple"]["partner"]["role"], "switch");
    assert_eq!(plan["couple"]["switching"], true);
    let spooning = as_array(&plan["positions"], "positions")
        .iter()
        .find(|p| p["id"] == "spooning")
        .expect("spooning")
        .clone();
    // Side-lying suits a receptive flexion-intolerant back, not an insertive one: taking
    // turns, the back keeps the more cautious verdict and says in which role.
    assert_eq!(spooning["verdict"], "avoid");
    assert_eq!(spooning["partners"]["you"]["role"], "insertive");
    assert!(
        strings(&spooning["reasons"], "reasons")
            .iter()
            .any(|r| r.contains("as the insertive partner"))
    );
    let text = sb.run(&["recommend", "--pain-type", "flexion", "--role", "switch"]);
    text.ok();
    assert!(
        text.stdout.contains("switch (partners who take turns"),
        "{}",
        text.stdout
    );
}

#[test]
fn the_help_defines_the_roles_by_what_each_partner_does() {
    let sb = Sandbox::new();
    let help = sb.run(&["recommend", "--help"]);
    help.ok();
    for words in [
        "the partner who is penetrated",
        "the partner who penetrates",
        "switch",
    ] {
        assert!(help.stdout.contains(words), "{words}: {}", help.stdout);
    }
}

/// The help is written by hand; the numbers it gives for the week of a pregnancy are the
/// safety policy's and the content's.
#[test]
fn the_help_gives_the_policys_weeks_of_pregnancy() {
    let k = spinewise_domain::Knowledge::bundled().expect("the bundled knowledge base");
    let from_week = k
        .condition("pregnancy")
        .expect("pregnancy")
        .restrictions
        .iter()
        .find_map(|r| match r {
            spinewise_domain::knowledge::ConditionRestriction::FromWeek { from_week, .. } => {
                Some(*from_week)
            }
            spinewise_domain::knowledge::ConditionRestriction::Always(_) => None,
        })
        .expect("a restriction from a week");
    let sb = Sandbox::new();
    for command in ["recommend", "program"] {
        let help = sb.run(&[command, "--help"]);
        help.ok();
        let text = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        for words in [
            format!("0 to {}", spinewise_domain::safety::MAX_PREGNANCY_WEEKS),
            format!("possibly past {from_week} weeks"),
        ] {
            assert!(text.contains(&words), "{command}: {words}: {text}");
        }
    }
}

#[test]
fn new_conditions_change_the_plan() {
    let sb = Sandbox::new();
    let plan = sb.json(&flexion_receptive_and(&["--condition", "osteoporosis"]));
    let missionary = as_array(&plan["positions"], "positions")
        .iter()
        .find(|p| p["id"] == "missionary")
        .expect("missionary")
        .clone();
    assert!(
        strings(&missionary["reasons"], "reasons")
            .iter()
            .any(|r| r.contains("thin bones"))
    );
    let plan = sb.json(&[
        "recommend",
        "--pain-type",
        "none",
        "--role",
        "receptive",
        "--condition",
        "pregnancy",
        "--pregnancy-weeks",
        "12",
    ]);
    let verdict = |id: &str| {
        as_array(&plan["positions"], "positions")
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["verdict"].clone())
            .expect("the position")
    };
    assert_eq!(verdict("prone-flat"), "avoid");
    assert_eq!(verdict("missionary"), "recommended", "before week 20");
    assert_eq!(plan["couple"]["you"]["pregnancy_weeks"], 12);
    sb.run(&flexion_receptive_and(&["--pregnancy-weeks", "50"]))
        .usage_error(&["'50'", "0 to 45"]);
}

#[test]
fn without_a_pain_type_or_a_profile_the_pain_types_are_listed() {
    let sb = Sandbox::new();
    sb.run(&["recommend"]).usage_error(&[
        "no pain type given",
        "--pain-type",
        "flexion, extension, motion, none, unclear",
    ]);
    sb.run(&["recommend", "--role", "receptive"])
        .usage_error(&["no pain type given"]);
}

#[test]
fn with_a_pain_type_but_no_role_or_profile_the_roles_are_listed() {
    let sb = Sandbox::new();
    sb.run(&["recommend", "--pain-type", "flexion"])
        .usage_error(&["no role given", "--role", "receptive, insertive, switch"]);
}
