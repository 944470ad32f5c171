//! Where the database is: `DATABASE_URL`, or the embedded cluster under the data dir.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{ConnectOptions, Connection as _, PgConnection, PgPool};

use crate::embedded::{EmbeddedError, EmbeddedPostgres};

/// Name of the service's database inside the embedded cluster.
const EMBEDDED_DATABASE: &str = "civic";

/// A connection target: the options to connect with, and the embedded cluster if one is
/// used (stop it when the command ends).
#[derive(Debug)]
pub struct Connection {
    /// Options for the service's database.
    pub options: PgConnectOptions,
    /// The embedded cluster, when no URL was given.
    pub embedded: Option<EmbeddedPostgres>,
}

impl Connection {
    /// A pool of at most `max_connections` connections, whose callers wait at most
    /// `acquire_timeout` for one (then fail with `PoolTimedOut`, never queue for long).
    ///
    /// One connection is opened first, on its own: a pool retries a refused connection until
    /// its timeout and then reports only the timeout, while PostgreSQL's own reason ("too
    /// many clients already", "connection refused", a failed password) is what an operator
    /// needs to see.
    pub async fn pool(
        &self,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<PgPool, sqlx::Error> {
        PgConnection::connect_with(&self.options)
            .await?
            .close()
            .await?;
        PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .connect_with(self.options.clone())
            .await
    }

    /// Stops the embedded cluster if this process started it.
    pub async fn close(self) -> Result<(), EmbeddedError> {
        match self.embedded {
            Some(cluster) => cluster.stop().await,
            None => Ok(()),
        }
    }
}

/// Errors while finding or preparing the database.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// `DATABASE_URL` does not parse.
    #[error("DATABASE_URL is not a valid PostgreSQL URL: {0}")]
    BadUrl(sqlx::Error),
    /// The embedded cluster failed.
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    /// The database could not be created.
    #[error("cannot create the database: {0}")]
    Create(sqlx::Error),
}

/// Uses `database_url` when given, else starts (or reuses) the embedded cluster under
/// `data_dir` and its `civic` database.
pub async fn connect(
    database_url: Option<&str>,
    data_dir: &Path,
) -> Result<Connection, ConnectError> {
    let quiet = |o: PgConnectOptions| o.log_statements(tracing::log::LevelFilter::Debug);
    match database_url {
        Some(url) => Ok(Connection {
            options: quiet(PgConnectOptions::from_str(url).map_err(ConnectError::BadUrl)?),
            embedded: None,
        }),
        None => {
            let cluster = EmbeddedPostgres::start(data_dir).await?;
            create_database(&cluster.connect_options("postgres"), EMBEDDED_DATABASE)
                .await
                .map_err(ConnectError::Create)?;
            Ok(Connection {
                options: quiet(cluster.connect_options(EMBEDDED_DATABASE)),
                embedded: Some(cluster),
            })
        }
    }
}

/// Creates `name` through a maintenance connection unless it exists.
pub async fn create_database(
    maintenance: &PgConnectOptions,
    name: &str,
) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(maintenance).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        let sql = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
        match sqlx::query(&sql).execute(&mut conn).await {
            // Another process created it between the check and the create.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => {}
            other => {
                other?;
            }
        }
    }
    conn.close().await
}

/// Drops `name` through a maintenance connection, ending its sessions.
pub async fn drop_database(maintenance: &PgConnectOptions, name: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect_with(maintenance).await?;
    let sql = format!(
        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
        name.replace('"', "\"\"")
    );
    sqlx::query(&sql).execute(&mut conn).await?;
    conn.close().await
}

/// A `LISTEN` session on a connection of its own beside `pool`, reconnected by sqlx's
/// listener through a pool of one that lives as long as the listener.
///
/// A listener holds its connection for as long as it listens: taken from the shared pool,
/// each one left the pool a connection short for the life of the process, and a pool of
/// one had none to give the service's first query.
///
/// A connection the listener lets go of is closed rather than kept: it lets go only when the
/// connection was lost or the listener is done, and sqlx would otherwise test a returned
/// connection with a round trip first, and warn when that fails, as it does for a connection
/// an embedded cluster cut on its way down.
pub async fn listener(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let own = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(pool.options().get_acquire_timeout())
        .after_release(|_, _| Box::pin(async { Ok(false) }))
        .connect_lazy_with((*pool.connect_options()).clone());
    PgListener::connect_with(&own).await
}
