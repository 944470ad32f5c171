//! Cuts on the "happened" axis (`crate::happened`).

use sqlx::PgPool;
use time::OffsetDateTime;

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
