//! The read side as its readers use it: the board's plan, and events written by older code.

use std::time::Duration;

use civic_commands::{Actor, CommandContext, CommandHandler};
use civic_domain::charity::{Charity, CharityCommand};
use civic_domain::values::{Fen, ItemId, SaleId};
use civic_projections::queries::issues::community_board_sql;
use civic_projections::wait_for_all;
use civic_store::ExpectedVersion;
use civic_tests::projections::Running;
use civic_tests::{event, metadata, TestDb};
use serde_json::json;

/// The board's page for one community is a range scan of `issues_board_idx` in the index's
/// order: no sort, however many issues the community has.
#[tokio::test]
async fn a_board_page_reads_the_board_index_in_order_without_sorting() {
    let db = TestDb::new().await;
    // 20,000 issues over 8 communities, so the planner has a real choice to make.
    sqlx::query(
        "INSERT INTO read.issues (issue_id, community_id, category, title, description, location, channel, \
           reporter, status, reported_at, position) \
         SELECT 'i' || n, 'c' || (n % 8), '环境卫生', '标题', '描述', '北门', 'patrol', '网格员', 'reported', \
           timestamptz '2023-01-01 00:00+08' + n * interval '37 minutes', n \
         FROM generate_series(1, 20000) n",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE read.issues")
        .execute(&db.pool)
        .await
        .unwrap();
    let sql = community_board_sql();
    let mut conn = db.pool.acquire().await.unwrap();
    sqlx::query(&format!("PREPARE board(text, bigint) AS {sql}"))
        .execute(&mut *conn)
        .await
        .unwrap();
    // A prepared statement runs custom plans first, then settles on a generic one: both
    // must read the index.
    for mode in ["force_generic_plan", "force_custom_plan"] {
        sqlx::query(&format!("SET plan_cache_mode = {mode}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        let plan: Vec<String> = sqlx::query_scalar("EXPLAIN EXECUTE board('c3', 21)")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("issues_board_idx"), "{mode}:\n{plan}");
        assert!(!plan.contains("Sort"), "{mode}:\n{plan}");
    }
    drop(conn);
    db.cleanup().await;
}

/// A sale opened by an older build (one `purpose`, schema v1) is read through the upcaster:
/// its items land in its community, and the sale now says what it is for as a list.
#[tokio::test]
async fn a_sale_opened_with_a_v1_event_still_projects_into_its_community() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let running = Running::start(&store);
    store
        .append(
            "charity-painting-hall-2023",
            ExpectedVersion::NoStream,
            vec![event(
                "CharitySaleOpened",
                json!({ "id": "painting-hall-2023", "community": "hemei", "title": "书绘堂作品义卖",
                        "purpose": "构建爱心机制", "opened_on": "2023-09-20" }),
            )],
            metadata("和美社区", None),
        )
        .await
        .unwrap();
    // Today's build lists and sells on the same stream, deciding on the upcast history.
    let handler = CommandHandler::new(store.clone());
    let context = || CommandContext::new(Actor::system("和美社区"));
    let sale = SaleId::parse("painting-hall-2023").unwrap();
    let fan = ItemId::parse("peony-fan").unwrap();
    handler
        .handle::<Charity>(
            &context(),
            CharityCommand::ListItem {
                id: sale.clone(),
                item: fan.clone(),
                name: civic_domain::values::Name::parse("n", "手绘牡丹团扇").unwrap(),
                price: Fen::parse("price", 3000).unwrap(),
            },
        )
        .await
        .unwrap();
    let sold = handler
        .handle::<Charity>(
            &context(),
            CharityCommand::Sell {
                id: sale,
                item: fan,
                price: Fen::parse("price", 3500).unwrap(),
                on: time::macros::date!(2023 - 09 - 25),
            },
        )
        .await
        .unwrap();
    wait_for_all(&db.pool, &["life"], sold.position, Duration::from_secs(60))
        .await
        .unwrap();
    let row: (String, String, String, Option<i64>) = sqlx::query_as(
        "SELECT community_id, sale_title, status, sold_fen FROM read.charity_items WHERE sale_id = 'painting-hall-2023'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        row,
        (
            "hemei".into(),
            "书绘堂作品义卖".into(),
            "sold".into(),
            Some(3500)
        )
    );
    let community: String = sqlx::query_scalar(
        "SELECT community_id FROM read.charity_sales WHERE sale_id = 'painting-hall-2023'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(community, "hemei");
    // The stored v1 event is untouched: the upcast happens on every read, never in the log.
    let stored: Vec<civic_store::RecordedEvent> = store
        .read_stream("charity-painting-hall-2023", 1)
        .await
        .unwrap();
    assert_eq!(stored[0].schema_version, 1);
    assert_eq!(stored[0].payload["purpose"], "构建爱心机制");
    running.stop().await;
    db.cleanup().await;
}
