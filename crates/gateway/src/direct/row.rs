//! A row of a board page as the direct path reads it: each column's JSON as PostgreSQL
//! wrote it, and the values of the few columns that are converted.
//!
//! Decoding every column into an `Issue` and serializing it again was most of what the
//! direct path spent beyond the statement: a `String` per text column per row, each then
//! escaped once more. A field whose column PostgreSQL writes as the executor would write
//! the field (`BoardField::as_written`) is copied from the page's text instead; the rest
//! are decoded by the issue's own field decoders (`query::issue_row`) and written as
//! `board_column` writes them on every other path. The columns come apart without a JSON
//! parser (`Board::fetch_columns`); finding where each value of a JSON array of rows ends
//! had been about a third of the path's CPU beyond the statement.
//!
//! A row holds only those few values, not an `Issue` of defaults: moving an `Issue` of
//! two dozen fields into place for each of 50 rows, several times over, had cost more than
//! decoding the values did. What each column is, is found once per page ([`Kind::of`]),
//! not by name in every row.

use std::sync::LazyLock;

use async_graphql::{EnumType, Value};
use serde::{Deserialize, Serialize};
use serde_json::de::SliceRead;
use time::format_description::well_known::Rfc3339;

use crate::enums::{IssueChannel, IssueStatus};
use crate::query::{board_column, channel_value, issue_row, status_value, BoardCursor, Issue};
use crate::scalars::DateTime;

/// A converted enum column: for each value, its stored name's JSON as PostgreSQL writes it
/// and the field's value as the executor writes it (`board_column`'s, serialized). A row
/// looks its column's text up here instead of decoding a name and serializing a value.
struct EnumTexts<G>(Vec<(G, String, String)>);

impl<G: EnumType + Copy + PartialEq + Default> EnumTexts<G> {
    /// The texts of every value of `G`, stored as the domain's `D` is.
    fn new<D: Serialize>(value: fn(G) -> Value) -> Self
    where
        G: Into<D>,
    {
        // A name and a GraphQL value serialize without fail.
        fn json(value: &impl Serialize) -> String {
            serde_json::to_string(value).unwrap_or_default()
        }
        EnumTexts(
            G::items()
                .iter()
                .map(|item| {
                    let stored = civic_projections::queries::stored_name(&item.value.into());
                    (item.value, json(&stored), json(&value(item.value)))
                })
                .collect(),
        )
    }

    /// The field's text for the stored name whose JSON is `written`; a text the table
    /// does not hold is decoded by `decode` (which refuses a name the domain does not know).
    fn field(
        &'static self,
        written: &[u8],
        decode: impl FnOnce(&mut Json<'_>) -> serde_json::Result<G>,
    ) -> serde_json::Result<&'static str> {
        if let Some((_, _, field)) = self
            .0
            .iter()
            .find(|(_, stored, _)| stored.as_bytes() == written)
        {
            return Ok(field);
        }
        Ok(self.of(decoded(written, decode)?))
    }

    /// The field's text for `value`.
    fn of(&'static self, value: G) -> &'static str {
        self.0
            .iter()
            .find(|(v, _, _)| *v == value)
            .map_or("null", |(_, _, field)| field)
    }
}

/// A deserializer of one column's JSON.
type Json<'de> = serde_json::Deserializer<SliceRead<'de>>;

/// `value`, one whole JSON text, decoded by `decode`. (A deserializer is made only for a
/// column that is decoded: most are copied as written.)
fn decoded<'de, T>(
    value: &'de [u8],
    decode: impl FnOnce(&mut Json<'de>) -> serde_json::Result<T>,
) -> serde_json::Result<T> {
    let mut json = serde_json::Deserializer::from_slice(value);
    let decoded = decode(&mut json)?;
    json.end()?;
    Ok(decoded)
}

static STATUSES: LazyLock<EnumTexts<IssueStatus>> =
    LazyLock::new(|| EnumTexts::new::<civic_domain::issue::IssueStatus>(status_value));
static CHANNELS: LazyLock<EnumTexts<IssueChannel>> =
    LazyLock::new(|| EnumTexts::new::<civic_domain::issue::Channel>(channel_value));

/// What the direct path does with a column of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The id: copied as written, decoded only for a cursor.
    Id,
    Status,
    Channel,
    ReportedAt,
    ReportedOffset,
    ResolvedAt,
    ResolvedOffset,
    ClosedAt,
    /// Copied as written, never decoded.
    Written,
}

impl Kind {
    /// The kind of each of the page's columns, named by `names`.
    pub fn of(names: &[&str]) -> Vec<Kind> {
        names
            .iter()
            .map(|name| match *name {
                "id" => Kind::Id,
                "status" => Kind::Status,
                "channel" => Kind::Channel,
                "reported_at" => Kind::ReportedAt,
                "reported_offset" => Kind::ReportedOffset,
                "resolved_at" => Kind::ResolvedAt,
                "resolved_offset" => Kind::ResolvedOffset,
                "closed_at" => Kind::ClosedAt,
                _ => Kind::Written,
            })
            .collect()
    }
}

/// One row of a page.
pub(super) struct Row<'a> {
    /// Each column's JSON, as written, in the order of the page's column names.
    columns: &'a [&'a [u8]],
    /// The id's JSON: every row's id is copied as written, and only the rows a cursor is
    /// written for decode it ([`Row::cursor`]).
    id: &'a [u8],
    /// The status and channel fields' JSON (`EnumTexts`).
    status: &'static str,
    channel: &'static str,
    /// The times at the offsets they were written in, as `Issue::in_written_offsets` gives
    /// them.
    reported_at: DateTime,
    resolved_at: Option<DateTime>,
    closed_at: Option<DateTime>,
}

impl<'a> Row<'a> {
    /// The row whose columns, of kinds `kinds`, are `columns`; each converted column
    /// decoded by the issue's own field decoders (`query::issue_row`).
    pub fn new(kinds: &[Kind], columns: &'a [&'a [u8]]) -> serde_json::Result<Row<'a>> {
        let mut row = Row {
            columns,
            id: b"null",
            status: STATUSES.of(IssueStatus::default()),
            channel: CHANNELS.of(IssueChannel::default()),
            reported_at: DateTime::default(),
            resolved_at: None,
            closed_at: None,
        };
        let (mut reported_offset, mut resolved_offset) = (0, None);
        for (kind, value) in kinds.iter().zip(columns) {
            match kind {
                Kind::Written => {}
                Kind::Id => row.id = value,
                Kind::Status => {
                    row.status = STATUSES.field(value, |json| issue_row::status(json))?
                }
                Kind::Channel => {
                    row.channel = CHANNELS.field(value, |json| issue_row::channel(json))?
                }
                Kind::ReportedAt => {
                    row.reported_at = decoded(value, |json| issue_row::micros(json))?
                }
                Kind::ReportedOffset => {
                    reported_offset = decoded(value, |json| i32::deserialize(json))?
                }
                Kind::ResolvedAt => {
                    row.resolved_at = decoded(value, |json| issue_row::optional_micros(json))?
                }
                Kind::ResolvedOffset => {
                    resolved_offset = decoded(value, |json| Option::deserialize(json))?
                }
                Kind::ClosedAt => {
                    row.closed_at = decoded(value, |json| issue_row::optional_micros(json))?
                }
            }
        }
        // As `Issue::in_written_offsets`.
        row.reported_at = DateTime::at(row.reported_at.0, reported_offset);
        row.resolved_at = row
            .resolved_at
            .map(|at| DateTime::at(at.0, resolved_offset.unwrap_or(0)));
        Ok(row)
    }

    /// The row's cursor, its id decoded.
    pub fn cursor(&self) -> serde_json::Result<BoardCursor> {
        Ok(BoardCursor::at(
            self.reported_at.0,
            serde_json::from_slice(self.id)?,
        ))
    }

    /// Writes the value of the converted field `name` as the executor writes it: the
    /// issue's times straight into `out` (as `DateTime`'s value, an RFC 3339 text, which
    /// holds nothing JSON escapes), the enums' texts from their `EnumTexts`.
    pub fn write_converted(&self, out: &mut Vec<u8>, name: &str) {
        let moment = match name {
            "reportedAt" => Some(&self.reported_at),
            "resolvedAt" => self.resolved_at.as_ref(),
            "closedAt" => self.closed_at.as_ref(),
            "status" => return out.extend_from_slice(self.status.as_bytes()),
            "channel" => return out.extend_from_slice(self.channel.as_bytes()),
            // `__typename`, the same for every issue. (Every other field is copied as
            // PostgreSQL wrote it: `BoardField::as_written`.)
            _ => {
                let value = board_column(&Issue::default(), name).unwrap_or(Value::Null);
                return super::json(out, &value);
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
    pub fn written(&self, index: usize) -> Option<&'a [u8]> {
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
    /// `Board::column_cells` gives a row's columns: its times (RFC 3339 in `object`) as
    /// microseconds since the epoch.
    pub(crate) fn values(names: &[&str], object: &str) -> Vec<Vec<u8>> {
        let members: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
            serde_json::from_str(object).expect("an object");
        names
            .iter()
            .map(|name| {
                let json = members.get(name).map_or("null", |v| v.get());
                if !civic_projections::queries::issues::MOMENTS.contains(name) || json == "null" {
                    return json.as_bytes().to_vec();
                }
                let text: &str = serde_json::from_str(json).expect("a time");
                let at = time::OffsetDateTime::parse(text, &Rfc3339).expect("RFC 3339");
                (at.unix_timestamp_nanos() / 1000).to_string().into_bytes()
            })
            .collect()
    }

    /// Each of `cells`, borrowed.
    pub(crate) fn slices(cells: &[Vec<u8>]) -> Vec<&[u8]> {
        cells.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn every_field_has_the_value_the_decoded_issue_gives_it() {
        let names = names(ROW);
        let cells = values(&names, ROW);
        let cells = slices(&cells);
        let row = Row::new(&Kind::of(&names), &cells).expect("a row");
        let issue: Issue = serde_json::from_str::<Issue>(ROW)
            .expect("an issue")
            .in_written_offsets();
        assert_eq!(
            row.cursor().expect("a cursor").text(),
            BoardCursor::of(&issue).text()
        );
        for field in board_fields() {
            let expected =
                serde_json::to_string(&board_column(&issue, field.name).expect("a value"))
                    .expect("JSON");
            let written = match field.as_written {
                Some(key) => {
                    let at = names.iter().position(|n| *n == key).expect("the column");
                    String::from_utf8(row.written(at).expect("its value").to_vec()).expect("UTF-8")
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
        let cells = values(&names, &object);
        assert!(Row::new(&Kind::of(&names), &slices(&cells)).is_err());
    }
}
