//! `civic audit replay --as-of`: the read models as they stood at a moment, rebuilt from the
//! log into a scratch schema (the live models are never touched), reported as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use civic_store::{EventStore, StoreConfig};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::database::Database;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Only the events recorded by this moment (with its offset, e.g.
    /// 2023-07-20T00:00:00+08:00): the record as it stood then.
    #[arg(long, required_unless_present = "happened_by")]
    as_of: Option<String>,
    /// The world as the record says it stood at the end of this day (China time): only the
    /// events whose fact happened on or before it, e.g. 2023-12-31. With `--as-of`, both cuts.
    #[arg(long)]
    happened_by: Option<String>,
    /// Only this community.
    #[arg(long)]
    community: Option<String>,
    /// Write the JSON report here (else to standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(args: ReplayArgs, db: &Database) -> anyhow::Result<ExitCode> {
    db.migrate().await?;
    let recorded_until = match &args.as_of {
        Some(text) => Some(OffsetDateTime::parse(text, &Rfc3339).context(
            "--as-of must be an RFC 3339 date-time with an offset, e.g. 2023-07-20T00:00:00+08:00",
        )?),
        None => None,
    };
    let happened_by = match &args.happened_by {
        Some(text) => Some(
            time::Date::parse(
                text,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .context("--happened-by must be a date, e.g. 2023-12-31")?,
        ),
        None => None,
    };
    let store = EventStore::open(db.pool.clone(), StoreConfig::default()).await?;
    let head = civic_store::read_head(&db.pool).await?.0;
    let bar = progress::bar(u64::try_from(head).unwrap_or(0), "replaying");
    let cut = civic_projections::Cut {
        recorded_until,
        happened_by,
    };
    let report = civic_projections::replay_report(&store, cut, args.community.as_deref(), |p| {
        bar.set_position(u64::try_from(p).unwrap_or(0))
    })
    .await;
    bar.finish_and_clear();
    let report = report?;
    let text = serde_json::to_string_pretty(&report)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("failed to write {}", path.display()))?;
            summary(&report, &mut std::io::stdout())?;
            println!("report: {}", path.display());
        }
        None => {
            println!("{text}");
            summary(&report, &mut std::io::stderr())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(report: &Value, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "as of {} (log position {})",
        report["as_of"].as_str().unwrap_or(""),
        report["log_position"]
    )?;
    for c in report["communities"].as_array().into_iter().flatten() {
        let d = &c["dashboard"];
        writeln!(
            out,
            "  {} {}: {} households, {} residents; {} open issues; {} compounds; {} heating projects",
            c["community"].as_str().unwrap_or(""),
            d["name"].as_str().unwrap_or(""),
            d["households"],
            d["residents"],
            c["open_issues"].as_array().map_or(0, Vec::len),
            c["property"].as_array().map_or(0, Vec::len),
            c["heating"].as_array().map_or(0, Vec::len),
        )?;
        for p in c["property"].as_array().into_iter().flatten() {
            writeln!(
                out,
                "    {}: {}",
                p["name"].as_str().unwrap_or(""),
                p["property_company"].as_str().unwrap_or("(none)")
            )?;
        }
    }
    Ok(())
}
