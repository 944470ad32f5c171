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
pub use connect::{connect, create_database, drop_database, listener, ConnectError, Connection};
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
pub use writer::{
    WriterTimes, CONNECTIONS as WRITER_CONNECTIONS, KEPT_CONNECTIONS as WRITER_KEPT_CONNECTIONS,
};

/// The migrations of the whole service, embedded in the binary. Apply them with [`migrate`].
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Applies the service's migrations to the database of `pool`.
pub async fn migrate(pool: &sqlx::PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    ensure_app_role(pool).await?;
    MIGRATOR.run(pool).await
}

/// Makes the role `civic_app` unless it exists, tolerating another database doing the same.
///
/// The first migration makes the role if it is missing, but a role belongs to the whole
/// cluster, not to one database: two databases of a fresh cluster migrated at once (two
/// processes, or tests side by side) both find it missing, and the second `CREATE ROLE`
/// fails on `pg_authid`'s unique index. Made here first, the loser of that race carries on,
/// and the migration finds the role. Without the right to create roles this does nothing,
/// and the migration, where it still needs the role, says so itself.
pub async fn ensure_app_role(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(
        "DO $$ BEGIN \
             IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'civic_app') THEN \
                 CREATE ROLE civic_app NOLOGIN; \
             END IF; \
         EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN \
             NULL; \
         END $$",
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// The LISTEN/NOTIFY channel on which every committed append announces the new head.
pub const NOTIFY_CHANNEL: &str = "civic_events";
