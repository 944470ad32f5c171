//! A row of a board page as the direct path reads it: each column's JSON as PostgreSQL
//! wrote it, and an [`Issue`] of the few columns whose values are converted.
//!
//! Decoding every column into an `Issue` and serializing it again was most of what the
//! direct path spent beyond the statement: a `String` per text column per row, each then
//! escaped once more. A field whose column PostgreSQL writes as the executor would write
//! the field (`BoardField::as_written`) is copied from the page's text instead; the rest
//! come from `board_column` of the row's `Issue`, as on every other path. The columns come
//! apart without a JSON parser (`Board::fetch_columns`); finding where each value of a JSON
//! array of rows ends had been about a third of the path's CPU beyond the statement.

use async_graphql::Value;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;

use crate::query::{board_column, issue_row, Issue};

/// One row of a page.
pub(super) struct Row<'a> {
    /// Each column's JSON, as written, in the order of the page's column names.
    columns: Vec<&'a str>,
    /// The id's JSON, decoded only for the rows a cursor is written for ([`Row::decode_id`]):
    /// every other row's id is copied as written.
    id: &'a str,
    /// The columns of the converted fields and their offsets, decoded as the issue's own
    /// decoder decodes them (`query::issue_row`), times at the offsets they were written
    /// in; every other field keeps its default, and the id is empty until decoded.
    pub issue: Issue,
}

impl<'a> Row<'a> {
    /// The row whose columns, named by `names`, are `columns`.
    pub fn new(names: &[&str], columns: Vec<&'a str>) -> serde_json::Result<Row<'a>> {
        let mut issue = Issue::default();
        let mut id = "null";
        for (name, value) in names.iter().zip(&columns) {
            let mut json = serde_json::Deserializer::from_str(value);
            match *name {
                "id" => {
                    id = value;
                    continue;
                }
                "status" => issue.status = issue_row::status(&mut json)?,
                "channel" => issue.channel = issue_row::channel(&mut json)?,
                "reported_at" => issue.reported_at = issue_row::moment(&mut json)?,
                "reported_offset" => issue.reported_offset = i32::deserialize(&mut json)?,
                "resolved_at" => issue.resolved_at = issue_row::optional_moment(&mut json)?,
                "resolved_offset" => issue.resolved_offset = Option::deserialize(&mut json)?,
                "closed_at" => issue.closed_at = issue_row::optional_moment(&mut json)?,
                _ => continue,
            }
            json.end()?;
        }
        Ok(Row {
            columns,
            id,
            issue: issue.in_written_offsets(),
        })
    }

    /// Decodes the id into `issue`, for the row's cursor.
    pub fn decode_id(&mut self) -> serde_json::Result<()> {
        self.issue.id = serde_json::from_str(self.id)?;
        Ok(())
    }

    /// Writes the value of the converted field `name` as the executor writes it: the
    /// issue's times straight into `out` (as `DateTime`'s value, an RFC 3339 text, which
    /// holds nothing JSON escapes), any other field through `board_column`.
    pub fn write_converted(&self, out: &mut Vec<u8>, name: &str) {
        let moment = match name {
            "reportedAt" => Some(&self.issue.reported_at),
            "resolvedAt" => self.issue.resolved_at.as_ref(),
            "closedAt" => self.issue.closed_at.as_ref(),
            _ => {
                let value = board_column(&self.issue, name).unwrap_or(Value::Null);
                super::json(out, &value);
                return;
            }
        };
        match moment {
            Some(at) => {
                out.push(b'"');
                // Every moment in the log has a year in 0..=9999, which formats.
                let _ = at.0.format_into(&mut *out, &Rfc3339);
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
    }

    /// The JSON of the column at `index` of the page's column names, as PostgreSQL wrote
    /// it.
    pub fn written(&self, index: usize) -> Option<&'a str> {
        self.columns.get(index).copied()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::query::board_fields;

    /// A row as PostgreSQL writes one with every column: text that JSON escapes, times in
    /// UTC beside their offsets, stored enum names.
    const ROW: &str = r#"{"id":"d-\"1\"","community_id":"guangsha","compound_id":null,
        "grid_id":"g-1","category":"市容环境","title":"引号\"与\\反斜杠\n换行\t\u0001\u001f/","description":"路灯不亮🙂",
        "location":"东门","channel":"chat_group","reporter":"居民","status":"assigned",
        "assignee":"王网格员","due_by":"2023-10-05","escalated":true,"items":4,"resolution":null,
        "satisfaction":5,"reported_at":"2023-10-02T01:30:00.5+00:00","reported_offset":-18000,
        "resolved_at":"2023-10-03T10:00:00.25+00:00","resolved_offset":28800,
        "closed_at":"2023-10-04T01:00:00+00:00","overdue":true}"#;

    /// The names of `object`'s members.
    pub(crate) fn names(object: &str) -> Vec<&str> {
        let members: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
            serde_json::from_str(object).expect("an object");
        members.into_keys().collect()
    }

    /// The JSON of `object`'s members `names`, in that order (`null` where it has none), as
    /// `Board::column_rows` gives a row's columns.
    pub(crate) fn values<'a>(names: &[&str], object: &'a str) -> Vec<&'a str> {
        let members: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
            serde_json::from_str(object).expect("an object");
        names
            .iter()
            .map(|name| members.get(name).map_or("null", |v| v.get()))
            .collect()
    }

    #[test]
    fn every_field_has_the_value_the_decoded_issue_gives_it() {
        let names = names(ROW);
        let mut row = Row::new(&names, values(&names, ROW)).expect("a row");
        row.decode_id().expect("an id");
        assert_eq!(row.issue.id, "d-\"1\"");
        let issue: Issue = serde_json::from_str::<Issue>(ROW)
            .expect("an issue")
            .in_written_offsets();
        for field in board_fields() {
            let expected =
                serde_json::to_string(&board_column(&issue, field.name).expect("a value"))
                    .expect("JSON");
            let written = match field.as_written {
                Some(key) => {
                    let at = names.iter().position(|n| *n == key).expect("the column");
                    row.written(at).expect("its value").to_owned()
                }
                None => {
                    let mut out = Vec::new();
                    row.write_converted(&mut out, field.name);
                    String::from_utf8(out).expect("UTF-8")
                }
            };
            assert_eq!(written, expected, "{}", field.name);
        }
    }

    #[test]
    fn a_stored_name_the_domain_does_not_know_is_an_error() {
        let object = ROW.replace(r#""status":"assigned""#, r#""status":"lost""#);
        let names = names(&object);
        assert!(Row::new(&names, values(&names, &object)).is_err());
    }
}
