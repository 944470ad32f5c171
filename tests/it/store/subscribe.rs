use std::time::Duration;

use civic_store::{EventStore, ExpectedVersion, StoreConfig};
use civic_tests::{event, metadata, TestDb};
use serde_json::json;

#[tokio::test]
async fn a_subscriber_catches_up_ten_thousand_events_then_receives_live_ones() {
    let db = TestDb::new().await;
    let store = db.store().await;
    for chunk in 0..100 {
        let events = (0..100)
            .map(|i| event("VideoViewsRecorded", json!({"n": chunk * 100 + i})))
            .collect();
        store
            .append(
                &format!("video-{chunk}"),
                ExpectedVersion::NoStream,
                events,
                metadata("newsroom", None),
            )
            .await
            .unwrap();
    }
    // A subscriber in another "process", starting from zero.
    let other = db.store_of_another_process().await;
    let mut subscription = other.subscribe(0);
    for expected in 1..=10_000 {
        let e = subscription.next().await.unwrap();
        assert_eq!(e.position, expected);
        assert_eq!(e.payload.value()["n"], expected - 1);
    }
    let live = tokio::spawn(async move {
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(subscription.next().await.unwrap());
        }
        got
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    store
        .append(
            "video-live",
            ExpectedVersion::NoStream,
            vec![
                event("VideoPublished", json!({"title": "网格员的一天"})),
                event("VideoViewsRecorded", json!({"views": 120})),
            ],
            metadata("newsroom", None),
        )
        .await
        .unwrap();
    store
        .append(
            "video-live",
            ExpectedVersion::Exact(2),
            vec![event("VideoRecommended", json!({}))],
            metadata("newsroom", None),
        )
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), live)
        .await
        .unwrap()
        .unwrap();
    let got: Vec<(i64, &str)> = got
        .iter()
        .map(|e| (e.position, e.event_type.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (10_001, "VideoPublished"),
            (10_002, "VideoViewsRecorded"),
            (10_003, "VideoRecommended")
        ]
    );
    db.cleanup().await;
}

/// An event that arrives with no notification at all (inserted by plain SQL that does not
/// NOTIFY) still reaches a waiting subscriber through the polling fallback.
#[tokio::test]
async fn a_lost_notification_only_delays_a_subscriber() {
    let db = TestDb::new().await;
    let reader = EventStore::open(
        db.pool.clone(),
        StoreConfig {
            poll_interval: Duration::from_millis(100),
            ..StoreConfig::default()
        },
    )
    .await
    .unwrap();
    let mut subscription = reader.subscribe(0);
    let waiter = tokio::spawn(async move { subscription.next().await.unwrap() });
    tokio::time::sleep(Duration::from_millis(250)).await;
    db.insert_past_the_writer(1, "s", 1).await;
    assert_eq!(reader.known_head(), 0, "no notification was sent");
    let first = tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((first.position, first.stream_id.as_str()), (1, "s"));
    db.cleanup().await;
}

/// A live subscriber in the writing process gets the events this process just committed
/// from memory, and those must be the events the log holds, field for field; appends of
/// another process in between must reach it too, in order, with no hole.
#[tokio::test]
async fn live_events_from_memory_equal_the_log_across_writers_of_two_processes() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let other = db.store_of_another_process().await;
    let mut subscription = store.subscribe(0);
    let payloads = [
        json!({"title": "东门路灯不亮 🚨", "note": "引号\"、反斜杠\\、换行\n、制表\t"}),
        json!({"n": 1.5, "big": 18_446_744_073_709_551_615_u64, "neg": -9_007_199_254_740_993_i64}),
        json!({"nested": {"z": [1, {"b": null, "a": true}], "a": "甲"}, "empty": {}}),
        json!({"tiny": 1e-7, "huge": 1e300, "zero": 0.0}),
    ];
    let mut expected_total = 0;
    for (round, payload) in payloads.iter().enumerate() {
        // Alternate the writing process, so this process's run of events in memory breaks.
        let writer = if round % 2 == 0 { &store } else { &other };
        let events = vec![
            event("IssueReported", payload.clone()),
            event("IssueNoted", json!({"round": round})),
        ];
        writer
            .append(
                &format!("issue-{round}"),
                ExpectedVersion::NoStream,
                events,
                metadata("grid-7", Some(uuid::Uuid::now_v7())),
            )
            .await
            .unwrap();
        expected_total += 2;
    }
    let mut seen = Vec::new();
    while seen.len() < expected_total {
        let batch = tokio::time::timeout(Duration::from_secs(10), subscription.next_batch(100))
            .await
            .expect("every event arrives")
            .unwrap();
        seen.extend(batch);
    }
    let log = civic_store::read_log(&db.pool, 0, 100, &Default::default())
        .await
        .unwrap();
    assert_eq!(seen, log);
    assert_eq!(
        seen.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=expected_total as i64).collect::<Vec<_>>()
    );
    db.cleanup().await;
}
