//! The rows a batch writes and the statements that write them.
//!
//! Small batches go in as one statement of data-modifying CTEs (events from arrays, stream
//! versions, command ids, the notification); large ones copy their events with `COPY`, which
//! PostgreSQL ingests faster, and write the rest in a second statement.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::copy;
use super::lease::Outcome;
use super::lease::Plan;
use super::Request;
use crate::error::StoreError;
use crate::event::AppendResult;

/// Batches of at least this many events are written with `COPY`.
pub(super) const COPY_THRESHOLD: usize = 64;

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

/// The rows a batch writes, column by column, for `UNNEST` inserts.
#[derive(Default)]
pub(super) struct Rows<'a> {
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
    /// The rows of the requests `plan` accepted, with the positions and hashes it assigned.
    pub fn of(batch: &'a [Request], plan: &Plan) -> Self {
        let mut rows = Rows::default();
        let mut assigned = plan.assigned.iter();
        for &index in &plan.written {
            let request = &batch[index];
            let m = &request.metadata;
            for (event, at) in request.events.iter().zip(assigned.by_ref()) {
                rows.positions.push(at.position);
                rows.event_ids.push(at.event_id);
                rows.streams.push(&request.stream);
                rows.versions.push(at.stream_version);
                rows.types.push(&event.event_type);
                rows.schema_versions.push(event.schema_version);
                rows.payloads.push(&event.payload);
                rows.actor_ids.push(&m.actor_id);
                rows.actor_roles.push(&m.actor_role);
                rows.correlations.push(m.correlation_id);
                rows.causations.push(m.causation_id);
                rows.commands.push(m.command_id);
                rows.hashes.push(at.hash.to_vec());
            }
            let Outcome::Accepted(result) = &plan.outcomes[index] else {
                continue;
            };
            rows.stream_heads
                .insert(&request.stream, result.stream_version);
            if let Some(id) = m.command_id {
                rows.command(id, &request.stream, *result);
            }
        }
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    fn command(&mut self, id: Uuid, stream: &'a str, result: AppendResult) {
        self.command_ids.push(id);
        self.command_streams.push(stream);
        self.command_firsts.push(result.first_position);
        self.command_lasts.push(result.last_position);
        self.command_versions.push(result.stream_version);
    }

    /// Writes the rows; `notice` announces the batch to listeners (see [`crate::notice`]).
    pub async fn insert(
        &self,
        conn: &mut PgConnection,
        recorded_at: OffsetDateTime,
        notice: &str,
    ) -> Result<(), StoreError> {
        if self.positions.len() >= COPY_THRESHOLD {
            self.copy_events(conn, recorded_at).await?;
            return self.insert_rest(conn, notice, REST_SQL).await;
        }
        let sql = format!(
            "WITH new_events AS ({EVENTS_FROM_ARRAYS}), {REST_CTES} SELECT pg_notify($1, $2)"
        );
        let query = sqlx::query(&sql).bind(crate::NOTIFY_CHANNEL).bind(notice);
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
    async fn insert_rest<'q>(
        &'q self,
        conn: &mut PgConnection,
        notice: &'q str,
        sql: &'q str,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(sql).bind(crate::NOTIFY_CHANNEL).bind(notice);
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
        let mut buffer = copy::Buffer::new(self.positions.len(), recorded_at);
        for i in 0..self.positions.len() {
            buffer.push(&copy::Row {
                position: self.positions[i],
                event_id: self.event_ids[i],
                stream_id: self.streams[i],
                stream_version: self.versions[i],
                event_type: self.types[i],
                schema_version: self.schema_versions[i],
                payload: self.payloads[i],
                actor_id: self.actor_ids[i],
                actor_role: self.actor_roles[i],
                correlation_id: self.correlations[i],
                causation_id: self.causations[i],
                command_id: self.commands[i],
                hash: &self.hashes[i],
            });
        }
        let mut copy = conn.copy_in_raw(copy::COPY_EVENTS).await?;
        copy.send(buffer.finish()).await?;
        copy.finish().await?;
        Ok(())
    }
}
