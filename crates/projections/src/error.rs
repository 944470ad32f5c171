use civic_domain::UpcastError;
use civic_store::StoreError;

/// What can go wrong while projecting or reading projections.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// An event could not be decoded into its domain type.
    #[error("event at position {position} cannot be decoded: {source}")]
    Decode {
        /// Its position.
        position: i64,
        /// Why.
        source: UpcastError,
    },
    /// A projector's handler failed on an event.
    #[error("projector {projector} failed at position {position}: {message}")]
    Handler {
        /// The projector.
        projector: String,
        /// The event's position.
        position: i64,
        /// What went wrong.
        message: String,
    },
    /// A wait for a position timed out.
    #[error("projector {projector} has reached position {reached}, not {wanted}, within {timeout_ms} ms")]
    WaitTimeout {
        /// The projector.
        projector: String,
        /// The position wanted.
        wanted: i64,
        /// Where it is.
        reached: i64,
        /// How long was waited.
        timeout_ms: u64,
    },
    /// A projector's task in a rebuild ended without an answer (it panicked).
    #[error("a rebuild task ended abnormally: {0}")]
    Task(String),
    /// No projector by that name.
    #[error("no projector named {0}")]
    UnknownProjector(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}
