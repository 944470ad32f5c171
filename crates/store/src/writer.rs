//! The single writer of a process: group commit under a transaction-level advisory lock.
//!
//! Every `append` sends a request to this task. The task takes every request waiting at
//! that moment, opens one transaction, takes the advisory lock that serialises writers
//! across processes, reads the log head, checks each request's command id and expected
//! version under the lock, assigns gapless positions, computes the hash chain, and writes
//! all accepted events in one statement. One request's conflict never fails another's.
//!
//! A batch costs four round trips whatever its size: `BEGIN` with the lock, one read, one
//! write (events, stream versions, command ids and the notification as one statement of
//! data-modifying CTEs), `COMMIT`. The lock is taken in its own statement so that the read
//! that follows gets a snapshot in which every earlier writer's commit is visible.

use std::collections::HashMap;

use sqlx::{Executor, PgConnection, PgPool, Row};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use crate::chain::{self, Header};
use crate::error::StoreError;
use crate::event::{AppendResult, ExpectedVersion, Metadata};

/// Key of the advisory lock that serialises appends across processes ("civic-ap").
#[cfg(test)]
pub(crate) const WRITER_LOCK: i64 = 0x6369_7669_632d_6170;

/// `BEGIN` and the writer lock in one round trip (two statements, so the next statement's
/// snapshot is taken after the lock is held). The number is [`WRITER_LOCK`].
const BEGIN_AND_LOCK: &str = "BEGIN; SELECT pg_advisory_xact_lock(7163386877317046640)";

/// At most this many requests are committed together.
const MAX_REQUESTS_PER_BATCH: usize = 1024;

/// An event whose payload the caller has already rendered canonically.
pub(crate) struct PreparedEvent {
    pub event_type: String,
    pub schema_version: i32,
    pub payload: String,
}

pub(crate) struct Request {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<PreparedEvent>,
    pub metadata: Metadata,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

pub(crate) fn spawn(pool: PgPool, head: watch::Sender<i64>) -> mpsc::Sender<Request> {
    let (tx, rx) = mpsc::channel(4096);
    tokio::spawn(run(pool, rx, head));
    tx
}

async fn run(pool: PgPool, mut rx: mpsc::Receiver<Request>, head: watch::Sender<i64>) {
    let mut last_batch = 1;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        drain(&mut rx, &mut batch);
        if batch.len() < last_batch {
            // The callers of the last batch were all answered at once and are likely about to
            // ask again: wait a moment for them rather than commit a lone straggler.
            let deadline = tokio::time::Instant::now() + COALESCE;
            while batch.len() < last_batch {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(request)) => {
                        batch.push(request);
                        drain(&mut rx, &mut batch);
                    }
                    _ => break,
                }
            }
        }
        last_batch = batch.len();
        commit_batch(&pool, batch, &head).await;
    }
}

/// How long the writer waits for the callers of its last batch to come back.
const COALESCE: std::time::Duration = std::time::Duration::from_micros(400);

fn drain(rx: &mut mpsc::Receiver<Request>, batch: &mut Vec<Request>) {
    while batch.len() < MAX_REQUESTS_PER_BATCH {
        match rx.try_recv() {
            Ok(request) => batch.push(request),
            Err(_) => break,
        }
    }
}

/// What became of one request within a batch, before the commit.
enum Outcome {
    Rejected(StoreError),
    Accepted(AppendResult),
}

#[tracing::instrument(skip_all, fields(requests = batch.len()))]
async fn commit_batch(pool: &PgPool, batch: Vec<Request>, head: &watch::Sender<i64>) {
    let written = match pool.acquire().await {
        Ok(mut conn) => {
            let written = write(&mut conn, &batch).await;
            if written.is_err() {
                // Leave no transaction open on a pooled connection; drop it if even that fails.
                if (&mut *conn).execute("ROLLBACK").await.is_err() {
                    conn.detach();
                }
            }
            written
        }
        Err(error) => Err(error.into()),
    };
    match written {
        Ok((outcomes, new_head)) => {
            if let Some(position) = new_head {
                head.send_if_modified(|h| {
                    let advance = position > *h;
                    if advance {
                        *h = position;
                    }
                    advance
                });
            }
            for (request, outcome) in batch.into_iter().zip(outcomes) {
                let result = match outcome {
                    Outcome::Accepted(result) => Ok(result),
                    Outcome::Rejected(error) => Err(error),
                };
                let _ = request.reply.send(result);
            }
        }
        Err(error) => {
            tracing::error!(error = %error, "group commit failed");
            for request in batch {
                let _ = request.reply.send(Err(error.clone()));
            }
        }
    }
}

/// The log as the writer found it under the lock.
struct Found {
    head: i64,
    head_hash: [u8; 32],
    versions: HashMap<String, i64>,
    applied: HashMap<Uuid, AppendResult>,
}

async fn write(
    conn: &mut PgConnection,
    batch: &[Request],
) -> Result<(Vec<Outcome>, Option<i64>), StoreError> {
    (&mut *conn).execute(BEGIN_AND_LOCK).await?;
    let mut found = read_state(conn, batch).await?;

    let recorded_at = chain::truncate_to_micros(OffsetDateTime::now_utc());
    let mut position = found.head;
    let mut previous_hash = found.head_hash;
    let mut rows = Rows::default();
    let mut outcomes = Vec::with_capacity(batch.len());

    for request in batch {
        if let Some(prior) = request
            .metadata
            .command_id
            .and_then(|id| found.applied.get(&id))
        {
            outcomes.push(Outcome::Accepted(AppendResult {
                duplicate: true,
                ..*prior
            }));
            continue;
        }
        let actual = found.versions.get(&request.stream).copied().unwrap_or(0);
        if !request.expected.admits(actual) {
            outcomes.push(Outcome::Rejected(StoreError::Conflict {
                stream: request.stream.clone(),
                expected: request.expected,
                actual,
            }));
            continue;
        }
        let first_position = position + 1;
        let mut version = actual;
        for event in &request.events {
            position += 1;
            version += 1;
            let event_id = Uuid::now_v7();
            let header = Header {
                position,
                event_id: &event_id,
                stream_id: &request.stream,
                stream_version: version,
                event_type: &event.event_type,
                schema_version: event.schema_version,
                recorded_at,
                metadata: &request.metadata,
            };
            previous_hash = chain::link_parts(&previous_hash, &header, &event.payload);
            rows.push(request, event, (position, version, event_id), previous_hash);
        }
        found.versions.insert(request.stream.clone(), version);
        let result = AppendResult {
            first_position,
            last_position: position,
            stream_version: version,
            duplicate: false,
        };
        rows.stream(&request.stream, version);
        if let Some(id) = request.metadata.command_id {
            found.applied.insert(id, result);
            rows.command(id, &request.stream, result);
        }
        outcomes.push(Outcome::Accepted(result));
    }

    if rows.positions.is_empty() {
        (&mut *conn).execute("ROLLBACK").await?;
        return Ok((outcomes, None));
    }
    rows.insert(conn, recorded_at, position).await?;
    (&mut *conn).execute("COMMIT").await?;
    Ok((outcomes, Some(position)))
}

async fn read_state(conn: &mut PgConnection, batch: &[Request]) -> Result<Found, StoreError> {
    let mut streams: Vec<&str> = batch.iter().map(|r| r.stream.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    let commands: Vec<Uuid> = batch.iter().filter_map(|r| r.metadata.command_id).collect();
    let row = sqlx::query(
        "SELECT h.position, h.hash, \
           (SELECT array_agg(stream_id ORDER BY stream_id) FROM streams WHERE stream_id = ANY($1)) AS s_ids, \
           (SELECT array_agg(version ORDER BY stream_id) FROM streams WHERE stream_id = ANY($1)) AS s_versions, \
           (SELECT jsonb_agg(jsonb_build_array(command_id, first_position, last_position, stream_version)) \
              FROM applied_commands WHERE command_id = ANY($2)) AS applied \
         FROM (SELECT 1) AS one \
         LEFT JOIN LATERAL (SELECT position, hash FROM events ORDER BY position DESC LIMIT 1) h ON true",
    )
    .bind(&streams)
    .bind(&commands)
    .fetch_one(&mut *conn)
    .await?;

    let head: Option<i64> = row.try_get("position")?;
    let head_hash = match (head, row.try_get::<Option<Vec<u8>>, _>("hash")?) {
        (Some(position), Some(hash)) => hash.try_into().map_err(|_| StoreError::Corrupt {
            position,
            reason: "hash is not 32 bytes".into(),
        })?,
        _ => chain::GENESIS,
    };
    let ids: Option<Vec<String>> = row.try_get("s_ids")?;
    let versions: Option<Vec<i64>> = row.try_get("s_versions")?;
    let applied: Option<serde_json::Value> = row.try_get("applied")?;
    let applied: Vec<(Uuid, i64, i64, i64)> = match applied {
        Some(value) => serde_json::from_value(value).map_err(|e| StoreError::Corrupt {
            position: 0,
            reason: format!("applied command record: {e}"),
        })?,
        None => Vec::new(),
    };
    Ok(Found {
        head: head.unwrap_or(0),
        head_hash,
        versions: ids
            .unwrap_or_default()
            .into_iter()
            .zip(versions.unwrap_or_default())
            .collect(),
        applied: applied
            .into_iter()
            .map(|(id, first_position, last_position, stream_version)| {
                let result = AppendResult {
                    first_position,
                    last_position,
                    stream_version,
                    duplicate: true,
                };
                (id, result)
            })
            .collect(),
    })
}

/// Batches of at least this many events are written with `COPY`.
const COPY_THRESHOLD: usize = 64;

/// The events of a batch from its 14 arrays; `$1`/`$2` are the notification, `$3..$9` the
/// stream versions and command ids (see [`REST_CTES`]).
const EVENTS_FROM_ARRAYS: &str = "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
    schema_version, payload, actor_id, actor_role, correlation_id, causation_id, command_id, recorded_at, hash) \
    SELECT p, e, s, v, t, sv, pl::jsonb, a, r, c, ca, cm, $22, h \
    FROM UNNEST($10::bigint[], $11::uuid[], $12::text[], $13::bigint[], $14::text[], $15::int[], $16::text[], \
                $17::text[], $18::text[], $19::uuid[], $20::uuid[], $21::uuid[], $23::bytea[]) \
         AS u(p, e, s, v, t, sv, pl, a, r, c, ca, cm, h)";

/// Stream versions and applied command ids of a batch (`$3..$9`).
macro_rules! rest_ctes {
    () => {
        "new_versions AS ( \
           INSERT INTO streams (stream_id, version) SELECT * FROM UNNEST($3::text[], $4::bigint[]) \
           ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version), \
         new_commands AS ( \
           INSERT INTO applied_commands (command_id, stream_id, first_position, last_position, stream_version) \
           SELECT * FROM UNNEST($5::uuid[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[]))"
    };
}

/// The same, as a constant for the small-batch statement.
const REST_CTES: &str = rest_ctes!();

/// Stream versions, command ids and the notification, for batches whose events were copied.
const REST_SQL: &str = concat!("WITH ", rest_ctes!(), " SELECT pg_notify($1, $2)");

/// Escapes a value for `COPY … FROM STDIN` text format.
fn copy_text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(['\\', '\t', '\n', '\r']) {
        value
            .replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
            .replace('\r', "\\r")
            .into()
    } else {
        value.into()
    }
}

/// The rows a batch writes, column by column, for `UNNEST` inserts.
#[derive(Default)]
struct Rows<'a> {
    positions: Vec<i64>,
    event_ids: Vec<Uuid>,
    streams: Vec<&'a str>,
    versions: Vec<i64>,
    types: Vec<&'a str>,
    schema_versions: Vec<i32>,
    payloads: Vec<&'a str>,
    actor_ids: Vec<&'a str>,
    actor_roles: Vec<&'a str>,
    correlations: Vec<Uuid>,
    causations: Vec<Option<Uuid>>,
    commands: Vec<Option<Uuid>>,
    hashes: Vec<Vec<u8>>,
    stream_heads: HashMap<&'a str, i64>,
    command_ids: Vec<Uuid>,
    command_streams: Vec<&'a str>,
    command_firsts: Vec<i64>,
    command_lasts: Vec<i64>,
    command_versions: Vec<i64>,
}

impl<'a> Rows<'a> {
    /// Adds one event; `at` is its (position, stream version, event id).
    fn push(
        &mut self,
        request: &'a Request,
        event: &'a PreparedEvent,
        at: (i64, i64, Uuid),
        hash: [u8; 32],
    ) {
        let m = &request.metadata;
        self.positions.push(at.0);
        self.event_ids.push(at.2);
        self.streams.push(&request.stream);
        self.versions.push(at.1);
        self.types.push(&event.event_type);
        self.schema_versions.push(event.schema_version);
        self.payloads.push(&event.payload);
        self.actor_ids.push(&m.actor_id);
        self.actor_roles.push(&m.actor_role);
        self.correlations.push(m.correlation_id);
        self.causations.push(m.causation_id);
        self.commands.push(m.command_id);
        self.hashes.push(hash.to_vec());
    }

    fn stream(&mut self, stream: &'a str, version: i64) {
        self.stream_heads.insert(stream, version);
    }

    fn command(&mut self, id: Uuid, stream: &'a str, result: AppendResult) {
        self.command_ids.push(id);
        self.command_streams.push(stream);
        self.command_firsts.push(result.first_position);
        self.command_lasts.push(result.last_position);
        self.command_versions.push(result.stream_version);
    }

    async fn insert(
        &self,
        conn: &mut PgConnection,
        recorded_at: OffsetDateTime,
        head: i64,
    ) -> Result<(), StoreError> {
        if self.positions.len() >= COPY_THRESHOLD {
            self.copy_events(conn, recorded_at).await?;
            return self.insert_rest(conn, head, REST_SQL).await;
        }
        let sql = format!(
            "WITH new_events AS ({EVENTS_FROM_ARRAYS}), {REST_CTES} SELECT pg_notify($1, $2)"
        );
        let query = sqlx::query(&sql)
            .bind(crate::NOTIFY_CHANNEL)
            .bind(head.to_string());
        let query = self.bind_rest(query);
        query
            .bind(&self.positions)
            .bind(&self.event_ids)
            .bind(&self.streams)
            .bind(&self.versions)
            .bind(&self.types)
            .bind(&self.schema_versions)
            .bind(&self.payloads)
            .bind(&self.actor_ids)
            .bind(&self.actor_roles)
            .bind(&self.correlations)
            .bind(&self.causations)
            .bind(&self.commands)
            .bind(recorded_at)
            .bind(&self.hashes)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Stream versions, command ids and the notification, after the events were copied.
    async fn insert_rest(
        &self,
        conn: &mut PgConnection,
        head: i64,
        sql: &str,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(sql)
            .bind(crate::NOTIFY_CHANNEL)
            .bind(head.to_string());
        self.bind_rest(query).execute(&mut *conn).await?;
        Ok(())
    }

    fn bind_rest<'q>(
        &'q self,
        query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        let (stream_ids, stream_versions): (Vec<&str>, Vec<i64>) =
            self.stream_heads.iter().map(|(s, v)| (*s, *v)).unzip();
        query
            .bind(stream_ids)
            .bind(stream_versions)
            .bind(&self.command_ids)
            .bind(&self.command_streams)
            .bind(&self.command_firsts)
            .bind(&self.command_lasts)
            .bind(&self.command_versions)
    }

    /// Large batches go in through `COPY`, which PostgreSQL ingests faster than an
    /// `INSERT … SELECT FROM UNNEST` of the same rows.
    async fn copy_events(
        &self,
        conn: &mut PgConnection,
        recorded_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = recorded_at
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| StoreError::InvalidAppend(format!("timestamp: {e}")))?;
        let mut buf = String::with_capacity(self.positions.len() * 700);
        for i in 0..self.positions.len() {
            use std::fmt::Write;
            let opt = |u: Option<Uuid>| u.map_or_else(|| "\\N".to_owned(), |u| u.to_string());
            let _ = writeln!(
                buf,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t\\\\x{}",
                self.positions[i],
                self.event_ids[i],
                copy_text(self.streams[i]),
                self.versions[i],
                copy_text(self.types[i]),
                self.schema_versions[i],
                copy_text(self.payloads[i]),
                copy_text(self.actor_ids[i]),
                copy_text(self.actor_roles[i]),
                self.correlations[i],
                opt(self.causations[i]),
                opt(self.commands[i]),
                at,
                hex::encode(&self.hashes[i]),
            );
        }
        let mut copy = conn
            .copy_in_raw(
                "COPY events (position, event_id, stream_id, stream_version, event_type, schema_version, payload, \
                 actor_id, actor_role, correlation_id, causation_id, command_id, recorded_at, hash) FROM STDIN",
            )
            .await?;
        copy.send(buf.into_bytes()).await?;
        copy.finish().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_begin_statement_takes_the_writer_lock() {
        assert!(super::BEGIN_AND_LOCK.ends_with(&format!("({})", super::WRITER_LOCK)));
    }
}
