use std::time::Duration;

use civic_commands::{Actor, CommandContext, CommandHandler};
use civic_domain::compound::{Compound, CompoundCommand};
use civic_domain::values::{CommunityId, CompoundId, Name};
use civic_projections::{wait_for, ProjectionError};
use civic_tests::projections::Running;
use civic_tests::TestDb;

fn register(id: &str, name: &str) -> CompoundCommand {
    CompoundCommand::Register {
        id: CompoundId::parse(id).unwrap(),
        community: CommunityId::parse("guangsha").unwrap(),
        name: Name::parse("n", name).unwrap(),
    }
}

#[tokio::test]
async fn read_your_writes_sees_the_new_state_and_times_out_cleanly_when_stopped() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    let ctx = || CommandContext::new(Actor::system("杜甫路街道"));
    let running = Running::start(&store);

    let outcome = handler
        .handle::<Compound>(&ctx(), register("longhe-huafu", "龙和华府"))
        .await
        .unwrap();
    wait_for(
        &db.pool,
        "property",
        outcome.position,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let name: String =
        sqlx::query_scalar("SELECT name FROM read.compounds WHERE compound_id = 'longhe-huafu'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(name, "龙和华府");

    running.stop().await;
    let outcome = handler
        .handle::<Compound>(&ctx(), register("changzhuang", "常庄小区"))
        .await
        .unwrap();
    let error = wait_for(
        &db.pool,
        "property",
        outcome.position,
        Duration::from_millis(200),
    )
    .await
    .unwrap_err();
    match error {
        ProjectionError::WaitTimeout {
            projector,
            wanted,
            reached,
            ..
        } => {
            assert_eq!(
                (projector.as_str(), wanted, reached),
                ("property", outcome.position, outcome.position - 1)
            );
        }
        other => panic!("expected a timeout, got {other}"),
    }
    db.cleanup().await;
}
