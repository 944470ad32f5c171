//! A connection the writer writes batches on.
//!
//! A busy writer keeps the connections of finished batches for the next ones, and each of
//! them commits with `COMMIT; BEGIN`: the next batch finds its transaction already open and
//! starts with its rows, a round trip sooner. A transaction that has only begun holds no
//! snapshot and no transaction id, so it keeps nothing from vacuum or from other writers.
//! Before such a connection goes back to the pool, [`BatchConn::settle`] rolls it back.

use sqlx::pool::PoolConnection;
use sqlx::{Executor, PgConnection, Postgres};

use crate::error::StoreError;

pub(super) struct BatchConn {
    conn: PoolConnection<Postgres>,
    /// Inside a transaction opened by the last commit on this connection.
    open: bool,
}

impl BatchConn {
    pub fn new(conn: PoolConnection<Postgres>) -> Self {
        BatchConn { conn, open: false }
    }

    /// Whether a transaction is already open, so a statement would not commit by itself.
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn raw(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// Opens a transaction unless the last commit already did.
    pub async fn begin(&mut self) -> Result<(), StoreError> {
        if !self.open {
            self.conn.execute("BEGIN").await?;
            self.open = true;
        }
        Ok(())
    }

    /// Announces the batch with `notice` (see [`crate::notice`]), commits, and opens the next
    /// transaction, in one simple query: one round trip. The notice is digits and hex, so
    /// it needs no escaping.
    pub async fn commit(&mut self, notice: &str) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT pg_notify('{}', '{notice}'); COMMIT; BEGIN",
            crate::NOTIFY_CHANNEL
        );
        // Should `COMMIT` fail, the rest is skipped and the connection is rolled back.
        self.open = false;
        self.conn.execute(sql.as_str()).await?;
        self.open = true;
        Ok(())
    }

    /// Rolls back whatever a failure left open; a connection that cannot even do that is
    /// closed rather than pooled (see `Drop`).
    pub async fn abandon(mut self) {
        self.open = self.conn.execute("ROLLBACK").await.is_err();
    }

    /// Hands the connection back to the pool with no transaction open.
    pub async fn settle(self) {
        if self.open {
            self.abandon().await;
        }
    }
}

impl Drop for BatchConn {
    fn drop(&mut self) {
        // Dropped with its transaction open (the writer went away without settling, or a
        // rollback failed): its next user in the pool would run inside that transaction.
        if self.open {
            self.conn.close_on_drop();
        }
    }
}
