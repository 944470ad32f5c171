//! `DateTime`: a moment in RFC 3339 that keeps the offset it was written with.
//!
//! async-graphql's own `DateTime` (for `time::OffsetDateTime`) always answers in UTC. A
//! street office writes `2023-08-04T09:30:00+08:00`; it should read the same text back, so
//! the schema's `DateTime` is this one. Times the log stamps itself (commit times) are UTC.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::Postgres;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A moment with its offset (RFC 3339, e.g. `2023-08-04T09:30:00+08:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub OffsetDateTime);

impl DateTime {
    /// The instant `at` shown at `offset` seconds east of UTC (UTC if the offset is out of
    /// range, which a stored offset never is).
    pub fn at(at: OffsetDateTime, offset: i32) -> DateTime {
        DateTime(at.to_offset(UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC)))
    }
}

/// A moment in RFC 3339 with its offset, e.g. `2023-08-04T09:30:00+08:00`. It is answered
/// with the offset it was given in; moments the log stamps itself (commit times) are in UTC.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Ok(DateTime(OffsetDateTime::parse(s, &Rfc3339)?)),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        // Every `OffsetDateTime` with a year in 0..=9999 formats; the log holds no other.
        Value::String(self.0.format(&Rfc3339).unwrap_or_default())
    }
}

/// The default of an unread column (never shown).
impl Default for DateTime {
    fn default() -> Self {
        DateTime(OffsetDateTime::UNIX_EPOCH)
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(at: OffsetDateTime) -> Self {
        DateTime(at)
    }
}

/// A `timestamptz` column reads as its instant in UTC.
impl sqlx::Type<Postgres> for DateTime {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as sqlx::Type<Postgres>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for DateTime {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(DateTime(
            <OffsetDateTime as sqlx::Decode<Postgres>>::decode(value)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_survives_a_round_trip() {
        for text in [
            "2023-08-04T09:30:00+08:00",
            "2023-08-04T01:30:00.123456Z",
            "2023-08-03T20:30:00-05:00",
        ] {
            let parsed = DateTime::parse(Value::String(text.into())).ok();
            assert_eq!(
                parsed.map(|p| p.to_value()),
                Some(Value::String(text.into()))
            );
        }
        assert!(DateTime::parse(Value::String("2023-08-04 09:30".into())).is_err());
    }

    #[test]
    fn a_stored_offset_shows_the_instant_as_written() {
        let utc = OffsetDateTime::from_unix_timestamp(1_691_112_600)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(
            DateTime::at(utc, 8 * 3600).to_value(),
            Value::String("2023-08-04T09:30:00+08:00".into())
        );
    }
}
