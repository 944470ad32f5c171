//! Catch-up then live reading of the log.

use std::collections::VecDeque;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::watch;

use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::log::{self, LogFilter};

/// Events read per round trip while catching up.
const PAGE: i64 = 2_000;

/// Every event after a position, in log order, first from the log, then as they commit.
///
/// Positions are gapless and assigned in commit order, so reading "after the last one
/// seen" never skips an event. A subscriber wakes on a notification from any process, and
/// re-reads every `poll_interval` anyway, so a lost notification only delays it.
#[derive(Debug)]
pub struct Subscription {
    pool: PgPool,
    head: watch::Receiver<i64>,
    after: i64,
    buffer: VecDeque<RecordedEvent>,
    poll_interval: Duration,
}

impl Subscription {
    pub(crate) fn new(
        pool: PgPool,
        head: watch::Receiver<i64>,
        after: i64,
        poll_interval: Duration,
    ) -> Self {
        Subscription {
            pool,
            head,
            after,
            buffer: VecDeque::new(),
            poll_interval,
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

    /// Reads the next page; if there is none, waits for a notification or the poll interval.
    async fn fill(&mut self) -> Result<(), StoreError> {
        loop {
            let from = self.buffer.back().map_or(self.after, |e| e.position);
            let page = log::read_log(&self.pool, from, PAGE, &LogFilter::default()).await?;
            if !page.is_empty() {
                self.buffer.extend(page);
                return Ok(());
            }
            self.head.mark_unchanged();
            if *self.head.borrow() > from {
                continue;
            }
            let _ = tokio::time::timeout(self.poll_interval, self.head.changed()).await;
        }
    }
}

/// Follows NOTIFY from every process's writer and advances the shared head; reconnects on
/// failure. The polling fallback in [`Subscription`] covers the gaps.
pub(crate) fn spawn_listener(pool: PgPool, head: watch::Sender<i64>) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = listen(&pool, &head).await {
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

async fn listen(pool: &PgPool, head: &watch::Sender<i64>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(crate::NOTIFY_CHANNEL).await?;
    loop {
        let notification = tokio::select! {
            n = listener.recv() => n?,
            () = head.closed() => return Ok(()),
        };
        if let Ok(position) = notification.payload().parse::<i64>() {
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
