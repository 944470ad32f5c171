use std::sync::Arc;

use civic_store::{EventStore, ExpectedVersion, StoreConfig, StoreError};
use civic_tests::{assert_first_result, event, metadata, TestDb};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn sixteen_racing_appends_with_one_expectation_admit_exactly_one() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .append(
            "issue-1",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", json!({}))],
            metadata("a", None),
        )
        .await
        .unwrap();

    let barrier = Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = store.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let events = (0..3)
                    .map(|n| event("IssueAssigned", json!({"task": i, "n": n})))
                    .collect();
                store
                    .append(
                        "issue-1",
                        ExpectedVersion::Exact(1),
                        events,
                        metadata("a", None),
                    )
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    let mut conflicts = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(result) => {
                ok += 1;
                assert_eq!(result.stream_version, 4);
            }
            Err(StoreError::Conflict {
                stream,
                expected,
                actual,
            }) => {
                conflicts += 1;
                assert_eq!(stream, "issue-1");
                assert_eq!(expected, ExpectedVersion::Exact(1));
                assert_eq!(actual, 4);
            }
            Err(other) => panic!("unexpected error {other}"),
        }
    }
    assert_eq!((ok, conflicts), (1, 15));
    // The one batch that won is whole: versions 2..=4 all from the same task.
    let events = store.read_stream("issue-1", 2).await.unwrap();
    assert_eq!(events.len(), 3);
    let task = &events[0].payload.value()["task"];
    assert!(events.iter().all(|e| &e.payload.value()["task"] == task));
    assert_eq!(db.log_length().await, 4);
    db.cleanup().await;
}

#[tokio::test]
async fn expectations_no_stream_and_exact_are_enforced() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let e = || vec![event("CommunityRegistered", json!({"name": "和美社区"}))];
    store
        .append(
            "community-1",
            ExpectedVersion::NoStream,
            e(),
            metadata("a", None),
        )
        .await
        .unwrap();
    let again = store
        .append(
            "community-1",
            ExpectedVersion::NoStream,
            e(),
            metadata("a", None),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict { actual: 1, .. })));
    let stale = store
        .append(
            "community-1",
            ExpectedVersion::Exact(0),
            e(),
            metadata("a", None),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict { actual: 1, .. })));
    let missing = store
        .append(
            "community-2",
            ExpectedVersion::Exact(1),
            e(),
            metadata("a", None),
        )
        .await;
    assert!(matches!(
        missing,
        Err(StoreError::Conflict { actual: 0, .. })
    ));
    store
        .append(
            "community-1",
            ExpectedVersion::Any,
            e(),
            metadata("a", None),
        )
        .await
        .unwrap();
    assert_eq!(store.stream_version("community-1").await.unwrap(), 2);
    assert_eq!(db.log_length().await, 2);
    db.cleanup().await;
}

#[tokio::test]
async fn a_repeated_command_id_returns_the_first_result_and_appends_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let command = Uuid::now_v7();
    let events = || {
        vec![
            event("IssueReported", json!({"title": "门口盲区"})),
            event("IssueAssigned", json!({})),
        ]
    };
    let first = store
        .append(
            "issue-9",
            ExpectedVersion::NoStream,
            events(),
            metadata("a", Some(command)),
        )
        .await
        .unwrap();
    assert!(!first.duplicate);
    // A retry from the app, with the expectation it had before: same answer, no new rows.
    let retry = store
        .append(
            "issue-9",
            ExpectedVersion::NoStream,
            events(),
            metadata("a", Some(command)),
        )
        .await
        .unwrap();
    assert_first_result(
        &retry,
        (
            first.first_position,
            first.last_position,
            first.stream_version,
        ),
    );
    // Concurrent retries of one new command: one append.
    let command = Uuid::now_v7();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .append(
                        "issue-9",
                        ExpectedVersion::Any,
                        vec![event("IssueResolved", json!({}))],
                        metadata("a", Some(command)),
                    )
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| !r.duplicate).count(), 1);
    assert!(results.iter().all(|r| r.last_position == 3));
    assert_eq!(db.log_length().await, 3);
    db.cleanup().await;
}

/// The writer does not look new command ids up before it appends; the database's key on
/// applied commands catches one that another writer applied. Its retry must still get the
/// first result, and the appends committed beside it must not fail with it.
#[tokio::test]
async fn a_command_id_applied_by_another_writer_is_recognised_without_failing_its_neighbours() {
    let db = TestDb::new().await;
    let first_writer = db.store().await;
    let command = Uuid::now_v7();
    let first = first_writer
        .append(
            "issue-1",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", json!({"title": "楼道堆物"}))],
            metadata("a", Some(command)),
        )
        .await
        .unwrap();

    let other = db.store_of_another_process().await;
    // The retry, with an expectation that still holds (any version), among seven new appends
    // sent at the same moment, so that they share its batch or follow it in the pipeline.
    let barrier = Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = other.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                // The retry comes from the same actor; the others from another.
                let (stream, id, actor) = match i {
                    0 => ("issue-1".to_owned(), command, "a"),
                    n => (format!("issue-{}", n + 1), Uuid::now_v7(), "b"),
                };
                barrier.wait().await;
                store
                    .append(
                        &stream,
                        ExpectedVersion::Any,
                        vec![event("IssueReported", json!({"n": i}))],
                        metadata(actor, Some(id)),
                    )
                    .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap().unwrap());
    }
    assert!(results[0].duplicate);
    assert_eq!(
        (results[0].last_position, results[0].stream_version),
        (first.last_position, first.stream_version)
    );
    assert!(results[1..].iter().all(|r| !r.duplicate));
    assert_eq!(db.log_length().await, 8);
    assert_eq!(other.stream_version("issue-1").await.unwrap(), 1);

    // A retry whose expectation no longer holds gets the first result too, not a conflict.
    let stale = other
        .append(
            "issue-1",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", json!({"title": "楼道堆物"}))],
            metadata("a", Some(command)),
        )
        .await
        .unwrap();
    assert!(stale.duplicate);
    assert_eq!(stale.last_position, first.last_position);
    assert_eq!(db.log_length().await, 8);
    civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    db.cleanup().await;
}

/// An applied command is found by its append's first event, which says how many events it
/// appended, whichever way its rows went (150 events go by `COPY`); a stream's version is its
/// last event's, also for rows that did not come through the writer.
#[tokio::test]
async fn an_append_is_found_by_its_first_event_and_a_stream_by_its_last() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let command = Uuid::now_v7();
    let events = || {
        (0..150)
            .map(|n| event("HeatingMilestone", json!({"n": n})))
            .collect::<Vec<_>>()
    };
    let result = store
        .append(
            "heating-1",
            ExpectedVersion::NoStream,
            events(),
            metadata("a", Some(command)),
        )
        .await
        .unwrap();
    assert_eq!(result.last_position, 150);
    let marks: Vec<(i64, Option<i32>)> = sqlx::query_as(
        "SELECT position, command_events FROM events WHERE command_id = $1 ORDER BY position",
    )
    .bind(command)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(marks.len(), 150);
    assert_eq!(marks[0], (1, Some(150)));
    assert!(marks[1..].iter().all(|(_, count)| count.is_none()));

    // Another process knows nothing of it: its retry is looked up, and gets the first result.
    let other = db.store_of_another_process().await;
    let retry = other
        .append(
            "heating-1",
            ExpectedVersion::NoStream,
            events(),
            metadata("a", Some(command)),
        )
        .await
        .unwrap();
    assert_first_result(&retry, (1, 150, 150));

    db.insert_past_the_writer(151, "heating-1", 151).await;
    assert_eq!(store.stream_version("heating-1").await.unwrap(), 151);
    assert_eq!(store.stream_version("heating-2").await.unwrap(), 0);
    db.cleanup().await;
}

#[tokio::test]
async fn chinese_text_and_emoji_round_trip_byte_for_byte() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let words = "情系百姓暖人心 排忧解难似亲人 🏮🎉 \"引号\" \\ 反斜杠\n换行\t制表";
    let payload =
        json!({"banner": words, "小区": "龙和华府", "nested": {"emoji": "👨‍👩‍👧", "zero": 0}});
    store
        .append(
            "compound-1",
            ExpectedVersion::NoStream,
            vec![event("AppreciationReceived", payload.clone())],
            metadata("张文博", None),
        )
        .await
        .unwrap();
    let read = store.read_stream("compound-1", 1).await.unwrap();
    assert_eq!(read[0].payload.value(), payload);
    assert_eq!(
        read[0].payload.value()["banner"]
            .as_str()
            .unwrap()
            .as_bytes(),
        words.as_bytes()
    );
    assert_eq!(read[0].metadata.actor_id, "张文博");
    let report = civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    assert_eq!(report.checked, 1);
    db.cleanup().await;
}

#[tokio::test]
async fn an_oversized_or_malformed_append_is_refused_and_appends_nothing() {
    let db = TestDb::new().await;
    let config = StoreConfig {
        max_payload_bytes: 1024,
        ..StoreConfig::default()
    };
    let store = EventStore::open(db.pool.clone(), config).await.unwrap();
    let big = json!({"text": "字".repeat(400)});
    let small = json!({"text": "字"});
    let result = store
        .append(
            "issue-1",
            ExpectedVersion::Any,
            vec![
                event("IssueReported", small.clone()),
                event("IssueReported", big),
            ],
            metadata("a", None),
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::PayloadTooLarge { max: 1024, .. })),
        "{result:?}"
    );
    let nul = store
        .append(
            "issue-1",
            ExpectedVersion::Any,
            vec![event("IssueReported", json!({"t": "a\u{0}b"}))],
            metadata("a", None),
        )
        .await;
    assert!(matches!(nul, Err(StoreError::InvalidAppend(_))));
    let empty = store
        .append("issue-1", ExpectedVersion::Any, vec![], metadata("a", None))
        .await;
    assert!(matches!(empty, Err(StoreError::InvalidAppend(_))));
    assert_eq!(db.log_length().await, 0);
    store
        .append(
            "issue-1",
            ExpectedVersion::Any,
            vec![event("IssueReported", small)],
            metadata("a", None),
        )
        .await
        .unwrap();
    assert_eq!(db.log_length().await, 1);
    db.cleanup().await;
}

/// Large batches are written with COPY: tabs, newlines, backslashes and quotes in payloads
/// and metadata must come back byte for byte and keep the chain valid.
#[tokio::test]
async fn a_large_batch_with_control_characters_round_trips_and_verifies() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let tricky = "制表\t换行\n回车\r反斜杠\\ 引号\" \\N \\x00 🏮";
    let events: Vec<_> = (0..150)
        .map(|i| event("ActivityHeld", json!({"summary": tricky, "i": i})))
        .collect();
    let mut meta = metadata("志愿者\t甲\\乙", None);
    meta.actor_role = "community_staff".into();
    store
        .append("activity-\ttricky", ExpectedVersion::NoStream, events, meta)
        .await
        .unwrap();
    let read = store.read_stream("activity-\ttricky", 1).await.unwrap();
    assert_eq!(read.len(), 150);
    assert!(
        read.iter()
            .all(|e| e.payload.value()["summary"] == tricky
                && e.metadata.actor_id == "志愿者\t甲\\乙")
    );
    let report = civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    assert_eq!(report.checked, 150);
    db.cleanup().await;
}

/// A command id answers only the request it was first used for: the same id from another
/// actor, for another stream, or with another fingerprint is refused, appends nothing and
/// names nothing of the first request; both when the writer's lease knows the id and when
/// it has to look it up (another process's writer).
#[tokio::test]
async fn a_command_id_used_for_another_request_is_refused_and_appends_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let command = Uuid::now_v7();
    let fingerprinted = |actor: &str, fingerprint: u8| civic_store::Metadata {
        command_fingerprint: Some([fingerprint; 32]),
        ..metadata(actor, Some(command))
    };
    let first = store
        .append(
            "issue-hemei",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", json!({"title": "楼道堆物"}))],
            fingerprinted("a", 1),
        )
        .await
        .unwrap();
    let other_process = db.store_of_another_process().await;
    for writer in [&store, &other_process] {
        let attempts = [
            ("issue-guangsha", fingerprinted("a", 1)),
            ("issue-hemei", fingerprinted("a", 2)),
            ("issue-hemei", fingerprinted("b", 2)),
            ("issue-guangsha", metadata("b", Some(command))),
        ];
        for (stream, metadata) in attempts {
            let refused = writer
                .append(
                    stream,
                    ExpectedVersion::Any,
                    vec![event("IssueReported", json!({"title": "别的请求"}))],
                    metadata,
                )
                .await;
            match refused {
                Err(StoreError::CommandIdReused { command_id }) => assert_eq!(command_id, command),
                other => panic!("{stream}: expected CommandIdReused, got {other:?}"),
            }
        }
        // The same request again gets its first result.
        let retry = writer
            .append(
                "issue-hemei",
                ExpectedVersion::NoStream,
                vec![event("IssueReported", json!({"title": "楼道堆物"}))],
                fingerprinted("a", 1),
            )
            .await
            .unwrap();
        assert!(retry.duplicate);
        assert_eq!(retry.last_position, first.last_position);
    }
    assert_eq!(db.log_length().await, 1);
    db.cleanup().await;
}

#[tokio::test]
async fn the_writer_counts_every_committed_batch_and_where_its_time_went() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let before = store.writer_times();
    // Eight appends of 100 events at once: large enough to be pipelined side by side.
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let events = (0..100)
                    .map(|n| event("IssueReported", json!({"task": i, "n": n})))
                    .collect();
                store
                    .append(
                        &format!("issue-{i}"),
                        ExpectedVersion::NoStream,
                        events,
                        metadata("a", Some(Uuid::now_v7())),
                    )
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let times = store.writer_times().since(&before);
    assert_eq!(times.events, 800, "{times:?}");
    assert!((1..=8).contains(&times.batches), "{times:?}");
    assert!(!(times.writing + times.committing).is_zero(), "{times:?}");
    let share = times.waiting_share();
    assert!((0.0..1.0).contains(&share), "{share}");
    assert!((times.events_per_batch() - 800.0 / times.batches as f64).abs() < 1e-9);
    // A retry of an applied command id writes no rows: it is not counted as a batch.
    let command = Uuid::now_v7();
    let once = || {
        store.append(
            "issue-x",
            ExpectedVersion::Any,
            vec![event("IssueReported", json!({}))],
            metadata("a", Some(command)),
        )
    };
    once().await.unwrap();
    let counted = store.writer_times();
    assert!(once().await.unwrap().duplicate);
    let after = store.writer_times().since(&counted);
    assert_eq!((after.events, after.batches), (0, 0), "{after:?}");
    db.cleanup().await;
}

/// One caller's appends one after another are lone batches: below 128 events each goes as
/// one statement, which commits by itself when the writer's connection has no transaction
/// open, and larger ones by `COPY`. Whichever way, each is in the log, chained, and
/// announced to another process, which here has no polling to fall back on.
#[tokio::test]
async fn lone_appends_of_every_size_commit_and_are_announced() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let other = EventStore::open(
        db.pool.clone(),
        StoreConfig {
            poll_interval: std::time::Duration::from_secs(3600),
            ..StoreConfig::default()
        },
    )
    .await
    .unwrap();
    let mut subscription = other.subscribe(0);
    let mut head = 0;
    for (n, size) in [1usize, 100, 100, 127, 128, 200, 100, 1]
        .into_iter()
        .enumerate()
    {
        let events = (0..size)
            .map(|i| event("VideoViewsRecorded", json!({"append": n, "i": i})))
            .collect();
        let result = store
            .append(
                &format!("video-{n}"),
                ExpectedVersion::NoStream,
                events,
                metadata("newsroom", None),
            )
            .await
            .unwrap();
        head += size as i64;
        assert_eq!(result.last_position, head);
        for expected in head - size as i64 + 1..=head {
            let seen =
                tokio::time::timeout(std::time::Duration::from_secs(60), subscription.next())
                    .await
                    .expect("the append was announced")
                    .unwrap();
            assert_eq!(seen.position, expected);
            assert_eq!(seen.payload.value()["append"], n);
        }
    }
    assert_eq!(db.log_length().await, head);
    let report = civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    assert_eq!(report.checked, head as u64);
    db.cleanup().await;
}

/// The columns of an event row that an append's events share or count from its first.
#[derive(sqlx::FromRow)]
struct Written {
    position: i64,
    stream_id: String,
    stream_version: i64,
    actor_id: String,
    actor_role: String,
    correlation_id: Uuid,
    causation_id: Option<Uuid>,
    command_id: Option<Uuid>,
    command_fingerprint: Option<Vec<u8>>,
    command_events: Option<i32>,
    recorded_at: time::OffsetDateTime,
}

/// Whether an append is written alone (its shared values sent once, its positions and
/// stream versions counted from the first) or beside others in one statement, every event
/// carries the append's stream, metadata and time, its positions and stream versions are
/// consecutive, and only its first event is marked with the command's event count.
#[tokio::test]
async fn every_event_of_an_append_carries_its_shared_values_however_it_is_batched() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .append(
            "issue-7",
            ExpectedVersion::NoStream,
            vec![event("IssueReported", json!({})); 2],
            metadata("a", None),
        )
        .await
        .unwrap();
    let mut alone = metadata("b", Some(Uuid::now_v7()));
    alone.causation_id = Some(Uuid::now_v7());
    alone.command_fingerprint = Some([7; 32]);
    let mut events = vec![event("IssueAssigned", json!({"n": 1})); 3];
    events[1].schema_version = 2;
    let result = store
        .append("issue-7", ExpectedVersion::Exact(2), events, alone.clone())
        .await
        .unwrap();
    assert_eq!((result.first_position, result.last_position), (3, 5));
    let mut appends = vec![(result, alone, "issue-7".to_owned(), 3)];
    // Appends sent together, most of them decided in one batch and written by one statement.
    let barrier = Arc::new(tokio::sync::Barrier::new(8));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (store, barrier) = (store.clone(), barrier.clone());
            let command = (i % 2 == 0).then(Uuid::now_v7);
            tokio::spawn(async move {
                let meta = metadata(&format!("actor-{i}"), command);
                barrier.wait().await;
                let events = vec![event("VideoViewsRecorded", json!({"i": i})); 2];
                let stream = format!("video-{i}");
                let result = store
                    .append(&stream, ExpectedVersion::NoStream, events, meta.clone())
                    .await
                    .unwrap();
                (result, meta, stream, 2)
            })
        })
        .collect();
    for task in tasks {
        appends.push(task.await.unwrap());
    }
    for (result, meta, stream, count) in appends {
        let rows: Vec<Written> = sqlx::query_as(
            "SELECT position, stream_id, stream_version, actor_id, actor_role, correlation_id, \
             causation_id, command_id, command_fingerprint, command_events, recorded_at \
             FROM events WHERE position BETWEEN $1 AND $2 ORDER BY position",
        )
        .bind(result.first_position)
        .bind(result.last_position)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(rows.len(), count, "{stream}");
        let first_version = result.stream_version - count as i64 + 1;
        for (nth, row) in rows.iter().enumerate() {
            assert_eq!(row.position, result.first_position + nth as i64);
            assert_eq!(row.stream_id, stream);
            assert_eq!(row.stream_version, first_version + nth as i64);
            assert_eq!(
                (&row.actor_id, &row.actor_role),
                (&meta.actor_id, &meta.actor_role)
            );
            assert_eq!(
                (row.correlation_id, row.causation_id, row.command_id),
                (meta.correlation_id, meta.causation_id, meta.command_id)
            );
            assert_eq!(
                row.command_fingerprint.as_deref(),
                meta.command_fingerprint.as_ref().map(|f| f.as_slice())
            );
            let marked = (nth == 0 && meta.command_id.is_some()).then_some(count as i32);
            assert_eq!(row.command_events, marked, "{stream} event {nth}");
            assert_eq!(row.recorded_at, rows[0].recorded_at);
        }
    }
    let schema_versions: Vec<i32> = sqlx::query_scalar(
        "SELECT schema_version FROM events WHERE position BETWEEN 3 AND 5 ORDER BY position",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(schema_versions, [1, 2, 1]);
    let report = civic_store::verify::verify_log(&db.pool, 1, None, |_| {})
        .await
        .unwrap();
    assert_eq!(report.checked, 21);
    db.cleanup().await;
}
