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
    /// A transaction may be open: one was begun (by [`BatchConn::begin`] or the last
    /// commit), or a failure left the connection's state unknown.
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
            // Set first: should `BEGIN` fail, the connection's state is unknown.
            self.open = true;
            self.conn.execute("BEGIN").await?;
        }
        Ok(())
    }

    /// Commits, and with `reopen` opens the next transaction, in one simple query: one
    /// round trip.
    pub async fn commit(&mut self, reopen: bool) -> Result<(), StoreError> {
        let sql = if reopen { "COMMIT; BEGIN" } else { "COMMIT" };
        // Should any part fail, the rest is skipped, and `open` stays set: the transaction
        // may still be open (aborted), so abandoning the connection rolls it back.
        self.conn.execute(sql).await?;
        self.open = reopen;
        Ok(())
    }

    /// After a statement sent with no transaction open (it committed by itself) failed: a
    /// refusal by the server left no transaction behind, but any other failure (the
    /// connection lost mid-statement) leaves the state unknown, so [`BatchConn::abandon`]
    /// tries a rollback and closes the connection if even that fails.
    pub fn failed_alone(&mut self, error: &StoreError) {
        let refused = matches!(error, StoreError::Database(e) if e.as_database_error().is_some());
        self.open = !refused;
    }

    /// Rolls back whatever a failure may have left open; a connection that cannot even do
    /// that is closed rather than pooled (see `Drop`). With nothing open, nothing is sent
    /// (a `ROLLBACK` outside a transaction draws a warning from the server).
    pub async fn abandon(mut self) {
        if self.open {
            self.open = self.conn.execute("ROLLBACK").await.is_err();
        }
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
