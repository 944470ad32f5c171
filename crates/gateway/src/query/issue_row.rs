//! How a row of `read.issues` becomes an [`Issue`]: issues are read as PostgreSQL renders
//! their rows in JSON (`queries::issues::issue`, `Board::fetch_text`), and serde decodes
//! them with these field decoders for the columns whose JSON rendering is not the GraphQL
//! type's: stored enum names, `timestamptz` and `date` texts. A board page selects only the
//! columns its fields need; the absent ones keep their defaults and are never shown.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::enums::{IssueChannel, IssueStatus};
use crate::scalars::DateTime;

/// An issue's stored status name (`reported`), through the domain's type.
pub(crate) fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<IssueStatus, D::Error> {
    stored::<D, civic_domain::issue::IssueStatus, _>(deserializer)
}

/// An issue's stored channel name (`patrol`), through the domain's type.
pub(crate) fn channel<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<IssueChannel, D::Error> {
    stored::<D, civic_domain::issue::Channel, _>(deserializer)
}

/// A stored enum name decoded through the domain's type `S`: a name the domain does not
/// know is an error, never a default.
fn stored<'de, D, S, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    S: DeserializeOwned,
    T: From<S>,
{
    let name = String::deserialize(deserializer)?;
    civic_projections::queries::stored::<S>(&name)
        .map(T::from)
        .map_err(D::Error::custom)
}

/// A `timestamptz` as PostgreSQL renders it in JSON (RFC 3339, any offset).
pub(crate) fn moment<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    let text = <&str>::deserialize(deserializer)?;
    OffsetDateTime::parse(text, &Rfc3339)
        .map(DateTime)
        .map_err(D::Error::custom)
}

pub(crate) fn optional_moment<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime>, D::Error> {
    match Option::<&str>::deserialize(deserializer)? {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .map(|at| Some(DateTime(at)))
            .map_err(D::Error::custom),
        None => Ok(None),
    }
}

/// A time as `Board::fetch_columns` writes it: microseconds since the Unix epoch, in UTC
/// (the offset it was written in is applied by the reader, as for [`moment`]'s).
pub(crate) fn micros<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    at_micros(i64::deserialize(deserializer)?)
}

/// [`micros`] of a nullable column.
pub(crate) fn optional_micros<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime>, D::Error> {
    Option::<i64>::deserialize(deserializer)?
        .map(at_micros)
        .transpose()
}

fn at_micros<E: serde::de::Error>(micros: i64) -> Result<DateTime, E> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .map(DateTime)
        .map_err(E::custom)
}

/// A `date` as PostgreSQL renders it in JSON (`2023-10-05`).
pub(crate) fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    const DAY: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]");
    match Option::<&str>::deserialize(deserializer)? {
        Some(text) => Date::parse(text, DAY).map(Some).map_err(D::Error::custom),
        None => Ok(None),
    }
}
