//! A board page rendered by PostgreSQL in the shape its reader shows it, for readers that
//! pass the JSON through to their clients without decoding it.
//!
//! [`Board::fetch_json`] returns the page's columns for the reader to decode and present.
//! [`Board::fetch_shown`] takes how each field is shown ([`Shown`]) and returns the nodes
//! as one JSON array, ready to be written into a response, with what the reader needs
//! around it: how many rows there were (one more than the page tells that there is a next
//! page) and where the page starts and ends (its cursors).

use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use time::OffsetDateTime;

use super::issues::{Board, BoardPosition};

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
        Ok(ShownPage {
            nodes: row.try_get(0)?,
            fetched: row.try_get(1)?,
            newest: position(at(2)?, id(3)?),
            oldest: position(at(4)?, id(5)?),
        })
    }

    /// One row: the nodes of the page (the rows nearest the cursor, `size` at most) as a
    /// JSON array newest first, the rows fetched, and the newest and oldest node's report
    /// time and id.
    fn shown_statement(
        &self,
        fields: &[(&'static str, Shown)],
        size: i64,
    ) -> QueryBuilder<'static, Postgres> {
        let order = self.order();
        let node = node_object(fields);
        let mut q = QueryBuilder::new(format!(
            "SELECT coalesce(json_agg(p.node ORDER BY p.reported_at DESC, p.id DESC) FILTER (WHERE p.on_page), '[]')::text, \
             count(*), \
             (array_agg(p.reported_at ORDER BY p.reported_at DESC, p.id DESC) FILTER (WHERE p.on_page))[1], \
             (array_agg(p.id ORDER BY p.reported_at DESC, p.id DESC) FILTER (WHERE p.on_page))[1], \
             (array_agg(p.reported_at ORDER BY p.reported_at, p.id) FILTER (WHERE p.on_page))[1], \
             (array_agg(p.id ORDER BY p.reported_at, p.id) FILTER (WHERE p.on_page))[1] \
             FROM (SELECT {node} AS node, b.reported_at, b.id, \
             row_number() OVER (ORDER BY b.reported_at {order}, b.id {order}) <= "
        ));
        q.push_bind(size).push(" AS on_page FROM (");
        self.push_statement(&mut q);
        q.push(") b) p");
        q
    }
}

/// `json_build_object` of the fields over the page's row `b`.
fn node_object(fields: &[(&'static str, Shown)]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(key, shown)| format!("{}, {}", literal(key), expression(*shown)))
        .collect();
    format!("json_build_object({})", pairs.join(", "))
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
    fn the_nodes_are_built_from_the_page_rows_with_each_key_once_quoted() {
        static NAMES: std::sync::LazyLock<Vec<(String, &'static str)>> =
            std::sync::LazyLock::new(|| vec![("reported".to_owned(), "REPORTED")]);
        let node = node_object(&[
            ("id", Shown::Column("id")),
            ("it's", Shown::Text("Issue")),
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
            "json_build_object('id', b.id, 'it''s', 'Issue'::text, 'status', CASE b.status \
             WHEN 'reported' THEN 'REPORTED' ELSE read.unknown_name('issue status', b.status) END, \
             'reportedAt', read.rfc3339(b.reported_at, coalesce(b.reported_offset, 0)), \
             'closedAt', read.rfc3339(b.closed_at, 0))"
        );
    }

    #[test]
    #[should_panic(expected = "not a column of the board")]
    fn a_column_name_is_never_more_than_a_name() {
        expression(Shown::Column("id; DROP TABLE read.issues"));
    }
}
