//! Running the projectors: one task per projector, catch-up then live, one process at a time.

use std::sync::Arc;
use std::time::Duration;

use civic_store::{EventStore, ProjectedEvent};
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::checkpoint;
use crate::error::ProjectionError;
use crate::lag::{self, Progress};
use crate::projector::Projector;
use crate::wait::{Reached, NOTICE_EVERY};
use crate::LIVE_SCHEMA;

/// Events applied per transaction at most.
const BATCH: usize = 500;
/// How often a standby process tries to take over a projector.
const STANDBY_RETRY: Duration = Duration::from_secs(1);

/// Runs projectors against a store until told to stop.
#[derive(Debug, Clone)]
pub struct Runtime {
    store: EventStore,
    projectors: Vec<Arc<dyn Projector>>,
    reached: Option<Reached>,
}

/// Why a projector's run ended.
enum Ended {
    /// Shutdown was asked for.
    Shutdown,
    /// A handler failed at a position; the error is recorded in its checkpoint.
    Failed,
    /// A batch failed as a whole but went through event by event; carry on.
    Retry,
}

impl Runtime {
    /// A runtime for `projectors` over `store`.
    pub fn new(store: EventStore, projectors: Vec<Arc<dyn Projector>>) -> Self {
        Runtime {
            store,
            projectors,
            reached: None,
        }
    }

    /// Moves `reached` as the projectors commit, so this process's waits end at once.
    pub fn with_reached(mut self, reached: Reached) -> Self {
        self.reached = Some(reached);
        self
    }

    /// Starts one task per projector, and one that publishes their lag as gauges; they stop
    /// (the projectors at a checkpoint) when `shutdown` turns true.
    pub fn spawn(&self, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
        let mut progress = Vec::new();
        let mut tasks: Vec<JoinHandle<()>> = self
            .projectors
            .iter()
            .map(|projector| {
                let store = self.store.clone();
                let projector = projector.clone();
                let shutdown = shutdown.clone();
                let mine = Progress::new(projector.name(), self.reached.clone());
                progress.push(mine.clone());
                tokio::spawn(async move { drive(store, projector, mine, shutdown).await })
            })
            .collect();
        tasks.push(tokio::spawn(lag::publish(
            self.store.clone(),
            progress,
            shutdown,
        )));
        tasks
    }
}

/// The advisory lock key of a projector: FNV-1a of its name, in a namespace of its own.
pub(crate) fn lock_key(name: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"civic-projector:".iter().chain(name.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

async fn drive(
    store: EventStore,
    projector: Arc<dyn Projector>,
    progress: Arc<Progress>,
    mut shutdown: watch::Receiver<bool>,
) {
    let name = projector.name();
    loop {
        if *shutdown.borrow() {
            return;
        }
        match hold_lock(&store, name).await {
            Ok(Some(mut lock)) => {
                tracing::info!(projector = name, "driving projector");
                let ended = run(
                    &store,
                    projector.as_ref(),
                    &progress,
                    &mut lock,
                    &mut shutdown,
                )
                .await;
                let _ = lock.close().await;
                match ended {
                    Ok(Ended::Shutdown) => return,
                    Ok(Ended::Retry) => continue,
                    Ok(Ended::Failed) => {
                        // Stopped at the failing event; wait for shutdown (a rebuild or a fix and
                        // restart resumes it).
                        let _ = shutdown.wait_for(|stop| *stop).await;
                        return;
                    }
                    Err(error) => {
                        tracing::warn!(projector = name, %error, "projector interrupted; retrying");
                    }
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(projector = name, %error, "cannot reach the database"),
        }
        let _ = tokio::time::timeout(STANDBY_RETRY, shutdown.changed()).await;
    }
}

/// Takes the projector's session lock on a dedicated connection: while this connection
/// lives, no other process drives the projector, and the projector's transactions run on it.
/// `None`: another process holds it.
///
/// The connection commits without waiting for the WAL flush. A read model is derived data
/// whose rows move in the same transaction as its checkpoint, so a crash can only lose the
/// last few transactions whole, and the projector applies those events again from the log:
/// exactly once still holds, and no commit of a projector waits on the disk.
///
/// It also plans every statement for its parameters. A projector's lookups take arrays of
/// ids (`= ANY($1)`) whose length changes from batch to batch, over tables that grow from
/// nothing; a generic plan cached while a table was small scans it whole long after it has
/// grown, until something analyzes it.
async fn hold_lock(store: &EventStore, name: &str) -> Result<Option<PgConnection>, sqlx::Error> {
    let options = (*store.pool().connect_options()).clone().options([
        ("synchronous_commit", "off"),
        ("plan_cache_mode", "force_custom_plan"),
    ]);
    let mut conn = PgConnection::connect_with(&options).await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(lock_key(name))
        .fetch_one(&mut conn)
        .await?;
    if locked {
        Ok(Some(conn))
    } else {
        conn.close().await?;
        Ok(None)
    }
}

async fn run(
    store: &EventStore,
    projector: &dyn Projector,
    progress: &Progress,
    conn: &mut PgConnection,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Ended, ProjectionError> {
    let name = projector.name();
    let mut position = checkpoint::ensure(conn, name, projector.version()).await?;
    progress.started_at(position);
    let mut subscription = store.subscribe(position);
    // Moves not yet announced to other processes, and when the last notice went.
    let mut unannounced = None;
    let mut announced = tokio::time::Instant::now();
    loop {
        let next = tokio::select! {
            batch = subscription.next_batch(BATCH) => Some(batch?),
            () = tokio::time::sleep_until(announced + NOTICE_EVERY), if unannounced.is_some() => None,
            _ = shutdown.wait_for(|stop| *stop) => return Ok(Ended::Shutdown),
        };
        let Some(batch) = next else {
            // Quiet for a while after a move: announce the last one.
            if let Some(position) = unannounced.take() {
                crate::wait::announce(&mut *conn, name, position).await?;
                announced = tokio::time::Instant::now();
            }
            continue;
        };
        let Some(last) = batch.last().map(|e| e.position) else {
            continue;
        };
        let batch: Vec<ProjectedEvent> = batch.into_iter().map(ProjectedEvent::from).collect();
        // Two round trips of bookkeeping per batch: open and lock, then advance and commit.
        let stored = checkpoint::begin_locked(conn, name).await?;
        if stored != position {
            // The checkpoint moved under us (a rebuild swapped the tables in): follow it.
            conn.execute("ROLLBACK").await?;
            tracing::info!(
                projector = name,
                from = position,
                to = stored,
                "checkpoint moved; resubscribing"
            );
            position = stored;
            subscription = store.subscribe(position);
            continue;
        }
        let started = std::time::Instant::now();
        match projector.apply_batch(conn, LIVE_SCHEMA, &batch).await {
            Ok(()) => {}
            // The caller closes this connection, which rolls the transaction back.
            Err(ProjectionError::Database(error)) => return Err(ProjectionError::Database(error)),
            Err(_) => {
                // Find the failing event one by one, keep what came before it, stop there.
                conn.execute("ROLLBACK").await?;
                return stop_at_failure(conn, projector, &batch).await;
            }
        }
        checkpoint::advance_and_commit(conn, name, last).await?;
        metrics::histogram!("civic_projector_apply_seconds", "projector" => name)
            .record(started.elapsed().as_secs_f64());
        if let Some(event) = batch.last() {
            progress.applied(last, event.recorded_at);
        }
        position = last;
        unannounced = Some(last);
        if announced.elapsed() >= NOTICE_EVERY {
            crate::wait::announce(&mut *conn, name, last).await?;
            announced = tokio::time::Instant::now();
            unannounced = None;
        }
    }
}

/// Applies a failed batch event by event to find the failing one; commits the events before
/// it, records the failure at its position and ends the run.
async fn stop_at_failure(
    conn: &mut PgConnection,
    projector: &dyn Projector,
    batch: &[ProjectedEvent],
) -> Result<Ended, ProjectionError> {
    let name = projector.name();
    let mut tx = conn.begin().await?;
    checkpoint::lock(&mut tx, name).await?;
    for (index, event) in batch.iter().enumerate() {
        if !crate::projector::wants(projector, event) {
            continue;
        }
        match projector.apply(&mut tx, LIVE_SCHEMA, event).await {
            Ok(()) => {}
            Err(ProjectionError::Database(error)) => return Err(ProjectionError::Database(error)),
            Err(error) => {
                if index > 0 {
                    checkpoint::advance(&mut tx, name, batch[index - 1].position).await?;
                    tx.commit().await?;
                } else {
                    tx.rollback().await?;
                }
                let message = error.to_string();
                tracing::error!(projector = name, position = event.position, error = %message, "projector failed");
                checkpoint::fail(conn, name, event.position, &message).await?;
                return Ok(Ended::Failed);
            }
        }
    }
    // Applied one by one, the batch went through after all.
    if let Some(last) = batch.last() {
        checkpoint::advance(&mut tx, name, last.position).await?;
    }
    tx.commit().await?;
    Ok(Ended::Retry)
}
