//! Read-your-writes: wait until a projector has reached a position.

use std::time::{Duration, Instant};

use sqlx::PgPool;

use crate::error::ProjectionError;

/// How often the checkpoint is looked at while waiting.
const POLL: Duration = Duration::from_millis(5);

/// Waits until `projector` has applied every event up to `position`, at most `timeout`.
pub async fn wait_for(
    pool: &PgPool,
    projector: &str,
    position: i64,
    timeout: Duration,
) -> Result<(), ProjectionError> {
    let started = Instant::now();
    loop {
        let reached: Option<i64> =
            sqlx::query_scalar("SELECT position FROM read.checkpoints WHERE projector = $1")
                .bind(projector)
                .fetch_optional(pool)
                .await?;
        let reached = reached.unwrap_or(0);
        if reached >= position {
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(ProjectionError::WaitTimeout {
                projector: projector.to_owned(),
                wanted: position,
                reached,
                timeout_ms: timeout.as_millis() as u64,
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until every named projector has reached `position`.
pub async fn wait_for_all(
    pool: &PgPool,
    projectors: &[&str],
    position: i64,
    timeout: Duration,
) -> Result<(), ProjectionError> {
    let deadline = Instant::now() + timeout;
    for projector in projectors {
        let left = deadline.saturating_duration_since(Instant::now());
        wait_for(pool, projector, position, left).await?;
    }
    Ok(())
}
