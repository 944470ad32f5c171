//! Announcing this writer's commits to other processes, from a task of its own.
//!
//! After each commit the writer moves a watch to the batch's last position; this task sends
//! the newest position it finds there on [`crate::NOTIFY_CHANNEL`] (see [`crate::notice`]),
//! then waits [`INTERVAL`] before it looks again, so a busy writer sends at most one notice
//! per interval however many batches it commits, and a lone commit is announced at once.
//! The watch is its own, not the process's head: the head also moves for other processes'
//! commits, which this writer must not announce as its own.
//!
//! A notice sent inside each batch's commit had cost every commit PostgreSQL's notification
//! queue under its lock and woke every listening backend and its client, on the commit's
//! own path: with it, one event by one client ran at 0.83-0.86 of plain INSERTs, without it
//! 1.23-1.32 (`civic bench append`, alternated three times). A notice only wakes other
//! processes sooner than their poll of the head; the events it names are committed and
//! flushed before it is sent, so its own commit need not wait for the WAL flush, and one
//! lost (its connection failed) is covered by that poll.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

/// The least time between two notices.
const INTERVAL: Duration = Duration::from_millis(5);

/// Starts the task; it ends once the writer and its batches have dropped the sending side
/// of `committed`, after announcing the last position left there.
pub(super) fn spawn(pool: PgPool, mut committed: watch::Receiver<i64>, origin: uuid::Uuid) {
    tokio::spawn(async move {
        while committed.changed().await.is_ok() {
            let position = *committed.borrow_and_update();
            let notice = crate::notice::format(position, origin);
            let sent = sqlx::query(
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)",
            )
            .bind(crate::NOTIFY_CHANNEL)
            .bind(&notice)
            .execute(&pool)
            .await;
            if let Err(error) = sent {
                tracing::warn!(error = %error, position, "could not announce appended events");
            }
            tokio::time::sleep(INTERVAL).await;
        }
    });
}
