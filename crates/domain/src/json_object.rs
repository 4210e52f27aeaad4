//! Objects only. serde reads a struct from a JSON array as well as from an object — the values
//! in field order, so `["receptive", 3]` would stand for `{"role": "receptive", "pain": 3}` —
//! which is nowhere documented and easy to send by mistake. A struct nested in a request reads
//! through these functions, which take an object and refuse anything else, naming a problem
//! inside it by its path as before (`you.pain_type`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, forward_to_deserialize_any};

/// Reads `T` from a JSON object.
///
/// # Errors
/// A value that is not an object, or an object `T` does not read from (named by its path, as
/// without this function).
pub fn read<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(ObjectOnly(d))
}

/// Reads an optional `T` from a JSON object or `null` (absent, with `#[serde(default)]`).
///
/// # Errors
/// As [`read`].
pub fn read_optional<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Optional<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Optional<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            read(d).map(Some)
        }
    }
    d.deserialize_option(Optional(PhantomData))
}

/// Reads a list of `T`, each from a JSON object.
///
/// # Errors
/// A value that is not a list, or an item as [`read`].
pub fn read_each<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Each<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Each<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
                items.push(item);
            }
            Ok(items)
        }
    }
    d.deserialize_seq(Each(PhantomData))
}

/// One item of a list, read as [`read`] does.
struct Seed<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        read(d)
    }
}

/// A deserializer that reads a struct only from a map (a JSON object): it hands the struct's
/// visitor to the inner deserializer's `deserialize_map`, which refuses a list, where
/// `deserialize_struct` would take one. Everything else goes to the inner deserializer as is,
/// so that errors keep their paths.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        a: u8,
        #[serde(default)]
        b: Option<u8>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(deserialize_with = "super::read")]
        one: Inner,
        #[serde(default, deserialize_with = "super::read_optional")]
        maybe: Option<Inner>,
        #[serde(default, deserialize_with = "super::read_each")]
        many: Vec<Inner>,
    }

    fn outer(json: &str) -> Result<Outer, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn nested_structs_read_from_objects() {
        let got = outer(r#"{"one": {"a": 1}, "maybe": {"a": 2, "b": 3}, "many": [{"a": 4}]}"#);
        assert_eq!(
            got,
            Ok(Outer {
                one: Inner { a: 1, b: None },
                maybe: Some(Inner { a: 2, b: Some(3) }),
                many: vec![Inner { a: 4, b: None }],
            })
        );
        let got = outer(r#"{"one": {"a": 1}, "maybe": null}"#).expect("null is none");
        assert_eq!((got.maybe, got.many), (None, vec![]));
    }

    #[test]
    fn a_list_for_a_struct_is_refused_wherever_it_is() {
        for (json, want) in [
            (
                r#"{"one": [1, 2]}"#,
                "invalid type: sequence, expected struct Inner",
            ),
            (
                r#"{"one": {"a": 1}, "maybe": [null, null]}"#,
                "invalid type: sequence, expected struct Inner",
            ),
            (
                r#"{"one": {"a": 1}, "many": [{"a": 1}, [2]]}"#,
                "invalid type: sequence, expected struct Inner",
            ),
            (r#"{"one": {"a": 1, "c": 2}}"#, "unknown field `c`"),
            (
                r#"{"one": 5}"#,
                "invalid type: integer `5`, expected struct Inner",
            ),
        ] {
            let e = outer(json).expect_err("refused");
            assert!(e.contains(want), "{json}: {e}");
        }
    }

    #[test]
    fn a_problem_inside_keeps_its_path() {
        let mut de = serde_json::Deserializer::from_str(
            r#"{"one": {"a": 1}, "many": [{"a": 1}, {"a": "x"}]}"#,
        );
        let e = serde_path_to_error::deserialize::<_, Outer>(&mut de).expect_err("refused");
        assert_eq!(e.path().to_string(), "many[1].a");
    }
}
