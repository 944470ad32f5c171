//! Idempotency keys answer only their own request, and a refused command writes nothing
//! anywhere: through the real binary over real HTTP.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;

use std::process::Command;

use civic_tests::TestDb;
use serde_json::Value;
use server::{code, start};

fn report(command_id: &str, id: &str, community: &str, contact: bool) -> String {
    let contact = if contact {
        r#", reporterContact: { personId: "resident-wang", name: "王阿姨", phone: "13900139000" }"#
    } else {
        ""
    };
    format!(
        r#"mutation {{ reportIssue(input: {{ commandId: "{command_id}", id: "{id}", communityId: "{community}",
        category: "市容环境", title: "楼道堆物", description: "楼道堆放杂物", location: "3号楼",
        channel: RESIDENT, reporter: "网格员", reportedAt: "2023-10-01T09:00:00+08:00"{contact} }})
        {{ position duplicate streamId issue {{ id title communityId reporterContact {{ name phone }} }} }} }}"#
    )
}

/// Every row count a command could change.
async fn footprint(db: &TestDb) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["events", "person_keys"] {
        counts.push(
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&db.pool)
                .await
                .unwrap(),
        );
    }
    counts
}

fn refused_without_data(body: &Value, expected: &str) {
    assert_eq!(code(body), expected, "{body}");
    let text = body.to_string();
    assert!(
        body["data"].is_null()
            || body["data"]
                .as_object()
                .is_some_and(|d| d.values().all(Value::is_null)),
        "a refusal carries no data: {body}"
    );
    for secret in ["王阿姨", "13900139000", "和美", "hemei-stairs", "longhe"] {
        assert!(!text.contains(secret), "{secret} leaked: {body}");
    }
}

#[tokio::test]
async fn a_command_id_answers_only_the_request_it_was_first_used_for() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let staff = server.token("community_staff", Some("guangsha"));

    // Hemei has an issue with a reporter's contact; Guangsha's staff reported one of theirs.
    let (_, body) = server
        .gql(
            Some(&admin),
            &report(
                "0190e1a0-0000-7000-8000-000000000001",
                "hemei-stairs",
                "hemei",
                true,
            ),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let own_key = "0190e1a0-0000-7000-8000-000000000002";
    let (_, first) = server
        .gql(
            Some(&staff),
            &report(own_key, "guangsha-stairs", "guangsha", false),
        )
        .await;
    assert!(first.get("errors").is_none(), "{first}");
    let before = footprint(&db).await;

    // Their own key on Hemei's issue, named in either community: not theirs to touch.
    for community in ["guangsha", "hemei"] {
        let (_, body) = server
            .gql(
                Some(&staff),
                &report(own_key, "hemei-stairs", community, true),
            )
            .await;
        refused_without_data(&body, "FORBIDDEN");
    }
    // Their own key on another issue of their own: another request.
    let (_, body) = server
        .gql(
            Some(&staff),
            &report(own_key, "guangsha-other", "guangsha", false),
        )
        .await;
    refused_without_data(&body, "CONFLICT");
    let reason = body["errors"][0]["extensions"]["reason"].as_str().unwrap();
    assert!(reason.contains("another request"), "{reason}");
    // Their own key on another command of theirs: refused, and nothing is assigned.
    let (_, body) = server
        .gql(
            Some(&staff),
            &format!(
                r#"mutation {{ assignIssue(input: {{ commandId: "{own_key}", id: "guangsha-stairs", assignee: "网格员", dueBy: "2023-10-10" }}) {{ position duplicate }} }}"#
            ),
        )
        .await;
    refused_without_data(&body, "CONFLICT");
    // Another actor re-sending it: refused.
    let (_, body) = server
        .gql(
            Some(&admin),
            &report(own_key, "guangsha-stairs", "guangsha", false),
        )
        .await;
    refused_without_data(&body, "CONFLICT");
    // The demo's public command ids, re-sent by Guangsha's staff as anything: refused, and
    // none answers with another stream or object.
    for n in 0..96 {
        let key = civic_demo::command_id(n).to_string();
        let (_, body) = server
            .gql(
                Some(&staff),
                &report(&key, &format!("probe-{n}"), "guangsha", false),
            )
            .await;
        refused_without_data(&body, "CONFLICT");
        let (_, body) = server
            .gql(
                Some(&staff),
                &format!(
                    r#"mutation {{ closeIssue(input: {{ commandId: "{key}", id: "longhe-huafu-gate" }}) {{ position streamId issue {{ title }} compound {{ name }} heatingProject {{ name }} }} }}"#
                ),
            )
            .await;
        assert!(
            ["CONFLICT", "VALIDATION"].contains(&code(&body)),
            "demo key {n}: {body}"
        );
        assert!(body["data"].is_null(), "demo key {n}: {body}");
    }
    assert_eq!(
        footprint(&db).await,
        before,
        "no refused request changed any table"
    );

    // The same request again is a retry: the first result, the object readable by its sender.
    let (_, retry) = server
        .gql(
            Some(&staff),
            &report(own_key, "guangsha-stairs", "guangsha", false),
        )
        .await;
    assert_eq!(retry["data"]["reportIssue"]["duplicate"], true, "{retry}");
    assert_eq!(
        retry["data"]["reportIssue"]["position"],
        first["data"]["reportIssue"]["position"]
    );
    assert_eq!(
        retry["data"]["reportIssue"]["issue"]["id"],
        "guangsha-stairs"
    );
    // A retry by someone whose scope no longer covers the object is refused, not answered.
    let narrowed_admin_key = "0190e1a0-0000-7000-8000-000000000001";
    let (_, body) = server
        .gql(
            Some(&staff),
            &report(narrowed_admin_key, "hemei-stairs", "hemei", true),
        )
        .await;
    refused_without_data(&body, "FORBIDDEN");
    assert_eq!(footprint(&db).await, before);
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn a_refused_report_writes_nothing_to_any_table() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let worker = server.token("grid_worker", Some("guangsha"));
    let auditor = server.token("auditor", None);
    let (_, body) = server
        .gql(
            Some(&server.token),
            &report(
                "0190e1a0-0000-7000-8000-000000000011",
                "hemei-stairs",
                "hemei",
                false,
            ),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let before = footprint(&db).await;
    for (token, id, community) in [
        // Another community's issue, named as theirs or as Hemei's.
        (&worker, "hemei-stairs", "guangsha"),
        (&worker, "hemei-new", "hemei"),
        // A role that may not report at all.
        (&auditor, "audit-new", "guangsha"),
    ] {
        let (_, body) = server
            .gql(
                Some(token),
                &report(&uuid::Uuid::now_v7().to_string(), id, community, true),
            )
            .await;
        refused_without_data(&body, "FORBIDDEN");
    }
    assert_eq!(
        footprint(&db).await,
        before,
        "no key, event, stream or command id was written"
    );
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn erasing_a_person_destroys_the_key_exactly_when_the_erasure_is_recorded() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let (_, body) = server
        .gql(
            Some(&server.token),
            &report(
                "0190e1a0-0000-7000-8000-000000000021",
                "guangsha-stairs",
                "guangsha",
                true,
            ),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(server.stop());
    let keys = |db: &TestDb| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM person_keys WHERE person_id = 'resident-wang'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let erase = || {
        Command::new(env!("CARGO_BIN_EXE_civic"))
            .args(["audit", "erase-person", "resident-wang"])
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap()
    };
    // The append fails (a fault injected in the database): the key stays.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_erasure() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.event_type = 'PersonalDataErased' THEN RAISE EXCEPTION 'disk full'; END IF; \
         RETURN NEW; END $$; \
         CREATE TRIGGER refuse_erasure BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_erasure();",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let before = db.log_length().await;
    assert!(!erase().status.success());
    assert_eq!(keys(&db).await, 1, "a failed erasure keeps the key");
    assert_eq!(db.log_length().await, before);
    // Without the fault: both happen.
    sqlx::raw_sql("DROP TRIGGER refuse_erasure ON events; DROP FUNCTION refuse_erasure();")
        .execute(&db.pool)
        .await
        .unwrap();
    let out = erase();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(keys(&db).await, 0);
    assert_eq!(db.log_length().await, before + 1);
    db.cleanup().await;
}
