use civic_store::log_copy::LogCopy;
use civic_store::{read_log, ExpectedVersion, LogFilter};
use civic_tests::{event, metadata, TestDb};
use serde_json::json;

/// A replay's `COPY` of the log reads every event exactly as the paged `SELECT` does, field
/// for field of what projectors read (Chinese text, escapes, times), within its bounds,
/// whatever the page size.
#[tokio::test]
async fn the_log_read_by_copy_equals_the_log_read_by_select() {
    let db = TestDb::new().await;
    let store = db.store().await;
    for i in 0..40u32 {
        let mut meta = metadata(
            if i % 2 == 0 {
                "网格员"
            } else {
                "street-admin"
            },
            None,
        );
        if i % 3 == 0 {
            meta.causation_id = Some(uuid::Uuid::now_v7());
            meta.command_id = Some(uuid::Uuid::now_v7());
            meta.command_fingerprint = Some([i as u8; 32]);
        }
        let events = (0..=(i % 3))
            .map(|k| {
                event(
                    "IssueReported",
                    json!({"n": i, "k": k, "title": "门口\"盲区\"\\\t", "nested": {"a": [1, null, "街道"]}}),
                )
            })
            .collect();
        store
            .append(
                &format!("issue-{}", i % 7),
                ExpectedVersion::Any,
                events,
                meta,
            )
            .await
            .unwrap();
    }
    let all = read_log(&db.pool, 0, 10_000, &LogFilter::default())
        .await
        .unwrap();
    assert!(all.len() > 60);
    for (after, to, page) in [
        (0, None, 1),
        (0, None, 7),
        (0, None, 2_000),
        (5, Some(33), 4),
    ] {
        let mut conn = db.pool.acquire().await.unwrap();
        let mut tx = sqlx::Acquire::begin(&mut *conn).await.unwrap();
        let mut copied = Vec::new();
        {
            let mut log = LogCopy::start(&mut tx, after, to).await.unwrap();
            loop {
                let next = log.next_page(page).await.unwrap();
                if next.is_empty() {
                    break;
                }
                assert!(next.len() <= page);
                copied.extend(next);
            }
            assert!(log.next_page(page).await.unwrap().is_empty());
        }
        tx.commit().await.unwrap();
        let expected: Vec<civic_store::ProjectedEvent> = all
            .iter()
            .filter(|e| e.position > after && to.is_none_or(|to| e.position <= to))
            .cloned()
            .map(Into::into)
            .collect();
        assert_eq!(copied.len(), expected.len(), "after {after}, to {to:?}");
        for (copied, expected) in copied.iter().zip(&expected) {
            assert_eq!(copied, expected);
            // `Payload`'s equality compares the JSON; the text must be PostgreSQL's, as read.
            assert_eq!(copied.payload.text(), expected.payload.text());
            assert_eq!(copied.recorded_at.offset(), expected.recorded_at.offset());
        }
    }
    db.cleanup().await;
}
