//! Helpers for read-model tests.

use civic_projections::{all_projectors, replay_all, Runtime};
use civic_store::{EventStore, LogFilter};
use sqlx::PgPool;
use tokio::sync::watch;

/// Every row of every table of every projector in `schema`, as sorted JSON text, by table.
pub async fn snapshot(pool: &PgPool, schema: &str) -> Vec<(String, Vec<String>)> {
    let tables: Vec<&str> = all_projectors()
        .iter()
        .flat_map(|p| p.tables().iter().copied())
        .collect();
    snapshot_tables(pool, schema, &tables).await
}

/// Every row of `tables` in `schema`, as sorted JSON text, by table.
pub async fn snapshot_tables(
    pool: &PgPool,
    schema: &str,
    tables: &[&str],
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for table in tables {
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT row_to_json(t)::text FROM {schema}.{table} t ORDER BY 1"
        ))
        .fetch_all(pool)
        .await
        .expect("table is readable");
        out.push((table.to_string(), rows));
    }
    out
}

/// Builds every model from position zero into a scratch schema and snapshots it.
pub async fn rebuilt_from_zero(store: &EventStore) -> Vec<(String, Vec<String>)> {
    replay_all(store, "scratch_from_zero", &LogFilter::default(), |_| {})
        .await
        .expect("replay from zero");
    snapshot(store.pool(), "scratch_from_zero").await
}

/// A running projector runtime and the switch that stops it.
#[derive(Debug)]
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Starts every projector over `store`.
    pub fn start(store: &EventStore) -> Running {
        let (stop, shutdown) = watch::channel(false);
        let tasks = Runtime::new(store.clone(), all_projectors()).spawn(shutdown);
        Running { stop, tasks }
    }

    /// Stops at a checkpoint and waits for every task.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
