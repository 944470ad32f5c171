use std::time::Duration;

use civic_store::{EventStore, ExpectedVersion, StoreConfig};
use civic_tests::{event, metadata, TestDb};
use serde_json::json;

/// Makes an insert sleep for its payload's `delay_ms`: a slow transaction, installed in the
/// test's own database only.
async fn install_slow_inserts(db: &TestDb) {
    sqlx::raw_sql(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN PERFORM pg_sleep(coalesce((NEW.payload->>'delay_ms')::int, 0) / 1000.0); RETURN NEW; END $$; \
         CREATE TRIGGER slow_insert BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION slow_insert();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
}

/// Two "processes" (stores on separate pools): the first asks to append and is slow to
/// commit, the second asks later and is fast. Whatever order they finish in, a subscriber
/// on a third pool sees every event exactly once, positions 1..N with no hole, and the
/// positions follow commit order, so "after p" never skips a late commit.
#[tokio::test]
async fn a_subscriber_sees_every_event_once_in_commit_order_when_writers_interleave() {
    let db = TestDb::new().await;
    install_slow_inserts(&db).await;
    let slow = db.store_of_another_process().await;
    let fast = db.store_of_another_process().await;
    let reader = EventStore::open(
        db.another_pool().await,
        StoreConfig {
            poll_interval: Duration::from_millis(50),
            ..StoreConfig::default()
        },
    )
    .await
    .unwrap();
    let mut subscription = reader.subscribe(0);

    let rounds = 20;
    let total = rounds * 3;
    let collector = tokio::spawn(async move {
        let mut seen = Vec::new();
        while seen.len() < total {
            let e = subscription.next().await.unwrap();
            seen.push((e.position, e.stream_id.clone(), e.stream_version));
        }
        seen
    });

    let mut finish_order = Vec::new();
    for round in 0..rounds {
        let s = slow.clone();
        let slow_task = tokio::spawn(async move {
            let events = vec![
                event("IssueReported", json!({"delay_ms": 60, "round": round})),
                event("IssueAssigned", json!({"round": round})),
            ];
            s.append(
                &format!("slow-{round}"),
                ExpectedVersion::NoStream,
                events,
                metadata("slow", None),
            )
            .await
            .unwrap()
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let f = fast.clone();
        let fast_task = tokio::spawn(async move {
            f.append(
                &format!("fast-{round}"),
                ExpectedVersion::NoStream,
                vec![event("IssueReported", json!({"round": round}))],
                metadata("fast", None),
            )
            .await
            .unwrap()
        });
        let (a, b) = tokio::join!(slow_task, fast_task);
        let (a, b) = (a.unwrap(), b.unwrap());
        finish_order.push((a.first_position, a.last_position));
        finish_order.push((b.first_position, b.last_position));
    }

    let seen = tokio::time::timeout(Duration::from_secs(30), collector)
        .await
        .unwrap()
        .unwrap();
    let positions: Vec<i64> = seen.iter().map(|s| s.0).collect();
    assert_eq!(
        positions,
        (1..=total as i64).collect::<Vec<_>>(),
        "gapless, once each, in order"
    );
    // Each append's events are contiguous, and the slow one (asked first) got lower positions.
    for pair in finish_order.chunks(2) {
        assert_eq!(pair[0].1 - pair[0].0, 1);
        assert!(
            pair[0].1 < pair[1].0,
            "positions follow commit order: {pair:?}"
        );
    }
    // Two full reads give the same order as the subscriber.
    let first = reader.read_log(0, 10_000).await.unwrap();
    let second = reader.read_log(0, 10_000).await.unwrap();
    let ids = |v: &[civic_store::RecordedEvent]| {
        v.iter()
            .map(|e| (e.position, e.stream_id.clone(), e.stream_version))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), seen);
    assert_eq!(ids(&second), seen);
    civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    db.cleanup().await;
}

/// Many processes appending at once: every position 1..N is used exactly once.
#[tokio::test]
async fn positions_stay_gapless_under_concurrent_writers_in_several_processes() {
    let db = TestDb::new().await;
    let mut stores = Vec::new();
    for _ in 0..4 {
        stores.push(db.store_of_another_process().await);
    }
    let mut tasks = Vec::new();
    for (p, store) in stores.iter().enumerate() {
        for w in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for n in 0..25 {
                    let size = 1 + (n % 3);
                    let events = (0..size)
                        .map(|i| event("VideoViewsRecorded", json!({"n": n, "i": i})))
                        .collect();
                    store
                        .append(
                            &format!("stream-{p}-{w}"),
                            ExpectedVersion::Any,
                            events,
                            metadata("w", None),
                        )
                        .await
                        .unwrap();
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let (count, max, distinct): (i64, i64, i64) =
        sqlx::query_as("SELECT count(*), max(position), count(DISTINCT position) FROM events")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(count, 4 * 8 * (9 + 8 * 2 + 8 * 3));
    assert_eq!((max, distinct), (count, count));
    civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    // Busy writers commit with the next transaction already begun; idle ones close it.
    db.expect_no_open_transactions().await;
    db.cleanup().await;
}

/// Up to four batches are in flight at once, each committing only after the one before it.
/// When one fails, the batch queued behind it rolls back too (it was numbered after rows
/// that never became visible), and nothing of either is ever visible. The writer then
/// decides the request behind again, from the last committed position: it succeeds, with no
/// gap and a chain that verifies, while the failing append gets its error.
#[tokio::test]
async fn a_failed_group_commit_rolls_back_the_batches_behind_it_which_are_decided_again() {
    let db = TestDb::new().await;
    sqlx::raw_sql(
        "CREATE FUNCTION failing_insert() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.payload ? 'fail' THEN PERFORM pg_sleep(0.3); \
           RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER failing_insert BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION failing_insert();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let store = db.store().await;
    let batch = |n: usize, fail: bool| -> Vec<civic_store::NewEvent> {
        (0..n)
            .map(|i| {
                let payload = if fail && i + 1 == n {
                    json!({"i": i, "fail": true})
                } else {
                    json!({"i": i})
                };
                event("VideoViewsRecorded", payload)
            })
            .collect()
    };

    let failing = {
        let store = store.clone();
        let events = batch(100, true);
        tokio::spawn(async move {
            store
                .append(
                    "first",
                    ExpectedVersion::NoStream,
                    events,
                    metadata("a", None),
                )
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut subscription = store.subscribe(0);
    let behind = store
        .append(
            "second",
            ExpectedVersion::NoStream,
            batch(100, false),
            metadata("b", None),
        )
        .await
        .unwrap();
    assert_eq!((behind.first_position, behind.last_position), (1, 100));
    let failed = failing.await.unwrap();
    assert!(
        matches!(failed, Err(civic_store::StoreError::Database(_))),
        "{failed:?}"
    );
    // What a reader saw from the start: the second stream's events only, from position 1.
    for position in 1..=100 {
        let seen = subscription.next().await.unwrap();
        assert_eq!(
            (seen.position, seen.stream_id.as_str()),
            (position, "second")
        );
    }
    let (count, max): (i64, Option<i64>) =
        sqlx::query_as("SELECT count(*), max(position) FROM events")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((count, max), (100, Some(100)));
    assert_eq!(store.stream_version("first").await.unwrap(), 0);
    civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    // The pipelined batch committed with its next transaction begun; the idle writer closed it.
    db.expect_no_open_transactions().await;
    db.cleanup().await;
}
