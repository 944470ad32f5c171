use std::process::ExitCode;

use crate::database::Database;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The stream, e.g. `issue-longhe-huafu-gate`.
    stream: String,
}

pub async fn run(args: HistoryArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let events = civic_store::read_stream(&db.pool, &args.stream, 1).await?;
    if events.is_empty() {
        println!("no stream {}", args.stream);
        return Ok(ExitCode::FAILURE);
    }
    for e in &events {
        let mut fields = e.payload.value().to_string();
        if fields.chars().count() > 160 {
            fields = fields.chars().take(157).collect::<String>() + "...";
        }
        println!(
            "{:>4}  {}  {} ({})  {}  {}",
            e.stream_version,
            super::shanghai(e.recorded_at),
            e.metadata.actor_id,
            e.metadata.actor_role,
            e.event_type,
            fields
        );
    }
    println!(
        "{} events, positions {}..{}",
        events.len(),
        events[0].position,
        events[events.len() - 1].position
    );
    Ok(ExitCode::SUCCESS)
}
