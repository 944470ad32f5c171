//! `civic serve`: migrate, optionally load the demo, run projectors and the GraphQL server.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use axum::http::HeaderValue;
use civic_commands::CommandHandler;
use civic_gateway::schema::Services;
use civic_gateway::{build_schema, metrics_router, router, AppState, Limits};
use civic_projections::{all_projectors, Runtime};
use civic_store::{EventStore, StoreConfig};
use tokio::sync::watch;

use crate::database::Database;
use crate::token::TokenArgs;
use crate::Global;

/// How long open connections may take to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CIVIC_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve `/metrics` on this address instead of the main one.
    #[arg(long, env = "CIVIC_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Origins (comma-separated, e.g. `https://admin.example.org`) whose pages may call the
    /// API from a browser; none by default (same origin only).
    #[arg(long, env = "CIVIC_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// Longest time a client may take to send a request's headers, in milliseconds.
    #[arg(long, env = "CIVIC_HEADER_READ_TIMEOUT_MS", default_value_t = 10_000)]
    header_read_timeout_ms: u64,
    /// Longest time a statement run for a request may take, in milliseconds: PostgreSQL
    /// then cancels it and the request answers `UNAVAILABLE` (HTTP 503). From 1 to
    /// 3,600,000; by default the 30 s after which the request itself is cut.
    #[arg(long, env = "CIVIC_STATEMENT_TIMEOUT_MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    statement_timeout_ms: u64,
    /// Longest time a WebSocket may stay open without `connection_init`, in milliseconds.
    #[arg(long, env = "CIVIC_WS_INIT_TIMEOUT_MS", default_value_t = 5_000)]
    ws_init_timeout_ms: u64,
    /// Load the source story and open demo accounts when the log is empty, and print a
    /// street-admin token. With a loopback address the refresh cookie may then go without
    /// `Secure`, so that a browser keeps it over plain `http://127.0.0.1`.
    #[arg(long, env = "CIVIC_DEMO")]
    demo: bool,
    /// Failed sign-ins in a row before a login is locked.
    #[arg(long, env = "CIVIC_SIGNIN_LOCK_AFTER", default_value_t = 5)]
    signin_lock_after: i32,
    /// The first lockout in seconds; each further failure doubles it, up to an hour.
    #[arg(long, env = "CIVIC_SIGNIN_LOCKOUT_SECONDS", default_value_t = 30)]
    signin_lockout_seconds: u64,
    #[command(flatten)]
    token: TokenArgs,
}

pub async fn run(args: ServeArgs, global: &Global, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    // Everything a request runs goes through this pool, the shared pool's size; the shared
    // pool itself, used for the migrations, is closed, so the process holds no more
    // connections than before.
    let pool = db.with_statement_timeout(Duration::from_millis(args.statement_timeout_ms));
    db.pool.close().await;
    let outcome = serve(args, global, db, pool.clone()).await;
    // Closed once everything `serve` made on it has been dropped, and waited for, before the
    // caller stops an embedded cluster: a connection handed back after that would find it
    // gone.
    pool.close().await;
    outcome
}

/// Serves until a shutdown signal, every request's statements on `pool`.
async fn serve(
    args: ServeArgs,
    global: &Global,
    db: &Database,
    pool: sqlx::PgPool,
) -> anyhow::Result<ExitCode> {
    let metrics = civic_gateway::metrics::install();
    tokio::spawn(civic_gateway::metrics::upkeep(metrics.clone()));
    let store = EventStore::open(pool.clone(), StoreConfig::default()).await?;
    let key = args.token.key(global)?;
    let handler = CommandHandler::new(store.clone());
    if args.demo {
        if store.head().await?.0 == 0 {
            let summary = crate::demo::load(&store).await?;
            println!("loaded the demo story: {} events", summary.events);
            crate::account::open_demo_accounts(&handler).await?;
        }
        crate::account::ensure_service(
            &handler,
            crate::token::DEMO_SUBJECT,
            civic_commands::Role::StreetAdmin,
            &[],
        )
        .await?;
    }
    let accounts = civic_gateway::accounts::AccountView::follow(store.clone()).await?;
    let signin = civic_gateway::signin::SignIn::new(
        civic_gateway::signin::SignInConfig {
            lock_after: args.signin_lock_after,
            lockout: Duration::from_secs(args.signin_lockout_seconds),
            secure_cookie: !(args.demo && args.listen.ip().is_loopback()),
            ..Default::default()
        },
        key.clone(),
        accounts.clone(),
        handler.clone(),
    );
    let cors_origins = args
        .cors_origins
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| HeaderValue::from_str(o.trim()).with_context(|| format!("bad CORS origin {o:?}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (stop, shutdown) = watch::channel(false);
    let reached = civic_projections::Reached::follow(&pool).await?;
    let projectors = Runtime::new(store.clone(), all_projectors())
        .with_reached(reached.clone())
        .spawn(shutdown);
    let limits = Limits {
        header_read_timeout_ms: args.header_read_timeout_ms,
        ws_init_timeout_ms: args.ws_init_timeout_ms,
        ..Limits::default()
    };
    let schema = build_schema(Services {
        pool: pool.clone(),
        handler,
        reached,
        limits,
        accounts: accounts.clone(),
        sessions: signin.sessions().clone(),
    });
    let state = AppState {
        schema,
        key: key.clone(),
        pool: pool.clone(),
        limits,
        metrics: metrics.clone(),
        cors_origins,
        metrics_here: args.metrics_listen.is_none(),
        accounts,
        signin,
    };
    // Installed before the address is printed, so whoever reads it may stop us at once.
    let shutdown_signal = crate::shutdown::signal();
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("failed to listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let header_timeout = Duration::from_millis(limits.header_read_timeout_ms);
    if let Some(metrics_address) = args.metrics_listen {
        let metrics_listener = tokio::net::TcpListener::bind(metrics_address)
            .await
            .with_context(|| format!("failed to listen on {metrics_address}"))?;
        println!("metrics: http://{}/metrics", metrics_listener.local_addr()?);
        tokio::spawn(civic_gateway::serve(
            metrics_listener,
            metrics_router(metrics),
            header_timeout,
            DRAIN,
            std::future::pending(),
        ));
    }
    println!("Civic Ledger is listening on http://{address}");
    println!("Admin app: http://{address}/   GraphiQL: http://{address}/graphiql   GraphQL: http://{address}/graphql");
    if !civic_web::built() {
        println!("(the admin app was not built: install Node.js and npm, then build again)");
    }
    match &db.connection.embedded {
        Some(cluster) => println!(
            "data: embedded PostgreSQL in {}",
            cluster.data_dir().display()
        ),
        None => println!("data: DATABASE_URL"),
    }
    if args.demo {
        println!("street-admin token (header `Authorization: Bearer …`):");
        println!("{}", crate::token::demo_token(&key));
    }
    civic_gateway::serve(
        listener,
        router(state),
        header_timeout,
        DRAIN,
        shutdown_signal,
    )
    .await;
    let _ = stop.send(true);
    for task in projectors {
        let _ = task.await;
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}
