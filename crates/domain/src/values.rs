//! Values that parse at the boundary: once built, they are valid.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Empty or only whitespace.
    #[error("{field} must not be empty")]
    Empty {
        /// The field.
        field: &'static str,
    },
    /// Longer than allowed.
    #[error("{field} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// The field.
        field: &'static str,
        /// Its length in characters.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// Not a valid identifier.
    #[error("{field} {value:?} is not a valid id: use 1 to 64 of a-z, 0-9, '-' and '_'")]
    BadId {
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// A number outside its plausible range.
    #[error("{field} = {value} is not plausible: it must be between {min} and {max}")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// The value given.
        value: i64,
        /// Smallest plausible value.
        min: i64,
        /// Largest plausible value.
        max: i64,
    },
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses an id: 1 to 64 of `a-z`, `0-9`, `-`, `_`.
            pub fn parse(value: &str) -> Result<Self, ValueError> {
                let ok = !value.is_empty()
                    && value.len() <= 64
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
                if ok {
                    Ok($name(value.to_owned()))
                } else {
                    Err(ValueError::BadId { field: $field, value: value.to_owned() })
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, taken out rather than copied.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A community (社区), e.g. `guangsha`.
    CommunityId, "community id"
);
id_type!(
    /// A compound (小区), e.g. `longhe-huafu`.
    CompoundId, "compound id"
);
id_type!(
    /// A grid (网格) of a community.
    GridId, "grid id"
);
id_type!(
    /// A reported issue (事件).
    IssueId, "issue id"
);
id_type!(
    /// A heating project.
    ProjectId, "heating project id"
);
id_type!(
    /// A deliberation (议事) of a compound's residents.
    DeliberationId, "deliberation id"
);
id_type!(
    /// A newsroom video.
    VideoId, "video id"
);
id_type!(
    /// A community activity.
    ActivityId, "activity id"
);
id_type!(
    /// A charity sale.
    SaleId, "charity sale id"
);
id_type!(
    /// An item of a charity sale.
    ItemId, "item id"
);
id_type!(
    /// A person whose personal data is kept under their own key.
    PersonId, "person id"
);

/// A personal value sealed under its person's key (`sealed:v1:…`). The domain never sees
/// the plain text; the key can be destroyed to erase it everywhere at once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(String);

impl Sealed {
    /// Wraps a sealed value (as produced by the store's personal-data sealer).
    pub fn parse(field: &'static str, value: &str) -> Result<Self, ValueError> {
        if value.starts_with("sealed:v1:") && value.len() < 4096 {
            Ok(Sealed(value.to_owned()))
        } else {
            Err(ValueError::BadId {
                field,
                value: "(not a sealed value)".into(),
            })
        }
    }

    /// The sealed text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The sealed text, taken out rather than copied.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Free text that is not empty (after trimming) and at most `MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize = 200>(String);

impl<const MAX: usize> Text<MAX> {
    /// Parses text for `field`, trimming surrounding whitespace; the inside is kept exactly.
    pub fn parse(field: &'static str, value: &str) -> Result<Self, ValueError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ValueError::Empty { field });
        }
        let len = trimmed.chars().count();
        if len > MAX {
            return Err(ValueError::TooLong {
                field,
                len,
                max: MAX,
            });
        }
        Ok(Text(trimmed.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, taken out rather than copied.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short name or title (at most 200 characters).
pub type Name = Text<200>;
/// A description or summary (at most 2,000 characters).
pub type LongText = Text<2000>;

/// Checks that `value` lies in `min..=max` for `field`.
pub fn in_range(field: &'static str, value: i64, min: i64, max: i64) -> Result<i64, ValueError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ValueError::OutOfRange {
            field,
            value,
            min,
            max,
        })
    }
}

/// A count of people or things with a plausible upper bound, parsed at the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Count(u32);

impl Count {
    /// Parses a count for `field`: from 0 to `max`.
    pub fn parse(field: &'static str, value: i64, max: u32) -> Result<Self, ValueError> {
        in_range(field, value, 0, i64::from(max)).map(|v| Count(v as u32))
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// An amount of money in fen (1/100 yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    /// Parses a price: from 1 fen to 1,000,000 yuan.
    pub fn parse(field: &'static str, value: i64) -> Result<Self, ValueError> {
        in_range(field, value, 1, 100_000_000).map(Fen)
    }

    /// The amount in fen.
    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_capitals_or_spaces_is_refused() {
        assert!(CommunityId::parse("guangsha").is_ok());
        assert!(CommunityId::parse("Guang sha").is_err());
        assert!(CommunityId::parse("").is_err());
    }

    #[test]
    fn text_is_trimmed_but_kept_exactly_inside() {
        let t = Name::parse("title", "  情系百姓暖人心 排忧解难似亲人 ").unwrap();
        assert_eq!(t.as_str(), "情系百姓暖人心 排忧解难似亲人");
        assert_eq!(
            Name::parse("title", "   "),
            Err(ValueError::Empty { field: "title" })
        );
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(Text::<3>::parse("t", "网格员").is_ok());
        assert!(Text::<3>::parse("t", "网格员们").is_err());
    }

    #[test]
    fn a_negative_count_is_refused() {
        assert!(Count::parse("households", -1, 100).is_err());
        assert_eq!(Count::parse("households", 100, 100).unwrap().get(), 100);
    }
}
