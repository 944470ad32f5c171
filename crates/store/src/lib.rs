#![doc = include_str!("../README.md")]

pub mod binary_copy;
pub mod chain;
mod columns;
mod connect;
pub mod credentials;
pub mod embedded;
mod error;
mod event;
pub mod export;
pub mod log;
pub mod log_copy;
mod notice;
mod personal;
pub mod sessions;
mod store;
mod subscription;
mod tail;
pub mod verify;
mod writer;

pub use bytestring::ByteString;
pub use connect::{connect, create_database, drop_database, ConnectError, Connection};
pub use error::StoreError;
pub use event::{
    AppendResult, AppliedCommand, ExpectedVersion, Metadata, NewEvent, Payload, ProjectedEvent,
    RecordedEvent,
};
pub use log::{
    head as read_head, last_position_recorded_by, read_log, read_stream, read_streams, recorded_at,
    LogFilter,
};
pub use personal::PersonalData;
pub use store::{EventStore, StoreConfig};
pub use subscription::Subscription;
pub use writer::WriterTimes;

/// The migrations of the whole service, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The LISTEN/NOTIFY channel on which every committed append announces the new head.
pub const NOTIFY_CHANNEL: &str = "civic_events";
