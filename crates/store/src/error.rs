use std::sync::Arc;

use crate::event::ExpectedVersion;

/// Everything that can go wrong in the event store.
#[derive(Debug, thiserror::Error, Clone)]
pub enum StoreError {
    /// The stream's version is not the one the caller expected; nothing was appended.
    #[error("version conflict on stream {stream}: expected {expected}, actual {actual}")]
    Conflict {
        /// The stream that was appended to.
        stream: String,
        /// What the caller expected.
        expected: ExpectedVersion,
        /// The stream's version at the time of the append (0: no such stream).
        actual: i64,
    },
    /// One event's payload is larger than the configured maximum; nothing was appended.
    #[error("event payload of {size} bytes exceeds the maximum of {max} bytes")]
    PayloadTooLarge {
        /// The payload's size in bytes, as JSON.
        size: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The append request itself is malformed (no events, empty stream id, NUL in text).
    #[error("invalid append: {0}")]
    InvalidAppend(String),
    /// The command id was applied before for another request (another actor, command,
    /// stream or input); nothing was appended. The error names nothing of the first request.
    #[error("the command id {command_id} was already used for another request")]
    CommandIdReused {
        /// The reused command id.
        command_id: uuid::Uuid,
    },
    /// The writer task has stopped (the store is shutting down).
    #[error("the event store writer has stopped")]
    WriterStopped,
    /// A stored row could not be decoded (corrupt or foreign data).
    #[error("stored event at position {position} is unreadable: {reason}")]
    Corrupt {
        /// Log position of the row.
        position: i64,
        /// What was wrong with it.
        reason: String,
    },
    /// An earlier group commit that this append was queued behind failed, so this append
    /// was rolled back with it, and the writer's own attempts to decide it again failed too;
    /// nothing was appended and a retry may succeed.
    #[error("the append was rolled back because an earlier group commit failed")]
    Aborted,
    /// The database failed; shared between all callers of a failed group commit.
    #[error("database error: {0}")]
    Database(Arc<sqlx::Error>),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(Arc::new(error))
    }
}

/// The unique index of applied command ids on `events`, which a batch violates when it
/// carries a command id that was already applied (see the writer's lease).
const APPLIED_COMMAND_KEY: &str = "events_command_key";

impl StoreError {
    /// Whether the writer decides the requests of a batch that failed with this error again
    /// rather than answer them with it: the batch was rolled back behind another that failed,
    /// or it carried a command id that had been applied before this writer's lease, which
    /// the next decision looks up.
    pub(crate) fn is_retried_by_writer(&self) -> bool {
        match self {
            StoreError::Aborted => true,
            StoreError::Database(error) => error
                .as_database_error()
                .is_some_and(|e| e.constraint() == Some(APPLIED_COMMAND_KEY)),
            _ => false,
        }
    }
}
