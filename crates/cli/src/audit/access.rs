//! `civic audit access`: who held which role over a community at a moment, as recorded.

use std::process::ExitCode;

use anyhow::Context;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::database::Database;

#[derive(Debug, clap::Args)]
pub struct AccessArgs {
    /// The moment (RFC 3339, e.g. 2023-08-04T12:00:00+08:00).
    #[arg(long)]
    as_of: String,
    /// The community, e.g. guangsha.
    #[arg(long)]
    community: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, sqlx::FromRow, serde::Serialize)]
struct Held {
    login: String,
    display_name: String,
    role: String,
    community_id: String,
    from_at: OffsetDateTime,
    until_at: Option<OffsetDateTime>,
}

pub async fn run(args: AccessArgs, db: &Database) -> anyhow::Result<ExitCode> {
    let at = OffsetDateTime::parse(&args.as_of, &Rfc3339)
        .context("--as-of must be an RFC 3339 date-time, e.g. 2023-08-04T12:00:00+08:00")?;
    let held: Vec<Held> =
        civic_projections::queries::access::access_as_of(&db.pool, at, &args.community).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&held)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "access to {} as recorded at {}:",
        args.community,
        super::shanghai(at)
    );
    if held.is_empty() {
        println!("  nobody");
    }
    for h in &held {
        let scope = if h.community_id.is_empty() {
            "whole street"
        } else {
            h.community_id.as_str()
        };
        let until = h.until_at.map_or_else(|| "now".to_owned(), super::shanghai);
        println!(
            "  {:<24} {:<12} {:<16} {:<14} {} .. {}",
            h.login,
            h.display_name,
            h.role,
            scope,
            super::shanghai(h.from_at),
            until
        );
    }
    Ok(ExitCode::SUCCESS)
}
