//! A private PostgreSQL cluster, started from the server binaries installed on the machine.
//!
//! Layout under the data dir (`CIVIC_DATA_DIR`, default `./.civic`):
//! `pg/data` (the cluster), `pg/run` (its Unix socket), `pg/postgres.log`.
//! PostgreSQL refuses to run as root, so when the caller is root the cluster's files belong
//! to the `postgres` user and its binaries run as that user. When that user cannot reach the
//! data dir (a clone under `/root`, a private temporary folder), the cluster goes to
//! `/var/tmp/civic-ledger/<digest of the data dir's path>` instead, and `serve` prints where.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

/// Port number in the socket's file name; the cluster listens on no TCP port at all.
const SOCKET_PORT: u16 = 5432;

/// Why the embedded cluster could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// No server binaries were found.
    #[error(
        "no DATABASE_URL and no PostgreSQL server binaries found (looked in `pg_config --bindir`, \
         /usr/lib/postgresql/*/bin and PATH): install them (e.g. `apt-get install postgresql`) \
         or set DATABASE_URL to an existing database"
    )]
    NoBinaries,
    /// The caller is root and there is no `postgres` user to run the server as.
    #[error("running as root needs a `postgres` system user to run the embedded PostgreSQL; create one or set DATABASE_URL")]
    NoPostgresUser,
    /// A server program failed.
    #[error("{program} failed: {detail}")]
    Command {
        /// The program that failed.
        program: String,
        /// Its output or exit status.
        detail: String,
    },
    /// The data directory could not be prepared.
    #[error("cannot prepare {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A running private cluster. Stop it with [`EmbeddedPostgres::stop`] when done; a cluster
/// that was already running when this process came (another `civic` command) is left alone.
/// One this process started and neither stopped nor [detached](EmbeddedPostgres::detach) is
/// stopped when the value is dropped (a command that failed part way, a test that panicked),
/// so that it does not outlive the process unseen.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Initialises the cluster under `root` on first use, then starts it unless it runs.
    pub async fn start(root: &Path) -> Result<Self, EmbeddedError> {
        let bin_dir = find_bin_dir().await.ok_or(EmbeddedError::NoBinaries)?;
        let run_as = if is_root()? {
            Some(postgres_user().ok_or(EmbeddedError::NoPostgresUser)?)
        } else {
            None
        };
        let root = absolute(root)?;
        std::fs::create_dir_all(&root).map_err(|source| EmbeddedError::Io {
            path: root.clone(),
            source,
        })?;
        let base = match run_as {
            Some(user) if !reachable(&root, user) => {
                let elsewhere = shared_place(&root);
                tracing::warn!(
                    data_dir = %root.display(),
                    cluster = %elsewhere.display(),
                    "the postgres user cannot reach the data dir; the embedded cluster lives elsewhere"
                );
                elsewhere
            }
            _ => root.join("pg"),
        };
        let cluster = EmbeddedPostgres {
            bin_dir,
            data_dir: base.join("data"),
            socket_dir: base.join("run"),
            run_as,
            started_here: false,
        };
        cluster.prepare_dirs(&root, &base)?;
        if !cluster.data_dir.join("PG_VERSION").exists() {
            cluster.initdb().await?;
        }
        let mut cluster = cluster;
        if !cluster.is_running().await {
            cluster.pg_ctl_start(&base.join("postgres.log")).await?;
            cluster.started_here = true;
        }
        Ok(cluster)
    }

    /// Connection options for `database` over the cluster's Unix socket.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(SOCKET_PORT)
            .username("postgres")
            .database(database)
    }

    /// The cluster's data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// A `postgres://` URL for tools such as psql.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@localhost:{SOCKET_PORT}/{database}?host={}",
            self.socket_dir.display()
        )
    }

    /// Stops the cluster if this process started it (fast shutdown: sessions are ended,
    /// committed data are on disk).
    pub async fn stop(mut self) -> Result<(), EmbeddedError> {
        if !self.started_here {
            return Ok(());
        }
        let data = self.data_dir.display().to_string();
        self.run("pg_ctl", &stop_args(&data)).await?;
        self.started_here = false;
        Ok(())
    }

    /// Leaves the cluster running after this value is gone, for later processes to reuse
    /// (a test suite's shared cluster).
    pub fn detach(mut self) {
        self.started_here = false;
    }

    fn prepare_dirs(&self, root: &Path, base: &Path) -> Result<(), EmbeddedError> {
        for dir in [root, base, &self.data_dir, &self.socket_dir] {
            std::fs::create_dir_all(dir).map_err(|source| EmbeddedError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        set_mode(&self.data_dir, 0o700)?;
        if let Some((uid, gid)) = self.run_as {
            for dir in [base, &self.data_dir, &self.socket_dir] {
                std::os::unix::fs::chown(dir, Some(uid), Some(gid)).map_err(|source| {
                    EmbeddedError::Io {
                        path: dir.to_path_buf(),
                        source,
                    }
                })?;
            }
        }
        Ok(())
    }

    async fn initdb(&self) -> Result<(), EmbeddedError> {
        let data = self.data_dir.display().to_string();
        tracing::info!(data_dir = %data, "initialising the embedded PostgreSQL cluster");
        let args = [
            "-D",
            &data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ];
        match self.run("initdb", &args).await {
            Ok(_) => Ok(()),
            // As root the server runs as `postgres`, which must be able to reach the directory.
            Err(EmbeddedError::Command { program, detail }) if self.run_as.is_some() && detail.contains("ermission denied") => {
                Err(EmbeddedError::Command {
                    program,
                    detail: format!(
                        "{detail} (the postgres user cannot reach {data}: set CIVIC_DATA_DIR to a directory it can reach, e.g. /var/tmp/civic)"
                    ),
                })
            }
            Err(other) => Err(other),
        }
    }

    async fn is_running(&self) -> bool {
        let data = self.data_dir.display().to_string();
        self.run("pg_ctl", &["-D", &data, "status"]).await.is_ok()
    }

    async fn pg_ctl_start(&self, log_file: &Path) -> Result<(), EmbeddedError> {
        let data = self.data_dir.display().to_string();
        let options = format!(
            "-c listen_addresses='' -k {} -p {SOCKET_PORT} -c max_connections=200 \
             -c fsync=on -c synchronous_commit=on",
            self.socket_dir.display()
        );
        let log = log_file.display().to_string();
        tracing::info!(data_dir = %data, "starting the embedded PostgreSQL cluster");
        self.run(
            "pg_ctl",
            &[
                "-D", &data, "-l", &log, "-o", &options, "-w", "-t", "60", "start",
            ],
        )
        .await
        .map(|_| ())
    }

    /// `program` of the server binaries with `args`, run as the cluster's user, its input
    /// closed.
    fn command(&self, program: &str, args: &[&str]) -> std::process::Command {
        use std::os::unix::process::CommandExt;
        let mut command = std::process::Command::new(self.bin_dir.join(program));
        command
            .args(args)
            .stdin(Stdio::null())
            .env("LC_ALL", "C.UTF-8");
        if let Some((uid, gid)) = self.run_as {
            // The caller's working directory may be closed to `postgres` (e.g. under /root).
            command.uid(uid).gid(gid).current_dir("/");
        }
        command
    }

    async fn run(&self, program: &str, args: &[&str]) -> Result<String, EmbeddedError> {
        let mut command = Command::from(self.command(program, args));
        command.kill_on_drop(false);
        // pg_ctl start leaves the server running with our stdout inherited unless redirected.
        let output = command
            .output()
            .await
            .map_err(|error| EmbeddedError::Command {
                program: program.to_owned(),
                detail: error.to_string(),
            })?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            let said = if stderr.is_empty() {
                String::from_utf8_lossy(&output.stdout).trim().to_owned()
            } else {
                stderr
            };
            Err(EmbeddedError::Command {
                program: program.to_owned(),
                detail: format!("{}: {said}", output.status),
            })
        }
    }
}

impl Drop for EmbeddedPostgres {
    /// Stops a cluster this process started and did not stop. A `Drop` cannot wait on a
    /// future, so `pg_ctl` runs blocking here: this is a failure's path, and a fast shutdown
    /// ends within seconds.
    fn drop(&mut self) {
        if !self.started_here {
            return;
        }
        let data = self.data_dir.display().to_string();
        let stopped = self
            .command("pg_ctl", &stop_args(&data))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match stopped {
            Ok(status) if status.success() => {}
            outcome => tracing::warn!(
                data_dir = %self.data_dir.display(),
                ?outcome,
                "the embedded PostgreSQL cluster could not be stopped"
            ),
        }
    }
}

/// `pg_ctl`'s arguments to stop the cluster in `data` by a fast shutdown (sessions are ended,
/// committed data are on disk), waiting until it is down.
fn stop_args(data: &str) -> [&str; 6] {
    ["-D", data, "-m", "fast", "-w", "stop"]
}

async fn find_bin_dir() -> Option<PathBuf> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output().await {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if output.status.success() && has_server(&dir) {
            return Some(dir);
        }
    }
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    versioned.sort();
    if let Some((_, dir)) = versioned.pop() {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| has_server(dir))
            .map(|dir| {
                // A PATH entry may hold symlinks to a versioned directory; use the real one.
                std::fs::canonicalize(dir.join("pg_ctl"))
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .filter(|d| has_server(d))
                    .unwrap_or(dir)
            })
    })
}

/// Whether the user `(uid, gid)` can traverse every directory down to `dir`, as the server
/// must to reach its data.
fn reachable(dir: &Path, (uid, gid): (u32, u32)) -> bool {
    dir.ancestors().all(|ancestor| {
        let Ok(meta) = std::fs::metadata(ancestor) else {
            return false;
        };
        let mode = meta.mode();
        if meta.uid() == uid {
            mode & 0o100 != 0
        } else if meta.gid() == gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        }
    })
}

/// Where the cluster of a data dir the postgres user cannot reach lives instead: under
/// `/var/tmp/civic-ledger`, in a directory named for the data dir's path, so the same data
/// dir finds the same cluster on every run.
fn shared_place(root: &Path) -> PathBuf {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
    PathBuf::from("/var/tmp/civic-ledger").join(&hex::encode(digest)[..16])
}

fn is_root() -> Result<bool, EmbeddedError> {
    let meta = std::fs::metadata("/proc/self").map_err(|source| EmbeddedError::Io {
        path: "/proc/self".into(),
        source,
    })?;
    Ok(meta.uid() == 0)
}

/// The uid and gid of the `postgres` user, from /etc/passwd.
fn postgres_user() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&"postgres") && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

fn absolute(path: &Path) -> Result<PathBuf, EmbeddedError> {
    std::path::absolute(path).map_err(|source| EmbeddedError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn set_mode(path: &Path, mode: u32) -> Result<(), EmbeddedError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|source| {
        EmbeddedError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}
