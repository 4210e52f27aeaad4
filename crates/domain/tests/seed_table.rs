//! The posture model reproduces every cell of the seed article's position table: for a person
//! of that role and pain type whose partner has no back pain, "safe" comes out `recommended`
//! and "unsafe" comes out `avoid`.

use std::collections::BTreeMap;

use serde::Deserialize;
use spinewise_domain::Knowledge;
use spinewise_domain::recommend::{PersonInput, PlanRequest, recommend};
use spinewise_domain::vocab::{PainType, Role, Verdict};

const TABLE: &str = include_str!("../../../tests/fixtures/seed-position-table.toml");

type Cells = BTreeMap<Role, BTreeMap<PainType, Vec<String>>>;

#[derive(Deserialize)]
struct SeedTable {
    positions: BTreeMap<String, String>,
    safe: Cells,
    #[serde(rename = "unsafe")]
    not_safe: Cells,
}

fn table() -> SeedTable {
    toml::from_str(TABLE).expect("the seed table parses")
}

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn verdict(role: Role, pain_type: PainType, position: &str) -> Verdict {
    let plan = recommend(
        knowledge(),
        &PlanRequest::new(PersonInput::new(pain_type, role)),
    )
    .expect("a plan");
    plan.positions
        .iter()
        .find(|p| p.position.id == position)
        .unwrap_or_else(|| panic!("position {position} is in the plan"))
        .verdict
}

#[test]
fn every_position_of_the_table_exists_with_its_canonical_id() {
    for id in table().positions.keys() {
        assert!(knowledge().position(id).is_ok(), "position {id} is missing");
    }
}

#[test]
fn every_cell_of_the_table_is_reproduced() {
    let table = table();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (cells, expected) in [
        (&table.safe, Verdict::Recommended),
        (&table.not_safe, Verdict::Avoid),
    ] {
        for (role, by_type) in cells {
            for (pain_type, positions) in by_type {
                for position in positions {
                    checked += 1;
                    let got = verdict(*role, *pain_type, position);
                    if got != expected {
                        wrong.push(format!(
                            "{role} {pain_type} {position}: expected {expected}, got {got}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "cells not reproduced:\n{}",
        wrong.join("\n")
    );
    // Safe: 2 + 1 + 1 receptive, 3 + 2 + 2 insertive; unsafe: 1 + 2 + 2 and 1 + 1 + 0.
    assert_eq!(checked, 18, "every cell of the table was checked");
}

#[test]
fn the_table_describes_the_couple_from_either_side() {
    // The same cells, asked by the partner without back pain, give the same verdicts.
    let table = table();
    for (cells, expected) in [
        (&table.safe, Verdict::Recommended),
        (&table.not_safe, Verdict::Avoid),
    ] {
        for (role, by_type) in cells {
            for (pain_type, positions) in by_type {
                let mut request = PlanRequest::new(PersonInput::new(PainType::None, role.other()));
                request.partner = PersonInput::new(*pain_type, *role);
                let plan = recommend(knowledge(), &request).expect("a plan");
                for position in positions {
                    let got = plan
                        .positions
                        .iter()
                        .find(|p| &p.position.id == position)
                        .map(|p| p.verdict);
                    assert_eq!(
                        got,
                        Some(expected),
                        "{role} {pain_type} {position}, asked by the partner"
                    );
                }
            }
        }
    }
}
