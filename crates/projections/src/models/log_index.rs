//! The auditors' index of the log: per stream, per actor and per event type, the count and
//! the first and last positions.

use std::collections::HashMap;

use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use crate::error::ProjectionError;
use crate::projector::Projector;

/// Builds `stream_index`, `actor_index` and `type_index`.
#[derive(Debug)]
pub struct LogIndexProjector;

/// Per key: (events, first position, last position) within a batch.
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
                ("stream_index", "stream_id", Tally::new()),
                ("actor_index", "actor_id", Tally::new()),
                ("type_index", "event_type", Tally::new()),
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
            for (table, key, tally) in &tallies {
                if tally.is_empty() {
                    continue;
                }
                let mut keys = Vec::with_capacity(tally.len());
                let (mut counts, mut firsts, mut lasts) = (Vec::new(), Vec::new(), Vec::new());
                for (k, (n, first, last)) in tally {
                    keys.push(*k);
                    counts.push(*n);
                    firsts.push(*first);
                    lasts.push(*last);
                }
                sqlx::query(&format!(
                    "INSERT INTO {s}.{table} ({key}, events, first_position, last_position) \
                     SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) \
                     ON CONFLICT ({key}) DO UPDATE SET events = {table}.events + EXCLUDED.events, \
                     last_position = EXCLUDED.last_position"
                ))
                .bind(&keys)
                .bind(&counts)
                .bind(&firsts)
                .bind(&lasts)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        })
    }
}
