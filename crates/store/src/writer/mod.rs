//! The single writer of a process: pipelined group commit under a writer lease.
//!
//! Every `append` sends a request to this task. The task takes every request waiting at that
//! moment as one batch, decides it (command ids, expected versions, positions, hash chain)
//! and hands it to a commit task on a connection of its own. One request's conflict never
//! fails another's.
//!
//! **Lease.** Before it writes, the writer takes a session-level advisory lock, the lease
//! ([`lease`]). While it holds the lease no other process appends, so the writer knows the
//! head, the hash of the head and the version of every stream it has written without asking
//! the database again; it reads only the versions of streams it has not seen in this lease,
//! and presumes unseen command ids new ([`lease::Lease::decide`] says why that is safe).
//! It hands the lease back when it has been idle for [`LINGER`] or has held it for
//! [`MAX_HOLD`], after every batch it started has finished, so a writer in another process
//! (queued on the same lock) takes its turn and reads a head that includes every commit.
//!
//! **Pipeline.** Up to [`DEPTH`] batches are in flight at once: while one transaction is
//! being written or committed, the next one already copies its rows on another connection,
//! so PostgreSQL works on both. A batch commits only after the batch before it has
//! committed ([`commit`]), so positions stay gapless and in commit order: a reader that asks
//! for "after p" never sees p + 2 before p + 1. When a batch fails, every batch after it in
//! the pipeline rolls back and the lease is renewed from what the database holds; requests
//! rolled back behind another batch, or failed on a command id applied before, come back to
//! the writer to be decided again ([`Request::fail_or_retry`]).

mod announce;
mod clock;
mod commit;
mod conn;
mod copy;
mod lease;
mod rows;

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::error::StoreError;
use crate::event::{AppendResult, ExpectedVersion, Metadata};
use crate::tail::Tail;
use conn::BatchConn;
use lease::Lease;

pub(crate) use clock::Clock;
pub use clock::WriterTimes;

/// How many batches may be in flight at once.
const DEPTH: usize = 4;

/// Connections of the writer's own pool: the lease's, one per batch in flight, one being
/// handed back, and the announcer's ([`announce`]).
pub const CONNECTIONS: u32 = DEPTH as u32 + 3;

/// Connections the writer's pool keeps open while idle: enough to append while the server
/// has no connection left to give.
pub const KEPT_CONNECTIONS: u32 = 2;

/// At most this many requests are committed together.
const MAX_REQUESTS_PER_BATCH: usize = 1024;

/// An idle writer hands the lease back after this long.
const LINGER: Duration = Duration::from_millis(2);

/// A busy writer hands the lease back after this long, so other processes get their turn.
const MAX_HOLD: Duration = Duration::from_millis(200);

/// An event whose payload the caller has already rendered canonically.
pub(crate) struct PreparedEvent {
    pub event_type: String,
    pub schema_version: i32,
    /// The canonical JSON text that is stored and hashed, and handed to the tail once the
    /// batch has committed.
    pub payload: String,
}

pub(crate) struct Request {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<PreparedEvent>,
    pub metadata: Metadata,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
    /// How many times this request was decided before and sent back by a failed batch.
    pub attempt: u8,
}

/// A request is decided at most this many times; then its batch's error is its answer.
const MAX_ATTEMPTS: u8 = 3;

impl Request {
    /// Whether its command id must be looked up rather than presumed new (see
    /// [`lease::Lease::decide`]): an earlier attempt failed, perhaps on that very id.
    fn recheck(&self) -> bool {
        self.attempt > 0
    }

    /// Answers the request with `error`, or sends it back to the writer to be decided again
    /// when its batch failed for a reason that deciding again resolves.
    fn fail_or_retry(mut self, error: &StoreError, retry: &mpsc::UnboundedSender<Request>) {
        if error.is_retried_by_writer() && self.attempt + 1 < MAX_ATTEMPTS {
            self.attempt += 1;
            if let Err(returned) = retry.send(self) {
                let _ = returned.0.reply.send(Err(error.clone()));
            }
            return;
        }
        let _ = self.reply.send(Err(error.clone()));
    }
}

pub(crate) fn spawn(
    pool: PgPool,
    head: watch::Sender<i64>,
    tail: Arc<Tail>,
    origin: uuid::Uuid,
    clock: Arc<Clock>,
) -> mpsc::Sender<Request> {
    let (tx, rx) = mpsc::channel(4096);
    let (retry, retried) = mpsc::unbounded_channel();
    let (announced, to_announce) = watch::channel(*head.borrow());
    announce::spawn(pool.clone(), to_announce, origin);
    let context = Context {
        head,
        announced,
        tail,
        retry,
        clock,
    };
    tokio::spawn(run(pool, rx, retried, context));
    tx
}

/// What every batch is started with besides its requests: where committed batches are
/// announced in this process (the head and the tail) and to other processes (the
/// announcer's watch), the way back to the writer for requests to be decided again, and the
/// counters of where batches spend their time.
struct Context {
    head: watch::Sender<i64>,
    announced: watch::Sender<i64>,
    tail: Arc<Tail>,
    retry: mpsc::UnboundedSender<Request>,
    clock: Arc<Clock>,
}

/// The batches in flight, oldest first, the signal the newest gives when it commits, and the
/// connections of finished batches, kept for the next ones while the writer is busy.
#[derive(Default)]
struct Pipeline {
    batches: VecDeque<JoinHandle<Option<BatchConn>>>,
    tail: Option<oneshot::Receiver<()>>,
    spare: Vec<BatchConn>,
}

impl Pipeline {
    fn len(&self) -> usize {
        self.batches.len()
    }

    /// Waits for the oldest batch to finish (committed, rolled back or failed).
    async fn finish_oldest(&mut self) {
        if let Some(batch) = self.batches.front_mut() {
            // A commit task that panicked is a failed batch; its successors roll back.
            if let Ok(Some(conn)) = batch.await {
                self.spare.push(conn);
            }
            self.batches.pop_front();
        }
        if self.batches.is_empty() {
            self.tail = None;
        }
    }

    async fn finish_all(&mut self) {
        while !self.batches.is_empty() {
            self.finish_oldest().await;
        }
    }

    /// A connection for the next batch: a finished batch's, or else one from the pool. A
    /// busy writer thus skips the pool, which pings every connection it hands out and
    /// takes back.
    async fn connection(&mut self, pool: &PgPool) -> Result<BatchConn, StoreError> {
        match self.spare.pop() {
            Some(conn) => Ok(conn),
            None => Ok(BatchConn::new(pool.acquire().await?)),
        }
    }

    /// Hands the kept connections back to the pool.
    async fn settle(&mut self) {
        for conn in self.spare.drain(..) {
            conn.settle().await;
        }
    }
}

async fn run(
    pool: PgPool,
    mut rx: mpsc::Receiver<Request>,
    mut retried: mpsc::UnboundedReceiver<Request>,
    context: Context,
) {
    let mut lease: Option<Lease> = None;
    let mut pipeline = Pipeline::default();
    let mut pending: Vec<Request> = Vec::new();
    let mut last_round = 1;
    loop {
        let startable = match pipeline.len() {
            0 => !pending.is_empty(),
            n => n < DEPTH && event_count(&pending) >= PIPELINE_MIN_EVENTS,
        };
        if startable {
            if pipeline.len() == 0 {
                coalesce(&mut rx, &mut pending, last_round).await;
            }
            let round = std::mem::take(&mut pending);
            last_round = round.len();
            let batches = split(round, DEPTH - pipeline.len());
            let alone = batches.len() == 1;
            for batch in batches {
                begin(&pool, &mut lease, &mut pipeline, batch, alone, &context).await;
            }
            continue;
        }
        tokio::select! {
            biased;
            () = pipeline.finish_oldest(), if pipeline.len() > 0 => {}
            // `context` holds a sender, so this channel never closes while the loop runs.
            Some(request) = retried.recv() => pending.push(request),
            request = rx.recv(), if pending.len() < MAX_REQUESTS_PER_BATCH => match request {
                Some(request) => {
                    pending.push(request);
                    drain(&mut rx, &mut pending);
                }
                None => break,
            },
            () = tokio::time::sleep(LINGER), if pipeline.len() == 0 && (lease.is_some() || !pipeline.spare.is_empty()) => {
                if let Some(lease) = lease.take() {
                    lease.release().await;
                }
                // An idle writer holds no connection the rest of the process could use.
                pipeline.settle().await;
            }
        }
    }
    pipeline.finish_all().await;
    pipeline.settle().await;
    if let Some(lease) = lease {
        lease.release().await;
    }
}

/// Batches with at least this many events are worth a transaction of their own beside one
/// in flight: their rows take long enough to ingest that overlapping two pays. Smaller ones
/// wait and are committed together, since every commit costs a flush of the WAL.
const PIPELINE_MIN_EVENTS: usize = 64;

/// How long the writer waits for the callers of its last round to come back.
const COALESCE: Duration = Duration::from_micros(400);

/// With nothing in flight, waits a moment for the callers of the last round, who were all
/// answered at once and are likely about to ask again, rather than commit a lone straggler.
async fn coalesce(rx: &mut mpsc::Receiver<Request>, pending: &mut Vec<Request>, expected: usize) {
    let deadline = tokio::time::Instant::now() + COALESCE;
    while pending.len() < expected.min(MAX_REQUESTS_PER_BATCH) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(request)) => {
                pending.push(request);
                drain(rx, pending);
            }
            _ => break,
        }
    }
}

fn event_count(requests: &[Request]) -> usize {
    requests.iter().map(|r| r.events.len()).sum()
}

/// Splits a round, whole requests at a time, into at most `slots` batches of similar event
/// counts, one per [`PIPELINE_MIN_EVENTS`] events (a small round stays one batch).
fn split(mut round: Vec<Request>, slots: usize) -> Vec<Vec<Request>> {
    let total = event_count(&round);
    let parts = (total / PIPELINE_MIN_EVENTS).clamp(1, slots.max(1));
    if parts == 1 || round.len() < 2 {
        return vec![round];
    }
    let mut batches = Vec::with_capacity(parts);
    let share = total.div_ceil(parts);
    while batches.len() + 1 < parts && !round.is_empty() {
        let mut taken = 0;
        let mut cut = 0;
        while cut < round.len() - 1 && taken < share {
            taken += round[cut].events.len();
            cut += 1;
        }
        let rest = round.split_off(cut);
        batches.push(std::mem::replace(&mut round, rest));
    }
    if !round.is_empty() {
        batches.push(round);
    }
    batches
}

/// Starts one batch, taking or renewing the lease first; answers its callers on failure.
async fn begin(
    pool: &PgPool,
    lease: &mut Option<Lease>,
    pipeline: &mut Pipeline,
    batch: Vec<Request>,
    alone: bool,
    context: &Context,
) {
    if lease.as_ref().is_some_and(Lease::due) {
        pipeline.finish_all().await;
        if let Some(lease) = lease.take() {
            lease.release().await;
        }
    }
    if lease.is_none() {
        match Lease::acquire(pool).await {
            Ok(acquired) => *lease = Some(acquired),
            Err(error) => {
                tracing::error!(error = %error, "could not take the writer lease");
                fail(batch, &error);
                return;
            }
        }
    }
    let Some(held) = lease.as_mut() else { return };
    if let Err(error) = start(pool, held, pipeline, batch, alone, context).await {
        tracing::error!(error = %error, "group commit failed");
        held.poisoned.store(true, Ordering::Relaxed);
    }
}

/// Decides a batch under the lease and starts its commit task.
async fn start(
    pool: &PgPool,
    lease: &mut Lease,
    pipeline: &mut Pipeline,
    batch: Vec<Request>,
    alone: bool,
    context: &Context,
) -> Result<(), StoreError> {
    // The lease's own connection reads what the decision needs; the batch's connection is
    // taken only afterwards. If that fails, the lease has counted positions that will not be
    // written: the caller poisons it, so it is renewed from the database.
    let plan = match lease.decide(&batch).await {
        Ok(plan) => plan,
        Err(error) => {
            fail(batch, &error);
            return Err(error);
        }
    };
    let conn = match pipeline.connection(pool).await {
        Ok(conn) => conn,
        Err(error) => {
            fail(batch, &error);
            return Err(error);
        }
    };
    // `tail` is `None` whenever nothing is in flight (see `Pipeline::finish_oldest`).
    let after = pipeline.tail.take();
    let (committed, tail) = oneshot::channel();
    let task = commit::Task {
        conn,
        batch,
        plan,
        after,
        alone,
        committed,
        head: context.head.clone(),
        announced: context.announced.clone(),
        tail: context.tail.clone(),
        retry: context.retry.clone(),
        poisoned: lease.poisoned.clone(),
        clock: context.clock.clone(),
    };
    pipeline.batches.push_back(tokio::spawn(task.run()));
    pipeline.tail = Some(tail);
    Ok(())
}

fn drain(rx: &mut mpsc::Receiver<Request>, batch: &mut Vec<Request>) {
    while batch.len() < MAX_REQUESTS_PER_BATCH {
        match rx.try_recv() {
            Ok(request) => batch.push(request),
            Err(_) => break,
        }
    }
}

fn fail(batch: Vec<Request>, error: &StoreError) {
    for request in batch {
        let _ = request.reply.send(Err(error.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests(sizes: &[usize]) -> Vec<Request> {
        sizes
            .iter()
            .map(|&n| Request {
                stream: "s".into(),
                expected: ExpectedVersion::Any,
                events: (0..n)
                    .map(|_| PreparedEvent {
                        event_type: "T".into(),
                        schema_version: 1,
                        payload: "{}".into(),
                    })
                    .collect(),
                metadata: Metadata::anonymous(),
                reply: oneshot::channel().0,
                attempt: 0,
            })
            .collect()
    }

    fn sizes(batches: &[Vec<Request>]) -> Vec<usize> {
        batches.iter().map(|b| event_count(b)).collect()
    }

    #[test]
    fn large_rounds_are_split_over_the_free_slots_and_small_ones_stay_whole() {
        assert_eq!(sizes(&split(requests(&[100; 4]), 4)), [100; 4]);
        assert_eq!(sizes(&split(requests(&[100; 4]), 2)), [200, 200]);
        assert_eq!(sizes(&split(requests(&[1; 16]), 4)), [16]);
        assert_eq!(sizes(&split(requests(&[500]), 4)), [500]);
        assert_eq!(sizes(&split(requests(&[100, 10, 10, 10]), 4)), [100, 30]);
    }
}
