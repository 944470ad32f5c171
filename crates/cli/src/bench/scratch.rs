//! A throw-away database in the same cluster, migrated, dropped when the bench ends.

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::database::Database;

pub struct Scratch {
    maintenance: PgConnectOptions,
    name: String,
    pub pool: PgPool,
}

impl Scratch {
    pub async fn create(db: &Database, max_connections: u32) -> anyhow::Result<Self> {
        Self::create_with(db, PgPoolOptions::new().max_connections(max_connections)).await
    }

    /// A scratch database whose pool is built from `pool`.
    pub async fn create_with(db: &Database, pool: PgPoolOptions) -> anyhow::Result<Self> {
        let name = format!("civic_bench_{}", uuid::Uuid::new_v4().simple());
        let maintenance = db.connection.options.clone().database("postgres");
        civic_store::create_database(&maintenance, &name)
            .await
            .context("failed to create the scratch database")?;
        let pool = pool
            .connect_with(db.connection.options.clone().database(&name))
            .await?;
        civic_store::migrate(&pool).await?;
        Ok(Scratch {
            maintenance,
            name,
            pool,
        })
    }

    pub async fn drop(self) -> anyhow::Result<()> {
        self.pool.close().await;
        civic_store::drop_database(&self.maintenance, &self.name)
            .await
            .context("failed to drop the scratch database")
    }
}
