use std::time::Duration;

use civic_tests::TestDb;

/// The backend pid of a connection taken from `pool`, which goes back to the pool after.
async fn backend(pool: &sqlx::PgPool) -> i32 {
    sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A connection the server dropped while it lay idle is found out before it is handed out
/// (the service's pools test a connection only after it has been idle a while), and one in
/// steady use is handed out without a test.
#[tokio::test]
async fn a_connection_dropped_while_idle_is_replaced_before_a_query_meets_it() {
    let db = TestDb::new().await;
    let pool = civic_store::pool_options()
        .max_connections(1)
        .connect_with(db.options.clone())
        .await
        .unwrap();
    let first = backend(&pool).await;
    assert_eq!(backend(&pool).await, first, "one connection, reused");

    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(first)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(terminated);
    // Past the idle time after which a connection is tested before use.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let second = backend(&pool).await;
    assert_ne!(second, first, "the dropped connection was replaced");

    pool.close().await;
    db.cleanup().await;
}
