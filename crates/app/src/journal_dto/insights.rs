//! The insights as JSON: `GET /api/v1/journal/insights` and `spinewise journal insights
//! --json`, each insight with its status, statement, evidence and explanation.

use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::journal::insights::{Evidence, Insight, Insights, Status, Unit};
use spinewise_domain::knowledge::InsightText;
use utoipa::ToSchema;

use super::cited::Cited;
use super::evidence::{EvidenceDto, correlation_dto, difference_dto, peg_dto, tolerance_dto};
use super::flares::{FlareDto, flare_dto};
use super::person::Person;
use super::round::round4;
use crate::dto::{PersonDto, SourceDto};

/// What the journal says about the person's back: `GET /api/v1/journal/insights` and
/// `spinewise journal insights --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InsightsDto {
    /// The day the insights were worked out for; entries dated after it are left out.
    pub today: LocalDate,
    /// These are the person's own data, not medical advice.
    pub disclaimer: String,
    /// The pain type, role and conditions the posture model's expectations are for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonDto>,
    /// `true` when no saved profile gives a pain type or a role and the insights assume pain
    /// type `unclear` and role `receptive` (see `profile_note`).
    pub profile_assumed: bool,
    /// What was assumed and why it matters, when `profile_assumed` is `true`.
    pub profile_note: Option<String>,
    /// How many comparisons this report makes (each position with enough logs, each
    /// preparation step and time of day with enough logs in both groups, frequency, each
    /// daily factor and exercise once they have enough data).
    pub comparisons: usize,
    /// The level of each interval that decides a claim: 1 − 0.05 / `comparisons`
    /// (Bonferroni). Sharing a 5% chance of error among all the comparisons keeps the chance
    /// that the whole report makes any false claim at about 5%, instead of 5% for each one;
    /// the price is wider intervals, so a claim needs clearer data. Rounded to 4 decimals.
    pub level: f64,
    /// Copies of the insights below that claim something, in the same order, so that a
    /// reader sees at a glance what the data show.
    pub claims: Vec<InsightDto>,
    /// One per position the person has logged, in the knowledge base's order.
    pub positions: Vec<InsightDto>,
    /// One per preparation step.
    pub preparation: Vec<InsightDto>,
    /// One per time of day.
    pub time_of_day: Vec<InsightDto>,
    /// Intimacy per week against pain over the following days.
    pub frequency: InsightDto,
    /// Sleep hours, sleep quality, mood and stress against the day's pain.
    pub daily: Vec<InsightDto>,
    /// Days with and without exercise, by the next day's pain.
    pub exercise: InsightDto,
    /// The weekly PEG score's trend.
    pub peg: InsightDto,
    /// Flare-ups found: an ongoing one first, then the most recent first.
    pub flares: Vec<FlareDto>,
    /// How flare-ups are found.
    pub flares_about: AboutDto,
    /// Full citations of every source cited above.
    pub references: Vec<SourceDto>,
}

/// One insight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsightDto {
    /// The kind: `position-tolerance`, `preparation`, `time-of-day`, `frequency`,
    /// `sleep-hours`, `sleep-quality`, `mood`, `stress`, `exercise` or `peg`.
    pub kind: &'static str,
    /// What it is about: a position id, a preparation step, a time of day, or the kind's own
    /// id.
    pub subject: String,
    /// What it is about, in words (a position's name).
    pub label: String,
    /// `claim`, `not-enough-data` or `no-clear-difference`.
    pub status: &'static str,
    /// For a claim: `less-pain` (with it, or with more of it, pain was lower or rose less)
    /// or `more-pain`; otherwise `null`.
    pub direction: Option<&'static str>,
    /// For `not-enough-data`: how much more is needed; otherwise `null`.
    pub needed: Option<NeededDto>,
    /// What it says, in plain, neutral words.
    pub statement: String,
    /// The numbers behind it.
    pub evidence: EvidenceDto,
    /// How it is worked out and what the research says.
    pub about: AboutDto,
}

/// How much more data an insight needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeededDto {
    /// At least this many more.
    pub more: usize,
    /// Of what: `logs` (intimacy logs), `days` (check-ins), `weeks` or `answers` (PEG).
    pub unit: &'static str,
}

/// The explanation behind a kind of insight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AboutDto {
    /// Its id in the knowledge base.
    pub id: String,
    /// A short title.
    pub title: String,
    /// How it is worked out and what the research says.
    pub text: String,
    /// Source ids (full citations in `references`).
    pub sources: Vec<String>,
}

fn about_dto(about: &InsightText, cited: &mut Cited) -> AboutDto {
    AboutDto {
        id: about.id.clone(),
        title: about.title.clone(),
        text: about.text.clone(),
        sources: cited.strings(&about.sources),
    }
}

/// The id of a unit in JSON.
pub const fn unit_id(unit: Unit) -> &'static str {
    match unit {
        Unit::Logs => "logs",
        Unit::Days => "days",
        Unit::Weeks => "weeks",
        Unit::Answers => "answers",
    }
}

fn insight_dto(i: &Insight<'_>, cited: &mut Cited) -> InsightDto {
    let (direction, needed) = match i.status {
        Status::Claim(d) => (Some(d.as_str()), None),
        Status::NotEnoughData { more, unit } => (
            None,
            Some(NeededDto {
                more,
                unit: unit_id(unit),
            }),
        ),
        Status::NoClearDifference => (None, None),
    };
    InsightDto {
        kind: i.kind.as_str(),
        subject: i.subject.clone(),
        label: i.label.clone(),
        status: i.status.as_str(),
        direction,
        needed,
        statement: i.statement.clone(),
        evidence: match &i.evidence {
            Evidence::Tolerance(t) => tolerance_dto(t),
            Evidence::Difference(d) => difference_dto(d),
            Evidence::Correlation(c) => correlation_dto(c),
            Evidence::Peg(p) => peg_dto(p),
        },
        about: about_dto(i.about, cited),
    }
}

impl InsightDto {
    /// What a clear finding says, in a few plain words ("Longer nights went with lower
    /// pain"); `None` when nothing is clear yet. The numbers stay in [`InsightDto::statement`]
    /// and the evidence.
    pub fn headline(&self) -> Option<String> {
        if self.status != "claim" {
            return None;
        }
        let less = self.direction == Some("less-pain");
        let pain = if less { "lower pain" } else { "higher pain" };
        Some(match self.kind {
            "position-tolerance" if less => format!("{} went better than expected", self.label),
            "position-tolerance" => {
                format!("{} raised your pain more often than expected", self.label)
            }
            "preparation" => format!("{}: {pain} when you did it", self.label),
            "time-of-day" => format!("{}: {pain} than at other times", self.label),
            "frequency" => format!("More frequent intimacy went with {pain}"),
            "sleep-hours" => format!("Longer nights went with {pain}"),
            "sleep-quality" => format!("Better sleep went with {pain}"),
            "mood" => format!("A better mood went with {pain}"),
            "stress" => format!("More stress went with {pain}"),
            "exercise" => format!("Exercise the day before went with {pain}"),
            "peg" if less => "Your weekly PEG score is getting better".to_owned(),
            "peg" => "Your weekly PEG score is getting worse".to_owned(),
            _ => format!("{}: {pain}", self.label),
        })
    }

    /// The evidence in one short line, for a page or a terminal: counts, the estimate and
    /// its 95% (or, for a position, 90%) range, parts separated by " · ".
    pub fn evidence_summary(&self) -> String {
        self.evidence.summary(self.kind)
    }

    /// Whether it claims something.
    pub fn is_claim(&self) -> bool {
        self.status == "claim"
    }

    /// Whether it needs more data.
    pub fn needs_more(&self) -> bool {
        self.needed.is_some()
    }
}

impl InsightsDto {
    /// The insights as JSON. The person is not known from [`Insights`]: add it with
    /// [`InsightsDto::for_person`].
    pub fn new(k: &Knowledge, insights: &Insights<'_>) -> InsightsDto {
        let mut cited = Cited::default();
        let mut list = |v: &[Insight<'_>]| -> Vec<InsightDto> {
            v.iter().map(|i| insight_dto(i, &mut cited)).collect()
        };
        let positions = list(&insights.positions);
        let preparation = list(&insights.preparation);
        let time_of_day = list(&insights.time_of_day);
        let frequency = insight_dto(&insights.frequency, &mut cited);
        let daily = insights
            .daily
            .iter()
            .map(|i| insight_dto(i, &mut cited))
            .collect();
        let exercise = insight_dto(&insights.exercise, &mut cited);
        let peg = insight_dto(&insights.peg, &mut cited);
        let flares_about = about_dto(insights.flares_about, &mut cited);
        let flares = insights
            .flares
            .iter()
            .map(|f| flare_dto(k, f, &mut cited))
            .collect();
        let mut dto = InsightsDto {
            today: insights.today,
            disclaimer: insights.disclaimer.to_owned(),
            person: None,
            profile_assumed: false,
            profile_note: None,
            comparisons: insights.comparisons,
            level: round4(insights.level),
            claims: Vec::new(),
            positions,
            preparation,
            time_of_day,
            frequency,
            daily,
            exercise,
            peg,
            flares,
            flares_about,
            references: cited.references(k),
        };
        dto.claims = dto.all().filter(|i| i.is_claim()).cloned().collect();
        dto
    }

    /// Says who the insights are for, and what was assumed.
    #[must_use]
    pub fn for_person(mut self, person: &Person) -> InsightsDto {
        let p = &person.input;
        self.person = Some(PersonDto {
            pain_type: p.pain_type.as_str(),
            role: p.role.as_str(),
            pain_now: None,
            conditions: p.conditions.clone(),
            pregnancy_weeks: p.pregnancy_weeks,
        });
        self.profile_assumed = person.is_assumed();
        self.profile_note = person.note();
        self
    }

    /// Every insight (not the claims' copies): positions, preparation, time of day,
    /// frequency, daily factors, exercise, PEG.
    pub fn all(&self) -> impl Iterator<Item = &InsightDto> {
        self.positions
            .iter()
            .chain(&self.preparation)
            .chain(&self.time_of_day)
            .chain(std::iter::once(&self.frequency))
            .chain(&self.daily)
            .chain(std::iter::once(&self.exercise))
            .chain(std::iter::once(&self.peg))
    }

    /// The groups in the order shown: an id (the field's, with hyphens), a heading and the
    /// insights.
    pub fn groups(&self) -> Vec<(&'static str, &'static str, Vec<&InsightDto>)> {
        vec![
            ("positions", "Positions", self.positions.iter().collect()),
            (
                "preparation",
                "Preparation",
                self.preparation.iter().collect(),
            ),
            (
                "time-of-day",
                "Time of day",
                self.time_of_day.iter().collect(),
            ),
            ("frequency", "How often", vec![&self.frequency]),
            (
                "daily",
                "Sleep, mood and stress",
                self.daily.iter().collect(),
            ),
            ("exercise", "Exercise", vec![&self.exercise]),
            ("peg", "Weekly PEG score", vec![&self.peg]),
        ]
    }

    /// Whether any comparison has enough data to be judged (the PEG trend is not a
    /// comparison). Until one has, `comparisons` and `level` have nothing to say.
    pub fn compares_anything(&self) -> bool {
        self.all().any(|i| i.kind != "peg" && !i.needs_more())
    }

    /// `level` as a percentage in words: "99.8%", "95%".
    pub fn level_words(&self) -> String {
        spinewise_domain::words::level_words(self.level)
    }

    /// The flare-up going on today, if any.
    pub fn ongoing_flare(&self) -> Option<&FlareDto> {
        self.flares.first().filter(|f| f.ongoing)
    }

    /// What to log next when nothing is clear yet: the statements of the insights that need
    /// more data, those needing the least first (at most `limit`).
    pub fn to_log_next(&self, limit: usize) -> Vec<&InsightDto> {
        let mut v: Vec<&InsightDto> = self.all().filter(|i| i.needs_more()).collect();
        v.sort_by_key(|i| i.needed.as_ref().map_or(usize::MAX, |n| n.more));
        v.truncate(limit);
        v
    }
}
