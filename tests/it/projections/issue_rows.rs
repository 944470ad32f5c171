use civic_commands::{CommandContext, CommandHandler};
use civic_domain::issue::{Contact, Issue, IssueCommand};
use civic_domain::values::{Count, IssueId, LongText, Name, PersonId, Sealed};
use civic_projections::{all_projectors, replay_all};
use civic_store::LogFilter;
use civic_tests::projections::snapshot_tables;
use civic_tests::TestDb;
use sqlx::Executor;
use time::macros::{date, offset};
use time::Duration;

/// A page with many new issues writes them with binary `COPY`; one event at a time writes
/// them with `INSERT … UNNEST`. Both must leave the same rows, field for field: Chinese
/// text, missing compounds and grids, sealed contacts, dates, times in several offsets and
/// with fractions of a second, counts, satisfaction, escalation, closing and reopening.
#[tokio::test]
async fn issue_rows_copied_in_bulk_equal_those_inserted_one_by_one() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    civic_demo::load(&handler, |_, _| {}).await.unwrap();
    let templates: Vec<IssueCommand> = civic_demo::story()
        .into_iter()
        .flat_map(|chapter| chapter.steps)
        .filter_map(|step| match step {
            civic_demo::Step::Issue(report @ IssueCommand::Report { .. }) => Some(report),
            _ => None,
        })
        .collect();
    assert!(!templates.is_empty());
    let text = |s: &str| LongText::parse("t", s).unwrap();
    let sealer = civic_store::PersonalData::new(db.pool.clone());
    let sealed = async |person: &str, plain: &str| {
        Sealed::parse("sealed", &sealer.seal(person, plain).await.unwrap()).unwrap()
    };
    let issues = 90;
    for n in 0..issues {
        let id = IssueId::parse(&format!("bulk{n:03}")).unwrap();
        let IssueCommand::Report { mut report, .. } = templates[n % templates.len()].clone() else {
            unreachable!()
        };
        report.reported_at = report.reported_at
            + Duration::minutes(n as i64)
            + Duration::microseconds(n as i64 * 1_234);
        if n % 3 == 0 {
            report.compound = None;
            report.grid = None;
        }
        report.title = Name::parse("t", &format!("{}（{n}）", report.title.as_str())).unwrap();
        if n % 4 == 1 {
            let person = format!("resident-{n}");
            report.contact = Some(Contact {
                person: PersonId::parse(&person).unwrap(),
                name: sealed(&person, "王阿姨").await,
                phone: (n % 8 == 1).then_some(sealed(&person, "13800000000").await),
            });
        }
        let id_ = || id.clone();
        let mut commands = vec![IssueCommand::Report { id: id_(), report }];
        if n % 5 != 0 {
            commands.push(IssueCommand::Assign {
                id: id_(),
                assignee: Name::parse("a", "社区\"网格\"\\一组").unwrap(),
                due_by: date!(2023 - 07 - 20) + Duration::days(n as i64),
            });
        }
        if n % 7 == 1 {
            commands.push(IssueCommand::Escalate {
                id: id_(),
                reason: text("需要街道协调"),
            });
        }
        if n % 5 != 0 && n % 4 != 3 {
            let offset = [offset!(+8), offset!(UTC), offset!(-3:30)][n % 3];
            commands.push(IssueCommand::Resolve {
                id: id_(),
                action: text("设置隔离墩\t并\n复查"),
                items: (n % 2 == 0).then(|| Count::parse("items", n as i64 + 1, 1000).unwrap()),
                resolved_at: (time::macros::datetime!(2023-08-01 17:00:00.5 +8)
                    + Duration::hours(n as i64))
                .to_offset(offset),
            });
            if n % 3 != 2 {
                commands.push(IssueCommand::RecordFeedback {
                    id: id_(),
                    satisfaction: (n % 5) as u8 + 1,
                    comment: text("满意"),
                });
                commands.push(IssueCommand::Close { id: id_() });
            }
            if n % 6 == 1 {
                commands.push(IssueCommand::Reopen {
                    id: id_(),
                    reason: text("又坏了"),
                });
            }
        }
        for command in commands {
            // A context per command: each carries its own command id.
            let street = CommandContext::new(civic_demo::demo_actor());
            handler.handle::<Issue>(&street, command).await.unwrap();
        }
    }
    // Every issue begins in the replay's first page, so its rows are new there and go by
    // `COPY`.
    let head = store.head().await.unwrap().0;
    assert!(
        head < 2_000,
        "one page of the replay holds the log ({head})"
    );

    let projector = all_projectors()
        .into_iter()
        .find(|p| p.name() == "issues")
        .unwrap();
    let tables = projector.tables();
    replay_all(&store, "bulk", &LogFilter::default(), |_| {})
        .await
        .unwrap();

    let mut ddl = String::from("CREATE SCHEMA one;");
    for table in tables {
        ddl.push_str(&format!(
            "CREATE TABLE one.{table} (LIKE read.{table} INCLUDING ALL);"
        ));
    }
    db.pool.execute(ddl.as_str()).await.unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    for event in store.read_log(0, 10_000).await.unwrap() {
        if event.stream_id.starts_with("issue-") {
            projector
                .apply(&mut conn, "one", &event.into())
                .await
                .unwrap();
        }
    }
    drop(conn);

    let bulk = snapshot_tables(&db.pool, "bulk", tables).await;
    let one = snapshot_tables(&db.pool, "one", tables).await;
    let issue_rows = &bulk[0].1;
    assert!(issue_rows.len() >= issues, "{}", issue_rows.len());
    assert!(issue_rows
        .iter()
        .any(|r| r.contains("\"compound_id\":null")));
    assert!(issue_rows
        .iter()
        .any(|r| r.contains("\"contact_name_sealed\":\"")));
    assert!(issue_rows
        .iter()
        .any(|r| r.contains("\"resolved_offset\":-12600")));
    assert!(issue_rows.iter().any(|r| r.contains("\"escalated\":true")));
    assert_eq!(bulk, one);
    db.cleanup().await;
}
