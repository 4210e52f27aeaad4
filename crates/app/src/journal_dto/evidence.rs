//! The numbers behind an insight: the evidence of each kind as JSON, built from the
//! engine's results, and the same in one short line of words.

use serde::Serialize;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::journal::insights::{Correlation, Difference, PegTrend, Tolerance};
use spinewise_domain::journal::stats::Interval;
use spinewise_domain::words::{count, level_words};
use utoipa::ToSchema;

use super::round::{r3, round3, round4};

/// A two-sided interval.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct IntervalDto {
    /// The lower bound.
    pub lower: f64,
    /// The upper bound.
    pub upper: f64,
    /// Its level, such as 0.95.
    pub level: f64,
}

impl From<Interval> for IntervalDto {
    fn from(i: Interval) -> Self {
        IntervalDto {
            lower: r3(i.lower),
            upper: r3(i.upper),
            level: round4(i.level),
        }
    }
}

/// One group of a comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    /// How many values.
    pub n: usize,
    /// Their mean (`null` without values).
    pub mean: Option<f64>,
}

/// A score on a date.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct DatedScoreDto {
    /// The date.
    pub date: LocalDate,
    /// The score, 0 to 10.
    pub score: f64,
}

/// The numbers behind an insight; `type` says which.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EvidenceDto {
    /// A position's chance of a flare-up (pain rising by 2 points or more after a log).
    Tolerance {
        /// The posture model's verdict for the person's own back, which sets the prior.
        verdict: &'static str,
        /// The chance the model expected before any log.
        prior_mean: f64,
        /// The estimated chance after the counted logs (posterior mean).
        estimate: f64,
        /// The 90% credible interval of the chance.
        interval: IntervalDto,
        /// The credible interval at the corrected level, which decides a claim; `null` below
        /// 3 logs.
        decision: Option<IntervalDto>,
        /// Logs counted: the most recent ones with this position, up to 20.
        logs: usize,
        /// Every log with this position.
        all_logs: usize,
        /// Counted logs after which pain rose by 2 points or more.
        flares: usize,
        /// The most recent counted logs in a row without a flare-up.
        clean_streak: usize,
    },
    /// With against without: pain rise after intimacy, or the next day's pain for exercise.
    Difference {
        /// The values with (the step, the time of day, exercise the day before).
        with: GroupDto,
        /// The values without.
        without: GroupDto,
        /// Mean with minus mean without, once both groups have enough values.
        estimate: Option<f64>,
        /// Welch's 95% interval of the difference.
        interval95: Option<IntervalDto>,
        /// Welch's interval at the corrected level, which decides a claim.
        interval: Option<IntervalDto>,
    },
    /// A correlation with pain.
    Correlation {
        /// Pairs: days or weeks.
        n: usize,
        /// The effective number of independent pairs, allowing for day-to-day persistence.
        effective_n: f64,
        /// Pearson's r, once there are enough pairs and both sides vary.
        r: Option<f64>,
        /// Fisher's 95% interval.
        interval95: Option<IntervalDto>,
        /// Fisher's interval at the corrected level, which decides a claim.
        interval: Option<IntervalDto>,
    },
    /// The weekly PEG score's trend (the mean of three 0–10 answers).
    Peg {
        /// Answers so far.
        answers: usize,
        /// The first answer.
        first: Option<DatedScoreDto>,
        /// The latest answer.
        latest: Option<DatedScoreDto>,
        /// The answer from about four weeks before the latest, if any.
        four_weeks_before: Option<DatedScoreDto>,
        /// The latest score minus the first.
        change_from_first: Option<f64>,
        /// The latest score minus the one about four weeks before.
        change_from_four_weeks: Option<f64>,
        /// (mean of the last two − mean of the first two) / mean of the first two; −0.3 or
        /// less is a meaningful improvement.
        relative_change: Option<f64>,
    },
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn signed(x: f64) -> String {
    let s = format!("{x:.1}");
    match s.strip_prefix('-') {
        Some("0.0") => "0.0".to_owned(),
        Some(rest) => format!("\u{2212}{rest}"),
        None if s == "0.0" => s,
        None => format!("+{s}"),
    }
}

impl EvidenceDto {
    /// The evidence of an insight of `kind`, in one short line: see
    /// [`InsightDto::evidence_summary`](super::insights::InsightDto::evidence_summary).
    pub(super) fn summary(&self, kind: &str) -> String {
        let plural = |n: usize, word: &str| count(n, word, &format!("{word}s"));
        let two = |x: f64| format!("{x:.2}").replace('-', "\u{2212}");
        match self {
            EvidenceDto::Tolerance {
                prior_mean,
                estimate,
                interval,
                logs,
                all_logs,
                flares,
                ..
            } => {
                let counted = if all_logs > logs {
                    format!("the last {logs} of {all_logs} logs")
                } else {
                    plural(*logs, "log")
                };
                format!(
                    "A rise of 2 points or more after {flares} of {counted} · estimated chance \
                     {} ({}: {} to {}) · expected from the posture {}",
                    percent(*estimate),
                    level_words(interval.level),
                    percent(interval.lower),
                    percent(interval.upper),
                    percent(*prior_mean),
                )
            }
            EvidenceDto::Difference {
                with,
                without,
                estimate,
                interval95,
                ..
            } => {
                // Exercise compares the next day's pain; the others, how far pain rose.
                let (unit, what, value): (&str, &str, fn(f64) -> String) = if kind == "exercise" {
                    ("day", "pain the next day", |x| format!("{x:.1}"))
                } else {
                    ("log", "rise", signed)
                };
                let group = |g: &GroupDto| {
                    let mean = g
                        .mean
                        .map_or_else(String::new, |m| format!(", mean {what} {}", value(m)));
                    format!("{}{mean}", plural(g.n, unit))
                };
                let mut s = format!("With: {} · without: {}", group(with), group(without));
                if let (Some(e), Some(i)) = (estimate, interval95) {
                    s.push_str(&format!(
                        " · difference {} (95%: {} to {})",
                        signed(*e),
                        signed(i.lower),
                        signed(i.upper)
                    ));
                }
                s
            }
            EvidenceDto::Correlation {
                n,
                effective_n,
                r,
                interval95,
                ..
            } => {
                let unit = if kind == "frequency" { "week" } else { "day" };
                let mut s = format!("{} (about {effective_n:.0} independent)", plural(*n, unit));
                if let Some(r) = r {
                    s.push_str(&format!(" · r = {}", two(*r)));
                }
                if let Some(i) = interval95 {
                    s.push_str(&format!(" (95%: {} to {})", two(i.lower), two(i.upper)));
                }
                s
            }
            EvidenceDto::Peg {
                answers,
                latest,
                change_from_first,
                relative_change,
                ..
            } => {
                let mut s = plural(*answers, "answer");
                if let Some(l) = latest {
                    s.push_str(&format!(" · latest {:.1} on {}", l.score, l.date));
                }
                if let Some(c) = change_from_first {
                    s.push_str(&format!(" · {} from the first", signed(*c)));
                }
                if let Some(c) = relative_change {
                    let pct = format!("{:+.0}%", c * 100.0).replace('-', "\u{2212}");
                    s.push_str(&format!(" · last two against the first two {pct}"));
                }
                s
            }
        }
    }
}

pub(super) fn tolerance_dto(t: &Tolerance) -> EvidenceDto {
    EvidenceDto::Tolerance {
        verdict: t.verdict.as_str(),
        prior_mean: r3(t.prior_mean()),
        estimate: r3(t.posterior_mean()),
        interval: t.interval.into(),
        decision: t.decision.map(IntervalDto::from),
        logs: t.logs,
        all_logs: t.all_logs,
        flares: t.flares,
        clean_streak: t.clean_streak,
    }
}

pub(super) fn difference_dto(d: &Difference) -> EvidenceDto {
    let group = |s: &spinewise_domain::journal::stats::Sample| GroupDto {
        n: s.n,
        mean: if s.n == 0 { None } else { round3(s.mean) },
    };
    EvidenceDto::Difference {
        with: group(&d.with),
        without: group(&d.without),
        estimate: d.estimate.and_then(round3),
        interval95: d.interval95.map(IntervalDto::from),
        interval: d.interval.map(IntervalDto::from),
    }
}

pub(super) fn correlation_dto(c: &Correlation) -> EvidenceDto {
    EvidenceDto::Correlation {
        n: c.n,
        effective_n: r3(c.effective_n),
        r: c.r.and_then(round3),
        interval95: c.interval95.map(IntervalDto::from),
        interval: c.interval.map(IntervalDto::from),
    }
}

pub(super) fn peg_dto(p: &PegTrend) -> EvidenceDto {
    let dated = |x: Option<(LocalDate, f64)>| {
        x.map(|(date, score)| DatedScoreDto {
            date,
            score: r3(score),
        })
    };
    EvidenceDto::Peg {
        answers: p.answers,
        first: dated(p.first),
        latest: dated(p.latest),
        four_weeks_before: dated(p.four_weeks_before),
        change_from_first: p.change_from_first().and_then(round3),
        change_from_four_weeks: p.change_from_four_weeks().and_then(round3),
        relative_change: p.relative_change.and_then(round3),
    }
}
