use civic_store::embedded::EmbeddedPostgres;
use sqlx::{Connection, PgConnection};

/// From an empty directory: initialise, start, write; stop; start again and find the data.
#[tokio::test]
async fn the_embedded_cluster_starts_from_nothing_and_keeps_its_data_across_restarts() {
    let root =
        std::env::temp_dir().join(format!("civic-embedded-{}", uuid::Uuid::new_v4().simple()));
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
