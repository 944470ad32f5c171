//! A log written while applied commands and stream versions were kept in tables of their own
//! (`applied_commands`, `streams`), then migrated: its commands keep answering their retries.

use civic_store::{AppendResult, EventStore, ExpectedVersion, StoreError};
use civic_tests::{assert_first_result, event, metadata, TestDb};
use serde_json::json;
use uuid::Uuid;

/// The migration that moved applied commands into `events`.
const COMMAND_MARKS: i64 = 20261203000002;

/// Inserts an append of `count` events of `stream` after `position` as the writer did before
/// the migration, one statement, whose trigger then recorded the command and the version.
async fn append_before(db: &TestDb, position: i64, stream: &str, count: i64, command: Uuid) {
    sqlx::query(
        "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
         schema_version, payload, actor_id, actor_role, correlation_id, command_id, \
         recorded_at, hash) \
         SELECT $1 + n, gen_random_uuid(), $2, n, 'IssueAssigned', 1, '{}', 'a', 'r', \
         gen_random_uuid(), $3, now(), decode(repeat('00', 32), 'hex') \
         FROM generate_series(1, $4) AS n",
    )
    .bind(position)
    .bind(stream)
    .bind(command)
    .bind(count)
    .execute(&db.pool)
    .await
    .expect("the events are inserted");
}

/// Appends one assignment to `stream` for `actor` under the command id `command`.
async fn assign(
    store: &EventStore,
    stream: &str,
    expected: ExpectedVersion,
    actor: &str,
    command: Uuid,
) -> Result<AppendResult, StoreError> {
    store
        .append(
            stream,
            expected,
            vec![event("IssueAssigned", json!({}))],
            metadata(actor, Some(command)),
        )
        .await
}

#[tokio::test]
async fn commands_applied_before_the_migration_still_answer_their_retries() {
    let db = TestDb::migrated_before(COMMAND_MARKS).await;
    let (three, one) = (Uuid::now_v7(), Uuid::now_v7());
    append_before(&db, 0, "issue-a", 3, three).await;
    append_before(&db, 3, "issue-b", 1, one).await;
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM applied_commands")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(recorded, 2);

    civic_store::MIGRATOR
        .run(&db.pool)
        .await
        .expect("the rest apply");
    let marks: Vec<(i64, Option<i32>)> =
        sqlx::query_as("SELECT position, command_events FROM events ORDER BY position")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        marks,
        vec![(1, Some(3)), (2, None), (3, None), (4, Some(1))]
    );
    // Still append-only after the migration marked them.
    let refused = sqlx::query("UPDATE events SET command_events = NULL WHERE position = 1")
        .execute(&db.pool)
        .await;
    assert!(refused.is_err());

    let store = db.store().await;
    assert_eq!(store.stream_version("issue-a").await.unwrap(), 3);
    // The retry of the three-event command: its first result, nothing appended.
    let retry = assign(&store, "issue-a", ExpectedVersion::NoStream, "a", three)
        .await
        .unwrap();
    assert_first_result(&retry, (1, 3, 3));
    // The one-event command's id, presumed new by a fresh lease on another stream: the
    // database refuses the batch, and the decision looked up again answers the retry.
    let moved = assign(&store, "issue-b", ExpectedVersion::Any, "a", one)
        .await
        .unwrap();
    assert_first_result(&moved, (4, 4, 1));
    // Another actor under the same key: refused, as before the migration.
    let other = assign(&store, "issue-b", ExpectedVersion::Any, "b", one).await;
    assert!(
        matches!(other, Err(StoreError::CommandIdReused { .. })),
        "{other:?}"
    );
    assert_eq!(db.log_length().await, 4);
    db.cleanup().await;
}
