//! `civic bench …`: figures against a baseline measured in the same run, in a scratch
//! database that is dropped afterwards (the service's own data are never touched).

mod append;
mod cpu;
mod dataset;
mod gateway;
mod projections;
mod scratch;
mod spread;

use std::process::ExitCode;

use clap::Subcommand;

use crate::database::Database;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Appends at batch sizes 1, 10, 100 and concurrency 1, 4, 16, beside plain INSERTs.
    Append(append::AppendArgs),
    /// A full rebuild of every projector beside a sequential scan, then live lag under load.
    Projections(projections::ProjectionsArgs),
    /// GraphQL queries and mutations beside a plain axum handler running the same SQL.
    Gateway(gateway::GatewayArgs),
}

pub async fn run(command: BenchCommand, db: &Database) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Append(args) => append::run(args, db).await,
        BenchCommand::Projections(args) => projections::run(args, db).await,
        BenchCommand::Gateway(args) => gateway::run(args, db).await,
    }
}

/// Parses a count that must be at least one (events, issues, clients, a batch): none of
/// them measures anything, and its rates would come out as NaN.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(error) => Err(error.to_string()),
    }
}

/// The longest a benchmark's `--seconds` may ask for: an hour.
const MAX_SECONDS: f64 = 3600.0;

/// Parses a measurement's `--seconds`: a time above zero and at most [`MAX_SECONDS`] (a
/// negative or not-a-number time cannot be waited for).
fn seconds(value: &str) -> Result<f64, String> {
    let seconds: f64 = value.parse().map_err(|e| format!("{e}"))?;
    if seconds > 0.0 && seconds <= MAX_SECONDS {
        Ok(seconds)
    } else {
        Err(format!("must be above 0 and at most {MAX_SECONDS}"))
    }
}

/// The value at quantile `p` (0 to 1) of `sorted` (ascending), 0 when it is empty.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0)
}

/// Writes out the dirty pages a load left, before anything is measured: a checkpoint that a
/// large load started would otherwise spread its writes over the first measurements and
/// flush its files in the middle of one of them. Only warns where the role may not
/// (`CHECKPOINT` needs a superuser or `pg_checkpoint`).
async fn checkpoint(pool: &sqlx::PgPool) {
    if let Err(error) = sqlx::raw_sql("CHECKPOINT").execute(pool).await {
        tracing::warn!(%error, "no checkpoint before measuring (CHECKPOINT needs a superuser or pg_checkpoint)");
    }
}
