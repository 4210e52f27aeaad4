//! Whole numbers read from JSON. JSON has one kind of number, so `7` and `7.0` are the same
//! value, and JSON Schema's `integer` admits both; every field that takes a whole number reads
//! either, and refuses `7.5` or a number out of its range naming the value.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Reads a whole number written `7` or `7.0` into `T`.
///
/// # Errors
/// A value that is not a number, has a fraction, or does not fit in `T`.
pub fn read<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    d.deserialize_any(WholeVisitor(PhantomData))
}

/// Reads an optional whole number: `null` or absent is `None` (with `#[serde(default)]`).
///
/// # Errors
/// As [`read`].
pub fn read_optional<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    d.deserialize_option(OptionalVisitor(PhantomData))
}

struct WholeVisitor<T>(PhantomData<T>);

impl<T: TryFrom<i64>> WholeVisitor<T> {
    fn fit<E: de::Error>(n: i64) -> Result<T, E> {
        T::try_from(n).map_err(|_| E::custom(format!("{n} is out of range")))
    }
}

impl<T: TryFrom<i64>> Visitor<'_> for WholeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        Self::fit(n)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        i64::try_from(n)
            .map_err(|_| E::custom(format!("{n} is out of range")))
            .and_then(Self::fit)
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<T, E> {
        // Whole, and inside the range where every whole f64 is exactly an i64.
        const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
        if n.fract() == 0.0 && n.abs() <= LIMIT {
            #[expect(clippy::cast_possible_truncation, reason = "whole and within ±2^53")]
            Self::fit(n as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(n), &self))
        }
    }
}

struct OptionalVisitor<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64>> Visitor<'de> for OptionalVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        read(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Counts {
        #[serde(deserialize_with = "super::read")]
        minutes: u16,
        #[serde(default, deserialize_with = "super::read_optional")]
        reps: Option<u32>,
    }

    fn counts(json: &str) -> Result<Counts, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_whole_number_reads_with_or_without_a_zero_fraction() {
        let want = Counts {
            minutes: 7,
            reps: Some(3),
        };
        assert_eq!(counts(r#"{"minutes": 7, "reps": 3}"#), Ok(want));
        let want = Counts {
            minutes: 7,
            reps: Some(3),
        };
        assert_eq!(counts(r#"{"minutes": 7.0, "reps": 3.0}"#), Ok(want));
        let value = serde_json::json!({"minutes": 7.0, "reps": null});
        assert_eq!(
            Counts::deserialize(value).map_err(|e| e.to_string()),
            Ok(Counts {
                minutes: 7,
                reps: None
            })
        );
        assert_eq!(
            counts(r#"{"minutes": 7}"#),
            Ok(Counts {
                minutes: 7,
                reps: None
            })
        );
    }

    #[test]
    fn a_fraction_a_string_or_a_number_out_of_range_is_refused_naming_it() {
        let e = counts(r#"{"minutes": 7.5}"#).expect_err("refused");
        assert!(e.contains("7.5") && e.contains("whole number"), "{e}");
        let e = counts(r#"{"minutes": 70000}"#).expect_err("refused");
        assert!(e.contains("70000 is out of range"), "{e}");
        let e = counts(r#"{"minutes": -1.0}"#).expect_err("refused");
        assert!(e.contains("-1 is out of range"), "{e}");
        let e = counts(r#"{"minutes": 1e300}"#).expect_err("refused");
        assert!(e.contains("whole number"), "{e}");
        let e = counts(r#"{"minutes": "7"}"#).expect_err("refused");
        assert!(e.contains("whole number"), "{e}");
        let e = counts(r#"{"minutes": 7, "reps": 2.5}"#).expect_err("refused");
        assert!(e.contains("2.5"), "{e}");
    }
}
