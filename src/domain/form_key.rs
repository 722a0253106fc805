//! Question keys inside form field names. A section form posts `answers[<field>][value]` and
//! `versions[<field>]`; the form decoder on the server reads a bracketed part that starts with a
//! digit as a list index, so template keys in legal numbering (`1.1`, `2.2`) would not survive the
//! round trip. Every key therefore travels with a fixed letter in front: the page writes
//! [`encode`], and [`FieldKeyed`] strips it again while the request is decoded, so nothing past the
//! wire ever sees the prefix. Any key the template format accepts (ASCII letters, digits, `.`, `-`,
//! `_`) round-trips, which a test over the shipped templates and an HTTP test check.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// The letter in front of every question key in a field name.
const PREFIX: char = 'q';

/// The field-name form of a question key.
pub fn encode(key: &str) -> String {
    format!("{PREFIX}{key}")
}

/// The question key of a field-name part, or `None` when it was not written by [`encode`].
pub fn decode(field: &str) -> Option<&str> {
    field.strip_prefix(PREFIX).filter(|k| !k.is_empty())
}

/// A map posted under field-name keys, holding question keys once decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldKeyed<T>(pub BTreeMap<String, T>);

impl<T: Serialize> Serialize for FieldKeyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (encode(k), v)))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for FieldKeyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let posted = BTreeMap::<String, T>::deserialize(deserializer)?;
        let mut out = BTreeMap::new();
        for (field, value) in posted {
            let key = decode(&field).ok_or_else(|| serde::de::Error::custom("field name without a question key"))?;
            out.insert(key.to_owned(), value);
        }
        Ok(Self(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_accepted_shape_round_trip() {
        for key in ["A1", "1", "1.1", "2.2", "4.3a", "10", "x-y_z.9", "q", "qq1"] {
            let field = encode(key);
            assert!(!field.starts_with(|c: char| c.is_ascii_digit()), "{field} must not look like a list index");
            assert_eq!(decode(&field), Some(key));
        }
        assert_eq!(decode("A1"), None);
        assert_eq!(decode("q"), None);
        assert_eq!(decode(""), None);
    }

    #[test]
    fn decoding_strips_the_prefix_and_refuses_foreign_names() {
        let json = r#"{"q1.1": 3, "qA2": 4}"#;
        let map: FieldKeyed<i64> = serde_json::from_str(json).expect("decodes");
        assert_eq!(map.0.get("1.1"), Some(&3));
        assert_eq!(map.0.get("A2"), Some(&4));
        assert!(serde_json::from_str::<FieldKeyed<i64>>(r#"{"1.1": 3}"#).is_err());
        assert_eq!(serde_json::to_string(&map).expect("encodes"), r#"{"q1.1":3,"qA2":4}"#);
    }
}
