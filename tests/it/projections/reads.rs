//! The read side as its readers use it: the board's plan, and events written by older code.

use std::time::Duration;

use civic_commands::{Actor, CommandContext, CommandHandler};
use civic_domain::charity::{Charity, CharityCommand};
use civic_domain::values::{Fen, ItemId, SaleId};
use civic_projections::queries::issues::{community_board_json_sql, community_board_sql};
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
    // The page's statement, and the same page as the JSON array the gateway fetches.
    let mut conn = db.pool.acquire().await.unwrap();
    for (name, sql) in [
        ("board", community_board_sql(None, 21)),
        ("board_json", community_board_json_sql(None, 21)),
    ] {
        sqlx::query(&format!("PREPARE {name}(text) AS {sql}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        // A prepared statement runs custom plans first, then may settle on a generic one:
        // both must read the index.
        for mode in ["force_generic_plan", "force_custom_plan"] {
            plan_cache_mode(&mut conn, mode).await;
            let plan = explain(&mut conn, name).await;
            assert!(plan.contains("issues_board_idx"), "{name} {mode}:\n{plan}");
            assert!(!plan.contains("Sort"), "{name} {mode}:\n{plan}");
        }
        // Left to choose, PostgreSQL settles on the generic plan after five pages, so a
        // page is not planned again every time: a custom plan names the community itself.
        plan_cache_mode(&mut conn, "auto").await;
        for _ in 0..6 {
            sqlx::query(&format!("EXECUTE {name}('c3')"))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        let plan = explain(&mut conn, name).await;
        assert!(plan.contains("community_id = $1"), "{name}:\n{plan}");
    }
    drop(conn);
    db.cleanup().await;
}

async fn plan_cache_mode(conn: &mut sqlx::PgConnection, mode: &str) {
    sqlx::query(&format!("SET plan_cache_mode = {mode}"))
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// The plan `EXPLAIN` gives for one execution of the prepared statement `name`.
async fn explain(conn: &mut sqlx::PgConnection, name: &str) -> String {
    let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN EXECUTE {name}('c3')"))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    plan.join("\n")
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
    assert_eq!(stored[0].payload.value()["purpose"], "构建爱心机制");
    running.stop().await;
    db.cleanup().await;
}

/// The figures the issues projector keeps (counts, the resolution total and histogram)
/// answer what a scan of every issue answers: exactly for the counts and the mean, and the
/// p90 within the histogram's bound, through reports, resolutions, closings and reopenings.
#[tokio::test]
async fn kept_issue_figures_match_a_scan_of_every_issue() {
    use civic_domain::issue::{Channel, Issue, IssueCommand, Report};
    use civic_domain::values::{CommunityId, IssueId, LongText, Name};
    use civic_projections::queries;

    let db = TestDb::new().await;
    let store = db.store().await;
    let running = Running::start(&store);
    let handler = CommandHandler::new(store.clone());
    let context = || CommandContext::new(Actor::system("杜甫路街道"));
    let start = time::macros::datetime!(2023-07-03 09:00 +8);
    let name = |s: &str| Name::parse("n", s).unwrap();
    let text = |s: &str| LongText::parse("t", s).unwrap();
    let mut last = 0;
    for n in 0..240u32 {
        let id = IssueId::parse(&format!("f{n}")).unwrap();
        let community = ["guangsha", "hemei"][(n % 2) as usize];
        let reported_at = start + time::Duration::hours(i64::from(n));
        let mut commands = vec![
            IssueCommand::Report {
                id: id.clone(),
                report: Report {
                    community: CommunityId::parse(community).unwrap(),
                    compound: None,
                    grid: None,
                    category: name(["安全隐患", "市容环境", "设施维修"][(n % 3) as usize]),
                    title: name("井盖缺失"),
                    description: text("人行道井盖缺失"),
                    location: name("北门"),
                    channel: Channel::Patrol,
                    reporter: name("网格员"),
                    reported_at,
                    contact: None,
                },
            },
            IssueCommand::Assign {
                id: id.clone(),
                assignee: name("广厦社区"),
                // Some due before today, some after: both sides of "overdue".
                due_by: if n % 3 == 1 {
                    time::macros::date!(2023 - 08 - 01)
                } else {
                    time::macros::date!(2999 - 01 - 01)
                },
            },
        ];
        if n % 5 != 0 {
            // Resolution times spread from minutes to weeks.
            let after = time::Duration::minutes(i64::from((n * n * 7) % 20_000) + 5);
            commands.push(IssueCommand::Resolve {
                id: id.clone(),
                action: text("已处理"),
                items: None,
                resolved_at: reported_at + after,
            });
            if n % 3 == 0 {
                commands.push(IssueCommand::Close { id: id.clone() });
            }
            if n % 7 == 0 {
                // Reopened, and for some resolved again later.
                commands.push(IssueCommand::Reopen {
                    id: id.clone(),
                    reason: text("隔离墩被移走"),
                });
                if n % 2 == 0 {
                    commands.push(IssueCommand::Assign {
                        id: id.clone(),
                        assignee: name("广厦社区"),
                        due_by: time::macros::date!(2999 - 01 - 01),
                    });
                    commands.push(IssueCommand::Resolve {
                        id: id.clone(),
                        action: text("重新处理"),
                        items: None,
                        resolved_at: reported_at + after + time::Duration::days(3),
                    });
                }
            }
        }
        for command in commands {
            last = handler
                .handle::<Issue>(&context(), command)
                .await
                .unwrap()
                .position;
        }
    }
    wait_for_all(&db.pool, &["issues"], last, Duration::from_secs(120))
        .await
        .unwrap();
    type Stats = (String, i64, i64, i64, Option<f64>, Option<f64>);
    let communities = vec!["guangsha".to_owned(), "hemei".to_owned()];
    let sorted = |mut rows: Vec<Stats>| {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    };
    let kept: Vec<Stats> = sorted(
        sqlx::query_as(queries::issue_stats())
            .bind(&communities)
            .fetch_all(&db.pool)
            .await
            .unwrap(),
    );
    let exact: Vec<Stats> = sorted(
        sqlx::query_as(&queries::issue_stats_by_scan())
            .bind(&communities)
            .fetch_all(&db.pool)
            .await
            .unwrap(),
    );
    assert_eq!(kept.len(), 2);
    for (k, e) in kept.iter().zip(&exact) {
        assert_eq!((&k.0, k.1, k.2, k.3), (&e.0, e.1, e.2, e.3), "{k:?} {e:?}");
        assert!(e.1 > 0 && e.2 > 0 && e.3 > 0, "{e:?}");
        let (mean, exact_mean) = (k.4.unwrap(), e.4.unwrap());
        assert!((mean - exact_mean).abs() < 1e-6, "{mean} {exact_mean}");
        let (p90, exact_p90) = (k.5.unwrap(), e.5.unwrap());
        let off = ((1.0 + p90) / (1.0 + exact_p90)).log2().abs();
        eprintln!("{}: p90 {p90:.2} h, exact {exact_p90:.2} h", k.0);
        // Half a bucket (1/32 of a doubling), plus the gap between the two order statistics
        // percentile_cont interpolates between, which is small with this many issues.
        assert!(off <= 1.0 / 32.0 + 0.02, "p90 {p90} against {exact_p90}");
    }
    // Weekly counts: every report once, every resolution event once.
    let (reported, resolved): (i64, i64) =
        sqlx::query_as("SELECT sum(reported)::bigint, sum(resolved)::bigint FROM read.issue_weeks")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let resolutions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE event_type = 'IssueResolved'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((reported, resolved), (240, resolutions));
    // A rebuild from the log arrives at the same figures.
    running.stop().await;
    let issues: Vec<_> = civic_projections::all_projectors()
        .into_iter()
        .filter(|p| p.name() == "issues")
        .collect();
    civic_projections::rebuild(&store, &issues, |_, _| {})
        .await
        .unwrap();
    let rebuilt: Vec<Stats> = sorted(
        sqlx::query_as(queries::issue_stats())
            .bind(&communities)
            .fetch_all(&db.pool)
            .await
            .unwrap(),
    );
    assert_eq!(rebuilt, kept);
    db.cleanup().await;
}
