use std::time::Duration;

use civic_commands::CommandHandler;
use civic_projections::{status, wait_for_all, ProjectorState};
use civic_store::ExpectedVersion;
use civic_tests::projections::{rebuilt_from_zero, snapshot, Running};
use civic_tests::{event, metadata, TestDb};

const ALL: [&str; 7] = [
    "community",
    "issues",
    "property",
    "heating",
    "life",
    "access",
    "happened_spans",
];

/// Incremental projection, stopped and restarted and shared between two runtimes, equals a
/// rebuild from zero, row for row.
#[tokio::test]
async fn incremental_projection_across_restarts_equals_a_rebuild_from_zero() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    // Two "processes" run the runtime; only one drives each projector.
    let other = db.store_of_another_process().await;
    let first = Running::start(&store);
    let second = Running::start(&other);
    let loading = tokio::spawn({
        let handler = handler.clone();
        async move { civic_demo::load(&handler, |_, _| {}).await.unwrap() }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    // Stop the first mid-stream: the second takes over where the checkpoints are.
    first.stop().await;
    let summary = loading.await.unwrap();
    wait_for_all(&db.pool, &ALL, summary.position, Duration::from_secs(30))
        .await
        .unwrap();
    second.stop().await;

    let live = snapshot(&db.pool, "read").await;
    assert!(live
        .iter()
        .any(|(t, rows)| t == "issues" && rows.len() == 1));
    assert_eq!(live, rebuilt_from_zero(&store).await);
    // Every report counted once in the figures, which add up as events arrive.
    let (counted, reported): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT sum(reported)::bigint FROM read.issue_weeks), \
         (SELECT count(*) FROM events WHERE event_type = 'IssueReported')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(reported > 0);
    assert_eq!(counted, reported);
    db.cleanup().await;
}

/// A projector that cannot read an event stops there and says so; the others keep up.
#[tokio::test]
async fn a_failing_projector_stops_at_its_event_and_the_others_go_on() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    let summary = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    // An issue event whose payload has no valid shape for its type.
    let bad = store
        .append(
            "issue-broken",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", serde_json::json!({"title": 7}))],
            metadata("a", None),
        )
        .await
        .unwrap();
    let running = Running::start(&store);
    wait_for_all(
        &db.pool,
        &["community", "property", "heating", "life", "access"],
        bad.last_position,
        Duration::from_secs(30),
    )
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let issues = loop {
        let all = status(&db.pool).await.unwrap();
        let issues = all.into_iter().find(|s| s.name == "issues").unwrap();
        if matches!(issues.state, ProjectorState::Failed { .. })
            || std::time::Instant::now() > deadline
        {
            break issues;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    match &issues.state {
        ProjectorState::Failed { position, error } => {
            assert_eq!(*position, bad.last_position);
            assert!(error.contains("IssueReported"), "{error}");
        }
        other => panic!("expected failed, got {other}"),
    }
    assert_eq!(
        issues.position, summary.position,
        "it did not advance past the bad event"
    );
    assert_eq!(issues.lag_events, 1);
    running.stop().await;
    db.cleanup().await;
}
