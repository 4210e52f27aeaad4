//! The FAQ finds the answer to the questions the seed articles answer, asked in a person's own
//! words, and finds nothing for words it has no answer to.

use spinewise_domain::Knowledge;

fn top(query: &str) -> Option<&'static str> {
    Knowledge::bundled()
        .expect("the bundled knowledge base is valid")
        .search_faq(query)
        .first()
        .map(|(e, _)| e.id.as_str())
}

#[test]
fn the_seed_questions_find_their_answers_first() {
    for (query, expected) in [
        ("is sex with back pain dangerous?", "is-it-dangerous"),
        ("Is it safe to have sex with a bad back", "is-it-dangerous"),
        ("will surgery help my sex life?", "surgery"),
        ("does an operation improve intercourse", "surgery"),
        (
            "why does my back hurt after sex?",
            "why-back-hurts-after-sex",
        ),
        (
            "lower back ache after intercourse",
            "why-back-hurts-after-sex",
        ),
        ("which positions should I avoid", "positions-to-avoid"),
        (
            "do endorphins and oxytocin relieve pain",
            "sex-relieves-pain",
        ),
        ("bleeding after sex", "bleeding-after-sex"),
        ("ice or heat", "heat-or-ice"),
        ("can I take ibuprofen before", "pain-relief-before-sex"),
        (
            "does it work the same for everyone",
            "individual-differences",
        ),
        ("same-sex couples", "roles-and-couples"),
    ] {
        assert_eq!(top(query), Some(expected), "{query}");
    }
}

#[test]
fn results_are_ranked_by_relevance() {
    let k = Knowledge::bundled().expect("valid");
    let hits = k.search_faq("surgery sex life");
    assert!(hits.len() > 1);
    for pair in hits.windows(2) {
        assert!(pair[0].1 >= pair[1].1);
    }
}

#[test]
fn words_with_no_answer_find_nothing() {
    let k = Knowledge::bundled().expect("valid");
    assert!(k.search_faq("quantum chromodynamics").is_empty());
    assert!(k.search_faq("   ").is_empty());
    assert!(
        k.search_faq("the and of").is_empty(),
        "common words alone match nothing"
    );
}
