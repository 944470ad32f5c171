//! `civic audit …`: what auditors run.

mod verify;

use std::process::ExitCode;

use clap::Subcommand;

use crate::database::Database;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and name the first event that does not match.
    Verify(verify::VerifyArgs),
}

pub async fn run(command: AuditCommand, db: &Database) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify(args) => verify::run(args, db).await,
    }
}
