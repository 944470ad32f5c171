//! The auditors' index of the log: per stream, per actor and per event type, the count and
//! the first and last positions.

use foldhash::{HashMap, HashSet};

use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use crate::error::ProjectionError;
use crate::projector::Projector;

/// Builds `stream_index`, `actor_index` and `type_index`.
#[derive(Debug)]
pub struct LogIndexProjector;

/// Per key: (events, first position, last position) within a batch. The projectors' maps of
/// a batch's keys hash with `foldhash` rather than std's SipHash, which was a twelfth of a
/// rebuild's instructions; they live for one batch, so a key that collides costs one batch.
type Tally<'a> = HashMap<&'a str, (i64, i64, i64)>;

impl Projector for LogIndexProjector {
    fn name(&self) -> &'static str {
        "log_index"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["stream_index", "actor_index", "type_index"]
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a RecordedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        self.apply_batch(conn, s, std::slice::from_ref(event))
    }
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let mut tallies: [(&str, &str, Tally<'_>); 3] = [
                ("stream_index", "stream_id", Tally::default()),
                ("actor_index", "actor_id", Tally::default()),
                ("type_index", "event_type", Tally::default()),
            ];
            for event in events {
                let keys = [
                    event.stream_id.as_str(),
                    event.metadata.actor_id.as_str(),
                    event.event_type.as_str(),
                ];
                for ((_, _, tally), key) in tallies.iter_mut().zip(keys) {
                    let entry = tally
                        .entry(key)
                        .or_insert((0, event.position, event.position));
                    entry.0 += 1;
                    entry.2 = event.position;
                }
            }
            // A stream whose first event is in the batch has no row yet: a plain insert,
            // cheaper for PostgreSQL than an upsert (most streams of a rebuild's page).
            let born: HashSet<&str> = events
                .iter()
                .filter(|e| e.begins_stream())
                .map(|e| e.stream_id.as_str())
                .collect();
            for (table, key, tally) in &tallies {
                let (new, known): (Vec<_>, Vec<_>) = tally
                    .iter()
                    .partition(|(k, _)| *table == "stream_index" && born.contains(*k));
                write(conn, s, table, key, &new, false).await?;
                write(conn, s, table, key, &known, true).await?;
            }
            Ok(())
        })
    }
}

/// Adds tallies to `table`: inserts them, or with `known` adds them to the rows there.
async fn write(
    conn: &mut PgConnection,
    s: &str,
    table: &str,
    key: &str,
    tallies: &[(&&str, &(i64, i64, i64))],
    known: bool,
) -> Result<(), sqlx::Error> {
    if tallies.is_empty() {
        return Ok(());
    }
    let mut keys = Vec::with_capacity(tallies.len());
    let (mut counts, mut firsts, mut lasts) = (Vec::new(), Vec::new(), Vec::new());
    for (k, (n, first, last)) in tallies {
        keys.push(**k);
        counts.push(*n);
        firsts.push(*first);
        lasts.push(*last);
    }
    let conflict = if known {
        format!(
            "ON CONFLICT ({key}) DO UPDATE SET events = {table}.events + EXCLUDED.events, \
             last_position = EXCLUDED.last_position"
        )
    } else {
        String::new()
    };
    sqlx::query(&format!(
        "INSERT INTO {s}.{table} ({key}, events, first_position, last_position) \
         SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) {conflict}"
    ))
    .bind(&keys)
    .bind(&counts)
    .bind(&firsts)
    .bind(&lasts)
    .execute(conn)
    .await?;
    Ok(())
}
