//! Catch-up then live reading of the log.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::log::{self, LogFilter};
use crate::tail::{Follower, Tail};

/// Events read per round trip while catching up.
const PAGE: i64 = 2_000;

/// Every event after a position, in log order, first from the log, then as they commit.
///
/// Positions are gapless and assigned in commit order, so reading "after the last one
/// seen" never skips an event. A subscriber wakes on a notification from any process, and
/// re-reads every `poll_interval` anyway, so a lost notification only delays it. Events this
/// process's writer has just committed come from its in-memory [`Tail`] rather than the log.
#[derive(Debug)]
pub struct Subscription {
    pool: PgPool,
    head: watch::Receiver<i64>,
    tail: Follower,
    after: i64,
    buffer: VecDeque<RecordedEvent>,
    poll_interval: Duration,
    /// Whether the next fill must ask the log even when the head says nothing is new: at
    /// the start, and after a poll interval without a notification.
    ask_log: bool,
}

impl Subscription {
    pub(crate) fn new(
        pool: PgPool,
        head: watch::Receiver<i64>,
        tail: Arc<Tail>,
        after: i64,
        poll_interval: Duration,
    ) -> Self {
        Subscription {
            pool,
            head,
            tail: Follower::new(tail),
            after,
            buffer: VecDeque::new(),
            poll_interval,
            ask_log: true,
        }
    }

    /// The next event, waiting for one to be committed if the subscriber is caught up.
    pub async fn next(&mut self) -> Result<RecordedEvent, StoreError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.position;
                return Ok(event);
            }
            self.fill().await?;
        }
    }

    /// Every event available now (at least one, waiting if none), up to `max`.
    pub async fn next_batch(&mut self, max: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        if self.buffer.is_empty() {
            self.fill().await?;
        }
        let take = self.buffer.len().min(max.max(1));
        let batch: Vec<RecordedEvent> = self.buffer.drain(..take).collect();
        if let Some(last) = batch.last() {
            self.after = last.position;
        }
        Ok(batch)
    }

    /// Takes the next events from the tail or the log; if there are none, waits for a
    /// notification or the poll interval.
    async fn fill(&mut self) -> Result<(), StoreError> {
        loop {
            let from = self.buffer.back().map_or(self.after, |e| e.position);
            // Marked before looking, so a commit that lands after the look still wakes us.
            self.head.mark_unchanged();
            if let Some(events) = self.tail.tail().after(from, PAGE as usize) {
                self.buffer.extend(events);
                return Ok(());
            }
            if self.ask_log || *self.head.borrow() > from {
                let page = log::read_log(&self.pool, from, PAGE, &LogFilter::default()).await?;
                self.ask_log = false;
                if !page.is_empty() {
                    self.buffer.extend(page);
                    return Ok(());
                }
                if *self.head.borrow() > from {
                    continue;
                }
            }
            match tokio::time::timeout(self.poll_interval, self.head.changed()).await {
                Ok(Ok(())) => {}
                // Nothing announces heads any more (the store is shutting down): poll.
                Ok(Err(_)) => {
                    tokio::time::sleep(self.poll_interval).await;
                    self.ask_log = true;
                }
                Err(_) => self.ask_log = true,
            }
        }
    }
}

/// Follows NOTIFY from the writers of other processes and advances the shared head (this
/// process's writer advances it itself); reconnects on
/// failure. The polling fallback in [`Subscription`] covers the gaps.
pub(crate) fn spawn_listener(pool: PgPool, head: watch::Sender<i64>, own: uuid::Uuid) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = listen(&pool, &head, own).await {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(%error, "event notification listener failed; retrying");
            }
            if head.is_closed() || pool.is_closed() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(
    pool: &PgPool,
    head: &watch::Sender<i64>,
    own: uuid::Uuid,
) -> Result<(), sqlx::Error> {
    let mut listener = crate::connect::listener(pool).await?;
    listener.listen(crate::NOTIFY_CHANNEL).await?;
    loop {
        let notification = tokio::select! {
            n = listener.recv() => n?,
            () = head.closed() => return Ok(()),
        };
        if let Some(position) = crate::notice::foreign_position(notification.payload(), own) {
            head.send_if_modified(|h| {
                let advance = position > *h;
                if advance {
                    *h = position;
                }
                advance
            });
        }
    }
}
