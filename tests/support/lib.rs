//! Shared helpers of the end-to-end tests: a fresh database per test on a real PostgreSQL.
//!
//! The server is `DATABASE_URL`'s when set (CI sets it to the machine's PostgreSQL), else an
//! embedded cluster under `target/test-pg` started from the installed server binaries, left
//! running between test runs so that each run does not pay its start-up.

use std::path::PathBuf;
use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use tokio::sync::OnceCell;

/// Where the server is: options for its maintenance database, and a URL template.
#[derive(Debug, Clone)]
struct Server {
    maintenance: PgConnectOptions,
    /// A URL with `{db}` in place of the database name.
    url_template: String,
}

static SERVER: OnceCell<Server> = OnceCell::const_new();

async fn server() -> &'static Server {
    SERVER
        .get_or_init(|| async {
            match std::env::var("DATABASE_URL") {
                Ok(url) => {
                    let (base, query) = match url.split_once('?') {
                        Some((b, q)) => (b.to_owned(), format!("?{q}")),
                        None => (url.clone(), String::new()),
                    };
                    let base = match base.rfind('/') {
                        Some(i) if i > "postgres://".len() => base[..i].to_owned(),
                        _ => base,
                    };
                    Server {
                        maintenance: PgConnectOptions::from_str(&url)
                            .expect("DATABASE_URL parses")
                            .database("postgres"),
                        url_template: format!("{base}/{{db}}{query}"),
                    }
                }
                Err(_) => {
                    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-pg");
                    let cluster = civic_store::embedded::EmbeddedPostgres::start(&dir)
                        .await
                        .expect("the embedded PostgreSQL starts");
                    let server = Server {
                        maintenance: cluster.connect_options("postgres"),
                        url_template: cluster.url("{db}"),
                    };
                    // Left running on purpose: later test binaries and runs reuse it.
                    cluster.detach();
                    server
                }
            }
        })
        .await
}

/// A fresh, migrated database that belongs to one test.
#[derive(Debug)]
pub struct TestDb {
    /// A pool on the test's database.
    pub pool: PgPool,
    /// Options to open more connections (another "process") to the same database.
    pub options: PgConnectOptions,
    /// Its URL, for child processes.
    pub url: String,
    name: String,
}

impl TestDb {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Creates and migrates a new database.
    pub async fn new() -> TestDb {
        Self::migrated_before(i64::MAX).await
    }

    /// Creates a new database with the migrations older than `version` applied, as a
    /// database the service kept before that migration came (the rest apply with
    /// `civic_store::MIGRATOR.run`).
    pub async fn migrated_before(version: i64) -> TestDb {
        use sqlx::migrate::Migrate;
        let db = Self::empty().await;
        // Tests side by side migrate databases of one cluster at once (see the function).
        civic_store::ensure_app_role(&db.pool)
            .await
            .expect("the role civic_app is made");
        let mut conn = db
            .pool
            .acquire()
            .await
            .expect("a connection for migrations");
        conn.ensure_migrations_table()
            .await
            .expect("the migrations table is made");
        for migration in civic_store::MIGRATOR.iter().filter(|m| m.version < version) {
            conn.apply(migration).await.expect("migrations apply");
        }
        drop(conn);
        db
    }

    /// Creates a new database with no schema at all.
    pub async fn empty() -> TestDb {
        let server = server().await;
        let name = format!("civic_test_{}", uuid::Uuid::new_v4().simple());
        civic_store::create_database(&server.maintenance, &name)
            .await
            .expect("test database is created");
        let options = server.maintenance.clone().database(&name);
        let pool = PgPoolOptions::new()
            .max_connections(20)
            .connect_with(options.clone())
            .await
            .expect("test database accepts connections");
        TestDb {
            pool,
            options,
            url: server.url_template.replace("{db}", &name),
            name,
        }
    }

    /// A separate pool on the same database, as another process would have.
    pub async fn another_pool(&self) -> PgPool {
        PgPoolOptions::new()
            .max_connections(10)
            .connect_with(self.options.clone())
            .await
            .expect("second pool connects")
    }

    /// An event store on `pool`, with the default settings.
    pub async fn store(&self) -> civic_store::EventStore {
        civic_store::EventStore::open(self.pool.clone(), civic_store::StoreConfig::default())
            .await
            .expect("the store opens")
    }

    /// An event store on a pool of its own, as another process would open it.
    pub async fn store_of_another_process(&self) -> civic_store::EventStore {
        civic_store::EventStore::open(
            self.another_pool().await,
            civic_store::StoreConfig::default(),
        )
        .await
        .expect("the store opens")
    }

    /// How many events the log holds (to show that a refused request appended nothing).
    pub async fn log_length(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&self.pool)
            .await
            .expect("the log is readable")
    }

    /// Inserts one event of type `X` with plain SQL, past the writer: no notification, a
    /// hash that does not chain. For tests of what the database does on its own.
    pub async fn insert_past_the_writer(&self, position: i64, stream: &str, version: i64) {
        sqlx::query(
            "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
             schema_version, payload, actor_id, actor_role, correlation_id, recorded_at, hash) \
             VALUES ($1, gen_random_uuid(), $2, $3, 'X', 1, '{}', 'a', 'r', gen_random_uuid(), \
             now(), $4)",
        )
        .bind(position)
        .bind(stream)
        .bind(version)
        .bind(vec![0u8; 32])
        .execute(&self.pool)
        .await
        .expect("the event is inserted");
    }

    /// Waits until no session of this database is inside a transaction while idle, as an
    /// idle writer leaves its connections; panics after five seconds.
    pub async fn expect_no_open_transactions(&self) {
        // A connection of its own: one from `pool` could be the very one left open.
        let mut conn = self
            .options
            .connect()
            .await
            .expect("test database accepts connections");
        for _ in 0..100 {
            let open: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
            )
            .fetch_one(&mut conn)
            .await
            .expect("pg_stat_activity is readable");
            if open == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("sessions stay idle inside a transaction");
    }

    /// Drops the database (call at the end of a passing test).
    pub async fn cleanup(self) {
        self.pool.close().await;
        let server = server().await;
        civic_store::drop_database(&server.maintenance, &self.name)
            .await
            .expect("test database is dropped");
    }
}

/// Asserts that `retry` is the answer to a retried command: marked a duplicate, with the
/// first append's positions and stream version (`(first, last, version)`).
pub fn assert_first_result(retry: &civic_store::AppendResult, first: (i64, i64, i64)) {
    assert!(retry.duplicate, "{retry:?}");
    assert_eq!(
        (
            retry.first_position,
            retry.last_position,
            retry.stream_version
        ),
        first
    );
}

/// Metadata for tests: an actor, a fresh correlation id and the given command id.
pub fn metadata(actor: &str, command_id: Option<uuid::Uuid>) -> civic_store::Metadata {
    civic_store::Metadata {
        actor_id: actor.to_owned(),
        actor_role: "community_staff".to_owned(),
        correlation_id: uuid::Uuid::now_v7(),
        causation_id: None,
        command_id,
        command_fingerprint: None,
    }
}

/// One event of type `t` with `payload`.
pub fn event(t: &str, payload: serde_json::Value) -> civic_store::NewEvent {
    civic_store::NewEvent {
        event_type: t.to_owned(),
        schema_version: 1,
        payload,
    }
}

pub mod projections;
