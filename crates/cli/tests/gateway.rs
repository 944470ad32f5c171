//! The gateway through real HTTP and WebSocket clients: access control both ways, limits,
//! optimistic concurrency, live subscriptions.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;
#[path = "support/ws.rs"]
mod ws;

use futures_util::StreamExt;
use serde_json::{json, Value};
use server::{code, start, Server};
use tokio_tungstenite::tungstenite::Message;
use ws::next_json;

use civic_tests::TestDb;

fn report(id: &str, community: &str, title: &str) -> String {
    format!(
        r#"mutation {{ reportIssue(input: {{ id: "{id}", communityId: "{community}", category: "市容环境", title: "{title}",
        description: "路面破损", location: "东门", channel: PATROL, reporter: "网格员", reportedAt: "2023-10-01T09:00:00+08:00" }})
        {{ position }} }}"#
    )
}

/// Sends each mutation (one root field selecting `position`) and returns the position of
/// the last, each answered without errors.
async fn apply_all(server: &Server, token: &str, mutations: &[&str]) -> i64 {
    let mut last = 0;
    for mutation in mutations {
        let (_, body) = server.gql(Some(token), mutation).await;
        assert!(body["errors"].is_null(), "{mutation}: {body}");
        last = body["data"].as_object().unwrap().values().next().unwrap()["position"]
            .as_i64()
            .unwrap();
    }
    last
}

#[tokio::test]
async fn every_access_rule_holds_both_ways_and_refusals_append_nothing() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let staff = server.token("community_staff", Some("guangsha"));
    let worker = server.token("grid_worker", Some("guangsha"));
    let auditor = server.token("auditor", None);
    let (_, body) = server
        .gql(
            Some(&staff),
            r#"{ community(id: "guangsha", atLeastPosition: 96) { name } }"#,
        )
        .await;
    assert_eq!(body["data"]["community"]["name"], "广厦社区");
    let expired = server.token_with("street_admin", None, "-1");
    let mut appended = db.log_length().await;

    let refused = [
        (
            &staff,
            r#"{ community(id: "hemei") { name } }"#,
            "NOT_FOUND",
        ),
        (&staff, r#"{ compound(id: "longhe-huafu") { name } }"#, ""),
        (
            &worker,
            &report("w-hemei", "hemei", "路面破损") as &str,
            "FORBIDDEN",
        ),
        (
            &worker,
            r#"mutation { assignIssue(input: { id: "longhe-huafu-gate", assignee: "x", dueBy: "2023-12-01" }) { position } }"#,
            "FORBIDDEN",
        ),
        (
            &staff,
            r#"mutation { registerCommunity(input: { id: "new", name: "新社区", street: "杜甫路街道", establishedOn: "2024-01-01", areaM2: 500000 }) { position } }"#,
            "FORBIDDEN",
        ),
        (
            &auditor,
            &report("a-1", "guangsha", "路面破损") as &str,
            "FORBIDDEN",
        ),
        (&staff, "{ log(first: 5) { endPosition } }", "FORBIDDEN"),
        (
            &admin,
            "{ issues(first: 101) { edges { cursor } } }",
            "VALIDATION",
        ),
        (
            &admin,
            &report("long", "guangsha", &"长".repeat(201)) as &str,
            "VALIDATION",
        ),
        (
            &admin,
            &report("BAD ID", "guangsha", "路面破损") as &str,
            "VALIDATION",
        ),
        (
            &admin,
            r#"{ community(id: "nowhere") { name } }"#,
            "NOT_FOUND",
        ),
    ];
    for (token, query, expected) in refused {
        let (_, body) = server.gql(Some(token), query).await;
        if expected.is_empty() {
            assert!(body.get("errors").is_none(), "allowed: {query}: {body}");
        } else {
            assert_eq!(code(&body), expected, "{query}: {body}");
            assert!(
                body["data"].is_null()
                    || body["data"]
                        .as_object()
                        .is_some_and(|d| d.values().all(Value::is_null))
            );
        }
    }
    assert_eq!(
        db.log_length().await,
        appended,
        "no refused request appended anything"
    );

    let (status, body) = server.gql(Some(&expired), "{ communities { id } }").await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"));

    // The same rules, allowed.
    for (token, query) in [
        (&worker, report("w-guangsha", "guangsha", "路面破损")),
        (&admin, r#"mutation { registerCommunity(input: { id: "xinsheng", name: "新生社区", street: "杜甫路街道", establishedOn: "2024-01-01", areaM2: 500000 }) { position } }"#.to_owned()),
        (&staff, r#"mutation { assignIssue(input: { id: "w-guangsha", assignee: "广厦社区", dueBy: "2023-10-10" }) { position issue { status } } }"#.to_owned()),
    ] {
        let (_, body) = server.gql(Some(token), &query).await;
        assert!(body.get("errors").is_none(), "{query}: {body}");
        appended += 1;
    }
    assert_eq!(db.log_length().await, appended);
    let (_, body) = server
        .gql(
            Some(&auditor),
            r#"{ log(first: 2, eventType: "IssueAssigned") { entries { actorId actorRole } } }"#,
        )
        .await;
    let last = body["data"]["log"]["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["actorId"].as_str(), last["actorRole"].as_str()),
        (
            Some("测试-community_staff-guangsha"),
            Some("community_staff")
        )
    );
    let (_, body) = server
        .gql(
            Some(&auditor),
            r#"{ streamState(streamId: "issue-w-guangsha") { version state } }"#,
        )
        .await;
    assert_eq!(
        body["data"]["streamState"]["state"]["status"], "assigned",
        "{body}"
    );
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn two_clients_closing_one_issue_get_one_success_and_one_named_rule() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    for query in [
        r#"mutation { reopenIssue(input: { id: "longhe-huafu-gate", reason: "隔离墩被移走" }) { position } }"#,
        r#"mutation { assignIssue(input: { id: "longhe-huafu-gate", assignee: "广厦社区", dueBy: "2023-12-01" }) { position } }"#,
        r#"mutation { resolveIssue(input: { id: "longhe-huafu-gate", action: "重新设置隔离墩", items: 4, resolvedAt: "2023-11-01T10:00:00+08:00" }) { position } }"#,
    ] {
        let (_, body) = server.gql(Some(&admin), query).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let before = db.log_length().await;
    let close = r#"mutation { closeIssue(input: { id: "longhe-huafu-gate" }) { position } }"#;
    let (a, b) = tokio::join!(
        server.gql(Some(&admin), close),
        server.gql(Some(&admin), close)
    );
    let outcomes = [a.1, b.1];
    assert_eq!(
        outcomes
            .iter()
            .filter(|b| b.get("errors").is_none())
            .count(),
        1,
        "{outcomes:?}"
    );
    let refused = outcomes.iter().find(|b| b.get("errors").is_some()).unwrap();
    assert_eq!(
        refused["errors"][0]["extensions"]["rule"],
        "IssueAlreadyClosed"
    );
    assert_eq!(db.log_length().await, before + 1);
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn a_subscription_sees_an_issue_change_live_and_respects_scope() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let staff = server.token("community_staff", Some("guangsha"));
    let (_, body) = server
        .gql(
            Some(&staff),
            r#"{ issue(id: "longhe-huafu-gate", atLeastPosition: 96) { status } }"#,
        )
        .await;
    assert_eq!(body["data"]["issue"]["status"], "CLOSED");
    let mut socket = ws::open(&server.url, &staff, r#"subscription { changes(after: 96, streamId: "issue-longhe-huafu-gate") { position eventType actorId } }"#).await;
    let (_, body) = server.gql(Some(&server.token), r#"mutation { reopenIssue(input: { id: "longhe-huafu-gate", reason: "隔离墩被移走" }) { position } }"#).await;
    let position = body["data"]["reopenIssue"]["position"].clone();
    let next = next_json(&mut socket).await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(
        next["payload"]["data"]["changes"]["eventType"],
        "IssueReopened"
    );
    assert_eq!(next["payload"]["data"]["changes"]["position"], position);
    assert_eq!(next["payload"]["data"]["changes"]["actorId"], "杜甫路街道");

    // The community's dashboard, live: a new issue shows in its open count.
    let mut dashboard = ws::open(&server.url, &staff, &format!(r#"subscription {{ communityChanges(communityId: "guangsha", after: {position}) {{ name issueStats {{ open }} }} }}"#)).await;
    let (_, body) = server
        .gql(Some(&staff), &report("live-1", "guangsha", "路灯不亮"))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let next = next_json(&mut dashboard).await;
    assert_eq!(
        next["payload"]["data"]["communityChanges"]["name"], "广厦社区",
        "{next}"
    );
    assert_eq!(
        next["payload"]["data"]["communityChanges"]["issueStats"]["open"], 2,
        "the reopened gate issue and the new one"
    );

    // With `current`, the dashboard comes first, with no change needed, as the read models
    // hold it once they have reached the subscription's start; then each change as before.
    let mut current = ws::open(
        &server.url,
        &staff,
        r#"subscription { communityChanges(communityId: "guangsha", current: true) { name issueStats { open } } }"#,
    )
    .await;
    let first = next_json(&mut current).await;
    assert_eq!(
        first["payload"]["data"]["communityChanges"]["issueStats"]["open"], 2,
        "{first}"
    );
    let (_, body) = server
        .gql(Some(&staff), &report("live-2", "guangsha", "井盖缺失"))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let next = next_json(&mut current).await;
    assert_eq!(
        next["payload"]["data"]["communityChanges"]["issueStats"]["open"], 3,
        "{next}"
    );

    // Another community's staff may not follow it, nor the whole log.
    let other = server.token("community_staff", Some("hemei"));
    let mut refused = ws::open(
        &server.url,
        &other,
        r#"subscription { changes(streamId: "issue-longhe-huafu-gate") { position } }"#,
    )
    .await;
    let error = next_json(&mut refused).await;
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{error}"
    );
    assert!(error["payload"]["data"].is_null());
    let mut whole = ws::open(&server.url, &other, "subscription { changes { position } }").await;
    let error = next_json(&mut whole).await;
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{error}"
    );
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn the_issue_board_filters_pages_by_cursor_and_keeps_staff_to_their_communities() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let mut last = 0;
    for n in 0..5 {
        let (_, body) = server
            .gql(
                Some(&admin),
                &format!(
                    r#"mutation {{ reportIssue(input: {{ id: "board-{n}", communityId: "guangsha", category: "井盖缺失",
                    title: "井盖缺失{n}", description: "人行道井盖缺失", location: "北门", channel: PATROL, reporter: "网格员",
                    reportedAt: "2023-11-0{}T09:00:00+08:00" }}) {{ position }} }}"#,
                    n + 1
                ),
            )
            .await;
        last = body["data"]["reportIssue"]["position"].as_i64().unwrap();
    }
    let page = |token: String, args: String| {
        let server = &server;
        async move {
            let query = format!(
                "{{ issues({args}) {{ edges {{ cursor node {{ id status reportedAt }} }} \
                   pageInfo {{ hasPreviousPage hasNextPage startCursor endCursor }} }} }}"
            );
            server.gql(Some(&token), &query).await.1
        }
    };
    // Two at a time, newest first, each page after the last one's cursor.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let body = page(
            admin.clone(),
            format!(
                r#"filter: {{ communityId: "guangsha", category: "井盖缺失", status: REPORTED }}, first: 2, atLeastPosition: {last}{after}"#
            ),
        )
        .await;
        let connection = &body["data"]["issues"];
        for edge in connection["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = format!(
            r#", after: "{}""#,
            connection["pageInfo"]["endCursor"].as_str().unwrap()
        );
    }
    assert_eq!(
        seen,
        ["board-4", "board-3", "board-2", "board-1", "board-0"]
    );
    // Times come back with the offset they were reported in.
    let oldest = page(
        admin.clone(),
        r#"filter: { category: "井盖缺失" }, last: 1"#.into(),
    )
    .await;
    let edge = &oldest["data"]["issues"]["edges"][0];
    assert_eq!(edge["node"]["id"], "board-0", "{oldest}");
    assert_eq!(edge["node"]["reportedAt"], "2023-11-01T09:00:00+08:00");
    assert_eq!(
        oldest["data"]["issues"]["pageInfo"]["hasPreviousPage"],
        true
    );
    // `last` with `before` pages back towards the newest, still newest first.
    let back = page(
        admin.clone(),
        format!(
            r#"filter: {{ category: "井盖缺失" }}, last: 2, before: "{}""#,
            edge["cursor"].as_str().unwrap()
        ),
    )
    .await;
    let ids: Vec<&str> = back["data"]["issues"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["board-2", "board-1"], "{back}");
    assert_eq!(back["data"]["issues"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(back["data"]["issues"]["pageInfo"]["hasPreviousPage"], true);
    // A status the schema does not know, a string where the enum goes, a forged cursor and
    // mixed directions are refused before anything runs.
    for args in [
        r#"filter: { status: REPORTD }, first: 2"#,
        r#"filter: { status: "reported" }, first: 2"#,
        r#"first: 2, after: "bm90LWEtY3Vyc29y""#,
        r#"first: 2, last: 2"#,
        r#"filter: { reportedFrom: "2023-11-06" }, first: 2"#,
    ] {
        let body = page(admin.clone(), args.into()).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "VALIDATION",
            "{args}: {body}"
        );
        assert!(
            body["data"].is_null() || body["data"]["issues"].is_null(),
            "{body}"
        );
    }
    // Filters that match none of them.
    for filter in [
        r#"category: "井盖缺失", status: RESOLVED"#,
        r#"category: "井盖缺失", communityId: "hemei""#,
        r#"category: "井盖缺失", reportedFrom: "2023-11-06T00:00:00Z""#,
    ] {
        let body = page(admin.clone(), format!("filter: {{ {filter} }}, first: 10")).await;
        assert_eq!(body["data"]["issues"]["edges"], json!([]), "{filter}");
    }
    let body = page(
        admin.clone(),
        r#"filter: { category: "井盖缺失", reportedFrom: "2023-11-02T00:00:00Z", reportedTo: "2023-11-04T00:00:00Z" }, first: 10"#.into(),
    )
    .await;
    let ids: Vec<&str> = body["data"]["issues"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["board-2", "board-1"]);
    // Staff see their own community's issues and never another's.
    let own = page(
        server.token("community_staff", Some("guangsha")),
        r#"filter: { category: "井盖缺失" }, first: 10"#.into(),
    )
    .await;
    assert_eq!(own["data"]["issues"]["edges"].as_array().unwrap().len(), 5);
    let other = server.token("community_staff", Some("hemei"));
    let scoped = page(
        other.clone(),
        r#"filter: { category: "井盖缺失" }, first: 10"#.into(),
    )
    .await;
    assert_eq!(scoped["data"]["issues"]["edges"], json!([]));
    let refused = page(
        other,
        r#"filter: { communityId: "guangsha", category: "井盖缺失" }, first: 10"#.into(),
    )
    .await;
    assert!(
        refused["data"].is_null() || refused["data"]["issues"].is_null(),
        "{refused}"
    );
    assert!(!code(&refused).is_empty(), "{refused}");
    assert!(server.stop());
    db.cleanup().await;
}

/// Every plain field of the board, selected as a page's one-pass path resolves it.
const BOARD_FIELDS: &str = "__typename id communityId compoundId gridId category title description location \
    channel reporter status assignee dueBy escalated items resolution satisfaction reportedAt resolvedAt \
    closedAt overdue";

#[tokio::test]
async fn a_board_page_answers_the_same_in_one_pass_as_through_the_general_resolvers() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    for n in 0..3 {
        let (_, body) = server
            .gql(
                Some(&admin),
                &report(&format!("pass-{n}"), "guangsha", &format!("路灯不亮{n}")),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let last = apply_all(
        &server,
        &admin,
        &[
            r#"mutation { assignIssue(input: { id: "pass-1", assignee: "王网格员", dueBy: "2023-10-05" }) { position } }"#,
            r#"mutation { assignIssue(input: { id: "pass-2", assignee: "李网格员", dueBy: "2099-01-01" }) { position } }"#,
            r#"mutation { resolveIssue(input: { id: "pass-2", action: "更换灯泡", items: 4, resolvedAt: "2023-10-03T18:00:00+08:00" }) { position } }"#,
        ],
    )
    .await;
    // The same selection four ways: plain (one pass), through a named fragment, an inline
    // fragment and an `@include` (each of which sends the page or its nodes through the
    // general resolvers), all with aliases and a field selected twice.
    let page = |nodes: &str| {
        let fragment = if nodes.contains("...Plain") {
            format!("fragment Plain on Issue {{ {BOARD_FIELDS} heading: title id }}")
        } else {
            String::new()
        };
        format!(
            r#"{{ issues(filter: {{ communityId: "guangsha" }}, first: 10, atLeastPosition: {last}) {{ __typename
                edges {{ __typename cursor node {{ {nodes} }} again: cursor }} nodes {{ {nodes} }}
                pageInfo {{ __typename hasPreviousPage hasNextPage startCursor endCursor }}
                info: pageInfo {{ hasNextPage }} }} }} {fragment}"#
        )
    };
    let plain = format!("{BOARD_FIELDS} heading: title id");
    let mut answers = Vec::new();
    for nodes in [
        plain.clone(),
        "...Plain".to_owned(),
        format!("... on Issue {{ {plain} }}"),
        format!("{BOARD_FIELDS} heading: title @include(if: true) id"),
    ] {
        // As sent, so that the order of the keys is compared too.
        let response = server
            .post(Some(&admin), &json!({ "query": page(&nodes) }), &[])
            .await;
        answers.push(response.text().await.unwrap());
    }
    let first: Value = serde_json::from_str(&answers[0]).unwrap();
    assert!(first["errors"].is_null(), "{first}");
    let issues = &first["data"]["issues"];
    assert_eq!(issues["__typename"], "IssueConnection");
    assert_eq!(issues["edges"][0]["__typename"], "IssueEdge");
    assert_eq!(issues["pageInfo"]["__typename"], "PageInfo");
    let nodes = issues["nodes"].as_array().unwrap();
    // These three, newest first, then the story's issue of Guangsha (closed, rated): every
    // kind of value is there, text, enums, dates, times with and without offsets, numbers,
    // nulls.
    assert_eq!(nodes.len(), 4, "{first}");
    let resolved = &nodes[0];
    assert_eq!(resolved["id"], "pass-2");
    assert_eq!(resolved["heading"], "路灯不亮2");
    assert_eq!(resolved["status"], "RESOLVED");
    assert_eq!(resolved["channel"], "PATROL");
    assert_eq!(resolved["items"], 4);
    assert_eq!(resolved["resolvedAt"], "2023-10-03T18:00:00+08:00");
    assert_eq!(resolved["dueBy"], "2099-01-01");
    assert_eq!(resolved["satisfaction"], Value::Null);
    assert_eq!(nodes[1]["overdue"], true);
    assert_eq!(nodes[1]["assignee"], "王网格员");
    assert_eq!(nodes[2]["assignee"], Value::Null);
    assert_eq!(nodes[3]["status"], "CLOSED");
    assert_eq!(nodes[3]["satisfaction"], 5);
    assert!(nodes[3]["closedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(issues["edges"][0]["again"], issues["edges"][0]["cursor"]);
    assert_eq!(
        issues["pageInfo"]["endCursor"],
        issues["edges"][3]["cursor"]
    );
    for (n, answer) in answers.iter().enumerate().skip(1) {
        assert_eq!(answer, &answers[0], "selection {n} answered differently");
    }
    assert!(server.stop());
    db.cleanup().await;
}

/// The count of board pages the server answered directly, from its metrics.
async fn direct_pages(url: &str) -> u64 {
    let text = reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("civic_graphql_direct_pages_total "))
        .map_or(0, |n| n.trim().parse().unwrap())
}

#[tokio::test]
async fn a_direct_board_page_answers_byte_for_byte_what_the_executor_answers() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    // Every kind of value: text that JSON must escape (the control characters that separate
    // a direct page's columns and rows among them), times at several offsets with and
    // without fractions, enums, dates, numbers, nulls; the story's own issues too.
    let reports = [
        (
            "d-0",
            "guangsha",
            r#"引号\"与反斜杠\\"#,
            "2023-10-01T09:00:00+08:00",
            "RESIDENT",
        ),
        (
            "d-1",
            "guangsha",
            r#"换行\n与\t制表"#,
            "2023-10-02T01:30:00.5Z",
            "HOTLINE",
        ),
        (
            "d-2",
            "guangsha",
            "路灯不亮🙂",
            "2023-10-02T20:30:00.123456-05:00",
            "CHAT_GROUP",
        ),
        (
            "d-3",
            "hemei",
            "井盖缺失",
            "2023-10-03T09:15:00.12+05:45",
            "PATROL",
        ),
        (
            "d-4",
            "guangsha",
            r#"垃圾满溢\u0001\u001e\u001f\b\f\r\/\u007f"#,
            "2023-10-04T09:00:00+08:00",
            "PATROL",
        ),
    ];
    for (id, community, title, at, channel) in reports {
        let mutation = format!(
            r#"mutation {{ reportIssue(input: {{ id: "{id}", communityId: "{community}", category: "市容环境",
            title: "{title}", description: "{title}", location: "东门", channel: {channel}, reporter: "居民",
            reportedAt: "{at}" }}) {{ position }} }}"#
        );
        let (_, body) = server.gql(Some(&admin), &mutation).await;
        assert!(body["errors"].is_null(), "{mutation}: {body}");
    }
    let last = apply_all(
        &server,
        &admin,
        &[
            r#"mutation { assignIssue(input: { id: "d-1", assignee: "王网格员", dueBy: "2023-10-05" }) { position } }"#,
            r#"mutation { assignIssue(input: { id: "d-2", assignee: "李网格员", dueBy: "2099-01-01" }) { position } }"#,
            r#"mutation { resolveIssue(input: { id: "d-2", action: "更换灯泡", items: 4, resolvedAt: "2023-10-03T18:00:00.25+08:00" }) { position } }"#,
            r#"mutation { recordFeedback(input: { id: "d-2", satisfaction: 5, comment: "很满意" }) { position } }"#,
            r#"mutation { escalateIssue(input: { id: "d-1", reason: "需要街道协调" }) { position } }"#,
        ],
    )
    .await;
    // Read-your-writes is the executor's: once it has waited, every page below is current.
    let (_, body) = server
        .gql(
            Some(&admin),
            &format!("{{ issues(first: 1, atLeastPosition: {last}) {{ nodes {{ id }} }} }}"),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    // The same document twice: as it is, which the direct path answers, and with an
    // `@include(if: true)` that changes nothing but sends it to the executor.
    let document = |nodes: &str| {
        format!(
            "query Page($filter: IssueFilter, $first: Int, $after: String, $last: Int, $before: String) {{ \
             issues(filter: $filter, first: $first, after: $after, last: $last, before: $before) {{ \
             __typename pageInfo {{ hasNextPage __typename startCursor hasPreviousPage endCursor }} \
             nodes {{ {nodes} }} }} }}"
        )
    };
    let direct = document(BOARD_FIELDS);
    let executed = document(&format!("{BOARD_FIELDS} id @include(if: true)"));
    let ask = |token: String, query: String, variables: Value| {
        let server = &server;
        async move {
            let body = json!({ "query": query, "variables": variables, "operationName": "Page" });
            server
                .post(Some(&token), &body, &[])
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let staff = server.token("community_staff", Some("guangsha"));
    let other = server.token("community_staff", Some("hemei"));
    let before = direct_pages(&server.url).await;
    let mut answered = 0;
    let mut after: Option<String> = None;
    let mut cases = Vec::new();
    // Paging forward two at a time through a community.
    loop {
        let variables =
            json!({ "filter": { "communityId": "guangsha" }, "first": 2, "after": after });
        let answer = ask(admin.clone(), direct.clone(), variables.clone()).await;
        let page: Value = serde_json::from_str(&answer).unwrap();
        assert!(page["errors"].is_null(), "{answer}");
        cases.push((admin.clone(), variables, answer));
        answered += 1;
        let info = &page["data"]["issues"]["pageInfo"];
        if !info["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(answered, 3, "five issues of Guangsha, two a page");
    let cursor = after.unwrap();
    for (token, variables, ok) in [
        (admin.clone(), json!({ "last": 2, "before": cursor }), true),
        (admin.clone(), json!({ "last": 1 }), true),
        (
            admin.clone(),
            json!({ "filter": { "status": "RESOLVED" }, "first": 10 }),
            true,
        ),
        (
            admin.clone(),
            json!({ "filter": { "reportedFrom": "2023-10-02T00:00:00Z", "reportedTo": "2023-10-03T12:00:00+08:00" }, "first": 10 }),
            true,
        ),
        (
            admin.clone(),
            json!({ "filter": { "category": "不存在" } }),
            true,
        ),
        (staff.clone(), json!({ "first": 50 }), true),
        (other.clone(), json!({ "first": 50 }), true),
        // Refused, by the executor in both cases: another community's page, an unknown
        // status, a page too large, mixed directions, a forged cursor, over the complexity.
        (
            other.clone(),
            json!({ "filter": { "communityId": "guangsha" } }),
            false,
        ),
        (
            admin.clone(),
            json!({ "filter": { "status": "REPORTD" } }),
            false,
        ),
        (admin.clone(), json!({ "first": 0 }), false),
        (admin.clone(), json!({ "first": 2, "last": 2 }), false),
        (
            admin.clone(),
            json!({ "first": 2, "after": "bm90LWEtY3Vyc29y" }),
            false,
        ),
        (admin.clone(), json!({ "first": 100 }), false),
    ] {
        let answer = ask(token.clone(), direct.clone(), variables.clone()).await;
        let page: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(page["errors"].is_null(), ok, "{variables}: {answer}");
        if ok {
            answered += 1;
        }
        cases.push((token, variables, answer));
    }
    assert_eq!(direct_pages(&server.url).await - before, answered);
    for (token, variables, answer) in &cases {
        let executor = ask(token.clone(), executed.clone(), variables.clone()).await;
        assert_eq!(answer, &executor, "{variables}");
    }
    assert_eq!(
        direct_pages(&server.url).await - before,
        answered,
        "the executor answered every request with a directive"
    );
    // What the pages hold, as checked against the executor above.
    let nodes: Vec<Value> = cases
        .iter()
        .take(3)
        .flat_map(|(_, _, answer)| {
            let page: Value = serde_json::from_str(answer).unwrap();
            page["data"]["issues"]["nodes"].as_array().unwrap().clone()
        })
        .collect();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).unwrap().clone();
    assert_eq!(nodes[0]["id"], "d-4", "newest first");
    assert_eq!(node("d-0")["title"], r#"引号"与反斜杠\"#);
    assert_eq!(node("d-1")["description"], "换行\n与\t制表");
    assert_eq!(node("d-1")["reportedAt"], "2023-10-02T01:30:00.5Z");
    assert_eq!(node("d-1")["overdue"], true);
    assert_eq!(
        node("d-2")["reportedAt"],
        "2023-10-02T20:30:00.123456-05:00"
    );
    assert_eq!(node("d-2")["resolvedAt"], "2023-10-03T18:00:00.25+08:00");
    assert_eq!(node("d-2")["channel"], "CHAT_GROUP");
    assert_eq!(node("d-2")["items"], 4);
    assert_eq!(node("d-2")["dueBy"], "2099-01-01");
    assert_eq!(node("d-0")["assignee"], Value::Null);
    assert!(server.stop());
    db.cleanup().await;
}

/// The next text message, if one comes within `wait`.
async fn next_json_within(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    wait: std::time::Duration,
) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??
            .ok()?;
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).ok();
        }
    }
}

#[tokio::test]
async fn a_subscriber_that_names_no_position_gets_no_history_and_only_its_community() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let staff = server.token("community_staff", Some("guangsha"));
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"{ communities(atLeastPosition: 96) { id } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let mut log = ws::open(
        &server.url,
        &admin,
        "subscription { changes { position eventType } }",
    )
    .await;
    let mut dashboard = ws::open(
        &server.url,
        &staff,
        r#"subscription { communityChanges(communityId: "guangsha") { name issueStats { open } } }"#,
    )
    .await;
    // The subscriptions start when the server has read the head, which the client cannot
    // see: report until the first event arrives. Each round reports in Hemei, then Guangsha.
    let mut first = None;
    for round in 0..20 {
        for community in ["hemei", "guangsha"] {
            let (_, body) = server
                .gql(
                    Some(&admin),
                    &report(&format!("live-{community}-{round}"), community, "路灯不亮"),
                )
                .await;
            assert!(body.get("errors").is_none(), "{body}");
        }
        first = next_json_within(&mut log, std::time::Duration::from_secs(1)).await;
        if first.is_some() {
            break;
        }
    }
    let first = first.expect("the log subscription saw the new events");
    let position = first["payload"]["data"]["changes"]["position"]
        .as_i64()
        .unwrap();
    assert!(position > 96, "no history before the subscription: {first}");
    let next = next_json(&mut dashboard).await;
    assert_eq!(
        next["payload"]["data"]["communityChanges"]["name"], "广厦社区",
        "{next}"
    );
    assert!(server.stop());
    db.cleanup().await;
}
