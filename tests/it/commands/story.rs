//! The story of Guangsha community, told through the command handlers.

use civic_commands::{CommandHandler, Role};
use civic_demo::story::{ids, story};
use civic_tests::TestDb;

#[tokio::test]
async fn the_story_is_recorded_as_events_with_the_right_actors() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());

    // Guangsha community is registered with its profile from the story; Longhe Huafu and
    // Changzhuang are registered; the property deliberation ends in PropertyReplaced; the
    // gate blind spot is reported and resolved with four bollards; the Changzhuang heating
    // project passes its first milestone.
    let summary = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    assert_eq!(
        summary.applied,
        story().iter().map(|c| c.steps.len()).sum::<usize>()
    );

    let community = store.read_stream("community-guangsha", 1).await.unwrap();
    let profile = community
        .iter()
        .find(|e| e.event_type == "CommunityProfileRecorded")
        .unwrap();
    assert_eq!(profile.payload.value()["profile"]["households"], 2283);
    assert_eq!(profile.payload.value()["profile"]["residents"], 7013);
    assert_eq!(profile.payload.value()["profile"]["compounds"], 25);
    assert_eq!(profile.payload.value()["profile"]["merchants"], 76);
    assert_eq!(community[0].payload.value()["area_m2"], 640_000);
    assert_eq!(community[0].metadata.actor_id, "杜甫路街道");

    let compound = store
        .read_stream(&format!("compound-{}", ids::LONGHE_HUAFU), 1)
        .await
        .unwrap();
    let types: Vec<&str> = compound.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "CompoundRegistered",
            "PropertyManagerAppointed",
            "DeliberationOpened",
            "DeliberationMeetingHeld",
            "DeliberationMeetingHeld",
            "DeliberationMeetingHeld",
            "DeliberationVoted",
            "PropertyReplaced",
            "AppreciationReceived",
        ]
    );
    let replaced = &compound[7];
    assert_eq!(replaced.payload.value()["to"], ids::NEW_PROPERTY_COMPANY);
    assert_eq!(replaced.metadata.actor_id, "张文博");
    assert_eq!(replaced.metadata.actor_role, Role::StreetAdmin.as_str());
    assert_eq!(
        compound[8].payload.value()["words"],
        "情系百姓暖人心 排忧解难似亲人"
    );
    assert_eq!(compound[8].payload.value()["received_on"], "2023-08-08");

    let issue = store
        .read_stream(&format!("issue-{}", ids::GATE_ISSUE), 1)
        .await
        .unwrap();
    let resolved = issue
        .iter()
        .find(|e| e.event_type == "IssueResolved")
        .unwrap();
    assert_eq!(resolved.payload.value()["items"], 4);
    assert!(resolved.payload.value()["action"]
        .as_str()
        .unwrap()
        .contains("4个隔离墩"));
    assert_eq!(issue.last().unwrap().event_type, "IssueClosed");

    let heating = store
        .read_stream(&format!("heating-{}", ids::HEATING), 1)
        .await
        .unwrap();
    assert_eq!(heating[1].event_type, "HeatingMilestone");
    assert_eq!(
        heating[1].payload.value()["milestone"],
        "main_pipes_drilled"
    );

    // Every event of one load shares its correlation id and carries its command id.
    let log = store.read_log(0, 100_000).await.unwrap();
    assert!(log
        .iter()
        .all(|e| e.metadata.correlation_id == log[0].metadata.correlation_id));
    assert!(log.iter().all(|e| e.metadata.command_id.is_some()));
    db.cleanup().await;
}

#[tokio::test]
async fn loading_the_story_twice_appends_nothing_the_second_time() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let handler = CommandHandler::new(store.clone());
    let first = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    let head = store.head().await.unwrap().0;
    let second = civic_demo::load(&handler, |_, _| {}).await.unwrap();
    assert_eq!(second.applied, 0);
    assert_eq!(second.already_applied, first.commands);
    assert_eq!(store.head().await.unwrap().0, head);
    db.cleanup().await;
}
