//! `availableActions` offers exactly what the server then accepts: for every state an issue
//! can be in and every role, each workflow step is attempted through its real mutation, and
//! it succeeds if and only if the issue offered it beforehand. Through the real binary.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;

use civic_tests::TestDb;
use server::{code, start, Server};

/// The states an issue can be in, as the steps (by the street office) that lead there.
const STATES: [(&str, &[&str]); 7] = [
    ("reported", &[]),
    ("assigned", &["ASSIGN"]),
    (
        "surveyed-and-proposed",
        &["ASSIGN", "SURVEY_SITE", "PROPOSE_SOLUTION"],
    ),
    ("escalated", &["ASSIGN", "ESCALATE"]),
    ("resolved", &["ASSIGN", "RESOLVE"]),
    ("closed", &["ASSIGN", "RESOLVE", "CLOSE"]),
    ("reopened", &["ASSIGN", "RESOLVE", "REOPEN"]),
];

const ACTIONS: [&str; 9] = [
    "ASSIGN",
    "SURVEY_SITE",
    "PROPOSE_SOLUTION",
    "RECORD_CONSENT",
    "RESOLVE",
    "RECORD_FEEDBACK",
    "CLOSE",
    "REOPEN",
    "ESCALATE",
];

/// The mutation of a step, with arguments every rule of their own accepts.
fn step(action: &str, id: &str) -> String {
    let input = match action {
        "ASSIGN" => format!(
            r#"assignIssue(input: {{ id: "{id}", assignee: "网格员李", dueBy: "2023-10-10" }})"#
        ),
        "SURVEY_SITE" => format!(
            r#"surveySite(input: {{ id: "{id}", surveyedWith: "物业", findings: "井盖松动", surveyedOn: "2023-10-02" }})"#
        ),
        "PROPOSE_SOLUTION" => {
            format!(r#"proposeSolution(input: {{ id: "{id}", solution: "更换井盖" }})"#)
        }
        "RECORD_CONSENT" => {
            format!(r#"recordConsent(input: {{ id: "{id}", summary: "楼长征求意见，居民同意" }})"#)
        }
        "RESOLVE" => format!(
            r#"resolveIssue(input: {{ id: "{id}", action: "已更换井盖", resolvedAt: "2023-10-03T10:00:00+08:00" }})"#
        ),
        "RECORD_FEEDBACK" => {
            format!(r#"recordFeedback(input: {{ id: "{id}", satisfaction: 5, comment: "满意" }})"#)
        }
        "CLOSE" => format!(r#"closeIssue(input: {{ id: "{id}" }})"#),
        "REOPEN" => format!(r#"reopenIssue(input: {{ id: "{id}", reason: "井盖又松了" }})"#),
        "ESCALATE" => format!(r#"escalateIssue(input: {{ id: "{id}", reason: "需要街道协调" }})"#),
        other => panic!("no step {other}"),
    };
    format!("mutation {{ {input} {{ position }} }}")
}

/// Runs a mutation that must succeed; answers its log position.
async fn ok(server: &Server, token: &str, query: &str) -> i64 {
    let (_, body) = server.gql(Some(token), query).await;
    assert!(body.get("errors").is_none(), "{query}: {body}");
    let result = body["data"].as_object().unwrap().values().next().unwrap();
    result["position"].as_i64().unwrap()
}

/// A fresh Guangsha issue in `state`, brought there by the street office.
async fn issue_in(server: &Server, admin: &str, state: usize, n: &mut u32) -> (String, i64) {
    *n += 1;
    let id = format!("probe-{}-{n}", STATES[state].0);
    let mut at = ok(
        server,
        admin,
        &format!(
            r#"mutation {{ reportIssue(input: {{ id: "{id}", communityId: "guangsha", category: "安全隐患",
            title: "井盖松动", description: "3号楼前井盖松动", location: "3号楼", channel: PATROL,
            reporter: "网格员李", reportedAt: "2023-10-01T09:00:00+08:00" }}) {{ position }} }}"#
        ),
    )
    .await;
    for action in STATES[state].1 {
        at = ok(server, admin, &step(action, &id)).await;
    }
    (id, at)
}

/// The steps offered on an issue (its id, and the position after which the issues projector
/// must have caught up).
async fn offered(
    server: &Server,
    token: &str,
    (id, at): &(String, i64),
) -> Result<Vec<String>, String> {
    let query = format!(r#"{{ issue(id: "{id}", atLeastPosition: {at}) {{ availableActions }} }}"#);
    let (_, body) = server.gql(Some(token), &query).await;
    match body["data"]["issue"]["availableActions"].as_array() {
        Some(actions) => Ok(actions
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()),
        None => Err(code(&body).to_owned()),
    }
}

#[tokio::test]
async fn every_offered_step_is_accepted_and_every_other_refused() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let admin = server.token.clone();
    let roles = [
        ("street admin", admin.clone()),
        (
            "Guangsha's staff",
            server.token("community_staff", Some("guangsha")),
        ),
        (
            "Guangsha's grid worker",
            server.token("grid_worker", Some("guangsha")),
        ),
        (
            "Hemei's staff",
            server.token("community_staff", Some("hemei")),
        ),
        ("auditor", server.token("auditor", None)),
    ];
    let mut n = 0;
    let mut checked = 0;
    for (state, (name, _)) in STATES.iter().enumerate() {
        for (role, token) in &roles {
            let mut issue = issue_in(&server, &admin, state, &mut n).await;
            let offer = offered(&server, token, &issue).await;
            match (&offer, *role) {
                (Err(code), "Hemei's staff") => assert_eq!(code, "NOT_FOUND"),
                (Err(code), _) => panic!("{role} cannot read the issue: {code}"),
                (Ok(_), "Hemei's staff") => panic!("another community's issue was readable"),
                (Ok(_), _) => {}
            }
            let offer = offer.unwrap_or_default();
            for action in ACTIONS {
                let (_, body) = server.gql(Some(token), &step(action, &issue.0)).await;
                let accepted = body.get("errors").is_none();
                assert_eq!(
                    accepted,
                    offer.iter().any(|a| a == action),
                    "{role}, issue {name}, {action}: offered {offer:?}, answered {body}"
                );
                if !accepted {
                    let code = code(&body);
                    assert!(
                        ["FORBIDDEN", "NOT_FOUND", "VALIDATION"].contains(&code),
                        "{body}"
                    );
                } else {
                    // The step changed the issue: the next one starts from the state again.
                    issue = issue_in(&server, &admin, state, &mut n).await;
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, STATES.len() * 5 * ACTIONS.len());

    // What the table means, for people: the street office may assign a reported issue, a
    // grid worker may survey an assigned one but not assign it, nobody may close an open
    // issue, and an auditor is offered nothing.
    let issue = issue_in(&server, &admin, 1, &mut n).await;
    let grid = offered(&server, &roles[2].1, &issue).await.unwrap();
    assert!(
        grid.contains(&"SURVEY_SITE".to_owned()) && !grid.contains(&"ASSIGN".to_owned()),
        "{grid:?}"
    );
    let staff = offered(&server, &roles[1].1, &issue).await.unwrap();
    assert!(!staff.contains(&"CLOSE".to_owned()), "{staff:?}");
    assert_eq!(
        offered(&server, &roles[4].1, &issue).await.unwrap(),
        Vec::<String>::new()
    );
    assert!(server.stop());
    db.cleanup().await;
}
