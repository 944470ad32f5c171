use std::time::Duration;

use civic_commands::{Actor, CommandContext, CommandHandler};
use civic_domain::issue::{Channel, Issue, IssueCommand, Report};
use civic_domain::values::{CommunityId, IssueId, LongText, Name};
use civic_projections::{all_projectors, replay_all, wait_for_all};
use civic_store::LogFilter;
use civic_tests::projections::{snapshot, Running};
use civic_tests::TestDb;

/// Capture the live read models at a moment, append more, then replay as of that moment:
/// the replay holds exactly what the live models held then, and the live models are untouched.
#[tokio::test]
async fn replay_as_of_a_moment_reproduces_the_read_models_of_that_moment() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    let running = Running::start(&store);
    let names: Vec<&str> = all_projectors().iter().map(|p| p.name()).collect();
    let summary = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    wait_for_all(&db.pool, &names, summary.position, Duration::from_secs(30))
        .await
        .unwrap();
    let then = snapshot(&db.pool, "read").await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let moment = time::OffsetDateTime::now_utc();
    tokio::time::sleep(Duration::from_millis(20)).await;

    let report = IssueCommand::Report {
        id: IssueId::parse("later").unwrap(),
        report: Report {
            community: CommunityId::parse("hemei").unwrap(),
            compound: None,
            grid: None,
            category: Name::parse("c", "环境卫生").unwrap(),
            title: Name::parse("t", "垃圾桶满溢").unwrap(),
            description: LongText::parse("d", "小区北门垃圾桶满溢").unwrap(),
            location: Name::parse("l", "北门").unwrap(),
            channel: Channel::Resident,
            reporter: Name::parse("r", "居民").unwrap(),
            reported_at: moment,
            contact: None,
        },
    };
    let later = handler
        .handle::<Issue>(&CommandContext::new(Actor::system("和美社区")), report)
        .await
        .unwrap();
    wait_for_all(&db.pool, &names, later.position, Duration::from_secs(30))
        .await
        .unwrap();
    let now = snapshot(&db.pool, "read").await;
    assert_ne!(now, then, "the later command changed the live models");

    let filter = LogFilter {
        recorded_until: Some(moment),
        ..LogFilter::default()
    };
    let position = replay_all(&store, "replay_test", &filter, |_| {})
        .await
        .unwrap();
    assert_eq!(position, summary.position);
    assert_eq!(snapshot(&db.pool, "replay_test").await, then);
    assert_eq!(
        snapshot(&db.pool, "read").await,
        now,
        "the live models were not touched"
    );
    running.stop().await;
    db.cleanup().await;
}
