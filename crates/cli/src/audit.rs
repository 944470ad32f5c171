//! `civic audit …`: what auditors run. Long work shows a progress bar on a terminal and
//! ends with a summary.

mod access;
mod checkpoint;
mod erase;
mod export;
mod history;
mod replay;
mod verify;

use std::process::ExitCode;

use clap::Subcommand;

use crate::database::Database;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain (of the database, or of an export file) and name the first
    /// event that does not match.
    Verify(verify::VerifyArgs),
    /// Make an Ed25519 key for signing checkpoints (keep it outside the database).
    Keygen(checkpoint::KeygenArgs),
    /// Print the head position and hash, signed.
    Checkpoint(checkpoint::CheckpointArgs),
    /// Every event with its metadata and hash, in log order.
    Export(export::ExportArgs),
    /// One stream's events as a readable timeline.
    History(history::HistoryArgs),
    /// The read models as they stood at a moment, rebuilt into a scratch schema.
    Replay(replay::ReplayArgs),
    /// Erase a person's personal data by destroying their key (the log stays verifiable).
    ErasePerson(erase::EraseArgs),
    /// Who held which role over a community at a moment, as recorded then.
    Access(access::AccessArgs),
}

impl AuditCommand {
    /// Whether the command works without a database.
    pub fn offline(&self) -> bool {
        matches!(self, AuditCommand::Keygen(_))
            || matches!(self, AuditCommand::Verify(args) if args.is_offline())
    }
}

pub async fn run(command: AuditCommand, db: &Database) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify(args) => verify::run(args, db).await,
        AuditCommand::Access(args) => access::run(args, db).await,
        AuditCommand::Keygen(args) => checkpoint::keygen(args),
        AuditCommand::Checkpoint(args) => checkpoint::run(args, db).await,
        AuditCommand::Export(args) => export::run(args, db).await,
        AuditCommand::History(args) => history::run(args, db).await,
        AuditCommand::Replay(args) => replay::run(args, db).await,
        AuditCommand::ErasePerson(args) => erase::run(args, db).await,
    }
}

/// Runs the commands that need no database.
pub fn run_offline(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Keygen(args) => checkpoint::keygen(args),
        AuditCommand::Verify(args) => verify::run_file(args),
        other => anyhow::bail!("{other:?} needs the database"),
    }
}

/// Times are shown in China Standard Time (Asia/Shanghai, UTC+8 all year).
pub fn shanghai(at: time::OffsetDateTime) -> String {
    at.to_offset(time::macros::offset!(+8))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
