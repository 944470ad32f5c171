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

    /// A pool of the shared pool's size and connection settings whose connections each end
    /// any statement that runs longer than `timeout` (PostgreSQL cancels it): for the
    /// statements run on behalf of requests, which would otherwise run on after their
    /// request was cut. Set when a connection opens (`after_connect`), not in the connect
    /// options: connections made from those (the writer's, each projector's, the
    /// listeners') stay unbounded.
    pub fn with_statement_timeout(&self, timeout: std::time::Duration) -> PgPool {
        let set = format!("SET statement_timeout = {}", timeout.as_millis());
        let options = self.pool.options();
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(options.get_max_connections())
            .acquire_timeout(options.get_acquire_timeout())
            .after_connect(move |conn, _| {
                let set = set.clone();
                Box::pin(async move {
                    sqlx::Executor::execute(conn, set.as_str()).await?;
                    Ok(())
                })
            })
            .connect_lazy_with((*self.pool.connect_options()).clone())
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
