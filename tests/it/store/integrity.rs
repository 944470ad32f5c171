use civic_store::verify::{verify_log, ChainBreak, VerifyError};
use civic_store::{EventStore, ExpectedVersion};
use civic_tests::{event, metadata, TestDb};
use serde_json::json;

async fn seeded(n: usize) -> (TestDb, EventStore) {
    let db = TestDb::new().await;
    let store = db.store().await;
    for i in 0..n {
        store
            .append(
                &format!("issue-{}", i % 3),
                ExpectedVersion::Any,
                vec![event("IssueReported", json!({"n": i, "title": "门口盲区"}))],
                metadata("网格员", None),
            )
            .await
            .unwrap();
    }
    (db, store)
}

#[tokio::test]
async fn update_delete_and_truncate_are_rejected_by_the_database() {
    let (db, _store) = seeded(3).await;
    for sql in [
        "UPDATE events SET payload = '{}' WHERE position = 2",
        "DELETE FROM events WHERE position = 2",
        "TRUNCATE events",
    ] {
        let error = sqlx::query(sql).execute(&db.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    // The application role may not even try.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("SET LOCAL ROLE civic_app")
        .execute(&mut *tx)
        .await
        .unwrap();
    let error = sqlx::query("DELETE FROM events")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("permission denied"), "{error}");
    tx.rollback().await.unwrap();
    assert_eq!(db.log_length().await, 3);
    db.cleanup().await;
}

#[tokio::test]
async fn verify_names_the_event_a_superuser_altered() {
    let (db, _store) = seeded(10).await;
    let report = verify_log(&db.pool, 1, None, |_| {}).await.unwrap();
    assert_eq!((report.checked, report.last_position), (10, 10));
    sqlx::raw_sql(
        "ALTER TABLE events DISABLE TRIGGER events_no_update_delete; \
         UPDATE events SET payload = jsonb_set(payload, '{title}', '\"门口育区\"') WHERE position = 6; \
         ALTER TABLE events ENABLE TRIGGER events_no_update_delete;",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let error = verify_log(&db.pool, 1, None, |_| {}).await.unwrap_err();
    match error {
        VerifyError::Broken(ChainBreak::HashMismatch {
            position,
            stream_id,
        }) => {
            assert_eq!((position, stream_id.as_str()), (6, "issue-2"));
        }
        other => panic!("expected a mismatch at 6, got {other}"),
    }
    // Verifying only what precedes the change still passes.
    verify_log(&db.pool, 1, Some(5), |_| {}).await.unwrap();
    db.cleanup().await;
}

#[tokio::test]
async fn verify_names_the_position_a_superuser_deleted() {
    let (db, _store) = seeded(10).await;
    sqlx::raw_sql(
        "ALTER TABLE events DISABLE TRIGGER events_no_update_delete; \
         DELETE FROM events WHERE position = 4; \
         ALTER TABLE events ENABLE TRIGGER events_no_update_delete;",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let error = verify_log(&db.pool, 1, None, |_| {}).await.unwrap_err();
    assert!(
        matches!(
            error,
            VerifyError::Broken(ChainBreak::Missing {
                position: 4,
                found: 5
            })
        ),
        "{error}"
    );
    db.cleanup().await;
}
