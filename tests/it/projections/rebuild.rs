use std::time::Duration;

use civic_commands::CommandHandler;
use civic_projections::{all_projectors, rebuild, wait_for_all};
use civic_tests::projections::{snapshot, Running};
use civic_tests::TestDb;

/// Rebuilding while the runtime runs and readers read: the readers always find the story's
/// issue, and afterwards the models are what they were.
#[tokio::test]
async fn a_rebuild_swaps_fresh_tables_in_while_the_old_ones_serve() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    let summary = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    let running = Running::start(&store);
    let names: Vec<&str> = all_projectors().iter().map(|p| p.name()).collect();
    wait_for_all(&db.pool, &names, summary.position, Duration::from_secs(30))
        .await
        .unwrap();
    let before = snapshot(&db.pool, "read").await;
    let indexes_before = indexes(&db.pool).await;
    assert!(indexes_before.len() > 10);
    let targets_before = statistics_targets(&db.pool).await;
    assert!(targets_before.contains(&("issues".into(), "description".into(), 0)));
    assert!(targets_before.contains(&(
        "happened_spans".into(),
        "USING btree (GREATEST(dated_until, undated_until)) #1".into(),
        0
    )));

    let reader = tokio::spawn({
        let pool = db.pool.clone();
        async move {
            let mut reads = 0;
            for _ in 0..200 {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM read.issues")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                assert_eq!(n, 1, "a reader saw an empty or partial model");
                reads += 1;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            reads
        }
    });
    // One projector alone, then all of them in one pass.
    for chosen in [vec![all_projectors().remove(1)], all_projectors()] {
        let report = rebuild(&store, &chosen, |_, _| {}).await.unwrap();
        assert_eq!(report.position, summary.position);
    }
    assert_eq!(reader.await.unwrap(), 200);
    // Swapped in analyzed: the planner knows the new tables' sizes from the first query on.
    let (estimated, counted): (f32, i64) = sqlx::query_as(
        "SELECT c.reltuples, (SELECT count(*) FROM read.happened_spans) \
         FROM pg_class c WHERE c.oid = 'read.happened_spans'::regclass",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(counted > 1);
    assert_eq!(estimated as i64, counted);
    assert_eq!(snapshot(&db.pool, "read").await, before);
    // The indexes left out while the tables filled are there after the swap, every one.
    assert_eq!(indexes(&db.pool).await, indexes_before);
    // So are the columns' statistics targets (`LIKE` does not copy them).
    assert_eq!(statistics_targets(&db.pool).await, targets_before);

    // The live projector follows the swapped tables: a new command still lands once.
    let again = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    assert_eq!(again.applied, 0);
    running.stop().await;
    db.cleanup().await;
}

/// A database rebuilt before rebuilds kept the index names holds the names PostgreSQL gives
/// copies made with `LIKE`; migrating it gives the migrations' names back.
#[tokio::test]
async fn migrating_a_database_rebuilt_before_gives_its_indexes_their_names_back() {
    let db = TestDb::migrated_before(INDEX_NAMES_KEPT).await;
    let named = indexes(&db.pool).await;
    // What an earlier rebuild left: each non-unique index under the name of its copy.
    sqlx::raw_sql(
        "CREATE SCHEMA copies; \
         DO $$ DECLARE t text; BEGIN \
           FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'read' LOOP \
             EXECUTE format('CREATE TABLE copies.%I (LIKE read.%I INCLUDING ALL)', t, t); \
           END LOOP; END $$",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let renames: Vec<(String, String)> = sqlx::query_as(
        "SELECT live.relname::text, copy.relname::text \
         FROM pg_index li JOIN pg_class live ON live.oid = li.indexrelid \
         JOIN pg_class lt ON lt.oid = li.indrelid \
         JOIN pg_class ct ON ct.relname = lt.relname \
              AND ct.relnamespace = 'copies'::regnamespace \
         JOIN pg_index ci ON ci.indrelid = ct.oid \
         JOIN pg_class copy ON copy.oid = ci.indexrelid \
         WHERE lt.relnamespace = 'read'::regnamespace AND NOT li.indisunique \
           AND substring(pg_get_indexdef(li.indexrelid) FROM ' USING .*$') \
             = substring(pg_get_indexdef(ci.indexrelid) FROM ' USING .*$')",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(renames.iter().any(|(live, _)| live == "issues_board_idx"));
    sqlx::raw_sql("DROP SCHEMA copies CASCADE")
        .execute(&db.pool)
        .await
        .unwrap();
    for (live, copy) in &renames {
        assert_ne!(live, copy);
        sqlx::raw_sql(&format!("ALTER INDEX read.{live} RENAME TO {copy}"))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    assert_ne!(indexes(&db.pool).await, named);

    civic_store::MIGRATOR.run(&db.pool).await.unwrap();
    assert_eq!(indexes(&db.pool).await, named);
    db.cleanup().await;
}

/// The migration that gives a database rebuilt before the index names back.
const INDEX_NAMES_KEPT: i64 = 20261205000004;

/// Every column of the read models and of their indexes whose statistics target is set,
/// with that target: a table's column by its table and name, an index's by its table, what
/// it indexes and the column's place.
async fn statistics_targets(pool: &sqlx::PgPool) -> Vec<(String, String, i32)> {
    sqlx::query_as(
        "SELECT c.relname::text, a.attname::text, a.attstattarget::int FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'read' AND c.relkind = 'r' AND a.attnum > 0 \
         AND a.attstattarget >= 0 \
         UNION ALL \
         SELECT t.relname::text, \
                concat(substring(pg_get_indexdef(i.indexrelid) FROM 'USING .*$'), ' #', a.attnum), \
                a.attstattarget::int \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_attribute a ON a.attrelid = i.indexrelid \
         WHERE t.relnamespace = 'read'::regnamespace AND a.attstattarget >= 0 ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Every index of the read models: its table, its name, whether it is unique, and what it
/// indexes. A rebuild keeps the names the migrations gave (`LIKE` would name the copies
/// afresh), so that a later migration finds an index by its name.
async fn indexes(pool: &sqlx::PgPool) -> Vec<(String, String, bool, String)> {
    sqlx::query_as(
        "SELECT t.relname::text, c.relname::text, i.indisunique, \
                substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$') \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_class c ON c.oid = i.indexrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'read' ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}
