//! The log's two time axes: as recorded (commit time) and as happened (the date an event
//! itself names). Through the real binary: GraphQL `streamState` and `civic audit replay`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;

use civic_tests::TestDb;
use serde_json::Value;
use server::{code, start};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[tokio::test]
async fn a_fact_of_2023_recorded_today_is_in_2023_on_the_happened_axis_only() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let before = OffsetDateTime::now_utc().format(&Rfc3339).unwrap();

    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { reportIssue(input: { id: "late-record", communityId: "guangsha",
            category: "安全隐患", title: "补录：楼道堆物", description: "2023年10月走访发现，今日补录",
            location: "常庄小区1号楼", channel: PATROL, reporter: "网格员",
            reportedAt: "2023-10-01T09:00:00+08:00" }) { position } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");

    // The world on the last day of 2023, as the record says now: the issue is there.
    let happened = server.civic(&[
        "audit",
        "replay",
        "--happened-by",
        "2023-12-31",
        "--community",
        "guangsha",
    ]);
    let happened: Value = serde_json::from_str(&happened).unwrap();
    let open = happened["communities"][0]["open_issues"].to_string();
    assert!(open.contains("late-record"), "{open}");
    // ... but not in 2022, when it had not happened yet.
    let earlier: Value = serde_json::from_str(&server.civic(&[
        "audit",
        "replay",
        "--happened-by",
        "2022-12-31",
        "--community",
        "guangsha",
    ]))
    .unwrap();
    assert!(!earlier["communities"].to_string().contains("late-record"));
    // The record as it stood before it was recorded: not there, whatever day it is about.
    let recorded: Value = serde_json::from_str(&server.civic(&[
        "audit",
        "replay",
        "--as-of",
        &before,
        "--community",
        "guangsha",
    ]))
    .unwrap();
    assert!(!recorded["communities"].to_string().contains("late-record"));
    // (The replay did see Guangsha as recorded then: the demo was loaded before.)
    assert_eq!(
        recorded["communities"][0]["community"], "guangsha",
        "{recorded}"
    );

    // One stream on both axes: Longhe Huafu changed property company on 4 August 2023.
    let company = |day: &str| {
        format!(
            r#"{{ streamState(streamId: "compound-longhe-huafu", asHappenedOn: "{day}") {{ state }} }}"#
        )
    };
    let (_, on_3rd) = server.gql(Some(&admin), &company("2023-08-03")).await;
    let (_, on_4th) = server.gql(Some(&admin), &company("2023-08-04")).await;
    assert_eq!(
        on_3rd["data"]["streamState"]["state"]["company"], "龙和华府原物业服务企业",
        "{on_3rd}"
    );
    assert_eq!(
        on_4th["data"]["streamState"]["state"]["company"], "龙和华府新选聘物业服务企业",
        "{on_4th}"
    );
    let (_, before_2019) = server.gql(Some(&admin), &company("2019-01-01")).await;
    assert_eq!(code(&before_2019), "NOT_FOUND", "{before_2019}");
    // On the recorded axis, before the demo was loaded there was nothing.
    let (_, unrecorded) = server
        .gql(
            Some(&admin),
            r#"{ streamState(streamId: "compound-longhe-huafu", asRecordedAt: "2020-01-01T00:00:00+08:00") { state } }"#,
        )
        .await;
    assert_eq!(code(&unrecorded), "NOT_FOUND", "{unrecorded}");
    assert!(server.stop());
    db.cleanup().await;
}
