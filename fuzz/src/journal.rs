//! A valid journal from fuzz bytes: every kind of entry, with values drawn across their whole
//! allowed ranges (the earliest and latest dates, every score, notes and descriptions of any
//! text) and ids from the knowledge base. Each entry is kept only if [`Entry::validate`]
//! accepts it and its id is new, so the journal is one the app could hold.

use std::collections::HashSet;

use arbitrary::{Result, Unstructured};
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::Answers;
use spinewise_domain::journal::export::fhir::UtcOffsetMinutes;
use spinewise_domain::journal::{
    AssessmentRecord, DailyCheckIn, Entry, EntryId, Exercise, ExerciseSet, Intimacy, Journal,
    LocalDate, LocalDateTime, Peg, Rating,
};
use spinewise_domain::vocab::{Felt, PainScore, Preparation};

/// The most entries one journal gets: enough for every kind and for repeated dates.
const MAX_ENTRIES: usize = 24;

/// The characters of an entry id.
const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

fn id(u: &mut Unstructured<'_>) -> Result<EntryId> {
    // Mostly short ids, so that two entries sometimes share one (and the second is dropped);
    // now and then the longest.
    let len = if u.ratio(1, 8)? {
        64
    } else {
        u.int_in_range(1..=4)?
    };
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        s.push(char::from(*u.choose(ID_CHARS)?));
    }
    Ok(s.parse().expect("an id of the allowed characters"))
}

fn date(u: &mut Unstructured<'_>) -> Result<LocalDate> {
    // From the earliest date an entry may carry to a day past the fixed clock (refused).
    let first = time::macros::date!(1950 - 01 - 01).to_julian_day();
    let last = time::macros::date!(2026 - 06 - 02).to_julian_day();
    let day = if u.ratio(1, 4)? {
        // Near either end, where the calendar's edges are.
        *u.choose(&[first, first + 1, last - 2, last - 1, last])?
    } else {
        u.int_in_range(first..=last)?
    };
    Ok(LocalDate(
        time::Date::from_julian_day(day).expect("a day in range"),
    ))
}

fn date_time(u: &mut Unstructured<'_>) -> Result<LocalDateTime> {
    let d = date(u)?;
    let hour = u.int_in_range(0..=23)?;
    let minute = u.int_in_range(0..=59)?;
    Ok(LocalDateTime::at(d, hour, minute).expect("a time of day"))
}

fn pain(u: &mut Unstructured<'_>) -> Result<PainScore> {
    Ok(PainScore::new(u.int_in_range(0..=PainScore::MAX)?).expect("a score in range"))
}

fn maybe_pain(u: &mut Unstructured<'_>) -> Result<Option<PainScore>> {
    if u.arbitrary()? {
        Ok(Some(pain(u)?))
    } else {
        Ok(None)
    }
}

fn rating(u: &mut Unstructured<'_>) -> Result<Option<Rating>> {
    if u.arbitrary()? {
        Ok(Rating::new(u.int_in_range(Rating::MIN..=Rating::MAX)?))
    } else {
        Ok(None)
    }
}

/// Any text: a person writes what they like in a note or a description.
fn text(u: &mut Unstructured<'_>) -> Result<String> {
    u.arbitrary()
}

fn note(u: &mut Unstructured<'_>) -> Result<Option<String>> {
    if u.arbitrary()? {
        Ok(Some(text(u)?))
    } else {
        Ok(None)
    }
}

/// Up to `most` distinct picks from `items`, in the order drawn.
fn some_of<T: Clone + PartialEq>(
    u: &mut Unstructured<'_>,
    items: &[T],
    most: usize,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=most.min(items.len()))?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let pick = u.choose(items)?.clone();
        if !out.contains(&pick) {
            out.push(pick);
        }
    }
    Ok(out)
}

fn intimacy(u: &mut Unstructured<'_>, k: &Knowledge) -> Result<Entry> {
    let positions: Vec<String> = k.positions.iter().map(|p| p.id.clone()).collect();
    let symptoms: Vec<String> = k.symptoms.iter().map(|s| s.id.clone()).collect();
    Ok(Entry::Intimacy(Intimacy {
        id: id(u)?,
        at: date_time(u)?,
        positions: some_of(u, &positions, 4)?,
        preparation: some_of(u, Preparation::ALL, Preparation::ALL.len())?,
        pain_before: pain(u)?,
        pain_during: maybe_pain(u)?,
        pain_after: pain(u)?,
        stopped_early: u.arbitrary()?,
        symptoms: some_of(u, &symptoms, 2)?,
        next_day_pain: maybe_pain(u)?,
        note: note(u)?,
    }))
}

fn daily(u: &mut Unstructured<'_>) -> Result<Entry> {
    let sleep_hours = match u.int_in_range(0..=3)? {
        0 => None,
        // Whole and half hours, as the forms send them.
        1 => Some(f64::from(u.int_in_range(0..=48u8)?) / 2.0),
        2 => Some(*u.choose(&[0.0, 24.0, f64::MIN_POSITIVE, 23.999_999_999])?),
        _ => Some(u.arbitrary()?),
    };
    Ok(Entry::Daily(DailyCheckIn {
        id: id(u)?,
        date: date(u)?,
        pain_morning: maybe_pain(u)?,
        pain_evening: maybe_pain(u)?,
        sleep_hours,
        sleep_quality: rating(u)?,
        mood: rating(u)?,
        stress: rating(u)?,
        note: note(u)?,
    }))
}

fn peg(u: &mut Unstructured<'_>) -> Result<Entry> {
    Ok(Entry::Peg(Peg {
        id: id(u)?,
        date: date(u)?,
        pain: pain(u)?,
        enjoyment: pain(u)?,
        activity: pain(u)?,
    }))
}

fn exercise(u: &mut Unstructured<'_>, k: &Knowledge) -> Result<Entry> {
    let exercises: Vec<&str> = k.exercises().iter().map(|e| e.id.as_str()).collect();
    let n = u.int_in_range(0..=4)?;
    let mut sets = Vec::with_capacity(n);
    for _ in 0..n {
        sets.push(ExerciseSet {
            exercise: (*u.choose(&exercises)?).to_owned(),
            reps: if u.arbitrary()? {
                Some(u.int_in_range(0..=1000)?)
            } else {
                None
            },
            hold_s: if u.arbitrary()? {
                Some(u.int_in_range(0..=3600)?)
            } else {
                None
            },
            warnings: u.int_in_range(0..=10_000)?,
            coached: u.arbitrary()?,
            level: if u.arbitrary()? {
                Some(u.int_in_range(1..=9)?)
            } else {
                None
            },
        });
    }
    Ok(Entry::Exercise(Exercise {
        id: id(u)?,
        at: date_time(u)?,
        what: text(u)?,
        minutes: u.int_in_range(1..=600)?,
        felt: *u.choose(Felt::ALL)?,
        pain_before: maybe_pain(u)?,
        pain_after: maybe_pain(u)?,
        note: note(u)?,
        sets,
    }))
}

fn assessment(u: &mut Unstructured<'_>, k: &Knowledge) -> Result<Option<Entry>> {
    let screened: Vec<String> = k
        .symptoms
        .iter()
        .filter(|s| s.screen_in_assessment)
        .map(|s| s.id.clone())
        .collect();
    let red_flags = if u.ratio(1, 4)? {
        some_of(u, &screened, 2)?
    } else {
        Vec::new()
    };
    let mut answers = Answers {
        red_flags,
        answers: Default::default(),
    };
    for item in &k.questionnaire.items {
        // Now and then a question left out: refused unless the red flags stop the questions.
        if u.ratio(1, 40)? {
            continue;
        }
        let option = u.choose(&item.options)?;
        answers.answers.insert(item.id.clone(), option.id.clone());
    }
    let (id, at) = (id(u)?, date_time(u)?);
    Ok(AssessmentRecord::new(k, id, at, answers)
        .ok()
        .map(Entry::Assessment))
}

/// A journal the app could hold, drawn from `u`, with the entries it was built from in the
/// order drawn.
pub fn journal(u: &mut Unstructured<'_>, k: &Knowledge, now: i64) -> Result<Journal> {
    let n = u.int_in_range(0..=MAX_ENTRIES)?;
    let mut entries = Vec::with_capacity(n);
    let mut ids = HashSet::new();
    for _ in 0..n {
        let entry = match u.int_in_range(0..=4)? {
            0 => intimacy(u, k)?,
            1 => daily(u)?,
            2 => peg(u)?,
            3 => exercise(u, k)?,
            _ => match assessment(u, k)? {
                Some(e) => e,
                None => continue,
            },
        };
        if entry.validate(k, now).is_ok() && ids.insert(entry.id().clone()) {
            entries.push(entry);
        }
    }
    Ok(Journal::new(entries))
}

/// A UTC offset the export is asked for, as the API takes it (-12:00 to +14:00), or none.
pub fn offset(u: &mut Unstructured<'_>) -> Result<Option<UtcOffsetMinutes>> {
    Ok(match u.int_in_range(0..=3)? {
        0 => None,
        1 => Some(UtcOffsetMinutes(*u.choose(&[
            -12 * 60,
            -9 * 60 - 30,
            0,
            5 * 60 + 45,
            14 * 60,
        ])?)),
        _ => Some(UtcOffsetMinutes(u.int_in_range(-12 * 60..=14 * 60)?)),
    })
}
