//! `civic audit erase-person`: destroy a person's key and record the erasure.

use std::process::ExitCode;

use civic_commands::Actor;
use civic_store::{EventStore, StoreConfig};

use crate::database::Database;

#[derive(Debug, clap::Args)]
pub struct EraseArgs {
    /// The person whose personal data to erase.
    person: String,
    /// Who asks for it (recorded as the actor).
    #[arg(long, default_value = "杜甫路街道")]
    by: String,
}

pub async fn run(args: EraseArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
    let result = civic_commands::erase_person(
        &store,
        &Actor::system(&args.by),
        &args.person,
        uuid::Uuid::now_v7(),
    )
    .await?;
    println!(
        "erased personal data of {} (recorded at log position {})",
        args.person, result.last_position
    );
    Ok(ExitCode::SUCCESS)
}
