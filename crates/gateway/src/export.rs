//! `GET /audit/export`: the log, filtered, as a file in the format of `civic audit export`
//! (JSON Lines that `civic audit verify --file` verifies, or CSV), for auditors and the
//! street office. Streamed a page at a time, so a long log never sits in memory.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use civic_commands::Role;
use civic_store::{export, LogFilter};
use futures_util::stream;
use serde::Deserialize;

use crate::error::Code;
use crate::server::{authenticate, AppState};

/// Events read per page.
const PAGE: i64 = 2_000;
/// Longest filter value accepted.
const MAX_FILTER: usize = 200;

/// The filters of `civic audit export`.
#[derive(Debug, Deserialize)]
pub(crate) struct ExportQuery {
    format: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
    stream: Option<String>,
    actor: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only events recorded at or before this moment (RFC 3339).
    until: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Csv,
}

fn refuse(status: StatusCode, code: Code, message: &str) -> Response {
    let body = serde_json::json!({ "error": message, "code": code.as_str() });
    (status, axum::Json(body)).into_response()
}

/// One page of the export after `after`, encoded; `None` at the end of the log.
async fn page(
    pool: &sqlx::PgPool,
    filter: &LogFilter,
    format: Format,
    after: i64,
) -> Result<Option<(Bytes, i64)>, std::io::Error> {
    let events = civic_store::read_log(pool, after, PAGE, filter)
        .await
        .map_err(std::io::Error::other)?;
    let Some(last) = events.last().map(|e| e.position) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    match format {
        Format::Jsonl => {
            for event in &events {
                out.extend_from_slice(export::jsonl_line(event)?.as_bytes());
                out.push(b'\n');
            }
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            for event in &events {
                csv.write_record(export::csv_row(event))
                    .map_err(std::io::Error::other)?;
            }
            csv.flush()?;
        }
    }
    Ok(Some((Bytes::from(out), last)))
}

pub(crate) async fn export(
    State(state): State<std::sync::Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let actor = match authenticate(&state, &headers).await {
        Ok(actor) => actor,
        Err(e) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                Code::Unauthenticated,
                &e.to_string(),
            )
        }
    };
    if !matches!(actor.role, Role::Auditor | Role::StreetAdmin) {
        return refuse(
            StatusCode::FORBIDDEN,
            Code::Forbidden,
            "only auditors and the street office may export the log",
        );
    }
    let format = match query.format.as_deref() {
        None | Some("jsonl") => Format::Jsonl,
        Some("csv") => Format::Csv,
        Some(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                Code::Validation,
                "format is jsonl or csv",
            )
        }
    };
    let filters = [&query.stream, &query.actor, &query.event_type];
    if filters.iter().any(|f| {
        f.as_ref()
            .is_some_and(|f| f.len() > MAX_FILTER || f.contains('\0'))
    }) {
        return refuse(
            StatusCode::BAD_REQUEST,
            Code::Validation,
            "a filter has at most 200 characters and no NUL",
        );
    }
    let until = match query
        .until
        .as_deref()
        .map(|u| time::OffsetDateTime::parse(u, &time::format_description::well_known::Rfc3339))
    {
        None => None,
        Some(Ok(at)) => Some(at),
        Some(Err(_)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                Code::Validation,
                "until is an RFC 3339 date-time with an offset",
            )
        }
    };
    let filter = LogFilter {
        stream_id: query.stream,
        actor_id: query.actor,
        event_type: query.event_type,
        to_position: query.to,
        recorded_until: until,
        positions: None,
    };
    let start = query.from.unwrap_or(1).max(1) - 1;
    let header_row = (format == Format::Csv).then(|| {
        let mut out = Vec::new();
        let mut csv = csv::Writer::from_writer(&mut out);
        let _ = csv.write_record(export::CSV_HEADER);
        let _ = csv.flush();
        drop(csv);
        Bytes::from(out)
    });
    let pool = state.pool.clone();
    let pages = stream::unfold(Some(start), move |after| {
        let (pool, filter) = (pool.clone(), filter.clone());
        async move {
            let after = after?;
            match page(&pool, &filter, format, after).await {
                Ok(Some((bytes, last))) => Some((Ok(bytes), Some(last))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        }
    });
    let head = stream::iter(header_row.map(Ok::<_, std::io::Error>));
    let (media, name) = match format {
        Format::Jsonl => (
            "application/x-ndjson",
            "attachment; filename=\"civic-log.jsonl\"",
        ),
        Format::Csv => (
            "text/csv; charset=utf-8",
            "attachment; filename=\"civic-log.csv\"",
        ),
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static(name)),
        ],
        Body::from_stream(futures_util::StreamExt::fuse(
            futures_util::StreamExt::chain(head, pages),
        )),
    )
        .into_response()
}
