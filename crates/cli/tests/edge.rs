//! The HTTP and WebSocket edge through the real binary: metrics labels, query cost, input
//! PostgreSQL cannot store, WebSocket session rules, HTTP layers and token checks.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;
#[path = "support/ws.rs"]
mod ws;

use std::time::{Duration, Instant};

use civic_commands::Role;
use civic_tests::TestDb;
use futures_util::SinkExt;
use serde_json::{json, Value};
use server::{code, start, start_env};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use ws::{close_code, connect, init, next_json, subscribe};

async fn metrics_text(url: &str) -> (u16, String) {
    let response = reqwest::get(format!("{url}/metrics")).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_labels_come_from_the_schema_and_a_scrape_reads_no_database() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    // Client-chosen operation names, some trying to forge exposition lines.
    for n in 0..200 {
        let name = format!("Op{n}");
        let body = json!({ "query": format!("query {name} {{ communities {{ id }} }}"), "operationName": name });
        assert_eq!(server.post(Some(&admin), &body, &[]).await.status(), 200);
    }
    let forged =
        json!({ "query": "{ communities { id } }", "operationName": "x\"} 1\nforged_metric 1\n#" });
    server.post(Some(&admin), &forged, &[]).await;
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { reopenIssue(input: { id: "longhe-huafu-gate", reason: "隔离墩被移走" }) { position } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (status, text) = metrics_text(&server.url).await;
    assert_eq!(status, 200);
    assert!(!text.contains("forged_metric"), "{text}");
    let labels: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.starts_with("civic_graphql_requests_total{"))
        .filter_map(|l| l.split("operation=\"").nth(1)?.split('"').next())
        .collect();
    assert!(
        labels.iter().all(|l| *l == "other"
            || l.starts_with("query.")
            || l.starts_with("mutation.")
            || l.starts_with("subscription.")),
        "{labels:?}"
    );
    assert!(labels.contains("query.communities"), "{labels:?}");
    assert!(labels.len() <= 4, "bounded: {labels:?}");
    for family in [
        "civic_graphql_request_seconds_bucket",
        "civic_append_commit_seconds_bucket",
        "civic_append_order_wait_seconds_bucket",
        "civic_append_batch_events_bucket",
        "civic_events_appended_total",
        "civic_projector_apply_seconds_bucket",
        "civic_projector_lag_events{projector=\"issues\"}",
        "civic_projector_lag_seconds",
        "civic_log_head",
    ] {
        assert!(text.contains(family), "{family} missing:\n{text}");
    }
    // With the database refusing every new connection and the server's sessions ended, a
    // scrape still answers: the gauges are kept in memory.
    let mut maintenance = <sqlx::PgConnection as sqlx::Connection>::connect_with(
        &db.options.clone().database("postgres"),
    )
    .await
    .unwrap();
    sqlx::raw_sql(&format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';",
        name = db.name()
    ))
    .execute(&mut maintenance)
    .await
    .unwrap();
    let (status, text) = metrics_text(&server.url).await;
    assert_eq!(status, 200);
    assert!(text.contains("civic_projector_lag_events"), "{text}");
    sqlx::raw_sql(&format!(
        "ALTER DATABASE {} ALLOW_CONNECTIONS true",
        db.name()
    ))
    .execute(&mut maintenance)
    .await
    .unwrap();
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn metrics_can_have_an_address_of_their_own() {
    let db = TestDb::empty().await;
    let server = start_env(&db, &[("CIVIC_METRICS_LISTEN", "127.0.0.1:0")]);
    let metrics_url = server
        .printed
        .iter()
        .find_map(|l| l.strip_prefix("metrics: "))
        .unwrap()
        .trim_end_matches("/metrics")
        .to_owned();
    assert_eq!(metrics_text(&server.url).await.0, 404);
    let (status, text) = metrics_text(&metrics_url).await;
    assert_eq!(status, 200);
    assert!(text.contains("civic_log_head"), "{text}");
    assert!(server.stop());
    db.cleanup().await;
}

/// Fragments that each spread the next twice: 2^21 selections out of a few hundred bytes.
fn fragment_bomb(levels: usize) -> String {
    let mut query = String::from("query { communities { ...F0 } }\n");
    for level in 0..levels {
        query.push_str(&format!(
            "fragment F{level} on Community {{ ...F{next} ...F{next} }}\n",
            next = level + 1
        ));
    }
    query.push_str(&format!(
        "fragment F{levels} on Community {{ __typename }}\n"
    ));
    query
}

#[tokio::test]
async fn an_exponential_query_is_refused_before_it_runs() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let bomb = fragment_bomb(21);
    assert!(bomb.len() < 2_000, "{} bytes", bomb.len());
    let started = Instant::now();
    let (status, body) = server.gql(Some(&server.token), &bomb).await;
    eprintln!(
        "fragment bomb of {} bytes refused in {:?}",
        bomb.len(),
        started.elapsed()
    );
    assert_eq!(status, 400);
    assert_eq!(code(&body), "VALIDATION", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("fields once its fragments are expanded"),
        "{body}"
    );
    // A small fan-out still runs, and the depth and complexity limits still hold.
    let (_, body) = server.gql(Some(&server.token), &fragment_bomb(3)).await;
    assert!(body.get("errors").is_none(), "{body}");
    let deep = format!(
        "{{ __type(name: \"Issue\") {{ fields {{ type {{ {}name{} }} }} }} }}",
        "ofType { ".repeat(12),
        " }".repeat(12)
    );
    let (_, body) = server.gql(Some(&server.token), &deep).await;
    assert_eq!(code(&body), "VALIDATION", "{body}");
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn a_nul_character_anywhere_is_a_validation_error_naming_the_field() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let before = db.log_length().await;
    let report = "mutation($input: ReportIssueInput!) { reportIssue(input: $input) { position } }";
    let mut input = json!({ "id": "nul-1", "communityId": "guangsha", "category": "市容环境",
        "title": "路灯\u{0}不亮", "description": "d", "location": "东门", "channel": "PATROL",
        "reporter": "网格员", "reportedAt": "2023-10-01T09:00:00+08:00" });
    let cases = [
        (
            json!({ "query": report, "variables": { "input": input.clone() } }),
            "$input.title",
        ),
        (
            json!({ "query": "{ issue(id: \"a\\u0000b\") { id } }" }),
            "issue(id)",
        ),
        (
            json!({ "query": "{ log(first: 5, streamId: \"x\\u0000\") { endPosition } }" }),
            "log(streamId)",
        ),
        (
            json!({ "query": "{ streamHistory(streamId: \"issue-\\u0000\") { position } }" }),
            "streamHistory(streamId)",
        ),
        (
            json!({ "query": "query($s: String!) { streamState(streamId: $s) { version } }", "variables": { "s": "\u{0}" } }),
            "$s",
        ),
        (
            json!({ "query": "{ issues(first: 2, after: \"\\u0000\") { edges { cursor } } }" }),
            "issues(after)",
        ),
    ];
    for (body, field) in cases {
        let response = server.post(Some(&admin), &body, &[]).await;
        let answer: Value = response.json().await.unwrap();
        assert_eq!(code(&answer), "VALIDATION", "{body}: {answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(field), "{field}: {message}");
    }
    input["title"] = json!("路灯不亮");
    input["reporterContact"] = json!({ "personId": "p\u{0}", "name": "李" });
    let response = server
        .post(
            Some(&admin),
            &json!({ "query": report, "variables": { "input": input } }),
            &[],
        )
        .await;
    let answer: Value = response.json().await.unwrap();
    assert_eq!(code(&answer), "VALIDATION", "{answer}");
    assert_eq!(db.log_length().await, before);

    // The same over WebSocket, for a subscription's argument and async-graphql's own errors.
    let mut socket = connect(&server.url).await;
    init(&mut socket, &admin).await;
    for (id, query, expected) in [
        (
            "a",
            "subscription { changes(streamId: \"x\\u0000\") { position } }",
            "VALIDATION",
        ),
        ("b", "subscription { noSuchField }", "VALIDATION"),
        (
            "c",
            "subscription { changes(after: \"text\") { position } }",
            "VALIDATION",
        ),
    ] {
        subscribe(&mut socket, id, query).await;
        let answer = next_json(&mut socket).await;
        assert_eq!(answer["id"], id);
        // A request error comes as `next` with errors (then `complete`), or as `error`.
        let errors = match answer["type"].as_str() {
            Some("next") => &answer["payload"]["errors"],
            _ => &answer["payload"],
        };
        assert_eq!(errors[0]["extensions"]["code"], expected, "{answer}");
        if answer["type"] == "next" {
            assert_eq!(next_json(&mut socket).await["type"], "complete");
        }
    }
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn websocket_sessions_are_bounded_and_end_with_their_token() {
    let db = TestDb::empty().await;
    let server = start_env(&db, &[("CIVIC_WS_INIT_TIMEOUT_MS", "1000")]);
    let admin = server.token.clone();

    // No connection_init: closed with 4408.
    let mut idle = connect(&server.url).await;
    assert_eq!(close_code(&mut idle).await, 4408);

    // A bad token: 4403, and nothing is acknowledged.
    let mut forged = connect(&server.url).await;
    let init_message =
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nonsense" } });
    forged
        .send(Message::Text(init_message.to_string().into()))
        .await
        .unwrap();
    assert_eq!(close_code(&mut forged).await, 4403);

    // A subscription id still running, used again: 4409.
    let mut twice = connect(&server.url).await;
    init(&mut twice, &admin).await;
    let live = "subscription { changes(streamId: \"issue-longhe-huafu-gate\") { position } }";
    subscribe(&mut twice, "same", live).await;
    subscribe(&mut twice, "same", live).await;
    assert_eq!(close_code(&mut twice).await, 4409);

    // A message larger than the limit ends the session.
    let mut large = connect(&server.url).await;
    init(&mut large, &admin).await;
    let huge =
        json!({ "id": "big", "type": "subscribe", "payload": { "query": "x".repeat(100_000) } });
    let _ = large.send(Message::Text(huge.to_string().into())).await;
    let code = close_code(&mut large).await;
    assert_eq!(CloseCode::from(code), CloseCode::Size, "close code {code}");

    // A token that expires ends the session and its subscriptions.
    let short = server.token_for_seconds(Role::StreetAdmin, 2);
    let mut expiring = connect(&server.url).await;
    init(&mut expiring, &short).await;
    subscribe(&mut expiring, "1", live).await;
    assert_eq!(close_code(&mut expiring).await, 4403);
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn every_answer_carries_the_edge_layers() {
    let db = TestDb::empty().await;
    let server = start_env(
        &db,
        &[
            ("CIVIC_CORS_ORIGINS", "https://admin.example.org"),
            ("CIVIC_HEADER_READ_TIMEOUT_MS", "1000"),
        ],
    );
    let client = reqwest::Client::new();
    // Request id, security headers, compression of a large answer.
    let response = client
        .post(format!("{}/graphql", server.url))
        .bearer_auth(&server.token)
        .header("accept-encoding", "gzip")
        .json(&json!({ "query": "{ log(first: 100) { entries { position hash payload } } }" }))
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    assert!(headers.contains_key("x-request-id"), "{headers:?}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["content-encoding"], "gzip", "{headers:?}");
    // CORS: the configured origin is allowed, any other is not.
    for (origin, allowed) in [
        ("https://admin.example.org", true),
        ("https://evil.example.com", false),
    ] {
        let preflight = client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", server.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
            .await
            .unwrap();
        let allow = preflight
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(allow.is_some(), allowed, "{origin}: {allow:?}");
    }
    // The GraphQL-over-HTTP media type: asked for, it is answered, with 400 for a request
    // that could not run.
    let asked = [("accept", "application/graphql-response+json")];
    let ok = server
        .post(
            Some(&server.token),
            &json!({ "query": "{ communities { id } }" }),
            &asked,
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.headers()["content-type"],
        "application/graphql-response+json"
    );
    let invalid = server
        .post(
            Some(&server.token),
            &json!({ "query": "{ noSuchField }" }),
            &asked,
        )
        .await;
    assert_eq!(invalid.status(), 400);
    // Half a request is dropped after the header-read timeout.
    let address = server.url.trim_start_matches("http://");
    let mut half = tokio::net::TcpStream::connect(address).await.unwrap();
    half.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), half.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the server closed the half-open connection");
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn tokens_are_checked_for_issuer_and_audience_and_secrets_are_private() {
    let db = TestDb::empty().await;
    let server = start_env(
        &db,
        &[
            ("CIVIC_JWT_ISSUER", "dufu-road"),
            ("CIVIC_JWT_AUDIENCE", "civic-admin"),
        ],
    );
    // The demo token carries both.
    let (status, _) = server
        .gql(Some(&server.token), "{ communities { id } }")
        .await;
    assert_eq!(status, 200);
    // A token signed with the right secret but without them is refused.
    let bare = server.token_for_seconds(Role::StreetAdmin, 600);
    let (status, body) = server.gql(Some(&bare), "{ communities { id } }").await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(server.data_dir.join("jwt-secret"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    assert!(server.stop());
    db.cleanup().await;
}
