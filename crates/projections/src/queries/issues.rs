//! Reads of the issue read model: one issue, the board's pages, each issue's timeline.
//!
//! The functions are generic over the row type so that each reader keeps its own
//! presentation (the gateway's GraphQL objects, the benchmark's JSON) while the SQL, the
//! column list and the board's order live here once.

use std::sync::LazyLock;

use civic_domain::issue::IssueStatus;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder, Row as _};
use time::OffsetDateTime;

use super::open_issue;
use crate::models::enum_name;

/// The fields whose column has the field's name (see [`selection_for`]).
const PLAIN: [&str; 16] = [
    "compound_id",
    "grid_id",
    "category",
    "title",
    "description",
    "location",
    "channel",
    "reporter",
    "status",
    "assignee",
    "due_by",
    "escalated",
    "items",
    "resolution",
    "satisfaction",
    "closed_at",
];

/// A select list of `read.issues`: its SQL, and the names of the columns it outputs, in
/// order. Times come as `timestamptz` with the offset they were given in (`*_offset`,
/// seconds east of UTC) beside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The list, as it follows `SELECT`.
    pub sql: String,
    /// Each output column's name.
    pub names: Vec<&'static str>,
    /// One row of [`Board::fetch_columns`]: each column's JSON over a subquery `i` of this
    /// list, written once here rather than for every page.
    row_text: String,
    /// The places in `names` of the columns written between quotes ([`QUOTED`]), which
    /// [`Board::column_cells`] checks.
    quoted: Vec<usize>,
}

/// The fields whose columns [`selection_for`] names otherwise.
const OTHERS: [&str; 3] = ["resolved_at", "overdue", "contact"];

/// An issue as readers see it: every field.
static EVERY: LazyLock<Selection> =
    LazyLock::new(|| selection_for(PLAIN.iter().chain(&OTHERS).copied()));

/// The select list of a whole issue.
pub fn issue_columns() -> &'static str {
    &EVERY.sql
}

/// What every narrowed select list holds: the id, the community (the read rule) and the
/// report time with its offset (the cursor).
const ALWAYS: &str = "issue_id AS id, community_id, reported_at, reported_offset";

/// The names of [`ALWAYS`]' columns.
const ALWAYS_NAMES: [&str; 4] = ["id", "community_id", "reported_at", "reported_offset"];

/// The select list for the fields a reader asks for (by their names in [`PLAIN`] and
/// [`OTHERS`]: `title`, `due_by`, `resolved_at`, `overdue`, `contact`, …); [`ALWAYS`] is
/// always there, and a name not listed adds nothing. A page then reads and decodes only
/// what it shows.
pub fn selection_for<'a>(fields: impl IntoIterator<Item = &'a str>) -> Selection {
    let mut list = vec![ALWAYS.to_owned()];
    let mut names = ALWAYS_NAMES.to_vec();
    for field in fields {
        let (columns, named): (String, &'static [&'static str]) = match field {
            "resolved_at" => (
                "resolved_at, resolved_offset".to_owned(),
                &["resolved_at", "resolved_offset"],
            ),
            "overdue" => (
                format!(
                    "coalesce({} AND due_by < current_date, false) AS overdue",
                    open_issue()
                ),
                &["overdue"],
            ),
            "contact" => (
                "contact_person, contact_name_sealed, contact_phone_sealed".to_owned(),
                &[
                    "contact_person",
                    "contact_name_sealed",
                    "contact_phone_sealed",
                ],
            ),
            _ => match PLAIN.iter().find(|plain| **plain == field) {
                Some(plain) => ((*plain).to_owned(), std::slice::from_ref(plain)),
                None => continue,
            },
        };
        if !names.contains(&named[0]) {
            list.push(columns);
            names.extend_from_slice(named);
        }
    }
    let columns: Vec<String> = names.iter().map(|name| column_json(name)).collect();
    let quoted = (names.iter().enumerate())
        .filter(|(_, name)| QUOTED.contains(name))
        .map(|(at, _)| at)
        .collect();
    Selection {
        sql: list.join(", "),
        row_text: format!(
            "concat_ws({}, {})",
            separator_sql(COLUMN_SEPARATOR),
            columns.join(", ")
        ),
        names,
        quoted,
    }
}

/// The columns whose text is their JSON: integers and booleans (`to_json` writes them with
/// their type's output, and `true`/`false` is what a boolean cast to text gives).
const WRITTEN_AS_TEXT: [&str; 6] = [
    "reported_offset",
    "resolved_offset",
    "items",
    "satisfaction",
    "escalated",
    "overdue",
];

/// The columns whose every value JSON writes as it is between quotes: the ids (lowercase
/// ASCII letters, digits, `-` and `_`: `civic_domain::values`' id types) and the stored
/// names of enums (snake case). [`Board::fetch_columns`] writes them by concatenation
/// rather than with `to_json`, whose lookup of the value's type was about a sixth of the
/// statement's time in PostgreSQL on a page of 50 (measured with the plan cached, as a
/// prepared statement runs: 123-130 µs against 145-172 µs for a page of the board's
/// dozen columns). [`Board::column_cells`] refuses a page whose value in one of them holds
/// a quote or a backslash, so a value that broke that rule would be an error, never
/// JSON other than `to_json`'s.
const QUOTED: [&str; 6] = [
    "id",
    "community_id",
    "compound_id",
    "grid_id",
    "status",
    "channel",
];

/// The times, which [`Board::fetch_columns`] writes as whole microseconds since the Unix
/// epoch (exact: PostgreSQL keeps microseconds) instead of in RFC 3339. Every reader of a
/// time converts it (to the offset it was written in), and an integer is read for a
/// fraction of what parsing the text costs; PostgreSQL writes either for about the same.
pub const MOMENTS: [&str; 3] = ["reported_at", "resolved_at", "closed_at"];

/// The SQL of column `name`'s JSON, over a subquery `i`, as `to_json` writes it. `to_json`
/// looks up the column's type for every value it writes, which a page of 50 rows of a dozen
/// columns feels; the columns in [`WRITTEN_AS_TEXT`] are cast instead. The [`MOMENTS`] are
/// microseconds. A NULL (which `concat_ws` would leave out) is written `null`.
fn column_json(name: &str) -> String {
    if MOMENTS.contains(&name) {
        format!("coalesce((extract(epoch FROM i.{name}) * 1000000)::bigint::text, 'null')")
    } else if WRITTEN_AS_TEXT.contains(&name) {
        format!("coalesce(i.{name}::text, 'null')")
    } else if QUOTED.contains(&name) {
        format!("coalesce('\"' || i.{name} || '\"', 'null')")
    } else {
        format!("coalesce(to_json(i.{name})::text, 'null')")
    }
}

/// One issue by id, rendered in JSON like a board page's (see [`Board::fetch_text`]).
pub async fn issue<R: DeserializeOwned>(pool: &PgPool, id: &str) -> sqlx::Result<Option<R>> {
    let text: Option<String> = sqlx::query_scalar(&format!(
        "SELECT row_to_json(i)::text FROM (SELECT {} FROM read.issues WHERE issue_id = $1) i",
        issue_columns()
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    text.map(|text| from_json(&text)).transpose()
}

/// Decodes an issue, or a page of them, as PostgreSQL rendered it in JSON: one decoder for
/// every way an issue is read.
fn from_json<'a, R: Deserialize<'a>>(text: &'a str) -> sqlx::Result<R> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Separates the columns of a row in [`Board::fetch_columns`]' text.
const COLUMN_SEPARATOR: u8 = 0x1f;

/// Separates the rows in [`Board::fetch_columns`]' text.
const ROW_SEPARATOR: u8 = 0x1e;

/// `separator` as an SQL string literal.
fn separator_sql(separator: u8) -> String {
    format!("E'\\x{separator:02x}'")
}

/// Where a page of the board starts: just past the issue reported at `reported_at` with
/// id `id`, in the board's order (newest first, then id descending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardPosition {
    /// The issue's report time, to the microsecond as stored.
    pub reported_at: OffsetDateTime,
    /// The issue's id.
    pub id: String,
}

/// Which way a page runs from its cursor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    /// Older issues, after the cursor.
    #[default]
    Forward,
    /// Newer issues, before the cursor (returned newest first all the same).
    Backward,
}

/// One page of the issue board: filters, the reader's communities when limited to some,
/// the cursor and the page size. Every filter left out matches all.
#[derive(Debug, Clone, Default)]
pub struct Board {
    /// Only this community.
    pub community: Option<String>,
    /// Only these communities (the reader's scope); `None` for all.
    pub scope: Option<Vec<String>>,
    /// Status.
    pub status: Option<IssueStatus>,
    /// Category.
    pub category: Option<String>,
    /// Compound.
    pub compound: Option<String>,
    /// Grid.
    pub grid: Option<String>,
    /// Assignee.
    pub assignee: Option<String>,
    /// Reporter, as named in the report.
    pub reporter: Option<String>,
    /// Reported at or after.
    pub from: Option<OffsetDateTime>,
    /// Reported before.
    pub to: Option<OffsetDateTime>,
    /// The cursor.
    pub cursor: Option<BoardPosition>,
    /// Which way from the cursor.
    pub direction: Direction,
    /// Rows to fetch.
    pub limit: i64,
    /// The select list ([`selection_for`]); every column when `None`.
    pub columns: Option<Selection>,
}

impl Board {
    /// The page's statement. It holds only the predicates in use, so each combination is
    /// prepared once with a plan of its own shape. It orders by the raw columns of
    /// `issues_board_idx` (community, `reported_at`, id), so a community's page is an index
    /// range scan with no sort.
    pub fn query(&self) -> QueryBuilder<'static, Postgres> {
        self.statement("")
    }

    /// [`Board::query`] after `prefix` (which may open a subquery the caller closes).
    fn statement(&self, prefix: &str) -> QueryBuilder<'static, Postgres> {
        fn equal(q: &mut QueryBuilder<'static, Postgres>, column: &str, value: &Option<String>) {
            if let Some(value) = value {
                q.push(format_args!(" AND {column} = "))
                    .push_bind(value.clone());
            }
        }
        let mut q = QueryBuilder::new(format!(
            "{prefix}SELECT {} FROM read.issues WHERE true",
            self.selection().sql
        ));
        equal(&mut q, "community_id", &self.community);
        if let Some(scope) = &self.scope {
            q.push(" AND community_id = ANY(")
                .push_bind(scope.clone())
                .push(")");
        }
        equal(&mut q, "status", &self.status.map(|s| enum_name(&s)));
        equal(&mut q, "category", &self.category);
        equal(&mut q, "compound_id", &self.compound);
        equal(&mut q, "grid_id", &self.grid);
        equal(&mut q, "assignee", &self.assignee);
        equal(&mut q, "reporter", &self.reporter);
        if let Some(from) = self.from {
            q.push(" AND reported_at >= ").push_bind(from);
        }
        if let Some(to) = self.to {
            q.push(" AND reported_at < ").push_bind(to);
        }
        let (compare, order) = match self.direction {
            Direction::Forward => ("<", "DESC"),
            Direction::Backward => (">", "ASC"),
        };
        if let Some(cursor) = &self.cursor {
            q.push(format_args!(" AND (reported_at, issue_id) {compare} ("))
                .push_bind(cursor.reported_at)
                .push(", ")
                .push_bind(cursor.id.clone())
                .push(")");
        }
        // The limit is written as a number, not bound: with `LIMIT $n` PostgreSQL's generic
        // plan must guess the rows a page fetches (a tenth of the community's issues), so
        // the custom plan of the known limit always looks far cheaper and every page was
        // planned again (see ARCHITECTURE.md, "A page is planned once"). Known, the
        // generic plan costs what the custom one does and is kept after five pages. It is
        // the server's own number (the checked page size plus one), so a statement per page
        // size is all it adds.
        q.push(format_args!(
            " ORDER BY reported_at {order}, issue_id {order} LIMIT {}",
            self.limit
        ));
        q
    }

    fn selection(&self) -> &Selection {
        self.columns.as_ref().unwrap_or(&EVERY)
    }

    /// The names of the columns each row has, in order.
    pub fn column_names(&self) -> &[&'static str] {
        &self.selection().names
    }

    /// [`Board::query`] as one JSON array, in the page's order.
    fn json_statement(&self) -> QueryBuilder<'static, Postgres> {
        let order = match self.direction {
            Direction::Forward => "DESC",
            Direction::Backward => "ASC",
        };
        let mut q = self.statement(&format!(
            "SELECT coalesce(json_agg(i ORDER BY i.reported_at {order}, i.id {order}), '[]')::text FROM ("
        ));
        q.push(") i");
        q
    }

    /// The page as PostgreSQL renders it: one JSON array (`json_agg`) in the statement's
    /// order (oldest first when it runs backward), which [`Board::rows`] decodes. One value
    /// on the wire instead of a row message per issue decoded column by column, which
    /// costs the reader several times more than the aggregate costs the server; and a
    /// reader may write some values on as they are.
    pub async fn fetch_text(&self, pool: &PgPool) -> sqlx::Result<String> {
        self.json_statement()
            .build_query_scalar()
            .fetch_one(pool)
            .await
    }

    /// [`Board::query`] as one text of each row's columns in JSON, in the page's order:
    /// see [`Board::fetch_columns`].
    fn columns_statement(&self) -> QueryBuilder<'static, Postgres> {
        let order = match self.direction {
            Direction::Forward => "DESC",
            Direction::Backward => "ASC",
        };
        let mut q = self.statement(&format!(
            "SELECT coalesce(string_agg({}, {} \
            ORDER BY i.reported_at {order}, i.id {order}), '') FROM (",
            self.selection().row_text,
            separator_sql(ROW_SEPARATOR),
        ));
        q.push(") i");
        q
    }

    /// The page as one text holding each column of each row as PostgreSQL writes it in
    /// JSON (exactly as in [`Board::fetch_text`]'s objects, but for the times: see
    /// [`MOMENTS`]), in the order of
    /// [`Board::column_names`], columns separated by U+001F and rows by U+001E. JSON never
    /// holds those raw (PostgreSQL writes every character below U+0020 as an escape), so
    /// [`Board::column_cells`] finds every value by those two bytes alone, where the JSON
    /// array would have to be parsed to find where each value ends.
    pub async fn fetch_columns(&self, pool: &PgPool) -> sqlx::Result<ColumnText> {
        self.columns_statement()
            .build()
            .fetch_one(pool)
            .await
            .map(ColumnText)
    }

    /// The cells of `text` (from [`Board::fetch_columns`]): each row's columns' JSON in the
    /// order of [`Board::column_names`], row after row, newest first. One vector for the
    /// whole page, so that a reader takes its rows as slices of it (`chunks_exact` by the
    /// number of names) rather than allocating a vector per row.
    pub fn column_cells<'a>(&self, text: &'a [u8]) -> sqlx::Result<Vec<&'a [u8]>> {
        let width = self.column_names().len();
        let mut cells = Vec::with_capacity(usize::try_from(self.limit).unwrap_or(0) * width);
        if !text.is_empty() {
            let mut start = 0;
            let mut row_start = 0;
            loop {
                let end = next_control(text, start).unwrap_or(text.len());
                cells.push(&text[start..end]);
                start = end + 1;
                let separator = text.get(end).copied();
                if separator.is_some_and(|b| b != COLUMN_SEPARATOR && b != ROW_SEPARATOR) {
                    return Err(sqlx::Error::Decode(
                        "a control character in a board page's text".into(),
                    ));
                }
                if separator.is_none_or(|b| b == ROW_SEPARATOR) {
                    let found = cells.len() - row_start;
                    if found != width {
                        return Err(sqlx::Error::Decode(
                            format!("a board row of {found} columns where {width} were selected")
                                .into(),
                        ));
                    }
                    self.check_quoted(&cells[row_start..])?;
                    row_start = cells.len();
                }
                if separator.is_none() {
                    break;
                }
            }
        }
        if self.direction == Direction::Backward {
            // The rows in reverse, each row's cells in their order.
            cells.reverse();
            for row in cells.chunks_exact_mut(width) {
                row.reverse();
            }
        }
        Ok(cells)
    }

    /// Whether each of `row`'s [`QUOTED`] cells is `null` or a quoted text that JSON would
    /// not escape.
    fn check_quoted(&self, row: &[&[u8]]) -> sqlx::Result<()> {
        for &at in &self.selection().quoted {
            let cell = row[at];
            let plain = cell == b"null"
                || (cell.len() >= 2
                    && cell[0] == b'"'
                    && cell[cell.len() - 1] == b'"'
                    && !cell[1..cell.len() - 1]
                        .iter()
                        .any(|b| *b == b'"' || *b == b'\\'));
            if !plain {
                return Err(sqlx::Error::Decode(
                    format!(
                        "a board page's {} that JSON would escape",
                        self.column_names()[at]
                    )
                    .into(),
                ));
            }
        }
        Ok(())
    }

    /// The rows of `text` (from [`Board::fetch_text`]), newest first; `R` may borrow from
    /// the text.
    pub fn rows<'a, R: Deserialize<'a>>(&self, text: &'a str) -> sqlx::Result<Vec<R>> {
        let mut rows: Vec<R> = from_json(text)?;
        if self.direction == Direction::Backward {
            rows.reverse();
        }
        Ok(rows)
    }
}

/// The place of the first byte below U+0020 in `bytes` at or after `at`. In a page's text
/// those are the separators alone: PostgreSQL writes every other one in JSON as an escape.
///
/// Eight bytes are tested at a time, as one word: a byte below 0x20 is one that borrows
/// when 0x20 is taken from it and whose high bit was clear. A borrow runs only toward the
/// later bytes, so the earliest byte flagged is one (a later one may be flagged by a
/// borrow). `memchr`'s vector search, which found the two separators before, set itself up
/// again at every cell, and cells are some twenty bytes long: over a page of 50 rows it
/// took about twice the instructions this does.
fn next_control(bytes: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    while let Some(word) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let flagged = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        if flagged != 0 {
            return Some(at + (flagged.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    rest.iter().position(|b| *b < 0x20).map(|found| at + found)
}

/// A page as [`Board::fetch_columns`] fetched it: the statement's one value, read where
/// the row holds it.
#[derive(Debug)]
pub struct ColumnText(PgRow);

impl ColumnText {
    /// The page's text as PostgreSQL sent it, for [`Board::column_cells`]. Neither copied
    /// nor checked for UTF-8 once more: the connection's client encoding is UTF-8 and the
    /// server sends only valid text in it, and a reader's JSON decoder checks each value
    /// it decodes. (Checking the whole page had cost its reader more than cutting it into
    /// cells.)
    pub fn bytes(&self) -> sqlx::Result<&[u8]> {
        self.0.try_get_unchecked::<&[u8], _>(0)
    }
}

/// The statement the board runs for one community's first page (`$1` the community) of
/// `limit` rows showing `fields` (see [`selection_for`]; every column when `None`), for
/// comparisons that must run exactly the same SQL.
pub fn community_board_sql(fields: Option<&[&str]>, limit: i64) -> String {
    first_community_page(fields, limit).query().into_sql()
}

/// The same as [`community_board_sql`], as the JSON array the gateway fetches a page as
/// ([`Board::fetch_text`]).
pub fn community_board_json_sql(fields: Option<&[&str]>, limit: i64) -> String {
    first_community_page(fields, limit)
        .json_statement()
        .into_sql()
}

fn first_community_page(fields: Option<&[&str]>, limit: i64) -> Board {
    Board {
        community: Some(String::new()),
        columns: fields.map(|f| selection_for(f.iter().copied())),
        limit,
        ..Board::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrowed_page_selects_what_is_asked_and_what_it_always_needs() {
        let selection = selection_for(["title", "overdue", "resolved_at", "title", "timeline"]);
        assert_eq!(
            selection.names,
            [
                "id",
                "community_id",
                "reported_at",
                "reported_offset",
                "title",
                "overdue",
                "resolved_at",
                "resolved_offset"
            ]
        );
        assert_eq!(
            selection.sql,
            format!(
                "{ALWAYS}, title, coalesce({} AND due_by < current_date, false) AS overdue, \
                 resolved_at, resolved_offset",
                open_issue()
            )
        );
    }

    #[test]
    fn a_page_of_columns_comes_apart_at_its_separators_only() {
        let board = Board {
            columns: Some(selection_for(["title"])),
            ..Board::default()
        };
        assert_eq!(
            board.column_names(),
            [ALWAYS_NAMES.as_slice(), &["title"]].concat()
        );
        let row = |id: &str, title: &str| {
            [
                id,
                r#""c""#,
                r#""2023-10-02T01:30:00+00:00""#,
                "28800",
                title,
            ]
            .join("\u{1f}")
        };
        // Text holding what PostgreSQL escapes (quotes, backslashes, control characters
        // written as `\u001f`) and a null.
        let text = [
            row(r#""b""#, r#""a\"\\\u001f\u001e,""#),
            row(r#""a""#, "null"),
        ]
        .join("\u{1e}");
        let cells = board.column_cells(text.as_bytes()).expect("cells");
        let rows: Vec<&[&[u8]]> = cells.chunks_exact(5).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], r#""b""#.as_bytes());
        assert_eq!(rows[0][4], r#""a\"\\\u001f\u001e,""#.as_bytes());
        assert_eq!(rows[1][4], "null".as_bytes());
        // Backward, the statement's order of rows is reversed to the board's, and each
        // row's columns keep theirs.
        let backward = Board {
            direction: Direction::Backward,
            ..board.clone()
        };
        let cells = backward.column_cells(text.as_bytes()).expect("cells");
        assert_eq!(cells[0], r#""a""#.as_bytes());
        assert_eq!(cells[2], r#""2023-10-02T01:30:00+00:00""#.as_bytes());
        assert_eq!(cells[5], r#""b""#.as_bytes());
        assert!(board.column_cells(b"").expect("no rows").is_empty());
        // A row of another width is an error, not a row read askew.
        assert!(board.column_cells(b"\"b\"\x1f\"c\"").is_err());
        // So is a control character other than the separators, which PostgreSQL escapes.
        // (Read as a separator, it would have made a row of the wrong width instead.)
        let refused = board
            .column_cells(&text.replace("null", "\"a\tb\"").into_bytes())
            .expect_err("a tab in a cell");
        assert!(
            refused.to_string().contains("control character"),
            "{refused}"
        );
        // An id or a stored name is written between quotes without `to_json`: one that
        // JSON would have escaped is an error, not a page of other JSON.
        for id in [r#""b\"x""#, r#""b\\""#, "b", r#""b"#] {
            let refused = board
                .column_cells(row(id, "null").as_bytes())
                .expect_err(id);
            assert!(
                refused.to_string().contains("id that JSON would escape"),
                "{refused}"
            );
        }
        assert!(board.column_cells(row("null", "null").as_bytes()).is_ok());
    }

    #[test]
    fn every_control_byte_is_found_where_a_byte_by_byte_search_finds_it() {
        // Words of every alignment around control bytes, bytes just above them (0x20, which
        // a borrow can flag after a control byte), and bytes of UTF-8 (high bit set).
        let alphabet: [u8; 8] = [0x1e, 0x1f, 0x00, 0x20, 0x21, b'a', 0xe4, 0x80];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for length in 0..80 {
            for _ in 0..40 {
                let bytes: Vec<u8> = (0..length)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        // Mostly plain bytes, so that runs longer than a word occur.
                        let pick = (seed % 24) as usize;
                        alphabet.get(pick).copied().unwrap_or(b'x')
                    })
                    .collect();
                for from in 0..=length {
                    let expected = bytes[from..]
                        .iter()
                        .position(|b| *b < 0x20)
                        .map(|p| from + p);
                    assert_eq!(
                        next_control(&bytes, from),
                        expected,
                        "{bytes:?} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_whole_issue_selects_every_column() {
        assert_eq!(EVERY.names.len(), 26);
        let mut names = EVERY.names.clone();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EVERY.names.len());
    }

    #[test]
    fn the_statement_holds_only_the_filters_in_use() {
        let sql = community_board_sql(None, 51);
        assert!(
            sql.ends_with(
                "WHERE true AND community_id = $1 ORDER BY reported_at DESC, issue_id DESC LIMIT 51"
            ),
            "{sql}"
        );
        let every = Board {
            community: Some("c".into()),
            scope: Some(vec!["c".into()]),
            status: Some(IssueStatus::Reported),
            category: Some("x".into()),
            compound: Some("y".into()),
            grid: Some("z".into()),
            assignee: Some("a".into()),
            reporter: Some("r".into()),
            from: Some(OffsetDateTime::UNIX_EPOCH),
            to: Some(OffsetDateTime::UNIX_EPOCH),
            cursor: Some(BoardPosition {
                reported_at: OffsetDateTime::UNIX_EPOCH,
                id: "i".into(),
            }),
            direction: Direction::Backward,
            limit: 21,
            columns: None,
        }
        .query()
        .into_sql();
        assert!(
            every.contains("community_id = ANY($2)")
                && every.contains("status = $3")
                && every.contains("reporter = $8")
                && every.contains("(reported_at, issue_id) > ($11, $12)"),
            "{every}"
        );
        assert!(
            every.ends_with("ORDER BY reported_at ASC, issue_id ASC LIMIT 21"),
            "{every}"
        );
    }
}
