//! Personal data: sealed in the log, opened for staff, erased everywhere by destroying a key.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;

use std::process::Command;

use civic_tests::TestDb;
use server::{code, start};

const NAME: &str = "李大姐";
const PHONE: &str = "13800138000";

async fn read_models_text(db: &TestDb) -> String {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'read'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let mut all = String::new();
    for table in tables {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM read.{table} t"))
                .fetch_all(&db.pool)
                .await
                .unwrap();
        all.push_str(&rows.join("\n"));
    }
    all
}

fn civic(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn personal_data_is_sealed_shown_to_staff_and_erased_everywhere() {
    let db = TestDb::empty().await;
    let log = std::env::temp_dir().join(format!("civic-pii-{}.log", uuid::Uuid::new_v4().simple()));
    let server = start(&db, Some(&log));
    let (_, body) = server
        .gql(Some(&server.token), &format!(r#"mutation {{ reportIssue(input: {{
            id: "changzhuang-heat", communityId: "guangsha", compoundId: "changzhuang", category: "供暖",
            title: "暖气片漏水", description: "三号楼二单元暖气片漏水", location: "常庄小区三号楼",
            channel: RESIDENT, reporter: "居民", reportedAt: "2023-11-20T08:00:00+08:00",
            reporterContact: {{ personId: "resident-li", name: "{NAME}", phone: "{PHONE}" }} }})
            {{ position issue {{ reporterContact {{ name phone erased }} }} }} }}"#))
        .await;
    let contact = &body["data"]["reportIssue"]["issue"]["reporterContact"];
    assert_eq!(
        (contact["name"].as_str(), contact["phone"].as_str()),
        (Some(NAME), Some(PHONE)),
        "{body}"
    );

    // The log holds only ciphertext; so do the read models.
    let payload: String = sqlx::query_scalar(
        "SELECT payload::text FROM events WHERE stream_id = 'issue-changzhuang-heat'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        payload.contains("sealed:v1:") && !payload.contains(NAME) && !payload.contains(PHONE),
        "{payload}"
    );
    let models = read_models_text(&db).await;
    assert!(!models.contains(NAME) && !models.contains(PHONE));

    // Grid workers and auditors do not get it.
    let worker = server.token("grid_worker", Some("guangsha"));
    let (_, body) = server
        .gql(
            Some(&worker),
            r#"{ issue(id: "changzhuang-heat") { reporterContact { name } } }"#,
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    // Only the street office erases.
    let staff = server.token("community_staff", Some("guangsha"));
    let (_, body) = server
        .gql(
            Some(&staff),
            r#"mutation { erasePerson(personId: "resident-li") { position } }"#,
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");

    let (_, body) = server
        .gql(
            Some(&server.token),
            r#"mutation { erasePerson(personId: "resident-li") { position } }"#,
        )
        .await;
    assert!(
        body["data"]["erasePerson"]["position"].as_i64().unwrap() > 0,
        "{body}"
    );
    let (_, body) = server.gql(Some(&staff), r#"{ issue(id: "changzhuang-heat") { reporterContact { personId name phone erased } } }"#).await;
    let contact = &body["data"]["issue"]["reporterContact"];
    assert_eq!(contact["erased"], true, "{body}");
    assert!(contact["name"].is_null() && contact["phone"].is_null());
    assert!(server.stop());

    // Nowhere to be found: read models, export, replay, the server's own debug log.
    let models = read_models_text(&db).await;
    let export = civic(&db, &["audit", "export"]);
    let replay = civic(
        &db,
        &["audit", "replay", "--as-of", "2099-01-01T00:00:00+08:00"],
    );
    let server_log = std::fs::read_to_string(&log).unwrap();
    for (place, text) in [
        ("read models", &models),
        ("export", &export),
        ("replay", &replay),
        ("server log", &server_log),
    ] {
        assert!(
            !text.contains(NAME) && !text.contains(PHONE),
            "{place} contains personal data"
        );
    }
    assert!(export.contains("PersonalDataErased"));
    assert!(
        server_log.contains("reportIssue") || server_log.contains("graphql"),
        "the log was captured"
    );
    // The chain still verifies.
    assert!(civic(&db, &["audit", "verify"]).contains("chain: OK"));
    let _ = std::fs::remove_file(&log);
    db.cleanup().await;
}
