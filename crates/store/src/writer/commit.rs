//! One batch's commit task: write the rows, wait for the batch before it, commit, answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot, watch};

use super::clock::{Clock, Phases};
use super::conn::BatchConn;
use super::lease::{Outcome, Plan};
use super::rows::Rows;
use super::Request;
use crate::error::StoreError;
use crate::event::{Payload, RecordedEvent};
use crate::tail::Tail;

pub(super) struct Task {
    pub conn: BatchConn,
    pub batch: Vec<Request>,
    pub plan: Plan,
    /// Resolves when the batch before this one has committed; an error means it failed.
    /// `None` when nothing was in flight as this batch started.
    pub after: Option<oneshot::Receiver<()>>,
    /// No other batch was started in the same round. With nothing in flight before it
    /// either, the batch is lone: nothing overlaps its round trips.
    pub alone: bool,
    /// Signalled once this batch has committed; dropped unsent when it failed.
    pub committed: oneshot::Sender<()>,
    pub head: watch::Sender<i64>,
    /// What the announcer tells other processes (see [`super::announce`]).
    pub announced: watch::Sender<i64>,
    pub tail: Arc<Tail>,
    /// Where requests of a failed batch go to be decided again.
    pub retry: mpsc::UnboundedSender<Request>,
    pub poisoned: Arc<AtomicBool>,
    pub clock: Arc<Clock>,
}

impl Task {
    /// Returns the connection when the batch committed, for the writer's next batch.
    #[tracing::instrument(name = "group_commit", skip_all, fields(requests = self.batch.len()))]
    pub async fn run(self) -> Option<BatchConn> {
        let Task {
            mut conn,
            mut batch,
            plan,
            after,
            alone,
            committed,
            head,
            announced,
            tail,
            retry,
            poisoned,
            clock,
        } = self;
        let rows = Rows::of(&batch, &plan);
        let lone = alone && after.is_none();
        match write(&mut conn, &rows, &plan, after, lone).await {
            Ok(phases) => {
                if !rows.is_empty() {
                    let events = rows.len() as u64;
                    clock.record(events, phases);
                    metrics::counter!("civic_events_appended_total").increment(events);
                    metrics::histogram!("civic_append_batch_events").record(events as f64);
                    metrics::histogram!("civic_append_commit_seconds")
                        .record(phases.total().as_secs_f64());
                }
                drop(rows);
                // Into the tail before the head moves, so a subscriber woken by the new head
                // finds the events in memory; and before the next batch may commit, so the
                // tail receives batches in commit order. With nobody following, skip it (the
                // next batch pushed then starts a new run).
                if tail.followed() {
                    tail.push(recorded(&mut batch, &plan));
                }
                let advance = |h: &mut i64| {
                    let advance = plan.last_position > *h;
                    if advance {
                        *h = plan.last_position;
                    }
                    advance
                };
                head.send_if_modified(advance);
                announced.send_if_modified(advance);
                let _ = committed.send(());
                for (request, outcome) in batch.into_iter().zip(plan.outcomes) {
                    let result = match outcome {
                        Outcome::Accepted(result) => Ok(result),
                        Outcome::Rejected(error) => Err(error),
                    };
                    let _ = request.reply.send(result);
                }
                Some(conn)
            }
            Err(error) => {
                drop(rows);
                poisoned.store(true, Ordering::Relaxed);
                if error.is_retried_by_writer() {
                    tracing::debug!(error = %error, "group commit rolled back; deciding again");
                } else {
                    tracing::error!(error = %error, "group commit failed");
                }
                // Leave no transaction open on a pooled connection; close it if even that fails.
                conn.abandon().await;
                for request in batch {
                    request.fail_or_retry(&error, &retry);
                }
                None
            }
        }
    }
}

/// The batch's events as a reader of the log will see them, their payload texts moved out
/// of the requests (the stored `jsonb` is parsed from that text, so a read of the log gives
/// equal payloads).
fn recorded(batch: &mut [Request], plan: &Plan) -> Vec<RecordedEvent> {
    let mut events = Vec::with_capacity(plan.assigned.len());
    let mut assigned = plan.assigned.iter();
    for &index in &plan.written {
        let request = &mut batch[index];
        for (event, at) in request.events.iter_mut().zip(assigned.by_ref()) {
            events.push(RecordedEvent {
                position: at.position,
                event_id: at.event_id,
                stream_id: request.stream.clone(),
                stream_version: at.stream_version,
                event_type: event.event_type.clone(),
                schema_version: event.schema_version,
                payload: Payload::rendered(std::mem::take(&mut event.payload)),
                metadata: request.metadata.clone(),
                recorded_at: plan.recorded_at,
                hash: at.hash,
            });
        }
    }
    events
}

/// Writes and commits the batch; returns how long each phase took.
async fn write(
    conn: &mut BatchConn,
    rows: &Rows<'_>,
    plan: &Plan,
    after: Option<oneshot::Receiver<()>>,
    lone: bool,
) -> Result<Phases, StoreError> {
    let mut phases = Phases::default();
    let mut at = Instant::now();
    let mut lap = |into: &mut std::time::Duration| {
        let now = Instant::now();
        *into += now - at;
        at = now;
    };
    if rows.is_empty() {
        // Duplicates and conflicts only, but they were decided against the batches before
        // this one, so they are answered only once those have committed.
        wait_for(after).await?;
        lap(&mut phases.waiting);
        return Ok(phases);
    }
    if after.is_none() && !rows.by_copy(lone) && !conn.is_open() {
        // Nothing is in flight before this batch, so its single statement (arrays, not
        // `COPY`, as checked above) may commit by itself.
        if let Err(error) = rows.insert(conn.raw(), plan.recorded_at, lone).await {
            conn.failed_alone(&error);
            return Err(error);
        }
        lap(&mut phases.committing);
        return Ok(phases);
    }
    conn.begin().await?;
    rows.insert(conn.raw(), plan.recorded_at, lone).await?;
    lap(&mut phases.writing);
    wait_for(after).await?;
    lap(&mut phases.waiting);
    // A batch of a busy writer opens the next transaction with its commit, a round trip
    // the next batch then saves. A lone batch small enough for one statement leaves none
    // open, so that the next one (a lone batch is likeliest followed by another) commits
    // by itself in a single round trip; a lone batch that went by `COPY` keeps it open,
    // as the next of its size needs a transaction anyway.
    conn.commit(!lone || rows.by_copy(lone)).await?;
    lap(&mut phases.committing);
    Ok(phases)
}

async fn wait_for(after: Option<oneshot::Receiver<()>>) -> Result<(), StoreError> {
    match after {
        None => Ok(()),
        Some(before) => before.await.map_err(|_| StoreError::Aborted),
    }
}
