//! How long the journal's insights take on a long journal: ten years of daily check-ins,
//! weekly PEG answers, exercise and intimacy logs from the demo generator (about 6,300
//! entries, 1,000 of them intimacy logs), against one year; the personal re-ranking of a
//! plan; building the journal view (sorting the entries); and generating the ten years.
//! `cargo bench -p spinewise-domain --bench journal`.

use divan::{Bencher, black_box};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::demo::{demo_journal, demo_profile};
use spinewise_domain::journal::insights::insights;
use spinewise_domain::journal::personal::personalise;
use spinewise_domain::journal::{Entry, Journal, LocalDate};
use spinewise_domain::recommend::{PlanRequest, recommend};

fn main() {
    divan::main();
}

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn today() -> LocalDate {
    "2025-06-30".parse().expect("a date")
}

fn entries(years: u32) -> Vec<Entry> {
    demo_journal(knowledge(), today(), years * 365, 7)
}

#[divan::bench(args = [1, 10])]
fn insights_over_years(bencher: Bencher, years: u32) {
    let k = knowledge();
    let journal = Journal::new(entries(years));
    let profile = demo_profile();
    bencher.bench(|| {
        insights(k, black_box(&journal), &profile, today())
            .expect("insights")
            .claims()
            .count()
    });
}

#[divan::bench]
fn journal_from_ten_years_of_entries(bencher: Bencher) {
    let all = entries(10);
    bencher
        .with_inputs(|| all.clone())
        .bench_values(|e| Journal::new(black_box(e)).len());
}

#[divan::bench]
fn personal_plan_after_ten_years(bencher: Bencher) {
    let k = knowledge();
    let journal = Journal::new(entries(10));
    let profile = demo_profile();
    let found = insights(k, &journal, &profile, today()).expect("insights");
    let plan = recommend(k, &PlanRequest::new(profile)).expect("a plan");
    bencher.bench(|| {
        personalise(black_box(&plan), black_box(&found))
            .positions
            .len()
    });
}

#[divan::bench]
fn demo_ten_years(bencher: Bencher) {
    let k = knowledge();
    bencher.bench(|| demo_journal(k, black_box(today()), 3650, 7).len());
}
