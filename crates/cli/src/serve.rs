//! `civic serve`: migrate, optionally load the demo, run projectors and the GraphQL server.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use civic_commands::CommandHandler;
use civic_gateway::auth::TokenKey;
use civic_gateway::schema::Services;
use civic_gateway::{build_schema, router, AppState, Limits};
use civic_projections::{all_projectors, Runtime};
use civic_store::{EventStore, StoreConfig};
use tokio::sync::watch;

use crate::database::Database;
use crate::Global;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CIVIC_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Load the source story when the log is empty, and print a street-admin token.
    #[arg(long, env = "CIVIC_DEMO")]
    demo: bool,
    /// Token signing secret (else one kept in the data dir).
    #[arg(long, env = "CIVIC_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
}

pub async fn run(args: ServeArgs, global: &Global, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
    let secret = crate::secret::load(args.jwt_secret.as_deref(), &global.data_dir)?;
    if args.demo && store.head().await?.0 == 0 {
        let summary = crate::demo::load(&store).await?;
        println!("loaded the demo story: {} events", summary.events);
    }
    let (stop, shutdown) = watch::channel(false);
    let projectors = Runtime::new(store.clone(), all_projectors()).spawn(shutdown);
    let limits = Limits::default();
    let schema = build_schema(Services {
        pool: db.pool.clone(),
        handler: CommandHandler::new(store),
        limits,
    });
    let state = AppState {
        schema,
        key: TokenKey::new(&secret),
        pool: db.pool.clone(),
        max_body_bytes: limits.max_body_bytes,
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("failed to listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    println!("Civic Ledger is listening on http://{address}");
    println!("GraphiQL: http://{address}/   GraphQL: http://{address}/graphql");
    match &db.connection.embedded {
        Some(cluster) => println!(
            "data: embedded PostgreSQL in {}",
            cluster.data_dir().display()
        ),
        None => println!("data: DATABASE_URL"),
    }
    if args.demo {
        println!("street-admin token (header `Authorization: Bearer …`):");
        println!("{}", crate::token::demo_token(&secret));
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(crate::shutdown::signal())
        .await
        .context("the server failed")?;
    let _ = stop.send(true);
    for task in projectors {
        let _ = task.await;
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}
