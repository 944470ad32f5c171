//! Cuts on the "happened" axis (`crate::happened`).

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::error::ProjectionError;
use crate::happened::stream_times;

/// Positions of the events of `stream` whose fact happened before `before`, judged from
/// the stream's own events (all of them: a later dated event settles an earlier undated one).
pub async fn happened_before(
    pool: &PgPool,
    stream: &str,
    before: OffsetDateTime,
) -> Result<Vec<i64>, ProjectionError> {
    let events = civic_store::read_stream(pool, stream, 0).await?;
    Ok(stream_times(&events)?
        .into_iter()
        .filter(|(_, happened)| *happened < before)
        .map(|(position, _)| position)
        .collect())
}

/// The earliest and latest moments of the happened axis, for a time slider: from each
/// stream's span (`models::happened_spans`), each bound read from an index.
pub async fn range(pool: &PgPool) -> sqlx::Result<Option<(OffsetDateTime, OffsetDateTime)>> {
    let row: (Option<OffsetDateTime>, Option<OffsetDateTime>) = sqlx::query_as(
        "SELECT (SELECT min(happened_from) FROM read.happened_spans), \
                (SELECT max(greatest(dated_until, undated_until)) FROM read.happened_spans)",
    )
    .fetch_one(pool)
    .await?;
    Ok(row.0.zip(row.1))
}
