//! Read-your-writes: wait until projectors have reached a position, without polling.
//!
//! [`Reached`] keeps a `tokio::sync::watch` per projector, and a wait is a wait on its watch.
//! The projectors this process drives move their watches directly after each commit. The
//! projectors of other processes reach it through notices on `civic_checkpoints`: their
//! runtime announces a move after its commit, at most every [`NOTICE_EVERY`] per projector
//! (and always the last one, once that much time has passed), and a rebuild announces its
//! swap; one LISTEN connection follows them. A notice is its own statement, not part of
//! the projector's transaction: a NOTIFY inside a transaction holds a database-wide lock
//! through its commit, which the writer's commits would queue behind.
//!
//! If the LISTEN connection is lost, a new one listens and then the checkpoints are read
//! again, so a notice lost meanwhile delays no one for longer than the reconnect.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::watch;

use crate::error::ProjectionError;

/// The notice channel of checkpoint moves.
const CHANNEL: &str = "civic_checkpoints";

/// How often a projector announces its moves to other processes at most.
pub(crate) const NOTICE_EVERY: Duration = Duration::from_millis(50);

/// Announces that `projector` has reached `position` (sent at the commit of the
/// executor's transaction, or at once outside one).
pub(crate) async fn announce<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    projector: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(format!("{projector}:{position}"))
        .execute(executor)
        .await?;
    Ok(())
}

/// How long to wait before following again after the LISTEN connection failed.
const RECONNECT: Duration = Duration::from_millis(500);

/// Where each projector has reached, kept current from the database's notices.
#[derive(Debug, Clone)]
pub struct Reached {
    positions: Arc<Mutex<HashMap<String, watch::Sender<i64>>>>,
    _follower: Arc<Follower>,
}

/// The task following the notices; stopped when the last [`Reached`] handle goes.
#[derive(Debug)]
struct Follower(tokio::task::JoinHandle<()>);

impl Drop for Follower {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Reached {
    /// Starts following the checkpoints of `pool`'s database ([`listen_and_read`]).
    pub async fn follow(pool: &PgPool) -> Result<Reached, ProjectionError> {
        let positions: Arc<Mutex<HashMap<String, watch::Sender<i64>>>> = Arc::default();
        let listener = listen_and_read(pool, &positions).await?;
        let follower = tokio::spawn(run(pool.clone(), listener, positions.clone()));
        Ok(Reached {
            positions,
            _follower: Arc::new(Follower(follower)),
        })
    }

    /// Moves `projector`'s watch to `position` (the runtime calls this after each commit of
    /// a projector it drives).
    pub fn advance(&self, projector: &str, position: i64) {
        advance(&self.positions, projector, position);
    }

    fn watch(&self, projector: &str) -> watch::Receiver<i64> {
        let mut positions = self.positions.lock().unwrap_or_else(|e| e.into_inner());
        positions
            .entry(projector.to_owned())
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// Waits until `projector` has applied every event up to `position`, at most `timeout`.
    pub async fn wait_for(
        &self,
        projector: &str,
        position: i64,
        timeout: Duration,
    ) -> Result<(), ProjectionError> {
        let mut reached = self.watch(projector);
        let arrived = tokio::time::timeout(timeout, reached.wait_for(|p| *p >= position))
            .await
            .is_ok_and(|r| r.is_ok());
        match arrived {
            true => Ok(()),
            false => Err(ProjectionError::WaitTimeout {
                projector: projector.to_owned(),
                wanted: position,
                reached: *reached.borrow(),
                timeout_ms: timeout.as_millis() as u64,
            }),
        }
    }

    /// Waits until every named projector has reached `position`, at most `timeout` in all.
    pub async fn wait_for_all(
        &self,
        projectors: &[&str],
        position: i64,
        timeout: Duration,
    ) -> Result<(), ProjectionError> {
        let deadline = Instant::now() + timeout;
        for projector in projectors {
            let left = deadline.saturating_duration_since(Instant::now());
            self.wait_for(projector, position, left).await?;
        }
        Ok(())
    }
}

/// Moves a projector's watch forward (never back: notices may arrive out of order with a
/// read of the table).
fn advance(positions: &Mutex<HashMap<String, watch::Sender<i64>>>, projector: &str, position: i64) {
    let mut positions = positions.lock().unwrap_or_else(|e| e.into_inner());
    let sender = positions
        .entry(projector.to_owned())
        .or_insert_with(|| watch::channel(0).0);
    sender.send_if_modified(|p| {
        let forward = position > *p;
        if forward {
            *p = position;
        }
        forward
    });
}

async fn read_all(
    pool: &PgPool,
    positions: &Mutex<HashMap<String, watch::Sender<i64>>>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT projector, position FROM read.checkpoints")
            .fetch_all(pool)
            .await?;
    for (projector, position) in rows {
        advance(positions, &projector, position);
    }
    Ok(())
}

/// Follows the notices; when the LISTEN connection is lost, opens a new one, listens, and
/// reads the table again (in that order, so no move falls between).
async fn run(
    pool: PgPool,
    listener: PgListener,
    positions: Arc<Mutex<HashMap<String, watch::Sender<i64>>>>,
) {
    let mut listener = Some(listener);
    loop {
        let mut current = match listener.take() {
            Some(listener) => listener,
            None => match listen_and_read(&pool, &positions).await {
                Ok(listener) => listener,
                // The process closed the pool: it is done with this database.
                Err(sqlx::Error::PoolClosed) => return,
                Err(error) => {
                    tracing::warn!(%error, "cannot follow checkpoint notices; retrying");
                    tokio::time::sleep(RECONNECT).await;
                    continue;
                }
            },
        };
        // `None` or an error: the connection is lost; follow again.
        while let Ok(Some(notice)) = current.try_recv().await {
            if let Some((projector, position)) = notice.payload().rsplit_once(':') {
                if let Ok(position) = position.parse() {
                    advance(&positions, projector, position);
                }
            }
        }
    }
}

/// LISTEN first, then read where each projector is, so no move falls between the two.
async fn listen_and_read(
    pool: &PgPool,
    positions: &Mutex<HashMap<String, watch::Sender<i64>>>,
) -> Result<PgListener, sqlx::Error> {
    let mut listener = civic_store::listener(pool).await?;
    listener.listen(CHANNEL).await?;
    read_all(pool, positions).await?;
    Ok(listener)
}

/// Waits until `projector` has reached `position`: a one-off [`Reached`] (for commands and
/// tests; a server keeps one).
pub async fn wait_for(
    pool: &PgPool,
    projector: &str,
    position: i64,
    timeout: Duration,
) -> Result<(), ProjectionError> {
    Reached::follow(pool)
        .await?
        .wait_for(projector, position, timeout)
        .await
}

/// Waits until every named projector has reached `position` (a one-off [`Reached`]).
pub async fn wait_for_all(
    pool: &PgPool,
    projectors: &[&str],
    position: i64,
    timeout: Duration,
) -> Result<(), ProjectionError> {
    Reached::follow(pool)
        .await?
        .wait_for_all(projectors, position, timeout)
        .await
}
