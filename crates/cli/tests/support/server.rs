//! Starting the real `civic serve` and talking to it over real HTTP.

// Each test binary includes this file and uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use civic_tests::TestDb;
use serde_json::{json, Value};

/// How long a server may take to exit after SIGTERM before it is killed: well beyond the
/// 10 s the server itself gives open connections to finish, so that a slow but graceful
/// stop on a busy machine is not mistaken for a hung one.
const STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A running server.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub token: String,
    pub data_dir: PathBuf,
    /// The database it was started with (`None`: the embedded default).
    pub db_url: Option<String>,
    /// What it printed on standard output up to the token.
    pub printed: Vec<String>,
    /// Keeps the pipe open so the server can write to standard output until it stops.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

/// Runs `civic` against `db_url` (the embedded default when `None`) with `data_dir`, and
/// returns its standard output; a failure fails the test with its standard error.
pub fn civic(db_url: Option<&str>, data_dir: &Path, args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_civic"));
    match db_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    let out = command
        .args(args)
        .env("CIVIC_DATA_DIR", data_dir)
        .env_remove("CIVIC_JWT_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "civic {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Starts `civic serve --demo` on a free port against `db`, logging to `log` if given.
pub fn start(db: &TestDb, log: Option<&Path>) -> Server {
    start_with(Some(&db.url), log)
}

/// Starts `civic serve --demo` against `url`, or with no `DATABASE_URL` at all (the embedded
/// default, in a fresh data dir) when `url` is `None`.
pub fn start_with(url: Option<&str>, log: Option<&Path>) -> Server {
    let data_dir =
        std::env::temp_dir().join(format!("civic-serve-{}", uuid::Uuid::new_v4().simple()));
    start_in(url, log, data_dir, &[])
}

/// Starts `civic serve --demo` against `db` with extra environment variables.
pub fn start_env(db: &TestDb, env: &[(&str, &str)]) -> Server {
    let data_dir =
        std::env::temp_dir().join(format!("civic-serve-{}", uuid::Uuid::new_v4().simple()));
    start_in(Some(&db.url), None, data_dir, env)
}

/// Starts `civic serve --demo` with `data_dir` as its data dir and `env` set.
pub fn start_in(
    url: Option<&str>,
    log: Option<&Path>,
    data_dir: PathBuf,
    env: &[(&str, &str)],
) -> Server {
    // Without a log asked for, what the server says goes to a file beside its data dir, so
    // that a server that stops before it is up can say why.
    let stderr_path = match log {
        Some(path) => path.to_owned(),
        None => data_dir.with_extension("stderr"),
    };
    let stderr = Stdio::from(std::fs::File::create(&stderr_path).unwrap());
    let db_url = url.map(str::to_owned);
    let mut command = Command::new(env!("CARGO_BIN_EXE_civic"));
    match url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    let mut child = command
        .args(["serve", "--demo"])
        .env("CIVIC_DATA_DIR", &data_dir)
        .env("CIVIC_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", if log.is_some() { "debug" } else { "info" })
        .env_remove("CIVIC_JWT_SECRET")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = String::new();
    let mut token = String::new();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("Civic Ledger is listening on ") {
            url = rest.trim().to_owned();
        }
        if line.starts_with("eyJ") {
            token = line.trim().to_owned();
            break;
        }
    }
    if url.is_empty() || token.is_empty() {
        // Standard output closed early: the server is stopping or has stopped.
        let ended = sigterm_and_wait(&mut child);
        let said = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        // No `Server` will clean up after it: its data dir and, unless asked for, its log.
        let _ = std::fs::remove_dir_all(&data_dir);
        if log.is_none() {
            let _ = std::fs::remove_file(&stderr_path);
        }
        panic!(
            "the server printed its address and a token; it printed {printed:?}, ended with \
             {ended:?} and said:\n{said}"
        );
    }
    Server {
        child,
        url,
        token,
        data_dir,
        db_url,
        printed,
        _stdout: lines,
    }
}

impl Server {
    /// A GraphQL request: (HTTP status, body).
    pub async fn gql(&self, token: Option<&str>, query: &str) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    /// A GraphQL request with variables and extra headers, as sent.
    pub async fn post(
        &self,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.url))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// A token signed with the server's secret for the service account of `role` (see
    /// [`Server::token`]), expiring `ttl_seconds` from now.
    pub fn token_for_seconds(&self, role: civic_commands::Role, ttl_seconds: i64) -> String {
        self.token(role.as_str(), None);
        let secret = std::fs::read_to_string(self.data_dir.join("jwt-secret")).unwrap();
        civic_gateway::auth::TokenKey::new(secret.trim().as_bytes()).issue(
            &civic_gateway::auth::Claims::new(
                &Server::subject(role.as_str(), None),
                role,
                Vec::new(),
                ttl_seconds,
            ),
        )
    }

    /// The service account the tests use for a role and community.
    pub fn subject(role: &str, community: Option<&str>) -> String {
        format!("测试-{role}-{}", community.unwrap_or("street"))
    }

    /// A token from `civic token issue` (which opens its service account in the log),
    /// signed with the server's secret.
    pub fn token(&self, role: &str, community: Option<&str>) -> String {
        self.token_with(role, community, "24")
    }

    /// A token with a lifetime in hours (negative: expired that long ago).
    pub fn token_with(&self, role: &str, community: Option<&str>, ttl: &str) -> String {
        let subject = Server::subject(role, community);
        let mut args = vec![
            "token",
            "issue",
            "--role",
            role,
            "--subject",
            &subject,
            "--ttl",
            ttl,
        ];
        if let Some(c) = community {
            args.extend(["--community", c]);
        }
        self.civic(&args).lines().last().unwrap().to_owned()
    }

    /// Runs `civic` with this server's database and data dir; its standard output.
    pub fn civic(&self, args: &[&str]) -> String {
        civic(self.db_url.as_deref(), &self.data_dir, args)
    }

    /// Stops with SIGTERM and returns whether it exited cleanly; says how it ended when it
    /// did not (a signal, an exit code, or the SIGKILL after [`STOP_WAIT`]), beside the
    /// failed test.
    pub fn stop(mut self) -> bool {
        let ended = self.terminate();
        if !ended.success() {
            eprintln!(
                "the server at {} ended with {ended} after SIGTERM",
                self.url
            );
        }
        ended.success()
    }

    /// SIGTERM, so that a server on the embedded cluster stops that cluster too; SIGKILL if
    /// it has not exited after [`STOP_WAIT`].
    fn terminate(&mut self) -> std::process::ExitStatus {
        match sigterm_and_wait(&mut self.child) {
            Some(status) => status,
            None => {
                let _ = self.child.kill();
                self.child.wait().unwrap()
            }
        }
    }
}

/// Sends SIGTERM to `child` (from this process, no `kill` to spawn) and waits for it to exit;
/// `None` if it is still running after [`STOP_WAIT`].
pub fn sigterm_and_wait(child: &mut Child) -> Option<std::process::ExitStatus> {
    let _ = rustix::process::kill_process(
        rustix::process::Pid::from_child(child),
        rustix::process::Signal::TERM,
    );
    let deadline = std::time::Instant::now() + STOP_WAIT;
    while std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}

/// A server a test did not stop (it failed first, or forgot) must not outlive the test run.
impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        let _ = std::fs::remove_file(self.data_dir.with_extension("stderr"));
    }
}

/// The error code of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}
