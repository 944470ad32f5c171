//! The rows a batch writes and the statements that write them.
//!
//! Small batches go in as one `INSERT … SELECT FROM UNNEST` of arrays; large ones with
//! `COPY`, which PostgreSQL ingests faster. A batch of one append (each batch of a lone
//! caller) sends as arrays only what differs from one event to the next. Either way the
//! statement is the whole write: the unique indexes of `events` hold stream versions and
//! command ids to what the writer decided (migration `commands_in_events`). Other
//! processes learn of the commit from the announcer (`writer/announce.rs`).

use std::sync::LazyLock;

use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};
use time::OffsetDateTime;
use uuid::Uuid;

use super::copy;
use super::lease::Plan;
use super::Request;
use crate::error::StoreError;

/// Batches of at least this many events are written with `COPY`, but for a lone batch (see
/// [`LONE_COPY_THRESHOLD`]).
pub(super) const COPY_THRESHOLD: usize = 64;

/// A lone batch (nothing in flight before it, nothing started beside it) of fewer events
/// than this is written as one `INSERT … UNNEST`, which commits by itself when its
/// connection has no transaction open. `COPY` takes two round trips (the statement, then
/// the rows) and the commit a third; with nothing in flight to overlap them, they are the
/// caller's wait. PostgreSQL inserts rows faster from `COPY` (about 0.85 ms against 1.0 ms
/// for 100 events), so larger lone batches still go by `COPY`.
pub(super) const LONE_COPY_THRESHOLD: usize = 128;

/// The events of a batch from its 15 arrays (`$1..$12`, `$14..$16`) and its time (`$13`),
/// in the order of [`WRITTEN_COLUMN_LIST`](crate::columns::WRITTEN_COLUMN_LIST).
///
/// The arrays are unnested in a select list, where PostgreSQL steps through them together
/// one row at a time, rather than in `FROM`, where each is a function scan whose rows are
/// first gathered in a store of their own: timed inside the server (the `SELECT` alone,
/// alternated three times), 4 events took 0.040-0.047 ms against 0.075-0.081 ms, 16 events
/// 0.073-0.078 against 0.104-0.132 ms, 40 events 0.139-0.189 against 0.165-0.199 ms.
static EVENTS_FROM_ARRAYS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO events ({}) \
         SELECT p, e, s, v, t, sv, pl::jsonb, a, r, c, ca, cm, $13, h, f, n \
         FROM (SELECT unnest($1::bigint[]) AS p, unnest($2::uuid[]) AS e, unnest($3::text[]) AS s, \
                      unnest($4::bigint[]) AS v, unnest($5::text[]) AS t, unnest($6::int[]) AS sv, \
                      unnest($7::text[]) AS pl, unnest($8::text[]) AS a, unnest($9::text[]) AS r, \
                      unnest($10::uuid[]) AS c, unnest($11::uuid[]) AS ca, unnest($12::uuid[]) AS cm, \
                      unnest($14::bytea[]) AS h, unnest($15::bytea[]) AS f, unnest($16::int[]) AS n) AS u",
        *crate::columns::WRITTEN_COLUMN_LIST
    )
});

/// The events of one append: what all of them share as single values (`$1..$11`: the first
/// position, the stream, the first stream version, the metadata, the time, the command's
/// event count), what differs from one to the next as five arrays (`$12..$16`). An append's
/// positions and stream versions are consecutive, so they are counted from the first.
///
/// `UNNEST` of several arrays is a function scan per array: timed inside the server, the
/// statement alone, a one-event append took 0.09-0.11 ms to insert with fifteen arrays and
/// 0.05-0.07 ms with five; ten events 0.29-0.32 against 0.24-0.25 ms; a hundred 1.94-2.06
/// against 1.84-1.87 ms.
static ONE_APPEND_FROM_ARRAYS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO events ({}) \
         SELECT $1::bigint + u.o - 1, u.e, $2::text, $3::bigint + u.o - 1, u.t, u.sv, u.pl::jsonb, \
                $4::text, $5::text, $6::uuid, $7::uuid, $8::uuid, $9::timestamptz, u.h, $10::bytea, \
                CASE WHEN u.o = 1 THEN $11::int END \
         FROM UNNEST($12::uuid[], $13::text[], $14::int[], $15::text[], $16::bytea[]) \
              WITH ORDINALITY AS u(e, t, sv, pl, h, o)",
        *crate::columns::WRITTEN_COLUMN_LIST
    )
});

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
    fingerprints: Vec<Option<&'a [u8]>>,
    /// On the first event of an idempotent command, how many events it appends.
    command_events: Vec<Option<i32>>,
    /// The rows are those of one append: one stream, one metadata, consecutive positions.
    one_append: bool,
}

impl<'a> Rows<'a> {
    /// The rows of the requests `plan` accepted, with the positions and hashes it assigned.
    pub fn of(batch: &'a [Request], plan: &Plan) -> Self {
        let mut rows = Rows::default();
        let mut assigned = plan.assigned.iter();
        for &index in &plan.written {
            let request = &batch[index];
            let m = &request.metadata;
            // An append's events take consecutive positions, so its first event and their
            // number are its whole result.
            let count = i32::try_from(request.events.len()).unwrap_or(i32::MAX);
            for (nth, (event, at)) in request.events.iter().zip(assigned.by_ref()).enumerate() {
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
                rows.fingerprints
                    .push(m.command_fingerprint.as_ref().map(|f| f.as_slice()));
                rows.command_events
                    .push((nth == 0 && m.command_id.is_some()).then_some(count));
            }
        }
        rows.one_append = plan.written.len() == 1;
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the rows go by `COPY` rather than `INSERT … UNNEST`.
    pub fn by_copy(&self, lone: bool) -> bool {
        let threshold = if lone {
            LONE_COPY_THRESHOLD
        } else {
            COPY_THRESHOLD
        };
        self.positions.len() >= threshold
    }

    /// Writes the rows in one statement (`COPY` when [`Rows::by_copy`]); sent outside a
    /// transaction, a statement of arrays commits by itself.
    pub async fn insert(
        &self,
        conn: &mut PgConnection,
        recorded_at: OffsetDateTime,
        lone: bool,
    ) -> Result<(), StoreError> {
        if self.by_copy(lone) {
            return self.copy_events(conn, recorded_at).await;
        }
        self.bind(sqlx::query(self.statement()), recorded_at)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The `INSERT` for these rows: [`ONE_APPEND_FROM_ARRAYS`] for one append, else
    /// [`EVENTS_FROM_ARRAYS`].
    fn statement(&self) -> &'static str {
        if self.one_append {
            ONE_APPEND_FROM_ARRAYS.as_str()
        } else {
            EVENTS_FROM_ARRAYS.as_str()
        }
    }

    /// Binds the rows to their [`Rows::statement`] (`$1..$16` either way).
    fn bind<'q>(
        &'q self,
        query: Query<'q, Postgres, PgArguments>,
        recorded_at: OffsetDateTime,
    ) -> Query<'q, Postgres, PgArguments> {
        if self.one_append {
            self.bind_one_append(query, recorded_at)
        } else {
            self.bind_arrays(query, recorded_at)
        }
    }

    /// Binds the first row's shared values and the five varying columns to
    /// [`ONE_APPEND_FROM_ARRAYS`]. Only called with rows: a batch with none writes nothing.
    fn bind_one_append<'q>(
        &'q self,
        query: Query<'q, Postgres, PgArguments>,
        recorded_at: OffsetDateTime,
    ) -> Query<'q, Postgres, PgArguments> {
        query
            .bind(self.positions[0])
            .bind(self.streams[0])
            .bind(self.versions[0])
            .bind(self.actor_ids[0])
            .bind(self.actor_roles[0])
            .bind(self.correlations[0])
            .bind(self.causations[0])
            .bind(self.commands[0])
            .bind(recorded_at)
            .bind(self.fingerprints[0])
            .bind(self.command_events[0])
            .bind(&self.event_ids)
            .bind(&self.types)
            .bind(&self.schema_versions)
            .bind(&self.payloads)
            .bind(&self.hashes)
    }

    /// Binds the columns and the batch's time to [`EVENTS_FROM_ARRAYS`] (`$1..$16`).
    fn bind_arrays<'q>(
        &'q self,
        query: Query<'q, Postgres, PgArguments>,
        recorded_at: OffsetDateTime,
    ) -> Query<'q, Postgres, PgArguments> {
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
            .bind(&self.fingerprints)
            .bind(&self.command_events)
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
                command_fingerprint: self.fingerprints[i],
                command_events: self.command_events[i],
            });
        }
        let mut copy = conn.copy_in_raw(&copy::COPY_EVENTS).await?;
        copy.send(buffer.finish()).await?;
        copy.finish().await?;
        Ok(())
    }
}
