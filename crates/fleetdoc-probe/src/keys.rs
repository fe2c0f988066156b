//! The keys of a JSON object as written, each with where it sits, and the known key a
//! misspelt one most likely means (`takenAt` -> `taken_at`, `latncy_ms` -> `latency_ms`).
//! Snapshots come from any tool and may carry keys of their own, which are left alone; a
//! key that is a near miss of a known key that is missing is a typo, reported at the key.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// One key of an object: its text and the byte offset of its opening quote.
pub(crate) struct Key {
    pub name: String,
    pub offset: usize,
}

/// The keys of the object `raw` (a slice of `text`), in file order; empty when `raw` is
/// not an object.
pub(crate) fn object_keys(text: &[u8], raw: &RawValue) -> Vec<Key> {
    struct Entries<'a>(Vec<(String, &'a RawValue)>);
    impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<'a>(std::marker::PhantomData<&'a ()>);
            impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
                type Value = Entries<'a>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                        out.push((k, v));
                    }
                    Ok(Entries(out))
                }
            }
            d.deserialize_map(V(std::marker::PhantomData))
        }
    }
    let Ok(Entries(entries)) = serde_json::from_str::<Entries>(raw.get()) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter_map(|(name, value)| {
            let offset = key_start(text, crate::values::offset(text, value))?;
            Some(Key { name, offset })
        })
        .collect()
}

/// From the start of a value, back over `:` and blanks to the opening quote of its key.
fn key_start(text: &[u8], value: usize) -> Option<usize> {
    let mut i = value;
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    while i > 0 && blank(text[i - 1]) {
        i -= 1;
    }
    if i == 0 || text[i - 1] != b':' {
        return None;
    }
    i -= 1;
    while i > 0 && blank(text[i - 1]) {
        i -= 1;
    }
    if i == 0 || text[i - 1] != b'"' {
        return None;
    }
    // The closing quote is at i - 1; the opening one is the previous quote that is not
    // escaped (preceded by an even number of backslashes).
    let mut j = i - 1;
    while j > 0 {
        j -= 1;
        if text[j] == b'"' {
            let slashes = text[..j].iter().rev().take_while(|&&b| b == b'\\').count();
            if slashes % 2 == 0 {
                return Some(j);
            }
        }
    }
    None
}

/// The known key `name` most likely means: the same once case and `_`/`-` are set aside
/// (`takenAt`), or within a third of its length in edits (`latncy_ms`).
pub(crate) fn meant<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    if known.contains(&name) {
        return None;
    }
    let folded = fold(name);
    if let Some(k) = known.iter().find(|k| fold(k) == folded) {
        return Some(k);
    }
    let limit = (name.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Keys of `keys` that are typos of a known key the object lacks, as (key, known key).
pub(crate) fn typos<'a, 'k>(keys: &'a [Key], known: &[&'k str]) -> Vec<(&'a Key, &'k str)> {
    keys.iter()
        .filter_map(|k| {
            let m = meant(&k.name, known)?;
            (!keys.iter().any(|o| o.name == m)).then_some((k, m))
        })
        .collect()
}

/// The field names of a struct that derives `Deserialize`, as serde sees them, so the
/// known keys stay those the reader reads.
pub(crate) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields;
    #[derive(Debug)]
    struct Found(&'static [&'static str]);
    impl fmt::Display for Found {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("fields")
        }
    }
    impl std::error::Error for Found {}
    impl de::Error for Found {
        fn custom<M: fmt::Display>(_: M) -> Self {
            Found(&[])
        }
    }
    impl<'de> Deserializer<'de> for Fields {
        type Error = Found;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Found> {
            Err(Found(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(Fields) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_at_their_opening_quote() {
        let text = br#"{"a": 1, "b\"c" :  {"d": [2]}, "e":"x"}"#;
        let raw: &RawValue = serde_json::from_slice(text).unwrap();
        let keys: Vec<(String, usize)> = object_keys(text, raw)
            .into_iter()
            .map(|k| (k.name, k.offset))
            .collect();
        assert_eq!(
            keys,
            [("a".into(), 1), ("b\"c".into(), 9), ("e".into(), 31)]
        );
    }

    #[test]
    fn misspelt_keys_mean_the_known_key_they_are_near() {
        let known = ["taken_at", "latency_ms", "status", "state"];
        assert_eq!(meant("takenAt", &known), Some("taken_at"));
        assert_eq!(meant("latncy_ms", &known), Some("latency_ms"));
        assert_eq!(meant("status", &known), None);
        assert_eq!(meant("duration", &known), None);
    }

    #[test]
    fn the_fields_of_a_struct_are_those_serde_reads() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            a: u8,
            #[serde(default)]
            b_c: Option<u8>,
        }
        assert_eq!(fields_of::<S>(), ["a", "b_c"]);
    }
}
