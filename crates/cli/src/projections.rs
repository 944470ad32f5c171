//! `civic projections status|rebuild`.

use std::process::ExitCode;

use civic_projections::{all_projectors, rebuild, status};
use civic_store::{EventStore, StoreConfig};
use clap::Subcommand;

use crate::database::Database;
use crate::progress;

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Each projector's checkpoint, lag and state.
    Status,
    /// Rebuild from position 0 into fresh tables, then swap them in.
    Rebuild {
        /// The projector to rebuild.
        name: Option<String>,
        /// Rebuild every projector.
        #[arg(long, conflicts_with = "name")]
        all: bool,
    },
}

pub async fn run(command: ProjectionsCommand, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    match command {
        ProjectionsCommand::Status => {
            println!(
                "{:<10} {:>9} {:>9} {:>10} {:>9}  state",
                "projector", "position", "head", "lag (ev)", "lag (s)"
            );
            for s in status(&db.pool).await? {
                println!(
                    "{:<10} {:>9} {:>9} {:>10} {:>9.1}  {}",
                    s.name, s.position, s.head, s.lag_events, s.lag_seconds, s.state
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ProjectionsCommand::Rebuild { name, all } => {
            let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
            let chosen: Vec<_> = all_projectors()
                .into_iter()
                .filter(|p| all || name.as_deref() == Some(p.name()))
                .collect();
            if chosen.is_empty() {
                anyhow::bail!(
                    "name a projector ({}) or pass --all",
                    all_projectors()
                        .iter()
                        .map(|p| p.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let names: Vec<&str> = chosen.iter().map(|p| p.name()).collect();
            let started = std::time::Instant::now();
            let bar = progress::bar(0, "rebuilding");
            let report = rebuild(&store, &chosen, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await?;
            bar.finish_and_clear();
            let secs = started.elapsed().as_secs_f64();
            println!(
                "rebuilt {} from {} events to position {} in {:.2} s ({:.0} events/s); the new tables are live",
                names.join(", "),
                report.events,
                report.position,
                secs,
                report.events as f64 / secs.max(1e-9)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
