//! The `civic` command: every operation of Civic Ledger from a shell.

/// mimalloc instead of the system allocator: a GraphQL answer is built from many small
/// allocations on every worker thread, where glibc's allocator spent a sixth of the
/// gateway benchmark's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod account;
mod audit;
mod bench;
mod database;
mod demo;
mod migrate;
mod progress;
mod projections;
mod secret;
mod serve;
mod shutdown;
mod telemetry;
mod token;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Civic Ledger: the verifiable governance record of a street office's communities.
#[derive(Debug, Parser)]
#[command(name = "civic", version, about)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// PostgreSQL URL of the service's database. Without it, a private PostgreSQL cluster is
    /// started (or reused) under the data dir from the server binaries installed here.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Where the embedded cluster and local secrets live.
    #[arg(long, env = "CIVIC_DATA_DIR", default_value = ".civic", global = true)]
    data_dir: PathBuf,
    /// Longest wait for a database connection, in milliseconds; past it a request answers
    /// `UNAVAILABLE` (HTTP 503) instead of queueing.
    #[arg(
        long,
        env = "CIVIC_DB_ACQUIRE_TIMEOUT_MS",
        default_value_t = 2_000,
        global = true
    )]
    db_acquire_timeout_ms: u64,
    /// Connections of the process's shared pool, which queries, health checks and the
    /// command handlers' reads of streams take turns on (the writer, each projector and
    /// each LISTEN session have connections of their own); from 1 to 1000.
    #[arg(
        long,
        env = "CIVIC_DB_CONNECTIONS",
        default_value_t = 32,
        value_parser = clap::value_parser!(u32).range(1..=1000),
        global = true
    )]
    db_connections: u32,
    /// Log as JSON lines instead of text (logs go to standard error).
    #[arg(long, env = "CIVIC_LOG_JSON", global = true)]
    log_json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the GraphQL service (projectors included).
    Serve(serve::ServeArgs),
    /// Apply the database migrations.
    Migrate,
    /// Load the source story through the command handlers (a second load changes nothing).
    Demo,
    /// Read-model projectors.
    #[command(subcommand)]
    Projections(projections::ProjectionsCommand),
    /// Bearer tokens for service accounts.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Staff accounts.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Audit the event log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Measure the service against a baseline measured in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.global.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Commands that need no database.
    let command = match cli.command {
        Command::Schema => {
            print!("{}", civic_gateway::schema::sdl());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Audit(command) if command.offline() => return audit::run_offline(command),
        command => command,
    };
    let db = database::Database::open(&cli.global).await?;
    let outcome = match command {
        // The server handles Ctrl-C and SIGTERM itself: in-flight requests finish first.
        Command::Serve(args) => serve::run(args, &cli.global, &db).await,
        command => tokio::select! {
            outcome = dispatch(command, &cli.global, &db) => outcome,
            () = shutdown::signal() => {
                eprintln!("interrupted");
                Ok(ExitCode::from(130))
            }
        },
    };
    // The embedded cluster is stopped whatever happened.
    db.close().await?;
    outcome
}

async fn dispatch(
    command: Command,
    global: &Global,
    db: &database::Database,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Migrate => migrate::run(db).await,
        Command::Demo => demo::run(db).await,
        Command::Projections(command) => projections::run(command, db).await,
        Command::Audit(command) => audit::run(command, db).await,
        Command::Bench(command) => bench::run(command, db).await,
        Command::Account(command) => account::run(command, db).await,
        Command::Token(command) => token::run(&command, global, db).await,
        Command::Serve(_) | Command::Schema => {
            anyhow::bail!("this command does not run through dispatch")
        }
    }
}
