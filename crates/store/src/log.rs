//! Reading the log and streams.

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};

use crate::columns::{place, COLUMN_LIST};
use crate::error::StoreError;
use crate::event::{AppendResult, AppliedCommand, Metadata, Payload, RecordedEvent};

/// Narrows a log read; every field left `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Only this stream.
    pub stream_id: Option<String>,
    /// Only events caused by this actor.
    pub actor_id: Option<String>,
    /// Only this event type.
    pub event_type: Option<String>,
    /// Only positions up to and including this one.
    pub to_position: Option<i64>,
    /// Only events recorded at or before this instant.
    pub recorded_until: Option<time::OffsetDateTime>,
    /// Only these positions: a cut decided elsewhere (the events whose fact happened by a
    /// day, for a replay on the "happened" axis).
    pub positions: Option<std::sync::Arc<Vec<i64>>>,
}

/// The `jsonb` payload in column `index` of `row` as its text. PostgreSQL sends a `jsonb`
/// value in binary as a format version byte (1) and the JSON text it renders; the text is
/// taken as it is, checked to be UTF-8 but not parsed.
fn payload(row: &PgRow, index: usize, position: i64) -> Result<Payload, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { position, reason };
    let value = row.try_get_raw(index)?;
    let binary = value.format() == sqlx::postgres::PgValueFormat::Binary;
    let bytes = value.as_bytes().map_err(|e| corrupt(e.to_string()))?;
    let text = match (binary, bytes.split_first()) {
        (true, Some((1, text))) => text,
        (true, _) => return Err(corrupt("payload is not jsonb of format 1".into())),
        (false, _) => bytes,
    };
    let text = std::str::from_utf8(text).map_err(|e| corrupt(e.to_string()))?;
    Ok(Payload::rendered(text.to_owned()))
}

/// Decodes every row into a vector of their number: collected from an iterator of results,
/// it would start empty and be copied as it grew, a few times for every page of a replay.
fn decode_all(rows: &[PgRow]) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        events.push(decode(row)?);
    }
    Ok(events)
}

/// Decodes a row of [`COLUMN_LIST`]'s columns, by their place in it: a replay decodes every
/// row of the log, and looking each column up by its name (hashing the name, for fifteen
/// columns of a million rows) was a sixth of that decoding. The statement is the store's own
/// and each column's type is the migrations', so the per-value check that the column's type
/// suits the Rust type is skipped too; every column is read back by the store's tests.
pub(crate) fn decode(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let position: i64 = row.try_get_unchecked(const { place("position") })?;
    let hash: &[u8] = row.try_get_unchecked(const { place("hash") })?;
    let hash = <[u8; 32]>::try_from(hash).map_err(|_| StoreError::Corrupt {
        position,
        reason: "hash is not 32 bytes".into(),
    })?;
    Ok(RecordedEvent {
        position,
        event_id: row.try_get_unchecked(const { place("event_id") })?,
        stream_id: row.try_get_unchecked(const { place("stream_id") })?,
        stream_version: row.try_get_unchecked(const { place("stream_version") })?,
        event_type: row.try_get_unchecked(const { place("event_type") })?,
        schema_version: row.try_get_unchecked(const { place("schema_version") })?,
        payload: payload(row, const { place("payload") }, position)?,
        metadata: Metadata {
            actor_id: row.try_get_unchecked(const { place("actor_id") })?,
            actor_role: row.try_get_unchecked(const { place("actor_role") })?,
            correlation_id: row.try_get_unchecked(const { place("correlation_id") })?,
            causation_id: row.try_get_unchecked(const { place("causation_id") })?,
            command_id: row.try_get_unchecked(const { place("command_id") })?,
            command_fingerprint: fingerprint(
                row.try_get_unchecked(const { place("command_fingerprint") })?,
                position,
            )?,
        },
        recorded_at: row.try_get_unchecked(const { place("recorded_at") })?,
        hash,
    })
}

/// A stored fingerprint as 32 bytes (the column's check constraint guarantees the length;
/// anything else is a corrupt row).
fn fingerprint(bytes: Option<&[u8]>, position: i64) -> Result<Option<[u8; 32]>, StoreError> {
    bytes
        .map(|b| {
            <[u8; 32]>::try_from(b).map_err(|_| StoreError::Corrupt {
                position,
                reason: "command fingerprint is not 32 bytes".into(),
            })
        })
        .transpose()
}

#[derive(sqlx::FromRow)]
struct AppliedRow {
    command_id: uuid::Uuid,
    first_position: i64,
    last_position: i64,
    stream_version: i64,
    stream_id: String,
    actor_id: Option<String>,
    fingerprint: Option<Vec<u8>>,
}

/// The applied command ids among `ids`, with what they answered: each from the first event
/// it appended, found through `events_command_key` (the partial index's condition is part of
/// the statement, so PostgreSQL uses it), and how many it appended.
pub(crate) async fn applied_commands<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    ids: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, AppliedCommand)>, StoreError> {
    let rows: Vec<AppliedRow> = sqlx::query_as(
        "SELECT command_id, position AS first_position, \
         position + command_events - 1 AS last_position, \
         stream_version + command_events - 1 AS stream_version, stream_id, actor_id, \
         command_fingerprint AS fingerprint \
         FROM events WHERE command_id = ANY($1) AND command_events IS NOT NULL",
    )
    .bind(ids)
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|row| {
            let applied = AppliedCommand {
                fingerprint: fingerprint(row.fingerprint.as_deref(), row.first_position)?,
                result: AppendResult {
                    first_position: row.first_position,
                    last_position: row.last_position,
                    stream_version: row.stream_version,
                    duplicate: true,
                },
                stream_id: row.stream_id,
                actor_id: row.actor_id,
            };
            Ok((row.command_id, applied))
        })
        .collect()
}

/// Up to `limit` events after `after` that match `filter`, in log order.
///
/// The statement names only the filters in use: with every filter as an `$n IS NULL OR …`
/// term, PostgreSQL's generic plan (chosen after a few executions of the prepared
/// statement) cannot trust the position range and sorts the whole log for every page.
pub async fn read_log(
    pool: &PgPool,
    after: i64,
    limit: i64,
    filter: &LogFilter,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let columns = &*COLUMN_LIST;
    let mut query =
        sqlx::QueryBuilder::new(format!("SELECT {columns} FROM events WHERE position > "));
    query.push_bind(after);
    if let Some(stream) = &filter.stream_id {
        query.push(" AND stream_id = ").push_bind(stream);
    }
    if let Some(actor) = &filter.actor_id {
        query.push(" AND actor_id = ").push_bind(actor);
    }
    if let Some(kind) = &filter.event_type {
        query.push(" AND event_type = ").push_bind(kind);
    }
    if let Some(to) = filter.to_position {
        query.push(" AND position <= ").push_bind(to);
    }
    if let Some(until) = filter.recorded_until {
        query.push(" AND recorded_at <= ").push_bind(until);
    }
    if let Some(positions) = &filter.positions {
        query
            .push(" AND position = ANY(")
            .push_bind(positions.to_vec())
            .push(")");
    }
    query.push(" ORDER BY position LIMIT ").push_bind(limit);
    let rows = query.build().fetch_all(pool).await?;
    decode_all(&rows)
}

/// The events of `stream` from `from_version` on, in order.
pub async fn read_stream(
    pool: &PgPool,
    stream: &str,
    from_version: i64,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let columns = &*COLUMN_LIST;
    let sql = format!(
        "SELECT {columns} FROM events WHERE stream_id = $1 AND stream_version >= $2 \
         ORDER BY stream_version"
    );
    let rows = sqlx::query(&sql)
        .bind(stream)
        .bind(from_version)
        .fetch_all(pool)
        .await?;
    decode_all(&rows)
}

/// Every event of the streams in `streams`, in log order: a range of `events`' unique
/// `(stream_id, stream_version)` index per stream.
pub async fn read_streams(
    pool: &PgPool,
    streams: &[String],
) -> Result<Vec<RecordedEvent>, StoreError> {
    let columns = &*COLUMN_LIST;
    let sql = format!("SELECT {columns} FROM events WHERE stream_id = ANY($1) ORDER BY position");
    let rows = sqlx::query(&sql).bind(streams).fetch_all(pool).await?;
    decode_all(&rows)
}

/// The version of `stream` (0 for a stream with no events).
pub(crate) async fn stream_version(pool: &PgPool, stream: &str) -> Result<i64, StoreError> {
    let found = stream_versions(pool, &[stream]).await?;
    Ok(found.first().map_or(0, |(_, version)| *version))
}

/// The versions of those of `streams` that have events, each the last entry of `events`'
/// unique `(stream_id, stream_version)` index for that stream.
pub(crate) async fn stream_versions<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    streams: &[&str],
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, v.version FROM UNNEST($1::text[]) AS s(id) CROSS JOIN LATERAL \
         (SELECT stream_version AS version FROM events WHERE stream_id = s.id \
          ORDER BY stream_version DESC LIMIT 1) v",
    )
    .bind(streams)
    .fetch_all(executor)
    .await?)
}

/// The head of the log: last position (0 when empty) and its hash.
pub async fn head<'c>(db: impl sqlx::PgExecutor<'c>) -> Result<(i64, [u8; 32]), StoreError> {
    let row: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            .fetch_optional(db)
            .await?;
    match row {
        None => Ok((0, crate::chain::GENESIS)),
        Some((position, hash)) => Ok((
            position,
            hash.try_into().map_err(|_| StoreError::Corrupt {
                position,
                reason: "hash is not 32 bytes".into(),
            })?,
        )),
    }
}

/// When the event at `position` was recorded, if there is one.
pub async fn recorded_at(
    pool: &PgPool,
    position: i64,
) -> Result<Option<time::OffsetDateTime>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT recorded_at FROM events WHERE position = $1")
            .bind(position)
            .fetch_optional(pool)
            .await?,
    )
}

/// The last position recorded at or before `at` (0: none).
pub async fn last_position_recorded_by(
    pool: &PgPool,
    at: time::OffsetDateTime,
) -> Result<i64, StoreError> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT max(position) FROM events WHERE recorded_at <= $1")
            .bind(at)
            .fetch_one(pool)
            .await?;
    Ok(last.unwrap_or(0))
}

/// How many events the log holds (equal to the head's position when no position is missing).
pub async fn count(pool: &PgPool) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(pool)
        .await?)
}

/// Every payload in position order, as JSON text and nothing else (read as a replay reads
/// it, not parsed into a tree): the least a reader of the whole log can do, which the
/// projection benchmark measures its rebuilds against.
pub fn payloads(
    pool: &PgPool,
) -> futures_util::stream::BoxStream<'_, Result<Payload, sqlx::Error>> {
    use futures_util::{StreamExt, TryStreamExt};
    sqlx::query("SELECT payload FROM events ORDER BY position")
        .fetch(pool)
        .and_then(|row| async move {
            payload(&row, 0, 0).map_err(|e| sqlx::Error::Decode(e.to_string().into()))
        })
        .boxed()
}

/// Every event of the streams whose id starts with `kind-` (an aggregate's prefix, e.g.
/// `account`), in log order, given every event type that aggregate records (`types`).
///
/// Found through `events`' index by type, so the log is not scanned; the prefix then keeps
/// exactly that aggregate's events, should another record a type of the same name. (A range
/// over the stream index by prefix would depend on the database's collation.)
pub async fn read_kind(
    pool: &PgPool,
    kind: &str,
    types: &[&str],
) -> Result<Vec<RecordedEvent>, StoreError> {
    let columns = &*COLUMN_LIST;
    let sql = format!(
        "SELECT {columns} FROM events WHERE event_type = ANY($2) AND starts_with(stream_id, $1) \
         ORDER BY position"
    );
    let rows = sqlx::query(&sql)
        .bind(format!("{kind}-"))
        .bind(types)
        .fetch_all(pool)
        .await?;
    decode_all(&rows)
}
