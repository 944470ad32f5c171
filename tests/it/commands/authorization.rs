use civic_commands::{Actor, CommandContext, CommandError, CommandHandler, Role};
use civic_domain::issue::{Channel, Issue, IssueCommand, Report};
use civic_domain::values::{CommunityId, IssueId, LongText, Name};
use civic_tests::TestDb;
use time::macros::datetime;

fn actor(role: Role, community: &str) -> Actor {
    Actor {
        id: format!("{role}-{community}"),
        role,
        communities: vec![CommunityId::parse(community).unwrap()],
    }
}

fn report(id: &str, community: &str) -> IssueCommand {
    IssueCommand::Report {
        id: IssueId::parse(id).unwrap(),
        report: Report {
            community: CommunityId::parse(community).unwrap(),
            compound: None,
            grid: None,
            category: Name::parse("c", "环境卫生").unwrap(),
            title: Name::parse("t", "楼道堆放杂物").unwrap(),
            description: LongText::parse("d", "三号楼楼道堆放杂物").unwrap(),
            location: Name::parse("l", "三号楼").unwrap(),
            channel: Channel::Patrol,
            reporter: Name::parse("r", "网格员").unwrap(),
            reported_at: datetime!(2023-09-01 10:00 +8),
            contact: None,
        },
    }
}

#[tokio::test]
async fn a_grid_worker_cannot_report_into_another_community() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    let ctx = CommandContext::new(actor(Role::GridWorker, "hemei"));
    let result = handler
        .handle::<Issue>(&ctx, report("i1", "guangsha"))
        .await;
    assert!(
        matches!(result, Err(CommandError::Forbidden(_))),
        "{result:?}"
    );
    assert_eq!(db.log_length().await, 0);
    // The same worker may report in their own community.
    handler
        .handle::<Issue>(
            &CommandContext::new(actor(Role::GridWorker, "hemei")),
            report("i2", "hemei"),
        )
        .await
        .unwrap();
    assert_eq!(db.log_length().await, 1);
    db.cleanup().await;
}

#[tokio::test]
async fn an_auditor_can_change_nothing() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    let auditor = Actor {
        id: "审计".into(),
        role: Role::Auditor,
        communities: vec![],
    };
    let result = handler
        .handle::<Issue>(&CommandContext::new(auditor), report("i1", "hemei"))
        .await;
    assert!(matches!(result, Err(CommandError::Forbidden(_))));
    assert_eq!(db.log_length().await, 0);
    db.cleanup().await;
}

#[tokio::test]
async fn a_grid_worker_cannot_close_an_issue_but_staff_can_work_it() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    handler
        .handle::<Issue>(
            &CommandContext::new(actor(Role::GridWorker, "hemei")),
            report("i1", "hemei"),
        )
        .await
        .unwrap();
    let assign = IssueCommand::Assign {
        id: IssueId::parse("i1").unwrap(),
        assignee: Name::parse("a", "社区").unwrap(),
        due_by: time::macros::date!(2023 - 09 - 10),
    };
    let refused = handler
        .handle::<Issue>(
            &CommandContext::new(actor(Role::GridWorker, "hemei")),
            assign.clone(),
        )
        .await;
    assert!(matches!(refused, Err(CommandError::Forbidden(_))));
    let other_staff = handler
        .handle::<Issue>(
            &CommandContext::new(actor(Role::CommunityStaff, "guangsha")),
            assign.clone(),
        )
        .await;
    assert!(
        matches!(other_staff, Err(CommandError::Forbidden(_))),
        "staff of another community"
    );
    assert_eq!(db.log_length().await, 1);
    handler
        .handle::<Issue>(
            &CommandContext::new(actor(Role::CommunityStaff, "hemei")),
            assign,
        )
        .await
        .unwrap();
    assert_eq!(db.log_length().await, 2);
    db.cleanup().await;
}

#[tokio::test]
async fn a_rule_violation_is_named_and_appends_nothing() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    let staff = || CommandContext::new(actor(Role::CommunityStaff, "hemei"));
    handler
        .handle::<Issue>(&staff(), report("i1", "hemei"))
        .await
        .unwrap();
    let close = IssueCommand::Close {
        id: IssueId::parse("i1").unwrap(),
    };
    match handler.handle::<Issue>(&staff(), close).await {
        Err(CommandError::Rejected { rule, .. }) => assert_eq!(rule, "IssueNotResolved"),
        other => panic!("expected a rule violation, got {other:?}"),
    }
    assert_eq!(db.log_length().await, 1);
    db.cleanup().await;
}
