//! How a row of `read.issues` becomes an [`Issue`].
//!
//! A board page selects only the columns its fields need, so most fields of `Issue` are
//! absent from a row. The derived decoder looks each field up by name (a hash per field and
//! row) and builds a `ColumnNotFound` error for every absent one before falling back to its
//! default: some 800 errors for a page of 50. This decoder walks the columns the row has,
//! once, and leaves the others at their defaults.

use sqlx::postgres::PgRow;
use sqlx::{Column, FromRow, Row};

use super::issues::Issue;

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
