//! What auditors run, through the real binary against a fresh database.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use civic_tests::TestDb;

fn civic(db: &TestDb, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("CIVIC_DATA_DIR", dir)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("civic-audit-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn tamper(db: &TestDb, sql: &str) {
    sqlx::raw_sql(&format!(
        "ALTER TABLE events DISABLE TRIGGER events_no_update_delete; {sql}; ALTER TABLE events ENABLE TRIGGER events_no_update_delete;"
    ))
    .execute(&db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_signed_checkpoint_proves_the_prefix_and_names_what_was_changed() {
    let db = TestDb::empty().await;
    let dir = scratch_dir();
    let demo = civic(&db, &dir, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let key = dir.join("auditor.key");
    assert!(civic(
        &db,
        &dir,
        &["audit", "keygen", "--out", key.to_str().unwrap()]
    )
    .status
    .success());
    let checkpoint = civic(
        &db,
        &dir,
        &["audit", "checkpoint", "--key", key.to_str().unwrap()],
    );
    assert!(checkpoint.status.success());
    let file = dir.join("checkpoint.json");
    std::fs::write(&file, &checkpoint.stdout).unwrap();
    let verify = || {
        civic(
            &db,
            &dir,
            &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
        )
    };
    assert!(verify().status.success(), "{}", stdout(&verify()));

    // A second load after the checkpoint: its commands were applied by the first, so their
    // ids are refused by the database and answered from the log, with no warning from the
    // server on the way (as a rollback sent with no transaction open would draw).
    let demo = civic(&db, &dir, &["demo"]);
    let log = String::from_utf8_lossy(&demo.stderr);
    assert!(demo.status.success(), "{log}");
    assert!(!log.contains("no transaction in progress"), "{log}");
    // A table beside the log changes too: the proof is of the log alone.
    sqlx::query(
        "INSERT INTO person_keys (person_id, key) VALUES ('x', decode(repeat('00', 32), 'hex'))",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let out = verify();
    assert!(out.status.success(), "{}", stdout(&out));

    // One byte of one payload changed by a superuser: named.
    tamper(&db, "UPDATE events SET payload = jsonb_set(payload, '{title}', '\"改过的标题\"') WHERE stream_id = 'issue-longhe-huafu-gate' AND stream_version = 1").await;
    let position: i64 = sqlx::query_scalar("SELECT position FROM events WHERE stream_id = 'issue-longhe-huafu-gate' AND stream_version = 1")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let out = verify();
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains(&format!(
            "event {position} (stream issue-longhe-huafu-gate)"
        )),
        "{}",
        stdout(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
    db.cleanup().await;
}

#[tokio::test]
async fn a_removed_event_is_named_by_verify() {
    let db = TestDb::empty().await;
    let dir = scratch_dir();
    let demo = civic(&db, &dir, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    tamper(&db, "DELETE FROM events WHERE position = 40").await;
    let out = civic(&db, &dir, &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("event 40 is missing"),
        "{}",
        stdout(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
    db.cleanup().await;
}

#[tokio::test]
async fn an_export_verifies_on_its_own_and_filters_return_exactly_their_events() {
    let db = TestDb::empty().await;
    let dir = scratch_dir();
    let demo = civic(&db, &dir, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let file = dir.join("log.jsonl");
    assert!(civic(
        &db,
        &dir,
        &["audit", "export", "--out", file.to_str().unwrap()]
    )
    .status
    .success());
    let lines = std::fs::read_to_string(&file).unwrap();
    assert_eq!(lines.lines().count(), 96);
    assert!(lines.contains("情系百姓暖人心 排忧解难似亲人"));
    // Verified without any database: a URL that leads nowhere.
    let offline = Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(["audit", "verify", "--file", file.to_str().unwrap()])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(offline.status.success(), "{}", stdout(&offline));
    assert!(stdout(&offline).contains("events checked: 96"));
    // One character changed in the file: named.
    let forged = lines.replacen("情系百姓暖人心", "情系百姓暖人", 1);
    std::fs::write(&file, forged).unwrap();
    let out = civic(
        &db,
        &dir,
        &["audit", "verify", "--file", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("stream compound-longhe-huafu"),
        "{}",
        stdout(&out)
    );

    for (flag, value, sql) in [
        (
            "--type",
            "IssueResolved",
            "SELECT count(*) FROM events WHERE event_type = 'IssueResolved'",
        ),
        (
            "--stream",
            "compound-longhe-huafu",
            "SELECT count(*) FROM events WHERE stream_id = 'compound-longhe-huafu'",
        ),
        (
            "--actor",
            "张文博",
            "SELECT count(*) FROM events WHERE actor_id = '张文博'",
        ),
    ] {
        let out = civic(&db, &dir, &["audit", "export", flag, value]);
        let expected: i64 = sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap();
        let got: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got.len() as i64, expected, "{flag} {value}");
        assert!(expected > 0);
    }
    let csv = civic(
        &db,
        &dir,
        &[
            "audit", "export", "--format", "csv", "--from", "5", "--to", "9",
        ],
    );
    assert_eq!(stdout(&csv).lines().count(), 6, "a header and five rows");
    let history = civic(&db, &dir, &["audit", "history", "issue-longhe-huafu-gate"]);
    assert!(stdout(&history).contains("IssueResolved"));
    assert!(stdout(&history).contains("+08:00"));
    let _ = std::fs::remove_dir_all(&dir);
    db.cleanup().await;
}

#[tokio::test]
async fn replay_writes_a_report_of_the_story_as_it_stood() {
    let db = TestDb::empty().await;
    let dir = scratch_dir();
    let demo = civic(&db, &dir, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let report = dir.join("replay.json");
    let out = civic(
        &db,
        &dir,
        &[
            "audit",
            "replay",
            "--as-of",
            "2099-01-01T00:00:00+08:00",
            "--community",
            "guangsha",
            "--out",
            report.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("广厦社区: 2283 households"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["communities"].as_array().unwrap().len(), 1);
    assert_eq!(json["communities"][0]["dashboard"]["residents"], 7013);
    // Before anything was recorded, there was nothing.
    let out = civic(
        &db,
        &dir,
        &["audit", "replay", "--as-of", "2000-01-01T00:00:00+08:00"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["log_position"], 0);
    let schemas: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'replay_%'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(schemas, 0, "scratch schemas are dropped");
    let _ = std::fs::remove_dir_all(&dir);
    db.cleanup().await;
}
