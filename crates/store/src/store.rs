use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, watch};

use crate::error::StoreError;
use crate::event::{
    AppendResult, AppliedCommand, ExpectedVersion, Metadata, NewEvent, RecordedEvent,
};
use crate::log::{self, LogFilter};
use crate::subscription::Subscription;
use crate::tail::Tail;
use crate::writer::{self, PreparedEvent, Request};

/// Tunables of the event store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Largest payload accepted for one event, in bytes of JSON (default 1 MiB).
    pub max_payload_bytes: usize,
    /// How often a subscriber re-reads the log when no notification arrives.
    pub poll_interval: Duration,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            max_payload_bytes: 1024 * 1024,
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// The event store: cheap to clone, one writer task per process.
#[derive(Debug, Clone)]
pub struct EventStore {
    pool: PgPool,
    writer: mpsc::Sender<Request>,
    head: watch::Receiver<i64>,
    tail: Arc<Tail>,
    clock: Arc<writer::Clock>,
    config: StoreConfig,
}

impl EventStore {
    /// Starts the writer task and a LISTEN task that follows appends of other processes.
    pub async fn open(pool: PgPool, config: StoreConfig) -> Result<Self, StoreError> {
        let head_now = log::head(&pool).await?.0;
        let (head_tx, head_rx) = watch::channel(head_now);
        let origin = uuid::Uuid::new_v4();
        crate::subscription::spawn_listener(pool.clone(), head_tx.clone(), origin);
        let tail = Arc::new(Tail::default());
        // The writer has connections of its own: it never waits behind readers for one, so
        // a pool drained by queries does not stall every append (and a busy writer does not
        // starve the readers). It keeps a few open, enough to append while the server has no
        // connection left to give, and waits no longer than the caller's pool would.
        let writer_pool = PgPoolOptions::new()
            .max_connections(writer::CONNECTIONS)
            .min_connections(writer::KEPT_CONNECTIONS)
            .acquire_timeout(pool.options().get_acquire_timeout())
            .connect_with((*pool.connect_options()).clone())
            .await?;
        let clock = Arc::new(writer::Clock::default());
        let writer = writer::spawn(writer_pool, head_tx, tail.clone(), origin, clock.clone());
        Ok(EventStore {
            pool,
            writer,
            head: head_rx,
            tail,
            clock,
            config,
        })
    }

    /// The connection pool the store uses.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Appends `events` to `stream` atomically if its version satisfies `expected`.
    ///
    /// A command id in `metadata` that was already applied returns the first append's result
    /// (with `duplicate` set) and appends nothing.
    #[tracing::instrument(skip_all, fields(stream.id = %stream, events = events.len()))]
    pub async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        metadata: Metadata,
    ) -> Result<AppendResult, StoreError> {
        let events = self.prepare(stream, events)?;
        let (reply, answer) = oneshot::channel();
        let request = Request {
            stream: stream.to_owned(),
            expected,
            events,
            metadata,
            reply,
            attempt: 0,
        };
        self.writer
            .send(request)
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Checks an append and renders its payloads canonically, here in the caller's task
    /// rather than in the writer, which holds the lock.
    fn prepare(
        &self,
        stream: &str,
        events: Vec<NewEvent>,
    ) -> Result<Vec<PreparedEvent>, StoreError> {
        if stream.trim().is_empty() {
            return Err(StoreError::InvalidAppend("stream id is empty".into()));
        }
        if events.is_empty() {
            return Err(StoreError::InvalidAppend("no events to append".into()));
        }
        events
            .into_iter()
            .map(|event| {
                if event.event_type.is_empty() {
                    return Err(StoreError::InvalidAppend("event type is empty".into()));
                }
                let payload = crate::chain::canonical_payload(&event.payload);
                if payload.len() > self.config.max_payload_bytes {
                    return Err(StoreError::PayloadTooLarge {
                        size: payload.len(),
                        max: self.config.max_payload_bytes,
                    });
                }
                // PostgreSQL's JSONB cannot hold U+0000; refuse it here rather than fail a batch.
                if payload.contains("\\u0000") {
                    return Err(StoreError::InvalidAppend(
                        "payload contains a NUL character".into(),
                    ));
                }
                Ok(PreparedEvent {
                    event_type: event.event_type,
                    schema_version: event.schema_version,
                    payload,
                })
            })
            .collect()
    }

    /// The events of `stream` from `from_version` (1-based, inclusive) on, in order.
    pub async fn read_stream(
        &self,
        stream: &str,
        from_version: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        log::read_stream(&self.pool, stream, from_version).await
    }

    /// Up to `limit` events after global position `after`, in log order.
    pub async fn read_log(&self, after: i64, limit: i64) -> Result<Vec<RecordedEvent>, StoreError> {
        log::read_log(&self.pool, after, limit, &LogFilter::default()).await
    }

    /// Up to `limit` events after `after` that match `filter`, in log order.
    pub async fn read_log_filtered(
        &self,
        after: i64,
        limit: i64,
        filter: &LogFilter,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        log::read_log(&self.pool, after, limit, filter).await
    }

    /// What a command id answered when it was first applied, if it was.
    pub async fn applied_command(
        &self,
        command_id: uuid::Uuid,
    ) -> Result<Option<AppliedCommand>, StoreError> {
        let found = log::applied_commands(&self.pool, &[command_id]).await?;
        Ok(found.into_iter().next().map(|(_, applied)| applied))
    }

    /// The current version of `stream` (0 when it does not exist).
    pub async fn stream_version(&self, stream: &str) -> Result<i64, StoreError> {
        log::stream_version(&self.pool, stream).await
    }

    /// The head of the log: last position (0 when empty) and its hash.
    pub async fn head(&self) -> Result<(i64, [u8; 32]), StoreError> {
        log::head(&self.pool).await
    }

    /// Where this process's appends have spent their time so far (read twice and subtract).
    pub fn writer_times(&self) -> writer::WriterTimes {
        self.clock.read()
    }

    /// The highest position this process knows to be committed (no database round trip).
    pub fn known_head(&self) -> i64 {
        *self.head.borrow()
    }

    /// Every event after `after`: first those already in the log, then live ones.
    pub fn subscribe(&self, after: i64) -> Subscription {
        Subscription::new(
            self.pool.clone(),
            self.head.clone(),
            self.tail.clone(),
            after,
            self.config.poll_interval,
        )
    }
}
