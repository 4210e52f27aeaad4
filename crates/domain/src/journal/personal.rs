//! The couple's plan re-ranked by what the person's own journal shows, never against safety.
//!
//! [`personalise`] keeps everything the plan decided about safety and changes only the order
//! of its positions, with a note on each position the person has logged:
//!
//! - **Triage stays first.** When red flags withhold advice, there are no positions to rank
//!   and none are added; the triage, tips and notices are the plan's own.
//! - **Verdicts never change.** Positions are ranked in groups: first by a *tier*, which
//!   starts as the plan's verdict for the couple.
//! - **Bad news moves a position down freely.** With [`MIN_POSITION_LOGS`] logs or more, a
//!   position whose estimated flare-up rate looks like a worse verdict's (at or above 0.25,
//!   between the recommended and caution priors; at or above 0.475, between caution and
//!   avoid) drops to that tier.
//! - **Good news moves a position up only a little, and only when nothing else stands in the
//!   way.** It needs at least [`PROMOTION_MIN_LOGS`] logs; today's verdict for the person must
//!   be the usual-day verdict the logs were measured against (no high-pain day, no time of
//!   day, making it stricter today); no condition may have changed that verdict (a hip
//!   replacement or recent surgery is about healing, which pain logs cannot show); and the
//!   partner's verdict must allow the new tier (the journal says nothing about the partner's
//!   back). Then a `caution` position whose estimated rate is at most the recommended prior
//!   (0.15) joins the recommended tier; an `avoid` position whose posterior puts 95% or more
//!   below the caution prior (0.35) joins the caution tier. **An `avoid` position never ranks
//!   above a `recommended` one.**
//! - **Within a tier**, the plan's rule for the alternative to intercourse is kept (after the
//!   others, or first on a day for gentleness); then positions whose logs went better than
//!   the model expected (posterior odds of 3 to 1 that the rate is below the prior) come first,
//!   lowest estimated rate first; then those without enough logs, or with logs close to what
//!   was expected, in the plan's order; then those whose logs went worse (odds of 3 to 1
//!   above). Ties keep the plan's order, so the ranking is stable.

use super::insights::{Direction, Insights, MIN_POSITION_LOGS, Tolerance, prior_mean};
use crate::recommend::{Plan, PositionPlan};
use crate::triage::Triage;
use crate::vocab::Verdict;

/// Logs a position needs before good news can move it up a tier.
pub const PROMOTION_MIN_LOGS: usize = 6;
/// From this estimated flare-up rate, a position ranks with `caution` ones.
pub const CAUTION_LIKE: f64 = 0.25;
/// From this estimated flare-up rate, a position ranks with `avoid` ones.
pub const AVOID_LIKE: f64 = 0.475;
/// The posterior probability, below or above the model's expectation, with which logs count
/// as going better or worse than expected within a tier: 3 to 1.
pub const GROUP_ODDS: f64 = 0.75;
/// The posterior probability below the caution prior an `avoid` position needs to rank with
/// `caution` ones.
pub const AVOID_PROMOTION_PROBABILITY: f64 = 0.95;

/// The personal order: tier, the alternative's place, evidence group, promoted after native,
/// estimated rate in millionths.
type RankKey = (Verdict, bool, u8, bool, u64);

/// How personal evidence moved a position against the plan's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RankChange {
    /// Ranked with a better verdict's positions.
    Promoted,
    /// Ranked with its verdict's positions.
    Unchanged,
    /// Ranked with a worse verdict's positions.
    Demoted,
}

impl RankChange {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            RankChange::Promoted => "promoted",
            RankChange::Unchanged => "unchanged",
            RankChange::Demoted => "demoted",
        }
    }
}

/// One position in the personal plan.
#[derive(Debug, Clone)]
pub struct PersonalPosition<'p, 'k> {
    /// The plan's judgement of the position, unchanged.
    pub plan: &'p PositionPlan<'k>,
    /// Where the plan ranked it (0 is first).
    pub model_rank: usize,
    /// The verdict group it is ranked with.
    pub tier: Verdict,
    /// How personal evidence moved it.
    pub change: RankChange,
    /// What the person's logs with it show, if they have logged it.
    pub tolerance: Option<Tolerance>,
    /// Why it is where it is, for a position the person has logged.
    pub note: Option<String>,
}

/// The plan with its positions in the personal order.
#[derive(Debug, Clone)]
pub struct PersonalPlan<'p, 'k> {
    /// The plan: triage, tips and notices as it made them.
    pub plan: &'p Plan<'k>,
    /// The positions, best first for this person.
    pub positions: Vec<PersonalPosition<'p, 'k>>,
}

impl<'k> PersonalPlan<'_, 'k> {
    /// The red-flag triage, which comes before everything else.
    pub fn triage(&self) -> &Triage<'k> {
        &self.plan.triage
    }

    /// Whether the triage withholds all other advice.
    pub fn withholds_advice(&self) -> bool {
        self.plan.triage.level.withholds_advice()
    }
}

/// Whether the plan puts the alternative to intercourse first among positions of its verdict
/// (a day for gentleness) rather than last.
fn gentleness_first(plan: &Plan<'_>) -> bool {
    plan.positions.iter().enumerate().any(|(i, p)| {
        p.position.alternative
            && plan.positions[i + 1..]
                .iter()
                .any(|q| !q.position.alternative && q.verdict == p.verdict)
    })
}

const fn better(v: Verdict) -> Verdict {
    match v {
        Verdict::Avoid => Verdict::Caution,
        Verdict::Caution | Verdict::Recommended => Verdict::Recommended,
    }
}

/// The verdict whose prior an estimated flare-up rate resembles.
fn looks_like(rate: f64) -> Verdict {
    if rate >= AVOID_LIKE {
        Verdict::Avoid
    } else if rate >= CAUTION_LIKE {
        Verdict::Caution
    } else {
        Verdict::Recommended
    }
}

/// The tier a position is ranked in.
fn tier(p: &PositionPlan<'_>, t: Option<&Tolerance>) -> Verdict {
    let Some(t) = t.filter(|t| t.has_enough_logs()) else {
        return p.verdict;
    };
    let rate = t.posterior_mean();
    let demoted = p.verdict.max(looks_like(rate));
    if demoted > p.verdict {
        return demoted;
    }
    let target = better(p.verdict);
    let may_promote = target < p.verdict
        && t.logs >= PROMOTION_MIN_LOGS
        && p.you.verdict == t.verdict
        && p.you.condition_sources.is_empty()
        && p.partner.verdict <= target;
    let evidence = match p.verdict {
        // The same corrected claim the insights make, not a point estimate alone.
        Verdict::Caution => {
            rate <= prior_mean(Verdict::Recommended) && t.claim() == Some(Direction::LessPain)
        }
        Verdict::Avoid => {
            t.posterior.cdf(prior_mean(Verdict::Caution)) >= AVOID_PROMOTION_PROBABILITY
        }
        Verdict::Recommended => false,
    };
    if may_promote && evidence {
        target
    } else {
        p.verdict
    }
}

/// 0 when the logs went better than the model expected (by odds of [`GROUP_ODDS`]), 2 when
/// they went worse, 1 without enough logs or in between.
fn group(t: Option<&Tolerance>) -> u8 {
    match t.filter(|t| t.has_enough_logs()) {
        Some(t) if t.probability_below_prior() >= GROUP_ODDS => 0,
        Some(t) if 1.0 - t.probability_below_prior() >= GROUP_ODDS => 2,
        _ => 1,
    }
}

fn note(t: &Tolerance, change: RankChange, tier: Verdict, verdict: Verdict) -> String {
    let n = t.logs;
    if !t.has_enough_logs() {
        let more = MIN_POSITION_LOGS - n;
        return format!(
            "{} with this position so far; after {more} more, your own logs will count in its \
             ranking.",
            crate::words::count(n, "log", "logs")
        );
    }
    let last = if t.all_logs > n { "last " } else { "" };
    let mut s = if t.flares == 0 {
        format!("In your {last}{n} logs this position never raised your pain by 2 points or more.")
    } else if change == RankChange::Demoted || t.claim() == Some(Direction::MorePain) {
        format!(
            "Pain rose by 2 points or more in {} of your {last}{n} logs with this position: \
             consider the modifications or another position.",
            t.flares
        )
    } else {
        format!(
            "Pain rose by 2 points or more in {} of your {last}{n} logs with this position.",
            t.flares
        )
    };
    match change {
        RankChange::Promoted => s.push_str(&format!(
            " Your logs suggest it suits your back better than the posture model expected, so it \
             is ranked with the {tier} positions; the verdict ({verdict}) and its modifications \
             still apply."
        )),
        RankChange::Demoted => s.push_str(&format!(
            " Because of that it is ranked with the {tier} positions for you, below where its \
             verdict ({verdict}) alone would place it."
        )),
        RankChange::Unchanged => {}
    }
    s
}

/// Re-ranks `plan`'s positions by the person's own evidence in `insights`, keeping the plan's
/// safety decisions (see the module's rules). The insights must be about the person the plan
/// calls "you".
pub fn personalise<'p, 'k>(plan: &'p Plan<'k>, insights: &Insights<'_>) -> PersonalPlan<'p, 'k> {
    if plan.triage.level.withholds_advice() {
        return PersonalPlan {
            plan,
            positions: Vec::new(),
        };
    }
    let gentle = gentleness_first(plan);
    let mut positions: Vec<(PersonalPosition<'p, 'k>, RankKey)> = plan
        .positions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let tolerance = insights
                .position(&p.position.id)
                .and_then(|x| x.tolerance())
                .copied();
            let tier = tier(p, tolerance.as_ref());
            let change = match tier.cmp(&p.verdict) {
                std::cmp::Ordering::Less => RankChange::Promoted,
                std::cmp::Ordering::Equal => RankChange::Unchanged,
                std::cmp::Ordering::Greater => RankChange::Demoted,
            };
            let group = group(tolerance.as_ref());
            // Lowest estimated rate first within the better and worse groups, in millionths
            // so that the key is a whole number.
            let rate = match (group, tolerance) {
                (0 | 2, Some(t)) => (t.posterior_mean() * 1e6).round() as u64,
                _ => 0,
            };
            let key = (
                tier,
                p.position.alternative != gentle,
                group,
                change == RankChange::Promoted,
                rate,
            );
            let note = tolerance.map(|t| note(&t, change, tier, p.verdict));
            (
                PersonalPosition {
                    plan: p,
                    model_rank: i,
                    tier,
                    change,
                    tolerance,
                    note,
                },
                key,
            )
        })
        .collect();
    // Stable: equal keys keep the plan's order.
    positions.sort_by_key(|(_, key)| *key);
    PersonalPlan {
        plan,
        positions: positions.into_iter().map(|(p, _)| p).collect(),
    }
}
