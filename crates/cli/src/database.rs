//! Opening the database for a command: the URL or the embedded cluster, migrated.

use anyhow::Context;
use civic_store::Connection;
use sqlx::PgPool;

use crate::Global;

/// The database of one command run.
#[derive(Debug)]
pub struct Database {
    pub connection: Connection,
    pub pool: PgPool,
}

impl Database {
    pub async fn open(global: &Global) -> anyhow::Result<Self> {
        let connection = civic_store::connect(global.database_url.as_deref(), &global.data_dir)
            .await
            .context("failed to open the database")?;
        let pool = connection
            .pool(
                global.db_connections,
                std::time::Duration::from_millis(global.db_acquire_timeout_ms),
            )
            .await
            .context("failed to connect to PostgreSQL")?;
        Ok(Database { connection, pool })
    }

    /// Applies pending migrations (every command that uses the schema calls this first).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        civic_store::migrate(&self.pool)
            .await
            .context("failed to apply migrations")
    }

    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        self.connection
            .close()
            .await
            .context("failed to stop the embedded PostgreSQL")
    }
}
