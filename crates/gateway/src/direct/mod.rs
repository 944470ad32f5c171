//! Board pages answered without the executor.
//!
//! The board is the screen staff page through all day, and its query is fixed text whose
//! variables change. Through async-graphql, a page of 50 issues becomes a tree of GraphQL
//! values (a map per node) inside the executor's machinery for a whole document, and is
//! serialized from that tree. A document that [`plan`] recognizes as a plain board page (see
//! there for what that is) is answered here instead: the same read rule and argument checks
//! as the resolver ([`crate::query::page_request`]), the resolver's select list, filters
//! and order, fetched as each column's JSON apart (`PageRequest::fetch_columns`) rather
//! than as one JSON array that would have to be parsed, and each field written straight
//! into the response: as PostgreSQL wrote the column where that is the field's value byte
//! for byte (`BoardField::as_written`, see [`row`]), else the value the resolver's
//! one-pass page gives it (`board_page::column`).
//!
//! Whatever this path is not sure of goes to the executor, which then answers or refuses
//! as it always does: an operation name or a variable of another type, a variable that is
//! missing or has a value the schema refuses, a page over the complexity limit, any
//! argument the resolver would refuse, a read-your-writes wait. A failed statement is
//! reported as the resolver reports it (a database that cannot answer is not asked twice).
//! So this path only ever answers what the executor would answer, byte for byte; a test
//! compares the two for every field, and another for a database out of reach.

mod plan;
mod row;

pub(crate) use plan::{plan, Plan};

use std::io::Write as _;

use async_graphql::connection::PageInfo;
use async_graphql::{InputType, OutputType, PathSegment, ScalarType, ServerError, Value};
use civic_commands::Actor;
use sqlx::PgPool;

use crate::enums::IssueStatus;
use crate::query::{page_request, IssueConnection, IssueFilter, PageArgs, PageRequest};
use crate::scalars::DateTime;
use crate::schema::Limits;
use plan::{Argument, InfoField, PageField};
use row::{Kind, Row};

/// The response body to `request` (whose document has `plan`) for `actor`; the error the
/// executor would report if the statement failed (so that a database that cannot answer
/// is not asked twice); or `None` when the executor must answer.
pub(crate) async fn answer(
    pool: &PgPool,
    limits: &Limits,
    actor: &Actor,
    plan: &Plan,
    request: &async_graphql::Request,
) -> Option<Result<Vec<u8>, ServerError>> {
    if let Some(name) = &request.operation_name {
        if plan.operation.as_deref() != Some(name.as_str()) {
            return None;
        }
    }
    if !request.extensions.is_empty() || !request.uploads.is_empty() {
        return None;
    }
    // A plain page is three fields deep (`issues`, `nodes` or `pageInfo`, a leaf); a depth
    // limit below that is the validator's to enforce.
    if limits.max_depth < 3 {
        return None;
    }
    let args = arguments(plan, &request.variables)?;
    // The resolver's complexity: the page size times the connection's selection.
    let size = args.first.or(args.last).unwrap_or(20).max(0) as usize;
    if size.saturating_mul(plan.child_complexity) > limits.max_complexity {
        return None;
    }
    let page = page_request(actor, limits.max_page_size, args, plan.selection.clone()).ok()?;
    // As the resolver's error reaches the response: at the root field, whose null makes
    // the data null.
    let failed = |e: sqlx::Error| {
        let mut error = crate::error::from_sql(e).into_server_error(plan.root);
        error.path = vec![PathSegment::Field("issues".to_owned())];
        Some(Err(error))
    };
    let text = match page.fetch_columns(pool).await {
        Ok(text) => text,
        Err(e) => return failed(e),
    };
    let cells = match text.bytes().and_then(|text| page.column_cells(text)) {
        Ok(cells) => cells,
        Err(e) => return failed(e),
    };
    let fetched = match rows(&page, &cells) {
        Ok(fetched) => fetched,
        Err(e) => return failed(e),
    };
    Some(Ok(body(plan, &fetched)))
}

/// A page as the direct path writes it.
struct Page<'a> {
    rows: Vec<Row<'a>>,
    has_previous: bool,
    has_next: bool,
    /// The cursors of its first and last rows.
    start: Option<String>,
    end: Option<String>,
}

/// The page of `cells` (`PageRequest::column_cells` of the statement's text).
fn rows<'a>(page: &PageRequest, cells: &'a [&'a [u8]]) -> sqlx::Result<Page<'a>> {
    let columns = page.column_page(cells);
    let kinds = Kind::of(page.column_names());
    let decode = |e| sqlx::Error::Decode(Box::new(e));
    let rows: Vec<Row> = columns
        .rows
        .into_iter()
        .map(|row| Row::new(&kinds, row))
        .collect::<serde_json::Result<_>>()
        .map_err(decode)?;
    let cursor = |row: Option<&Row>| {
        row.map(|row| row.cursor().map(|cursor| cursor.text()))
            .transpose()
            .map_err(decode)
    };
    Ok(Page {
        start: cursor(rows.first())?,
        end: cursor(rows.last())?,
        rows,
        has_previous: columns.has_previous,
        has_next: columns.has_next,
    })
}

/// The arguments from the request's variables, each checked as the executor checks a
/// variable of its declared type; `None` if one would not pass.
fn arguments(plan: &Plan, variables: &async_graphql::Variables) -> Option<PageArgs> {
    // A variable the document does not declare: the executor ignores it, but nothing
    // here depends on that.
    if variables
        .keys()
        .any(|name| !plan.arguments.iter().any(|b| &b.variable == name))
    {
        return None;
    }
    let mut args = PageArgs::default();
    for bound in &plan.arguments {
        let value = match variables.get(&bound.variable) {
            None | Some(Value::Null) if bound.required => return None,
            None | Some(Value::Null) => continue,
            Some(value) => value,
        };
        match bound.argument {
            Argument::Filter => args.filter = Some(filter(value)?),
            Argument::First => args.first = Some(int(value)?),
            Argument::Last => args.last = Some(int(value)?),
            Argument::After => args.after = Some(string(value)?),
            Argument::Before => args.before = Some(string(value)?),
            // A read-your-writes wait is the executor's.
            Argument::AtLeastPosition => return None,
        }
    }
    Some(args)
}

fn int(value: &Value) -> Option<i32> {
    match value {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    }
}

fn string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The fields of `IssueFilter`: every one a nullable `String`, but for the status (an
/// `IssueStatus` name) and the report times (`DateTime`).
const FILTER_FIELDS: [&str; 9] = [
    "communityId",
    "status",
    "category",
    "compoundId",
    "gridId",
    "assignee",
    "reporter",
    "reportedFrom",
    "reportedTo",
];

fn filter(value: &Value) -> Option<IssueFilter> {
    let Value::Object(fields) = value else {
        return None;
    };
    for (name, value) in fields {
        if !FILTER_FIELDS.contains(&name.as_str()) {
            return None;
        }
        let valid = match (name.as_str(), value) {
            (_, Value::Null) => true,
            ("status", Value::String(_)) => {
                <IssueStatus as InputType>::parse(Some(value.clone())).is_ok()
            }
            ("reportedFrom" | "reportedTo", Value::String(_)) => {
                <DateTime as ScalarType>::parse(value.clone()).is_ok()
            }
            (_, Value::String(_)) => true,
            _ => false,
        };
        if !valid {
            return None;
        }
    }
    <IssueFilter as InputType>::parse(Some(value.clone())).ok()
}

/// `{"data":{"issues":{…}}}`, the connection's fields in the order selected, as the
/// executor serializes the resolver's page.
fn body(plan: &Plan, page: &Page) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + page.rows.len() * 64 * plan.nodes.len());
    out.extend_from_slice(b"{\"data\":{\"issues\":{");
    for (i, field) in plan.page.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match field {
            PageField::Typename => {
                out.extend_from_slice(b"\"__typename\":");
                json(&mut out, &*<IssueConnection as OutputType>::type_name());
            }
            PageField::Nodes => {
                out.extend_from_slice(b"\"nodes\":[");
                for (i, row) in page.rows.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    node(&mut out, plan, row);
                }
                out.push(b']');
            }
            PageField::PageInfo(info) => {
                out.extend_from_slice(b"\"pageInfo\":{");
                for (i, field) in info.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match field {
                        InfoField::Typename => {
                            out.extend_from_slice(b"\"__typename\":");
                            json(&mut out, &*<PageInfo as OutputType>::type_name());
                        }
                        InfoField::HasPreviousPage => {
                            let _ = write!(out, "\"hasPreviousPage\":{}", page.has_previous);
                        }
                        InfoField::HasNextPage => {
                            let _ = write!(out, "\"hasNextPage\":{}", page.has_next);
                        }
                        InfoField::StartCursor => {
                            out.extend_from_slice(b"\"startCursor\":");
                            json(&mut out, &page.start);
                        }
                        InfoField::EndCursor => {
                            out.extend_from_slice(b"\"endCursor\":");
                            json(&mut out, &page.end);
                        }
                    }
                }
                out.push(b'}');
            }
        }
    }
    out.extend_from_slice(b"}}}");
    out
}

/// One node: each of the plan's node fields (plain fields, see [`plan`]) with the value the
/// resolver's page gives it, copied from the row where PostgreSQL wrote it so.
fn node(out: &mut Vec<u8>, plan: &Plan, row: &Row) {
    out.push(b'{');
    for (i, (field, written)) in plan.nodes.iter().zip(&plan.written).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(written.key.as_bytes());
        match written.column.and_then(|at| row.written(at)) {
            Some(written) => out.extend_from_slice(written),
            None => row.write_converted(out, field.name),
        }
    }
    out.push(b'}');
}

fn json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    // Writing a string, `null` or a name into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn variables(value: serde_json::Value) -> async_graphql::Variables {
        async_graphql::Variables::from_json(value)
    }

    const BOARD: &str = "query Board($filter: IssueFilter, $first: Int, $after: String, \
        $atLeastPosition: Int) { issues(filter: $filter, first: $first, after: $after, \
        atLeastPosition: $atLeastPosition) { nodes { id } } }";

    fn board() -> Plan {
        plan(&async_graphql::parser::parse_query(BOARD).expect("parses")).expect("a plan")
    }

    #[test]
    fn variables_of_the_declared_types_become_the_arguments() {
        let args = arguments(
            &board(),
            &variables(json!({
                "filter": { "communityId": "guangsha", "status": "REPORTED",
                            "reportedFrom": "2023-11-02T00:00:00+08:00", "category": null },
                "first": 50,
                "atLeastPosition": null,
            })),
        )
        .expect("arguments");
        assert_eq!(args.first, Some(50));
        let filter = args.filter.expect("a filter");
        assert_eq!(filter.community_id.as_deref(), Some("guangsha"));
        assert_eq!(filter.status, Some(IssueStatus::Reported));
        assert!(filter.reported_from.is_some());
    }

    #[test]
    fn any_variable_the_executor_might_refuse_goes_to_it() {
        for refused in [
            json!({ "first": "50" }),
            json!({ "first": 5.5 }),
            json!({ "first": 3_000_000_000_i64 }),
            json!({ "after": 7 }),
            json!({ "filter": { "status": "REPORTD" } }),
            json!({ "filter": { "status": "reported" } }),
            json!({ "filter": { "communityID": "guangsha" } }),
            json!({ "filter": { "category": 5 } }),
            json!({ "filter": { "reportedFrom": "2023-11-06" } }),
            json!({ "filter": "guangsha" }),
            json!({ "atLeastPosition": 12 }),
            json!({ "unknown": 1 }),
        ] {
            assert!(
                arguments(&board(), &variables(refused.clone())).is_none(),
                "{refused}"
            );
        }
    }

    #[test]
    fn the_body_follows_the_selection() {
        let text =
            "query($first: Int!) { issues(first: $first) { pageInfo { hasNextPage endCursor \
            __typename startCursor hasPreviousPage } __typename nodes { id title } } }";
        let plan =
            plan(&async_graphql::parser::parse_query(text).expect("parses")).expect("a plan");
        let text = r#"{"id":"a\"b","community_id":"c","reported_at":"2023-10-02T01:30:00+00:00","reported_offset":28800,"title":"路灯不亮"}"#;
        let names = &plan.selection.names;
        let cells = row::tests::values(names, text);
        let cells = row::tests::slices(&cells);
        let row = Row::new(&Kind::of(names), &cells).expect("a row");
        let start = row.cursor().expect("a cursor").text();
        let page = Page {
            rows: vec![row],
            has_previous: false,
            has_next: true,
            start: Some(start.clone()),
            end: Some(start.clone()),
        };
        let body = String::from_utf8(body(&plan, &page)).expect("UTF-8");
        assert_eq!(
            body,
            format!(
                "{{\"data\":{{\"issues\":{{\"pageInfo\":{{\"hasNextPage\":true,\"endCursor\":\"{start}\",\
                 \"__typename\":\"PageInfo\",\"startCursor\":\"{start}\",\"hasPreviousPage\":false}},\
                 \"__typename\":\"IssueConnection\",\"nodes\":[{{\"id\":\"a\\\"b\",\"title\":\"路灯不亮\"}}]}}}}}}"
            )
        );
    }
}
