//! Cuts on the "happened" axis (`models::event_times`).

use sqlx::PgPool;
use time::OffsetDateTime;

/// Positions of the events of `stream` whose fact happened before `before`.
pub async fn happened_before(
    pool: &PgPool,
    stream: &str,
    before: OffsetDateTime,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT position FROM read.event_times WHERE stream_id = $1 AND happened_at < $2 \
         ORDER BY position",
    )
    .bind(stream)
    .bind(before)
    .fetch_all(pool)
    .await
}

/// The earliest and latest moments of the happened axis, for a time slider.
pub async fn range(pool: &PgPool) -> sqlx::Result<Option<(OffsetDateTime, OffsetDateTime)>> {
    let row: (Option<OffsetDateTime>, Option<OffsetDateTime>) =
        sqlx::query_as("SELECT min(happened_at), max(happened_at) FROM read.event_times")
            .fetch_one(pool)
            .await?;
    Ok(row.0.zip(row.1))
}
