//! The happened axis: each stream's span, kept as events arrive, against the times judged
//! from the stream's own events.

use std::time::Duration;

use civic_commands::CommandHandler;
use civic_projections::happened::stream_times;
use civic_projections::queries::times::range;
use civic_projections::{all_projectors, rebuild, wait_for_all};
use civic_tests::projections::{snapshot, Running};
use civic_tests::TestDb;
use time::OffsetDateTime;

type Span = (OffsetDateTime, OffsetDateTime);

/// Every stream's span on the happened axis, as kept by `happened_spans`.
async fn kept(pool: &sqlx::PgPool) -> Vec<(String, OffsetDateTime, OffsetDateTime)> {
    sqlx::query_as(
        "SELECT stream_id, happened_from, greatest(dated_until, undated_until) \
         FROM read.happened_spans ORDER BY stream_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The demo's commands arrive one by one while the projector runs live, so a stream's
/// span is merged batch after batch, and undated events are settled by dated ones appended
/// later (a compound registered today whose property manager was appointed in 2019).
#[tokio::test]
async fn each_streams_span_is_that_of_its_events_happened_times_live_and_rebuilt() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let running = Running::start(&store);
    let handler = CommandHandler::new(store.clone());
    let summary = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    wait_for_all(
        &db.pool,
        &["happened_spans"],
        summary.position,
        Duration::from_secs(60),
    )
    .await
    .unwrap();

    let streams: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT stream_id FROM events ORDER BY stream_id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let mut expected = Vec::new();
    let mut settled_earlier = 0;
    let mut every: Option<Span> = None;
    for stream in &streams {
        let events = civic_store::read_stream(&db.pool, stream, 0).await.unwrap();
        let times = stream_times(&events).unwrap();
        settled_earlier += events
            .iter()
            .zip(&times)
            .filter(|(e, (_, at))| *at < e.recorded_at)
            .count();
        let from = times.iter().map(|(_, at)| *at).min().unwrap();
        let until = times.iter().map(|(_, at)| *at).max().unwrap();
        expected.push((stream.clone(), from, until));
        every = Some(every.map_or((from, until), |(f, u)| (f.min(from), u.max(until))));
    }
    assert!(
        settled_earlier > 0,
        "the demo settles no event: nothing tested"
    );
    assert_eq!(kept(&db.pool).await, expected);
    assert_eq!(range(&db.pool).await.unwrap(), every);

    // A rebuild arrives at the same spans, from pages of many events.
    let before = snapshot(&db.pool, "read").await;
    let spans: Vec<_> = all_projectors()
        .into_iter()
        .filter(|p| p.name() == "happened_spans")
        .collect();
    rebuild(&store, &spans, |_, _| {}).await.unwrap();
    assert_eq!(kept(&db.pool).await, expected);
    assert_eq!(snapshot(&db.pool, "read").await, before);
    running.stop().await;
    db.cleanup().await;
}

/// The log's span is read from the two indexes over the spans, not from every row.
#[tokio::test]
async fn the_logs_span_reads_two_indexes() {
    let db = TestDb::new().await;
    sqlx::query(
        "INSERT INTO read.happened_spans (stream_id, happened_from, dated_until, undated_until) \
         SELECT 's' || n, timestamptz '2023-01-01 00:00+00' + n * interval '1 hour', \
           CASE WHEN n % 2 = 0 THEN timestamptz '2023-01-02 00:00+00' + n * interval '1 hour' END, \
           CASE WHEN n % 2 = 1 THEN timestamptz '2023-01-03 00:00+00' + n * interval '1 hour' END \
         FROM generate_series(1, 20000) n",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE read.happened_spans")
        .execute(&db.pool)
        .await
        .unwrap();
    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN SELECT (SELECT min(happened_from) FROM read.happened_spans), \
                (SELECT max(greatest(dated_until, undated_until)) FROM read.happened_spans)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("happened_spans_from_idx"), "{plan}");
    assert!(plan.contains("happened_spans_until_idx"), "{plan}");
    assert!(!plan.contains("Seq Scan"), "{plan}");
    let (from, until) = range(&db.pool).await.unwrap().unwrap();
    assert_eq!(from, time::macros::datetime!(2023-01-01 01:00 UTC));
    assert_eq!(
        until,
        time::macros::datetime!(2023-01-03 00:00 UTC) + time::Duration::hours(19999)
    );
    db.cleanup().await;
}
