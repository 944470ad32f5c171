use civic_store::embedded::EmbeddedPostgres;
use sqlx::{Connection, PgConnection};

/// A directory of its own under the temporary folder for one test's cluster.
fn fresh_root(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("civic-{name}-{}", uuid::Uuid::new_v4().simple()))
}

/// From an empty directory: initialise, start, write; stop; start again and find the data.
#[tokio::test]
async fn the_embedded_cluster_starts_from_nothing_and_keeps_its_data_across_restarts() {
    let root = fresh_root("embedded");
    let cluster = EmbeddedPostgres::start(&root)
        .await
        .expect("first start initialises");
    assert!(root.join("pg/data/PG_VERSION").exists());
    let mut conn = PgConnection::connect_with(&cluster.connect_options("postgres"))
        .await
        .unwrap();
    sqlx::raw_sql("CREATE TABLE kept (words text); INSERT INTO kept VALUES ('居民事居民议')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    // A second start while it runs reuses it and does not own it.
    let again = EmbeddedPostgres::start(&root)
        .await
        .expect("second start reuses");
    again.stop().await.unwrap();
    let conn = PgConnection::connect_with(&cluster.connect_options("postgres"))
        .await
        .unwrap();
    conn.close().await.unwrap();

    cluster.stop().await.expect("stops cleanly");
    assert!(
        !root.join("pg/data/postmaster.pid").exists(),
        "the server is down"
    );

    let restarted = EmbeddedPostgres::start(&root).await.expect("restart");
    let mut conn = PgConnection::connect_with(&restarted.connect_options("postgres"))
        .await
        .unwrap();
    let words: String = sqlx::query_scalar("SELECT words FROM kept")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(words, "居民事居民议");
    conn.close().await.unwrap();
    restarted.stop().await.unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}

/// A cluster dropped without `stop` (a command that failed after starting it, a test that
/// panicked) does not keep running; one detached does, and a later start finds it.
#[tokio::test]
async fn a_cluster_dropped_unstopped_stops_and_a_detached_one_keeps_running() {
    let root = fresh_root("embedded-drop");
    let pid_file = root.join("pg/data/postmaster.pid");
    let cluster = EmbeddedPostgres::start(&root).await.expect("starts");
    let options = cluster.connect_options("postgres");
    assert!(pid_file.exists(), "the server runs");
    drop(cluster);
    assert!(!pid_file.exists(), "dropping it stopped the server");
    assert!(
        PgConnection::connect_with(&options).await.is_err(),
        "nothing listens on its socket"
    );

    EmbeddedPostgres::start(&root)
        .await
        .expect("starts again")
        .detach();
    let conn = PgConnection::connect_with(&options)
        .await
        .expect("a detached cluster keeps running");
    conn.close().await.unwrap();
    // Another value that starts it again now finds it running and does not own it, so
    // dropping that one leaves it up too.
    drop(EmbeddedPostgres::start(&root).await.expect("reuses it"));
    assert!(
        pid_file.exists(),
        "a cluster this value did not start is left alone"
    );

    // Fast shutdown by signal, as an operator would stop a cluster left running.
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid = pid.lines().next().unwrap().trim().to_owned();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while pid_file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not stop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// The role `civic_app` belongs to the whole cluster: in a fresh one, a database migrated
/// while another database's migration is making the role finds it missing too, and must
/// still migrate (its own `CREATE ROLE` had failed on `pg_authid`'s unique index once the
/// other committed).
#[tokio::test]
async fn a_database_migrates_while_another_in_the_cluster_makes_the_role() {
    let root = fresh_root("embedded-roles");
    let cluster = EmbeddedPostgres::start(&root).await.expect("starts");
    let maintenance = cluster.connect_options("postgres");
    civic_store::create_database(&maintenance, "civic_other")
        .await
        .unwrap();
    civic_store::create_database(&maintenance, "civic_fresh")
        .await
        .unwrap();
    // The other database's migration, caught between making the role and committing.
    let mut other = PgConnection::connect_with(&cluster.connect_options("civic_other"))
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN; CREATE ROLE civic_app NOLOGIN")
        .execute(&mut other)
        .await
        .unwrap();

    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(cluster.connect_options("civic_fresh"))
        .await
        .unwrap();
    let migrating = tokio::spawn({
        let pool = pool.clone();
        async move { civic_store::migrate(&pool).await }
    });
    // Its `CREATE ROLE` waits for the other transaction to end.
    let mut watch = PgConnection::connect_with(&maintenance).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = 'civic_fresh' AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut watch)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(
            !migrating.is_finished() && std::time::Instant::now() < deadline,
            "the migration never waited for the role"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sqlx::raw_sql("COMMIT").execute(&mut other).await.unwrap();

    let migrated = migrating.await.unwrap();
    assert!(migrated.is_ok(), "{migrated:?}");
    let roles: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_roles WHERE rolname = 'civic_app'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(roles, 1);
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 0, "the log is there, empty");
    pool.close().await;
    other.close().await.unwrap();
    watch.close().await.unwrap();
    cluster.stop().await.unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}
