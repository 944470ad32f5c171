//! Checkpoints: how far each projector got, moved in the same transaction as its rows.

use sqlx::PgConnection;

/// Makes sure the projector has a checkpoint row; returns its position.
pub(crate) async fn ensure(
    conn: &mut PgConnection,
    name: &str,
    version: i32,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO read.checkpoints (projector, version) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(name)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT position FROM read.checkpoints WHERE projector = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
}

/// Locks the checkpoint row for the rest of the transaction and returns its position.
pub(crate) async fn lock(conn: &mut PgConnection, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT position FROM read.checkpoints WHERE projector = $1 FOR UPDATE")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
}

/// Moves the checkpoint (and clears any failure).
pub(crate) async fn advance(
    conn: &mut PgConnection,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE read.checkpoints SET position = $2, updated_at = now(), failed_position = NULL, error = NULL \
         WHERE projector = $1",
    )
    .bind(name)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records that the projector stopped at `position` with `error`.
pub(crate) async fn fail(
    conn: &mut PgConnection,
    name: &str,
    position: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE read.checkpoints SET failed_position = $2, error = $3, updated_at = now() WHERE projector = $1")
        .bind(name)
        .bind(position)
        .bind(error)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
