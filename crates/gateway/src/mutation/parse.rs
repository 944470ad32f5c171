//! Turning GraphQL input into domain values; every failure is a `VALIDATION` error.

use async_graphql::Result;
use civic_domain::values::{Count, Fen, LongText, Name, ValueError};

use crate::error::invalid;

/// A name or title of at most 200 characters.
pub(crate) fn name(field: &'static str, value: &str) -> Result<Name> {
    Name::parse(field, value).map_err(invalid)
}

/// A text of at most 2,000 characters.
pub(crate) fn text(field: &'static str, value: &str) -> Result<LongText> {
    LongText::parse(field, value).map_err(invalid)
}

/// A count from 0 to `max`.
pub(crate) fn count(field: &'static str, value: i64, max: u32) -> Result<Count> {
    Count::parse(field, value, max).map_err(invalid)
}

/// A price in fen.
pub(crate) fn fen(field: &'static str, value: i64) -> Result<Fen> {
    Fen::parse(field, value).map_err(invalid)
}

/// An id of kind `T`.
pub(crate) fn id<T>(parse: fn(&str) -> Result<T, ValueError>, value: &str) -> Result<T> {
    parse(value).map_err(invalid)
}
