//! The auditors' index of the log: per stream, per actor and per event type, the count and
//! the first and last positions.

use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use crate::error::ProjectionError;
use crate::projector::Projector;

/// Builds `stream_index`, `actor_index` and `type_index`.
#[derive(Debug)]
pub struct LogIndexProjector;

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
        Box::pin(async move {
            for (table, key, value) in [
                ("stream_index", "stream_id", &event.stream_id),
                ("actor_index", "actor_id", &event.metadata.actor_id),
                ("type_index", "event_type", &event.event_type),
            ] {
                sqlx::query(&format!(
                    "INSERT INTO {s}.{table} ({key}, events, first_position, last_position) VALUES ($1, 1, $2, $2) \
                     ON CONFLICT ({key}) DO UPDATE SET events = {table}.events + 1, last_position = EXCLUDED.last_position"
                ))
                .bind(value)
                .bind(event.position)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        })
    }
}
