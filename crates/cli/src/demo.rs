//! `civic demo`.

use std::process::ExitCode;

use civic_commands::CommandHandler;
use civic_store::{EventStore, StoreConfig};

use crate::database::Database;
use crate::progress;

pub async fn run(db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
    let summary = load(&store).await?;
    println!(
        "demo: {} commands, {} applied, {} already applied, {} events appended, log head {}",
        summary.commands,
        summary.applied,
        summary.already_applied,
        summary.events,
        summary.position
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn load(store: &EventStore) -> anyhow::Result<civic_demo::Summary> {
    let handler = CommandHandler::new(store.clone());
    let bar = progress::bar(0, "loading the story");
    let summary = civic_demo::load(&handler, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    Ok(summary)
}
