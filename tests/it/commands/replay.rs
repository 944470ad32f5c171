//! Property: any sequence of commands folds to the same state whether replayed from the store
//! or evolved in memory, and no accepted sequence breaks an issue's allowed transitions.

use civic_commands::{load, Actor, CommandContext, CommandHandler, Role};
use civic_domain::issue::{Channel, Issue, IssueCommand, IssueState, IssueStatus, Report};
use civic_domain::values::{CommunityId, Count, IssueId, LongText, Name};
use civic_domain::Aggregate;
use civic_tests::TestDb;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use time::macros::{date, datetime};

fn command(kind: u8, id: &IssueId) -> IssueCommand {
    let id = id.clone();
    let text = |s: &str| LongText::parse("t", s).unwrap();
    let name = |s: &str| Name::parse("n", s).unwrap();
    match kind % 10 {
        0 => IssueCommand::Report {
            id,
            report: Report {
                community: CommunityId::parse("hemei").unwrap(),
                compound: None,
                grid: None,
                category: name("市容环境"),
                title: name("路灯不亮"),
                description: text("小区东门路灯不亮"),
                location: name("东门"),
                channel: Channel::Resident,
                reporter: name("居民"),
                reported_at: datetime!(2023-08-01 20:00 +8),
                contact: None,
            },
        },
        1 => IssueCommand::Assign {
            id,
            assignee: name("物业"),
            due_by: date!(2023 - 08 - 10),
        },
        2 => IssueCommand::SurveySite {
            id,
            surveyed_with: name("物业"),
            findings: text("线路老化"),
            surveyed_on: date!(2023 - 08 - 02),
        },
        3 => IssueCommand::ProposeSolution {
            id,
            solution: text("更换线路"),
        },
        4 => IssueCommand::RecordConsent {
            id,
            summary: text("居民同意"),
        },
        5 => IssueCommand::Resolve {
            id,
            action: text("更换线路与灯具"),
            items: Some(Count::parse("i", 2, 10).unwrap()),
            resolved_at: datetime!(2023-08-05 18:00 +8),
        },
        6 => IssueCommand::RecordFeedback {
            id,
            satisfaction: 4,
            comment: text("亮了"),
        },
        7 => IssueCommand::Close { id },
        8 => IssueCommand::Reopen {
            id,
            reason: text("又不亮了"),
        },
        _ => IssueCommand::Escalate {
            id,
            reason: text("需要街道协调"),
        },
    }
}

fn allowed(from: IssueStatus, to: IssueStatus) -> bool {
    use IssueStatus::*;
    from == to
        || matches!(
            (from, to),
            (Unreported, Reported)
                | (Reported, Assigned)
                | (Assigned, Resolved)
                | (Resolved, Closed)
                | (Resolved, Reported)
                | (Closed, Reported)
        )
}

#[test]
fn replaying_from_the_store_gives_the_state_evolved_in_memory() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (db, handler) = runtime.block_on(async {
        let db = TestDb::new().await;
        let handler = CommandHandler::new(db.store().await);
        (db, handler)
    });
    let staff = Actor {
        id: "staff".into(),
        role: Role::CommunityStaff,
        communities: vec![CommunityId::parse("hemei").unwrap()],
    };
    let mut runner = TestRunner::new(Config {
        cases: 32,
        ..Config::default()
    });
    let case = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&proptest::collection::vec(any::<u8>(), 1..30), |kinds| {
            let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let id = IssueId::parse(&format!("case-{n}")).unwrap();
            let mut memory = IssueState::default();
            let stored = runtime.block_on(async {
                for kind in &kinds {
                    let command = command(*kind, &id);
                    let expected = Issue::decide(&command, &memory);
                    let result = handler
                        .handle::<Issue>(&CommandContext::new(staff.clone()), command)
                        .await;
                    assert_eq!(
                        expected.is_ok(),
                        result.is_ok(),
                        "store and memory agree on acceptance"
                    );
                    if let Ok(events) = expected {
                        let before = memory.status;
                        memory = Issue::fold_from(memory.clone(), &events);
                        assert!(
                            allowed(before, memory.status),
                            "{before:?} -> {:?}",
                            memory.status
                        );
                    }
                }
                load::<Issue>(handler.store(), id.as_str())
                    .await
                    .unwrap()
                    .state
            });
            prop_assert_eq!(stored, memory);
            Ok(())
        })
        .unwrap();
    runtime.block_on(db.cleanup());
}
