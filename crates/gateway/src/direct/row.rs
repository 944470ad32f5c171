//! A row of a board page as the direct path reads it: each column's JSON as PostgreSQL
//! wrote it, and an [`Issue`] of the few columns whose values are converted.
//!
//! Decoding every column into an `Issue` and serializing it again was most of what the
//! direct path spent beyond the statement: a `String` per text column per row, each then
//! escaped once more. A field whose column PostgreSQL writes as the executor would write
//! the field (`BoardField::as_written`) is copied from the page's text instead; the rest
//! come from `board_column` of the row's `Issue`, as on every other path.

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::query::Issue;

/// The row keys decoded into [`Row::issue`]: the converted fields' columns, their offsets,
/// and the id (for cursors).
const DECODED: [&str; 8] = [
    "id",
    "status",
    "channel",
    "reported_at",
    "reported_offset",
    "resolved_at",
    "resolved_offset",
    "closed_at",
];

/// One row of a page.
pub(super) struct Row<'a> {
    /// Each column's JSON, as written, in the row's order.
    columns: Vec<(&'a str, &'a RawValue)>,
    /// The [`DECODED`] columns, times at the offsets they were written in; every other
    /// field keeps its default.
    pub issue: Issue,
}

impl<'a> Row<'a> {
    /// The JSON of the column `key`, as PostgreSQL wrote it.
    pub fn written(&self, key: &str) -> Option<&'a str> {
        self.columns
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.get())
    }
}

impl<'de> Deserialize<'de> for Row<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = Row<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an issue's row")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row<'de>, A::Error> {
                let mut columns = Vec::with_capacity(16);
                // The decoded columns as one small object, for `Issue`'s own decoder.
                let mut decoded = String::with_capacity(192);
                decoded.push('{');
                while let Some((key, value)) = map.next_entry::<&'de str, &'de RawValue>()? {
                    if DECODED.contains(&key) {
                        if decoded.len() > 1 {
                            decoded.push(',');
                        }
                        decoded.push('"');
                        decoded.push_str(key);
                        decoded.push_str("\":");
                        decoded.push_str(value.get());
                    }
                    columns.push((key, value));
                }
                decoded.push('}');
                let issue: Issue = serde_json::from_str(&decoded).map_err(A::Error::custom)?;
                Ok(Row {
                    columns,
                    issue: issue.in_written_offsets(),
                })
            }
        }
        deserializer.deserialize_map(RowVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{board_column, board_fields};

    /// A row as PostgreSQL writes one with every column: text that JSON escapes, times in
    /// UTC beside their offsets, stored enum names.
    const ROW: &str = r#"{"id":"d-\"1\"","community_id":"guangsha","compound_id":null,
        "grid_id":"g-1","category":"市容环境","title":"引号\"与\\反斜杠\n换行\t\u0001\u001f/","description":"路灯不亮🙂",
        "location":"东门","channel":"chat_group","reporter":"居民","status":"assigned",
        "assignee":"王网格员","due_by":"2023-10-05","escalated":true,"items":4,"resolution":null,
        "satisfaction":5,"reported_at":"2023-10-02T01:30:00.5+00:00","reported_offset":-18000,
        "resolved_at":"2023-10-03T10:00:00.25+00:00","resolved_offset":28800,
        "closed_at":"2023-10-04T01:00:00+00:00","overdue":true}"#;

    #[test]
    fn every_field_has_the_value_the_decoded_issue_gives_it() {
        let row: Row = serde_json::from_str(ROW).expect("a row");
        let issue: Issue = serde_json::from_str::<Issue>(ROW)
            .expect("an issue")
            .in_written_offsets();
        for field in board_fields() {
            let expected =
                serde_json::to_string(&board_column(&issue, field.name).expect("a value"))
                    .expect("JSON");
            let written = match field.as_written {
                Some(key) => row.written(key).expect("the column").to_owned(),
                None => {
                    serde_json::to_string(&board_column(&row.issue, field.name).expect("a value"))
                        .expect("JSON")
                }
            };
            assert_eq!(written, expected, "{}", field.name);
        }
    }

    #[test]
    fn a_stored_name_the_domain_does_not_know_is_an_error() {
        let row = ROW.replace(r#""status":"assigned""#, r#""status":"lost""#);
        assert!(serde_json::from_str::<Row>(&row).is_err());
    }
}
