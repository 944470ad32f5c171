//! A board page rendered by PostgreSQL in the shape its reader shows it, for readers that
//! pass the JSON through to their clients without decoding it.
//!
//! [`Board::fetch_json`] returns the page's columns for the reader to decode and present.
//! [`Board::fetch_shown`] takes how each field is shown ([`Shown`]) and returns the nodes
//! as one JSON array, ready to be written into a response, with what the reader needs
//! around it: how many rows there were (one more than the page tells that there is a
//! neighbour) and where the page starts and ends (its cursors).

use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use time::OffsetDateTime;

use super::issues::{Board, BoardPosition, Direction};

/// How a field of an issue is shown. Column names are those of the page's select list
/// ([`super::issues::columns_for`]: `id`, `community_id`, `title`, `due_by`, `overdue`, …);
/// every name here comes from the reader's code, never from its client.
#[derive(Debug, Clone, Copy)]
pub enum Shown {
    /// The column as PostgreSQL renders it in JSON: text, numbers, booleans, `null`, dates as
    /// `2023-10-05`.
    Column(&'static str),
    /// A stored enum name shown as the name paired with it; a stored name not in the list
    /// fails the statement (`read.unknown_name`), as decoding it would.
    Named {
        /// The column.
        column: &'static str,
        /// What the names are, for the error.
        kind: &'static str,
        /// Each stored name with the name shown for it.
        names: &'static [(String, &'static str)],
    },
    /// A time in RFC 3339 at the offset in `offset` (seconds east of UTC; UTC when `None`
    /// or null), as `read.rfc3339` writes it.
    Moment {
        /// The `timestamptz` column.
        column: &'static str,
        /// The column of its offset.
        offset: Option<&'static str>,
    },
    /// The same text on every node (a type name).
    Text(&'static str),
}

/// A page of the board as [`Board::fetch_shown`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownPage {
    /// The page's nodes, newest first: a JSON array of one object per issue, each with the
    /// keys given in their order.
    pub nodes: String,
    /// Rows the statement returned, the page's and the one past its far end if there is one.
    pub fetched: i64,
    /// Where the page's newest issue stands.
    pub newest: Option<BoardPosition>,
    /// Where the page's oldest issue stands.
    pub oldest: Option<BoardPosition>,
}

impl Board {
    /// The page with each node an object of `fields` (each key with how it is shown), the
    /// nodes in one JSON array. `size` is the page size; the board's `limit` is one more,
    /// and the row past the page's far end is left out of the nodes.
    pub async fn fetch_shown(
        &self,
        pool: &PgPool,
        fields: &[(&'static str, Shown)],
        size: i64,
    ) -> sqlx::Result<ShownPage> {
        let row = self
            .shown_statement(fields, size)
            .build()
            .fetch_one(pool)
            .await?;
        let at = |i: usize| -> sqlx::Result<Option<OffsetDateTime>> { row.try_get(i) };
        let id = |i: usize| -> sqlx::Result<Option<String>> { row.try_get(i) };
        let position = |at: Option<OffsetDateTime>, id: Option<String>| {
            at.zip(id)
                .map(|(reported_at, id)| BoardPosition { reported_at, id })
        };
        let (near, far) = (position(at(2)?, id(3)?), position(at(4)?, id(5)?));
        let (newest, oldest) = match self.direction {
            Direction::Forward => (near, far),
            Direction::Backward => (far, near),
        };
        Ok(ShownPage {
            nodes: row.try_get(0)?,
            fetched: row.try_get(1)?,
            newest,
            oldest,
        })
    }

    /// One row: the nodes of the page (the rows nearest the cursor, `size` at most) as a
    /// JSON array newest first, the rows fetched, and the report time and id of the page's
    /// nearest and farthest row from the cursor. Each node is the record of a `LATERAL`
    /// select whose column names are the keys, which `json_agg` writes compactly; the
    /// nearest and farthest rows are found by their row number in the statement's order,
    /// which the index already gives, so only the nodes are sorted.
    fn shown_statement(
        &self,
        fields: &[(&'static str, Shown)],
        size: i64,
    ) -> QueryBuilder<'static, Postgres> {
        let order = self.order();
        let mut q = QueryBuilder::new(
            "SELECT coalesce(json_agg(shown ORDER BY b.reported_at DESC, b.id DESC) FILTER (WHERE b.near <= ",
        );
        q.push_bind(size)
            .push("), '[]')::text, count(*), ")
            .push("max(b.reported_at) FILTER (WHERE b.near = 1), max(b.id) FILTER (WHERE b.near = 1), ")
            .push("max(b.reported_at) FILTER (WHERE b.near = least(b.total, ")
            .push_bind(size)
            .push(")), max(b.id) FILTER (WHERE b.near = least(b.total, ")
            .push_bind(size)
            .push(format_args!(
                ")) FROM (SELECT b.*, row_number() OVER (ORDER BY b.reported_at {order}, b.id {order}) AS near, \
                 count(*) OVER () AS total FROM ("
            ));
        self.push_statement(&mut q);
        q.push(format_args!(
            ") b) b, LATERAL (SELECT {}) shown",
            node_columns(fields)
        ));
        q
    }
}

/// The select list of a node over the page's row `b`: each field's expression named by its
/// key.
fn node_columns(fields: &[(&'static str, Shown)]) -> String {
    let columns: Vec<String> = fields
        .iter()
        .map(|(key, shown)| format!("{} AS {}", expression(*shown), quoted(key)))
        .collect();
    columns.join(", ")
}

fn expression(shown: Shown) -> String {
    match shown {
        Shown::Column(column) => format!("b.{}", identifier(column)),
        Shown::Named {
            column,
            kind,
            names,
        } => {
            let column = format!("b.{}", identifier(column));
            let cases: String = names
                .iter()
                .map(|(stored, name)| format!(" WHEN {} THEN {}", literal(stored), literal(name)))
                .collect();
            format!(
                "CASE {column}{cases} ELSE read.unknown_name({}, {column}) END",
                literal(kind)
            )
        }
        Shown::Moment { column, offset } => format!(
            "read.rfc3339(b.{}, {})",
            identifier(column),
            offset.map_or("0".to_owned(), |o| format!(
                "coalesce(b.{}, 0)",
                identifier(o)
            ))
        ),
        Shown::Text(text) => format!("{}::text", literal(text)),
    }
}

/// A key as an SQL identifier (quoted, so its case is kept).
fn quoted(key: &str) -> String {
    format!("\"{}\"", key.replace('"', "\"\""))
}

/// A string as an SQL literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A column name of the select list, checked: lower-case letters, digits and `_` only.
fn identifier(name: &'static str) -> &'static str {
    assert!(
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "not a column of the board: {name:?}"
    );
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_a_select_list_over_the_page_row_named_by_its_keys() {
        static NAMES: std::sync::LazyLock<Vec<(String, &'static str)>> =
            std::sync::LazyLock::new(|| vec![("reported".to_owned(), "REPORTED")]);
        let node = node_columns(&[
            ("id", Shown::Column("id")),
            ("it\"s", Shown::Text("Issue")),
            (
                "status",
                Shown::Named {
                    column: "status",
                    kind: "issue status",
                    names: &NAMES,
                },
            ),
            (
                "reportedAt",
                Shown::Moment {
                    column: "reported_at",
                    offset: Some("reported_offset"),
                },
            ),
            (
                "closedAt",
                Shown::Moment {
                    column: "closed_at",
                    offset: None,
                },
            ),
        ]);
        assert_eq!(
            node,
            "b.id AS \"id\", 'Issue'::text AS \"it\"\"s\", CASE b.status \
             WHEN 'reported' THEN 'REPORTED' ELSE read.unknown_name('issue status', b.status) END AS \"status\", \
             read.rfc3339(b.reported_at, coalesce(b.reported_offset, 0)) AS \"reportedAt\", \
             read.rfc3339(b.closed_at, 0) AS \"closedAt\""
        );
    }

    #[test]
    fn the_statement_reads_the_page_once_and_binds_the_size() {
        let board = Board {
            community: Some("c".into()),
            limit: 51,
            ..Board::default()
        };
        let sql = board
            .shown_statement(&[("id", Shown::Column("id"))], 50)
            .into_sql();
        assert!(sql.contains("FILTER (WHERE b.near <= $1)"), "{sql}");
        assert!(sql.contains("least(b.total, $3)"), "{sql}");
        assert!(sql.contains("community_id = $4"), "{sql}");
        assert!(
            sql.ends_with("LIMIT $5) b) b, LATERAL (SELECT b.id AS \"id\") shown"),
            "{sql}"
        );
    }

    #[test]
    #[should_panic(expected = "not a column of the board")]
    fn a_column_name_is_never_more_than_a_name() {
        expression(Shown::Column("id; DROP TABLE read.issues"));
    }
}
