//! Staff accounts through the real binary and real HTTP: sign-in, password change,
//! refresh rotation and reuse detection, sign-out, lockout, suspension and scope changes
//! taking effect on the next request, staff managing their own grid workers, access as of
//! a moment, and no password or hash anywhere it could leak.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/server.rs"]
mod server;
#[path = "support/ws.rs"]
mod ws;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server::{code, start, start_env, Server};

use civic_tests::TestDb;

/// The one-time password the demo printed for `login`.
fn demo_password(server: &Server, login: &str) -> String {
    server
        .printed
        .iter()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some(login)).then(|| words.next().unwrap().to_owned())
        })
        .unwrap_or_else(|| panic!("no demo password for {login} in {:?}", server.printed))
}

/// A POST to an `/auth` route: status, JSON body (null when empty), the refresh cookie set.
async fn auth(
    server: &Server,
    path: &str,
    body: Value,
    cookie: Option<&str>,
) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", server.url))
        .json(&body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("civic_refresh={cookie}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("civic_refresh="))
        .map(|v| v.to_owned());
    if let Some(set) = &set {
        assert!(
            set.contains("HttpOnly")
                && set.contains("SameSite=Strict")
                && set.contains("Path=/auth"),
            "{set}"
        );
    }
    let cookie = set
        .and_then(|v| v.split(';').next().map(str::to_owned))
        .and_then(|v| v.strip_prefix("civic_refresh=").map(str::to_owned))
        .filter(|v| !v.is_empty());
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body, cookie)
}

async fn login(server: &Server, login: &str, password: &str) -> (u16, Value, Option<String>) {
    auth(
        server,
        "/auth/login",
        json!({ "login": login, "password": password }),
        None,
    )
    .await
}

/// Signs in with a one-time password, sets `new`, and returns the access token and cookie.
async fn first_sign_in(server: &Server, who: &str, once: &str, new: &str) -> (String, String) {
    let (status, body, _) = login(server, who, once).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "PASSWORD_CHANGE_REQUIRED");
    let (status, body, cookie) = auth(
        server,
        "/auth/password",
        json!({ "login": who, "password": once, "newPassword": new }),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (
        body["accessToken"].as_str().unwrap().to_owned(),
        cookie.unwrap(),
    )
}

const NEW_PASSWORD: &str = "社区网格员每天走访居民楼";

#[tokio::test]
async fn staff_sign_in_change_their_password_refresh_once_and_sign_out() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let once = demo_password(&server, "street-admin");

    // The one-time password opens only the password change, which checks the policy.
    for (new, why) in [
        ("short", "at least 12"),
        ("1qaz2wsx3edc", "most common"),
        ("street-admin-2023", "login name"),
    ] {
        let (status, body, _) = auth(
            &server,
            "/auth/password",
            json!({ "login": "street-admin", "password": once, "newPassword": new }),
            None,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("VALIDATION")),
            "{body}"
        );
        assert!(body["error"].as_str().unwrap().contains(why), "{body}");
    }
    let (token, cookie) = first_sign_in(&server, "street-admin", &once, NEW_PASSWORD).await;
    let (_, body) = server
        .gql(Some(&token), "{ me { login role communities } }")
        .await;
    assert_eq!(body["data"]["me"]["login"], "street-admin", "{body}");
    assert_eq!(body["data"]["me"]["role"], "STREET_ADMIN");
    // The one-time password is spent.
    let (status, _, _) = login(&server, "street-admin", &once).await;
    assert_eq!(status, 401);

    // A wrong password and an unknown login: the same answer, after the same work.
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    let mut answers = Vec::new();
    // Three of each: with the spent one-time password above, four failures in a row stay
    // under the lockout.
    for n in 0..3 {
        let started = Instant::now();
        answers.push(login(&server, "street-admin", "not the password at all").await);
        wrong.push(started.elapsed());
        let started = Instant::now();
        answers.push(login(&server, &format!("nobody-{n}"), "not the password at all").await);
        unknown.push(started.elapsed());
    }
    for (status, body, cookie) in &answers {
        assert_eq!((*status, body, cookie), (401, &answers[0].1, &None));
    }
    assert_eq!(answers[0].1["error"], "invalid login or password");
    wrong.sort();
    unknown.sort();
    let (wrong, unknown) = (wrong[1], unknown[1]);
    let rate = 1.0 / wrong.as_secs_f64();
    eprintln!(
        "sign-in cost (median): wrong password {wrong:?}, unknown login {unknown:?}; \
         about {rate:.0} sign-ins/s on one core"
    );
    let ratio = wrong.as_secs_f64() / unknown.as_secs_f64();
    assert!(
        (0.33..3.0).contains(&ratio),
        "a wrong password took {wrong:?}, an unknown login {unknown:?}"
    );
    // Right password again: the failures are forgotten.
    let (status, body, signed_in) = login(&server, "street-admin", NEW_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expiresIn"], 900);
    let second = signed_in.unwrap();

    // A refresh token works once and is replaced.
    let (status, body, rotated) = auth(&server, "/auth/refresh", json!({}), Some(&cookie)).await;
    assert_eq!(status, 200, "{body}");
    let rotated = rotated.unwrap();
    assert_ne!(rotated, cookie);
    let (_, me) = server
        .gql(body["accessToken"].as_str(), "{ me { login } }")
        .await;
    assert_eq!(me["data"]["me"]["login"], "street-admin");
    // Two live sessions: the first sign-in's (rotated) and the second's.
    let (_, sessions) = server
        .gql(
            body["accessToken"].as_str(),
            "{ mySessions { id userAgent } }",
        )
        .await;
    assert_eq!(
        sessions["data"]["mySessions"].as_array().unwrap().len(),
        2,
        "{sessions}"
    );
    // The old token used again: someone holds a copy, so the whole family ends, the
    // rotated token included; the other sign-in is untouched.
    let (status, _, cleared) = auth(&server, "/auth/refresh", json!({}), Some(&cookie)).await;
    assert_eq!((status, cleared), (401, None));
    let (status, _, _) = auth(&server, "/auth/refresh", json!({}), Some(&rotated)).await;
    assert_eq!(status, 401);
    let (status, body, third) = auth(&server, "/auth/refresh", json!({}), Some(&second)).await;
    assert_eq!(status, 200, "{body}");

    // Sign-out ends the session.
    let (status, _, _) = auth(&server, "/auth/logout", json!({}), third.as_deref()).await;
    assert_eq!(status, 204);
    let (status, _, _) = auth(&server, "/auth/refresh", json!({}), third.as_deref()).await;
    assert_eq!(status, 401);

    // A session ended from the session list.
    let (_, body, cookie) = login(&server, "street-admin", NEW_PASSWORD).await;
    let token = body["accessToken"].as_str().unwrap().to_owned();
    let (_, sessions) = server.gql(Some(&token), "{ mySessions { id } }").await;
    let id = sessions["data"]["mySessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, revoked) = server
        .gql(
            Some(&token),
            &format!(r#"mutation {{ revokeSession(id: "{id}") }}"#),
        )
        .await;
    assert_eq!(revoked["data"]["revokeSession"], true, "{revoked}");
    let (status, _, _) = auth(&server, "/auth/refresh", json!({}), cookie.as_deref()).await;
    assert_eq!(status, 401);
    assert!(server.stop());
    db.cleanup().await;
}

/// The `(actorId, actorName)` of each entry of the list at `pointer` in the answer to
/// `query`, of those whose `eventType` is `event_type` if one is given.
async fn actors(
    server: &Server,
    token: &str,
    query: &str,
    pointer: &str,
    event_type: Option<&str>,
) -> Vec<(Value, Value)> {
    let (_, body) = server.gql(Some(token), query).await;
    body.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter(|e| event_type.is_none_or(|t| e["eventType"] == t))
        .map(|e| (e["actorId"].clone(), e["actorName"].clone()))
        .collect()
}

/// An issue's timeline names each actor as their account shows them now, to whoever may
/// read the issue; an actor with no account (the people the story names) by its id alone.
#[tokio::test]
async fn an_issue_s_timeline_names_its_actors_by_their_accounts() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let once = demo_password(&server, "guangsha-grid");
    let (grid, _) = first_sign_in(&server, "guangsha-grid", &once, NEW_PASSWORD).await;
    let (_, body) = server
        .gql(
            Some(&grid),
            r#"mutation { reportIssue(input: { id: "dengguang-3", communityId: "guangsha", category: "市容环境",
                title: "3号楼路灯不亮", description: "楼前路灯不亮", location: "3号楼", channel: PATROL,
                reporter: "网格员", reportedAt: "2023-10-01T09:00:00+08:00" }) { position } }"#,
        )
        .await;
    let position = body["data"]["reportIssue"]["position"]
        .as_i64()
        .unwrap_or_else(|| panic!("{body}"));
    let timeline = format!(
        r#"{{ issue(id: "dengguang-3", atLeastPosition: {position}) {{ timeline {{ actorId actorName }} }} }}"#
    );
    let hers = vec![(json!("guangsha-grid"), json!("广厦社区网格员"))];
    let at = "/data/issue/timeline";
    assert_eq!(actors(&server, &grid, &timeline, at, None).await, hers);
    assert_eq!(
        actors(&server, &server.token, &timeline, at, None).await,
        hers
    );

    // The story's issues were recorded by the people the article names, who have no account.
    let (_, body) = server
        .gql(
            Some(&server.token),
            "{ issues(first: 100) { nodes { timeline { actorId actorName } } } }",
        )
        .await;
    let steps: Vec<&Value> = body["data"]["issues"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .flat_map(|issue| issue["timeline"].as_array().unwrap())
        .filter(|step| step["actorId"] != "guangsha-grid")
        .collect();
    assert!(!steps.is_empty(), "{body}");
    for step in steps {
        assert!(step["actorName"].is_null(), "{step}");
        assert!(!step["actorId"].as_str().unwrap().is_empty(), "{step}");
    }

    // The auditor's log names them alike: the report, and the grid worker's own password
    // change, by her account's name; the account's opening, by the command line, by id.
    let auditor = server.token("auditor", None);
    let named = |stream: &str, event_type: &'static str| {
        let query = format!(
            r#"{{ log(after: 0, first: 100, streamId: "{stream}") {{ entries {{ eventType actorId actorName }} }} }}"#
        );
        let (server, auditor) = (&server, auditor.clone());
        async move {
            actors(
                server,
                &auditor,
                &query,
                "/data/log/entries",
                Some(event_type),
            )
            .await
        }
    };
    assert_eq!(named("issue-dengguang-3", "IssueReported").await, hers);
    let password = named("account-guangsha-grid", "PasswordSet").await;
    assert!(password.contains(&hers[0]), "{password:?}");
    let opened = named("account-guangsha-grid", "AccountOpened").await;
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(opened[0].1.is_null(), "{opened:?}");
    assert!(server.stop());
    db.cleanup().await;
}

#[tokio::test]
async fn repeated_failures_lock_a_login_for_a_while_known_or_not() {
    let db = TestDb::empty().await;
    let server = start_env(
        &db,
        &[
            ("CIVIC_SIGNIN_LOCK_AFTER", "3"),
            ("CIVIC_SIGNIN_LOCKOUT_SECONDS", "1"),
        ],
    );
    let once = demo_password(&server, "guangsha-staff");
    first_sign_in(&server, "guangsha-staff", &once, NEW_PASSWORD).await;
    for who in ["guangsha-staff", "nobody"] {
        for _ in 0..3 {
            let (status, _, _) = login(&server, who, "not the password at all").await;
            assert_eq!(status, 401);
        }
        // Locked: even the right password is refused until the lockout ends.
        let (status, body, _) = login(&server, who, NEW_PASSWORD).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (429, Some("RATE_LIMITED")),
            "{body}"
        );
        assert!(body["retryAfterSeconds"].as_u64().unwrap() >= 1);
    }
    // Released once the lockout has passed.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body, _) = login(&server, "guangsha-staff", NEW_PASSWORD).await;
        if status == 200 {
            break;
        }
        assert_eq!(status, 429, "{body}");
        assert!(Instant::now() < deadline, "still locked: {body}");
        let wait = body["retryAfterSeconds"].as_u64().unwrap_or(1);
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
    assert!(server.stop());
    db.cleanup().await;
}

/// Polls `check` until it holds (at most `within`); how long that took.
async fn until<F: std::future::Future<Output = bool>>(
    within: Duration,
    mut check: impl FnMut() -> F,
) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < within, "not within {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    started.elapsed()
}

#[tokio::test]
async fn suspension_and_scope_changes_take_effect_on_the_next_request() {
    let db = TestDb::empty().await;
    let log = std::env::temp_dir().join(format!(
        "civic-accounts-{}.log",
        uuid::Uuid::new_v4().simple()
    ));
    let server = start(&db, Some(&log));
    let admin = server.token.clone();
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { openAccount(input: { login: "wang.fang", displayName: "王芳", role: GRID_WORKER,
                communities: ["guangsha"] }) { result { position } oneTimePassword } }"#,
        )
        .await;
    let once = body["data"]["openAccount"]["oneTimePassword"]
        .as_str()
        .unwrap()
        .to_owned();
    let (token, _) = first_sign_in(&server, "wang.fang", &once, NEW_PASSWORD).await;
    let granted = time::OffsetDateTime::now_utc();

    // Scope: Hemei is not hers until the grant, then it is on her next request.
    let hemei = r#"{ community(id: "hemei") { name } }"#;
    let (_, body) = server.gql(Some(&token), hemei).await;
    assert_eq!(code(&body), "NOT_FOUND");
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { grantAccess(input: { login: "wang.fang", role: GRID_WORKER, communities: ["guangsha", "hemei"] }) { position } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (_, body) = server.gql(Some(&token), hemei).await;
    assert_eq!(body["data"]["community"]["name"], "和美社区", "{body}");

    // Suspension: her valid token is refused and her live subscription ends.
    let mut socket = ws::open(&server.url, &token, "subscription { changes { position } }").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { suspendAccount(input: { login: "wang.fang", reason: "离职" }) { position } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    // The mutation answered once the view had applied it: the very next request is refused.
    let (status, body) = server.gql(Some(&token), "{ me { login } }").await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    let closed = ws::close_frame(&mut socket).await;
    assert_eq!(u16::from(closed.as_ref().unwrap().code), 4403, "{closed:?}");
    assert!(closed.unwrap().reason.contains("suspended"));
    // Nor can she sign in.
    let (status, _, _) = login(&server, "wang.fang", NEW_PASSWORD).await;
    assert_eq!(status, 401);

    // Who could act in Guangsha: at a moment between grant and suspension she could;
    // now she cannot.
    let suspended = time::OffsetDateTime::now_utc();
    let auditor = server.token("auditor", None);
    let access = |at: time::OffsetDateTime| {
        let (server, auditor) = (&server, auditor.clone());
        async move {
            let at = at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
            let (_, body) = server
                .gql(
                    Some(&auditor),
                    &format!(r#"{{ accessAsOf(at: "{at}", communityId: "guangsha", atLeastPosition: 1) {{ login role communityId }} }}"#),
                )
                .await;
            body["data"]["accessAsOf"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .map(|g| g["login"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    until(Duration::from_secs(10), || {
        let access = &access;
        async move { !access(suspended).await.contains(&"wang.fang".to_owned()) }
    })
    .await;
    let then = access(granted).await;
    assert!(then.contains(&"wang.fang".to_owned()), "{then:?}");
    assert!(then.contains(&"guangsha-staff".to_owned()), "{then:?}");
    assert!(!then.contains(&"hemei-staff".to_owned()), "{then:?}");
    // The same answer from the command line.
    let rfc3339 = |at: time::OffsetDateTime| {
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let printed = server.civic(&[
        "audit",
        "access",
        "--community",
        "guangsha",
        "--as-of",
        &rfc3339(granted),
    ]);
    assert!(printed.contains("wang.fang"), "{printed}");

    // Reinstated: she signs in again.
    let (_, body) = server
        .gql(
            Some(&admin),
            r#"mutation { reinstateAccount(input: { login: "wang.fang" }) { position } }"#,
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (status, body, _) = login(&server, "wang.fang", NEW_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let data_dir = server.data_dir.clone();
    assert!(server.stop());

    // No password, one-time or chosen, nor any hash, in the log, an export, a replay or the
    // server's log.
    let secrets = [once.as_str(), NEW_PASSWORD, "$argon2id$"];
    let log_text: String = sqlx::query_scalar(
        "SELECT string_agg(concat_ws(' ', event_type, payload::text, actor_id, actor_role, \
         command_id::text), E'\\n') FROM events",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let export = server::civic(
        Some(&db.url),
        &data_dir,
        &["audit", "export", "--format", "jsonl"],
    );
    let replay = server::civic(
        Some(&db.url),
        &data_dir,
        &[
            "audit",
            "replay",
            "--as-of",
            &rfc3339(time::OffsetDateTime::now_utc()),
        ],
    );
    let server_log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("PasswordSet") && log_text.contains("wang.fang"),
        "{log_text}"
    );
    assert!(!server_log.is_empty());
    for (place, text) in [
        ("events", log_text),
        ("export", export),
        ("replay", replay),
        ("server log", server_log),
    ] {
        for secret in secrets {
            assert!(!text.contains(secret), "{place} holds {secret}");
        }
    }
    let _ = std::fs::remove_file(&log);
    db.cleanup().await;
}

#[tokio::test]
async fn community_staff_manage_only_their_own_grid_workers() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let staff = server.token("community_staff", Some("guangsha"));
    let open = |login: &str, role: &str, community: &str| {
        format!(
            r#"mutation {{ openAccount(input: {{ login: "{login}", displayName: "网格员", role: {role},
                communities: ["{community}"] }}) {{ oneTimePassword }} }}"#
        )
    };
    let before = db.log_length().await;
    for (query, why) in [
        (open("li.na", "GRID_WORKER", "hemei"), "another community"),
        (open("li.na", "COMMUNITY_STAFF", "guangsha"), "not a grid worker"),
        (
            r#"mutation { suspendAccount(input: { login: "hemei-staff", reason: "离职" }) { position } }"#.to_owned(),
            "not their account",
        ),
        (
            r#"mutation { suspendAccount(input: { login: "street-admin", reason: "离职" }) { position } }"#.to_owned(),
            "not their account",
        ),
    ] {
        let (_, body) = server.gql(Some(&staff), &query).await;
        assert_eq!(code(&body), "FORBIDDEN", "{why}: {body}");
    }
    assert_eq!(db.log_length().await, before, "refusals append nothing");
    let (_, body) = server
        .gql(Some(&staff), &open("li.na", "GRID_WORKER", "guangsha"))
        .await;
    assert!(
        body["data"]["openAccount"]["oneTimePassword"].is_string(),
        "{body}"
    );
    let (_, body) = server
        .gql(Some(&staff), r#"mutation { suspendAccount(input: { login: "li.na", reason: "调岗" }) { position } }"#)
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    // Staff may not move a worker out of their community, nor make one staff.
    let (_, body) = server
        .gql(Some(&staff), r#"mutation { grantAccess(input: { login: "guangsha-grid", role: GRID_WORKER, communities: ["hemei"] }) { position } }"#)
        .await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    // A grid worker manages nobody; an auditor changes nothing.
    for role in ["grid_worker", "auditor"] {
        let token = server.token(role, (role == "grid_worker").then_some("guangsha"));
        let (_, body) = server
            .gql(Some(&token), &open("zhao.lei", "GRID_WORKER", "guangsha"))
            .await;
        assert_eq!(code(&body), "FORBIDDEN", "{role}: {body}");
    }
    // The command line opens accounts and resets passwords too.
    let civic = |args: &[&str]| server.civic(args);
    let printed = civic(&[
        "account", "create", "--login", "zhou.min", "--role", "auditor", "--name", "周敏",
    ]);
    let once = printed.lines().last().unwrap().trim().to_owned();
    first_sign_in(&server, "zhou.min", &once, NEW_PASSWORD).await;
    let printed = civic(&["account", "reset-password", "--login", "zhou.min"]);
    let again = printed.lines().last().unwrap().trim().to_owned();
    let (status, _, _) = login(&server, "zhou.min", NEW_PASSWORD).await;
    assert_eq!(status, 401, "a reset replaces the password");
    first_sign_in(&server, "zhou.min", &again, "新的密码足够长而且也不常见").await;
    civic(&["account", "suspend", "--login", "zhou.min"]);
    let (status, _, _) = login(&server, "zhou.min", "新的密码足够长而且也不常见").await;
    assert_eq!(status, 401);
    civic(&["account", "reinstate", "--login", "zhou.min"]);
    let (status, _, _) = login(&server, "zhou.min", "新的密码足够长而且也不常见").await;
    assert_eq!(status, 200);
    assert!(server.stop());
    db.cleanup().await;
}

/// A sign-in right after another process suspended or reinstated the account is decided by
/// that change. The server learns of it from the log's tail a moment later, so each of the
/// ten checks races that moment: on an idle machine the tail usually wins, on a busy one a
/// sign-in that did not wait for the view lost such a race (a reinstated account refused).
#[tokio::test]
async fn a_sign_in_right_after_another_process_changes_the_account_follows_the_change() {
    let db = TestDb::empty().await;
    let server = start(&db, None);
    let printed = server.civic(&[
        "account",
        "create",
        "--login",
        "wang.fang",
        "--role",
        "auditor",
        "--name",
        "王芳",
    ]);
    let once = printed.lines().last().unwrap().trim().to_owned();
    first_sign_in(&server, "wang.fang", &once, NEW_PASSWORD).await;
    for round in 0..5 {
        server.civic(&["account", "suspend", "--login", "wang.fang"]);
        let (status, body, _) = login(&server, "wang.fang", NEW_PASSWORD).await;
        assert_eq!(status, 401, "round {round}, suspended: {body}");
        server.civic(&["account", "reinstate", "--login", "wang.fang"]);
        let (status, body, _) = login(&server, "wang.fang", NEW_PASSWORD).await;
        assert_eq!(status, 200, "round {round}, reinstated: {body}");
    }
    assert!(server.stop());
    db.cleanup().await;
}
