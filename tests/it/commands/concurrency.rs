use civic_commands::{Actor, CommandContext, CommandError, CommandHandler, Role};
use civic_domain::issue::{Issue, IssueCommand};
use civic_domain::values::{CommunityId, IssueId, LongText, Name};
use civic_tests::TestDb;
use uuid::Uuid;

fn staff() -> CommandContext {
    CommandContext::new(Actor {
        id: "staff".into(),
        role: Role::CommunityStaff,
        communities: vec![CommunityId::parse("guangsha").unwrap()],
    })
}

/// Two handlers in two "processes" race on one issue: both commands end up applied in some
/// order, or one gets a clear domain error; no event is lost or duplicated.
#[tokio::test]
async fn two_handlers_racing_on_one_issue_never_lose_an_event() {
    let db = TestDb::new().await;
    let a = CommandHandler::new(db.store_of_another_process().await);
    let b = CommandHandler::new(db.store_of_another_process().await);
    civic_demo::load(&a, |_, _| {}).await.unwrap();
    let id = || IssueId::parse("race").unwrap();
    let text = |s: &str| LongText::parse("t", s).unwrap();
    // Report it with the story's issue as a template.
    let report = match civic_demo::story()
        .into_iter()
        .flat_map(|c| c.steps)
        .find_map(|s| match s {
            civic_demo::Step::Issue(IssueCommand::Report { report, .. }) => Some(report),
            _ => None,
        }) {
        Some(r) => r,
        None => panic!("the story reports an issue"),
    };
    a.handle::<Issue>(&staff(), IssueCommand::Report { id: id(), report })
        .await
        .unwrap();
    a.handle::<Issue>(
        &staff(),
        IssueCommand::Assign {
            id: id(),
            assignee: Name::parse("a", "社区").unwrap(),
            due_by: time::macros::date!(2023 - 07 - 20),
        },
    )
    .await
    .unwrap();

    for round in 0..10 {
        let survey = IssueCommand::SurveySite {
            id: id(),
            surveyed_with: Name::parse("w", "物业").unwrap(),
            findings: text(&format!("第{round}次勘察")),
            surveyed_on: time::macros::date!(2023 - 07 - 05),
        };
        let escalate = IssueCommand::Escalate {
            id: id(),
            reason: text("需要街道协调"),
        };
        let (ctx_a, ctx_b) = (staff(), staff());
        let (x, y) = tokio::join!(
            a.handle::<Issue>(&ctx_a, survey),
            b.handle::<Issue>(&ctx_b, escalate)
        );
        x.unwrap();
        match y {
            Ok(_) => assert_eq!(round, 0, "only the first escalation is accepted"),
            Err(CommandError::Rejected { rule, .. }) => assert_eq!(rule, "IssueAlreadyEscalated"),
            Err(other) => panic!("unexpected {other}"),
        }
    }
    let events = a.store().read_stream("issue-race", 1).await.unwrap();
    let versions: Vec<i64> = events.iter().map(|e| e.stream_version).collect();
    assert_eq!(versions, (1..=13).collect::<Vec<_>>());
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event_type == "SiteSurveyed")
            .count(),
        10
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event_type == "IssueEscalated")
            .count(),
        1
    );
    db.cleanup().await;
}

/// A retry of a command that was applied returns the first result, even when deciding it
/// again would now be refused (reporting the same issue twice).
#[tokio::test]
async fn a_retried_command_returns_its_first_result() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    let ctx = CommandContext {
        command_id: Uuid::now_v7(),
        ..staff()
    };
    let register = civic_domain::compound::CompoundCommand::Register {
        id: civic_domain::values::CompoundId::parse("changzhuang").unwrap(),
        community: CommunityId::parse("guangsha").unwrap(),
        name: Name::parse("n", "常庄小区").unwrap(),
    };
    let first = handler
        .handle::<civic_domain::compound::Compound>(&ctx, register.clone())
        .await
        .unwrap();
    let retry = handler
        .handle::<civic_domain::compound::Compound>(&ctx, register.clone())
        .await
        .unwrap();
    assert!(!first.duplicate && retry.duplicate);
    assert_eq!(
        (retry.position, retry.stream_version),
        (first.position, first.stream_version)
    );
    // A new command id is a new command, and the rule applies.
    let again = handler
        .handle::<civic_domain::compound::Compound>(&staff(), register)
        .await;
    assert!(matches!(again, Err(CommandError::Rejected { .. })));
    assert_eq!(handler.store().head().await.unwrap().0, 1);
    db.cleanup().await;
}

/// The same for a command on an existing stream: the retried escalation, which the issue's
/// state now refuses, gets the first result; a new escalation gets the rule.
#[tokio::test]
async fn a_retried_command_on_a_changed_stream_returns_its_first_result() {
    let db = TestDb::new().await;
    let handler = CommandHandler::new(db.store().await);
    civic_demo::load(&handler, |_, _| {}).await.unwrap();
    let issue = civic_demo::story()
        .into_iter()
        .flat_map(|c| c.steps)
        .find_map(|s| match s {
            civic_demo::Step::Issue(IssueCommand::Report { report, .. }) => Some(report),
            _ => None,
        })
        .expect("the story reports an issue");
    let id = || IssueId::parse("retry").unwrap();
    handler
        .handle::<Issue>(
            &staff(),
            IssueCommand::Report {
                id: id(),
                report: issue,
            },
        )
        .await
        .unwrap();
    let escalate = || IssueCommand::Escalate {
        id: id(),
        reason: LongText::parse("t", "需要街道协调").unwrap(),
    };
    let ctx = staff();
    let first = handler.handle::<Issue>(&ctx, escalate()).await.unwrap();
    let head = handler.store().head().await.unwrap().0;
    let retry = handler.handle::<Issue>(&ctx, escalate()).await.unwrap();
    assert!(!first.duplicate && retry.duplicate);
    assert_eq!(
        (retry.position, retry.stream_version),
        (first.position, first.stream_version)
    );
    match handler.handle::<Issue>(&staff(), escalate()).await {
        Err(CommandError::Rejected { rule, .. }) => assert_eq!(rule, "IssueAlreadyEscalated"),
        other => panic!("expected the rule, got {other:?}"),
    }
    assert_eq!(handler.store().head().await.unwrap().0, head);
    db.cleanup().await;
}
