//! A database in trouble, through the real binary: fast, honest answers while PostgreSQL is
//! unreachable, recovery after, and PostgreSQL's own reason when the server cannot start.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/refused.rs"]
mod refused;
#[path = "support/server.rs"]
mod server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use civic_tests::TestDb;
use refused::refused_values;
use serde_json::{json, Value};
use server::{code, start_in};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A TCP relay to the test's PostgreSQL that can be cut (every connection dropped, new ones
/// refused: what a restarting or unreachable server looks like) and restored on the same port.
struct Relay {
    port: u16,
    upstream: String,
    accept: Option<JoinHandle<()>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(upstream: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut relay = Relay {
            port,
            upstream: upstream.to_owned(),
            accept: None,
            connections: Arc::default(),
        };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let connections = self.connections.clone();
        self.accept = Some(tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    // The machine's PostgreSQL is on TCP; the embedded one (no
                    // `DATABASE_URL`) only on its Unix socket.
                    if upstream.starts_with('/') {
                        if let Ok(mut server) = tokio::net::UnixStream::connect(&upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    } else if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                connections.lock().unwrap().push(task);
            }
        }));
    }

    /// Drops every connection and stops listening.
    fn cut(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
        }
        for task in self.connections.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    /// Listens again on the same port.
    async fn restore(&mut self) {
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => break listener,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        self.serve(listener);
    }
}

fn report(command_id: &str) -> Value {
    json!({ "query": format!(r#"mutation {{ reportIssue(input: {{ commandId: "{command_id}", id: "drill-{command_id}",
        communityId: "guangsha", category: "市容环境", title: "井盖松动", description: "井盖松动", location: "北门",
        channel: PATROL, reporter: "网格员", reportedAt: "2023-10-01T09:00:00+08:00" }}) {{ position duplicate }} }}"#) })
}

// The relay runs on the test's runtime while the server is started with blocking reads of
// its output: another worker thread keeps relaying meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_gets_fast_retryable_503s_and_the_service_recovers() {
    let db = TestDb::empty().await;
    let port = db.options.get_port();
    let upstream = match db.options.get_socket() {
        Some(dir) => format!("{}/.s.PGSQL.{port}", dir.display()),
        None => format!("{}:{port}", db.options.get_host()),
    };
    let mut relay = Relay::start(&upstream).await;
    let url = format!("postgres://postgres@127.0.0.1:{}/{}", relay.port, db.name());
    let data_dir =
        std::env::temp_dir().join(format!("civic-drill-{}", uuid::Uuid::new_v4().simple()));
    let server = start_in(Some(&url), None, data_dir, &[]);
    let client = reqwest::Client::new();
    let ready = || async {
        let started = Instant::now();
        let status = client
            .get(format!("{}/readyz", server.url))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        (status, started.elapsed())
    };
    let (status, _) = ready().await;
    assert_eq!(status, 200);
    let before = db.log_length().await;

    relay.cut();
    let (status, took) = ready().await;
    eprintln!("readyz with the database unreachable: {status} in {took:?}");
    assert_eq!(status, 503);
    let keys: Vec<String> = (1..=6)
        .map(|n| format!("0190e1a0-0000-7000-8000-00000000d00{n}"))
        .collect();
    let started = Instant::now();
    let bodies: Vec<Value> = keys.iter().map(|key| report(key)).collect();
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| server.post(Some(&server.token), body, &[])),
    )
    .await;
    eprintln!(
        "6 concurrent mutations with the database unreachable answered in {:?}",
        started.elapsed()
    );
    for answer in answers {
        assert_eq!(answer.status(), 503);
        let body: Value = answer.json().await.unwrap();
        assert_eq!(code(&body), "UNAVAILABLE", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["retryable"], true, "{body}");
    }

    // A board page answered directly reports the database as the executor does, once.
    let board = |nodes: &str| {
        json!({
            "query": format!("query Board($first: Int) {{ issues(first: $first) {{ nodes {{ {nodes} }} }} }}"),
            "variables": { "first": 5 },
        })
    };
    let direct = server
        .post(Some(&server.token), &board("id title"), &[])
        .await;
    assert_eq!(direct.status(), 503);
    let direct: Value = direct.json().await.unwrap();
    assert_eq!(code(&direct), "UNAVAILABLE", "{direct}");
    assert_eq!(
        direct["errors"][0]["extensions"]["retryable"], true,
        "{direct}"
    );
    let executed = server
        .post(
            Some(&server.token),
            &board("id title @include(if: true)"),
            &[],
        )
        .await;
    assert_eq!(executed.status(), 503);
    let executed: Value = executed.json().await.unwrap();
    assert_eq!(direct, executed);

    relay.restore().await;
    // The client retries with the same command ids: each is applied once, for the first time.
    for key in &keys {
        let mut attempt = 0;
        let body = loop {
            let response = server.post(Some(&server.token), &report(key), &[]).await;
            let body: Value = response.json().await.unwrap();
            if code(&body) != "UNAVAILABLE" || attempt == 50 {
                break body;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(body["data"]["reportIssue"]["duplicate"], false, "{body}");
    }
    assert_eq!(db.log_length().await, before + keys.len() as i64);
    // The projectors follow again.
    let head = before + keys.len() as i64;
    let (_, body) = server
        .gql(
            Some(&server.token),
            &format!(
                r#"{{ issue(id: "drill-{}", atLeastPosition: {head}) {{ status }} }}"#,
                keys[5]
            ),
        )
        .await;
    assert_eq!(body["data"]["issue"]["status"], "REPORTED", "{body}");
    let mut status = 0;
    for _ in 0..100 {
        status = ready().await.0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn a_server_that_cannot_connect_quotes_postgresql() {
    let db = TestDb::empty().await;
    let role = format!("civic_drill_{}", uuid::Uuid::new_v4().simple());
    sqlx::raw_sql(&format!("CREATE ROLE {role} LOGIN CONNECTION LIMIT 0"))
        .execute(&db.pool)
        .await
        .unwrap();
    let url = db
        .url
        .replacen("postgres://postgres@", &format!("postgres://{role}@"), 1);
    let started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    eprintln!("refused start took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("too many connections for role"), "{stderr}");
    // Nothing listens there at all: the operating system's reason.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(["migrate"])
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/civic")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("Connection refused"), "{stderr}");
    sqlx::raw_sql(&format!("DROP ROLE {role}"))
        .execute(&db.pool)
        .await
        .unwrap();
    db.cleanup().await;
}

/// How many communities the server answers, asked once its community projector has caught
/// up with the demo story (at least one).
async fn communities_once_caught_up(db: &TestDb, server: &server::Server) -> usize {
    let head = db.log_length().await;
    let (status, body) = server
        .gql(
            Some(&server.token),
            &format!("{{ communities(atLeastPosition: {head}) {{ id }} }}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ids = body["data"]["communities"].as_array().unwrap().len();
    assert!(ids > 0, "{body}");
    ids
}

/// A transaction of the test's own holding `read.communities` locked against every reader
/// until it is rolled back.
async fn lock_communities(db: &TestDb) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut lock = db.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE read.communities IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    lock
}

/// `--db-connections` bounds the shared pool: with one connection, held by a query that
/// waits on a lock, the next request answers a retryable `UNAVAILABLE` once it has waited
/// `--db-acquire-timeout-ms` for a connection; when the lock goes, both are served again.
/// With the default pool the second request would have had a connection of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_pool_holds_as_many_connections_as_asked_and_no_more() {
    let db = TestDb::empty().await;
    let server = server::start_env(
        &db,
        &[
            ("CIVIC_DB_CONNECTIONS", "1"),
            ("CIVIC_DB_ACQUIRE_TIMEOUT_MS", "1000"),
        ],
    );
    let communities = r#"{ communities { id } }"#;
    let ids = communities_once_caught_up(&db, &server).await;
    let lock = lock_communities(&db).await;
    let held = tokio::spawn({
        let url = server.url.clone();
        let token = server.token.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!("{url}/graphql"))
                .bearer_auth(token)
                .json(&json!({ "query": communities }))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    });
    // The server's one connection is taken once a statement of the service waits on the
    // lock (the community projector's connection may wait on it too, which is why the
    // query's own text is looked for).
    let mut waiting = 0i64;
    for _ in 0..600 {
        waiting = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock' \
               AND query LIKE '%read.communities%' AND query NOT LIKE '%INSERT%' \
               AND query NOT LIKE '%UPDATE%'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(waiting > 0, "the query never reached the lock");

    let started = Instant::now();
    // With a connection to spare it would wait on the lock like the first: bounded, so that
    // such a pool fails the test rather than hangs it.
    let (status, body) = tokio::time::timeout(
        Duration::from_secs(60),
        server.gql(Some(&server.token), communities),
    )
    .await
    .expect("a second connection was taken from a pool of one");
    eprintln!(
        "a request with the pool's one connection taken answered {status} in {:?}",
        started.elapsed()
    );
    assert_eq!(status, 503, "{body}");
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryable"], true, "{body}");
    assert!(
        !held.is_finished(),
        "the held query answered before the lock went"
    );

    lock.rollback().await.unwrap();
    let (status, body) = held.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["communities"].as_array().unwrap().len(), ids);
    let (status, body) = server.gql(Some(&server.token), communities).await;
    assert_eq!(status, 200, "{body}");
    assert!(server.stop());
    db.cleanup().await;
}

/// A request's statement that runs past the statement timeout is cancelled by PostgreSQL
/// rather than left running after its request was answered: the request gets a retryable
/// `UNAVAILABLE` that says so, and the same request, once nothing holds it up, its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_past_the_statement_timeout_is_cancelled_and_answered_503() {
    let db = TestDb::empty().await;
    let server = server::start_env(&db, &[("CIVIC_STATEMENT_TIMEOUT_MS", "1000")]);
    let communities = r#"{ communities { id } }"#;
    let ids = communities_once_caught_up(&db, &server).await;
    let lock = lock_communities(&db).await;
    // Bounded, so that a statement left waiting fails the test rather than hangs it (the
    // request itself would be cut at 30 s, with a 408).
    let (status, body) = tokio::time::timeout(
        Duration::from_secs(60),
        server.gql(Some(&server.token), communities),
    )
    .await
    .expect("the request answered");
    assert_eq!(status, 503, "{body}");
    assert_eq!(code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryable"], true, "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("longer than the server allows"), "{body}");
    // And PostgreSQL no longer runs it: no statement of the service's reads is active.
    let running: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND state = 'active' \
           AND query LIKE '%read.communities%' AND query NOT LIKE '%INSERT%' \
           AND query NOT LIKE '%UPDATE%' AND query NOT LIKE '%pg_stat_activity%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(running, 0, "the cancelled statement still runs");

    lock.rollback().await.unwrap();
    let (status, body) = server.gql(Some(&server.token), communities).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["communities"].as_array().unwrap().len(), ids);
    assert!(server.stop());
    db.cleanup().await;
}

#[test]
fn a_statement_timeout_out_of_range_is_refused() {
    refused_values("serve", "--statement-timeout-ms", &["0", "3600001", "soon"]);
}

#[test]
fn a_shared_pool_of_no_connections_is_refused() {
    refused_values("serve", "--db-connections", &["0", "1001", "many"]);
}
