//! Checkpoints: how far each projector got, moved in the same transaction as its rows.

use sqlx::{Executor, PgConnection, Row};

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

// The checkpoint statements are written once, with the projector's name (its own constant)
// quoted as a literal, so that the live loop can send each together with `BEGIN` or `COMMIT`
// as one simple query: without arguments a statement goes as a simple query, which may hold
// several.

fn lock_sql(name: &str) -> String {
    format!(
        "SELECT position FROM read.checkpoints WHERE projector = {} FOR UPDATE",
        literal(name)
    )
}

fn advance_sql(name: &str, position: i64) -> String {
    format!(
        "UPDATE read.checkpoints SET position = {position}, updated_at = now(), \
         failed_position = NULL, error = NULL WHERE projector = {}",
        literal(name)
    )
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Locks the checkpoint row for the rest of the transaction and returns its position.
pub(crate) async fn lock(conn: &mut PgConnection, name: &str) -> Result<i64, sqlx::Error> {
    conn.fetch_one(lock_sql(name).as_str()).await?.try_get(0)
}

/// Opens a transaction and locks the checkpoint row in it, in one round trip; returns the
/// position.
pub(crate) async fn begin_locked(conn: &mut PgConnection, name: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("BEGIN; {}", lock_sql(name));
    conn.fetch_one(sql.as_str()).await?.try_get(0)
}

/// Moves the checkpoint (and clears any failure).
pub(crate) async fn advance(
    conn: &mut PgConnection,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    conn.execute(advance_sql(name, position).as_str()).await?;
    Ok(())
}

/// Moves the checkpoint (clearing any failure) and commits the transaction [`begin_locked`]
/// opened, in one round trip. On error the transaction is left aborted: roll it back or
/// close the connection.
pub(crate) async fn advance_and_commit(
    conn: &mut PgConnection,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!("{}; COMMIT", advance_sql(name, position));
    conn.execute(sql.as_str()).await?;
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
