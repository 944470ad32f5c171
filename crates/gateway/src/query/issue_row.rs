//! How a row of `read.issues` becomes an [`Issue`]: from a row of the wire protocol, or
//! from an object of the JSON array a board page is fetched as (`Board::fetch_json`),
//! whose texts, times and dates are PostgreSQL's JSON renderings of the columns.
//!
//! A board page selects only the columns its fields need, so most fields of `Issue` are
//! absent from a row. The derived decoder looks each field up by name (a hash per field and
//! row) and builds a `ColumnNotFound` error for every absent one before falling back to its
//! default: some 800 errors for a page of 50. This decoder walks the columns the row has,
//! once, and leaves the others at their defaults.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use sqlx::postgres::PgRow;
use sqlx::{Column, FromRow, Row};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::issues::Issue;
use crate::enums::{IssueChannel, IssueStatus};
use crate::scalars::DateTime;

impl<'r> FromRow<'r, PgRow> for Issue {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        let mut issue = Issue::default();
        let mut required = 0;
        for (i, column) in row.columns().iter().enumerate() {
            match column.name() {
                "id" => {
                    issue.id = row.try_get(i)?;
                    required += 1;
                }
                "community_id" => {
                    issue.community_id = row.try_get(i)?;
                    required += 1;
                }
                "compound_id" => issue.compound_id = row.try_get(i)?,
                "grid_id" => issue.grid_id = row.try_get(i)?,
                "category" => issue.category = row.try_get(i)?,
                "title" => issue.title = row.try_get(i)?,
                "description" => issue.description = row.try_get(i)?,
                "location" => issue.location = row.try_get(i)?,
                "channel" => issue.channel = row.try_get(i)?,
                "reporter" => issue.reporter = row.try_get(i)?,
                "status" => issue.status = row.try_get(i)?,
                "assignee" => issue.assignee = row.try_get(i)?,
                "due_by" => issue.due_by = row.try_get(i)?,
                "escalated" => issue.escalated = row.try_get(i)?,
                "items" => issue.items = row.try_get(i)?,
                "resolution" => issue.resolution = row.try_get(i)?,
                "satisfaction" => issue.satisfaction = row.try_get(i)?,
                "reported_at" => {
                    issue.reported_at = row.try_get(i)?;
                    required += 1;
                }
                "reported_offset" => issue.reported_offset = row.try_get(i)?,
                "resolved_at" => issue.resolved_at = row.try_get(i)?,
                "resolved_offset" => issue.resolved_offset = row.try_get(i)?,
                "closed_at" => issue.closed_at = row.try_get(i)?,
                "overdue" => issue.overdue = row.try_get(i)?,
                "contact_person" => issue.contact_person = row.try_get(i)?,
                "contact_name_sealed" => issue.contact_name_sealed = row.try_get(i)?,
                "contact_phone_sealed" => issue.contact_phone_sealed = row.try_get(i)?,
                // Columns a statement adds for its own use (none today) are not the issue's.
                _ => {}
            }
        }
        // Every statement selects the issue's id, community and report time (the board's
        // order and the read rule need them); a row without them is a statement's mistake.
        if required < 3 {
            return Err(sqlx::Error::ColumnNotFound(
                "id, community_id and reported_at".into(),
            ));
        }
        Ok(issue)
    }
}

/// An issue's stored status name (`reported`), through the domain's type.
pub(super) fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<IssueStatus, D::Error> {
    stored::<D, civic_domain::issue::IssueStatus, _>(deserializer)
}

/// An issue's stored channel name (`patrol`), through the domain's type.
pub(super) fn channel<'de, D: Deserializer<'de>>(
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
pub(super) fn moment<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    let text = <&str>::deserialize(deserializer)?;
    OffsetDateTime::parse(text, &Rfc3339)
        .map(DateTime)
        .map_err(D::Error::custom)
}

pub(super) fn optional_moment<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime>, D::Error> {
    match Option::<&str>::deserialize(deserializer)? {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .map(|at| Some(DateTime(at)))
            .map_err(D::Error::custom),
        None => Ok(None),
    }
}

/// A `date` as PostgreSQL renders it in JSON (`2023-10-05`).
pub(super) fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    const DAY: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]");
    match Option::<&str>::deserialize(deserializer)? {
        Some(text) => Date::parse(text, DAY).map(Some).map_err(D::Error::custom),
        None => Ok(None),
    }
}
