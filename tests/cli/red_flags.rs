// --- new red flags ---------------------------------------------------------------------------

use super::*;

#[test]
fn each_new_symptom_has_its_level() {
    let sb = Sandbox::new();
    for (symptom, level) in [
        ("chest-pain", "emergency"),
        ("testicular-pain", "emergency"),
        ("penile-injury", "emergency"),
        ("heavy-rectal-bleeding", "emergency"),
        ("new-leg-weakness", "urgent"),
        ("rectal-bleeding-after-sex", "soon"),
    ] {
        let t = sb.json(&["check", "--symptom", symptom]);
        assert_eq!(t["level"], level, "{symptom}");
    }
    let t = sb.json(&[
        "check",
        "--symptom",
        "pelvic-pain",
        "--symptom",
        "bleeding-after-sex",
    ]);
    assert_eq!(t["level"], "urgent", "even without a declared pregnancy");
}
