//! `civic audit replay --as-of`: the read models as they stood at a moment, rebuilt from the
//! log into a scratch schema (the live models are never touched), reported as JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use civic_store::{EventStore, LogFilter, StoreConfig};
use serde_json::{json, Value};
use sqlx::PgPool;
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
    let as_of = match &args.as_of {
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
    let schema = format!("replay_{}", uuid::Uuid::new_v4().simple());
    let positions = match happened_by {
        Some(day) => Some(std::sync::Arc::new(
            happened_positions(&db.pool, day, as_of).await?,
        )),
        None => None,
    };
    let filter = LogFilter {
        recorded_until: as_of,
        positions,
        ..LogFilter::default()
    };
    // The day the report is about: the happened cut's, else the recorded cut's, in China.
    let as_of = match (happened_by, as_of) {
        (Some(day), _) => {
            day.next_day()
                .unwrap_or(day)
                .midnight()
                .assume_offset(civic_domain::happened::LOCAL_OFFSET)
                - time::Duration::MICROSECOND
        }
        (None, Some(at)) => at,
        (None, None) => OffsetDateTime::now_utc(),
    };
    let head = civic_store::read_head(&db.pool).await?.0;
    let bar = progress::bar(u64::try_from(head).unwrap_or(0), "replaying");
    let replayed = civic_projections::replay_all(&store, &schema, &filter, |p| {
        bar.set_position(u64::try_from(p).unwrap_or(0))
    })
    .await;
    bar.finish_and_clear();
    let report = match replayed {
        Ok(position) => {
            report(
                &db.pool,
                &schema,
                as_of,
                position,
                args.community.as_deref(),
            )
            .await
        }
        Err(error) => Err(error.into()),
    };
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&db.pool)
        .await?;
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

/// The positions of the events whose fact happened on or before `day` (and, with `recorded`,
/// that were recorded by then), each judged by the domain from the event itself, so the
/// replay needs no read model to be current.
async fn happened_positions(
    pool: &PgPool,
    day: time::Date,
    recorded: Option<OffsetDateTime>,
) -> anyhow::Result<Vec<i64>> {
    let end = day
        .next_day()
        .context("--happened-by is out of range")?
        .midnight()
        .assume_offset(civic_domain::happened::LOCAL_OFFSET);
    let filter = LogFilter {
        recorded_until: recorded,
        ..LogFilter::default()
    };
    let mut positions = Vec::new();
    let mut after = 0;
    loop {
        let page = civic_store::read_log(pool, after, 5_000, &filter).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        for event in &page {
            if civic_projections::models::event_times::happened_at(event)? < end {
                positions.push(event.position);
            }
        }
        after = last;
    }
    Ok(positions)
}

async fn rows(pool: &PgPool, sql: &str, community: &str) -> anyhow::Result<Vec<Value>> {
    let rows: Vec<Value> = sqlx::query_scalar(&format!("SELECT to_jsonb(t) FROM ({sql}) t"))
        .bind(community)
        .fetch_all(pool)
        .await?;
    Ok(rows)
}

/// Each community's dashboard, open issues, property status and heating progress.
pub async fn report(
    pool: &PgPool,
    s: &str,
    as_of: OffsetDateTime,
    position: i64,
    only: Option<&str>,
) -> anyhow::Result<Value> {
    use civic_projections::queries::report;
    let ids: Vec<String> = sqlx::query_scalar(&report::communities(s))
        .bind(only)
        .fetch_all(pool)
        .await?;
    let day = as_of.to_offset(time::macros::offset!(+8)).date();
    let mut communities = Vec::new();
    for id in ids {
        let dashboard = rows(pool, &report::dashboard(s), &id).await?;
        let open: Vec<Value> = sqlx::query_scalar(&format!(
            "SELECT to_jsonb(t) FROM ({}) t",
            report::open_issues(s)
        ))
        .bind(&id)
        .bind(day)
        .fetch_all(pool)
        .await?;
        let property = rows(pool, &report::property(s), &id).await?;
        let heating = rows(pool, &report::heating(s), &id).await?;
        let access = rows(pool, &report::access(s), &id).await?;
        communities.push(json!({
            "community": id,
            "dashboard": dashboard.into_iter().next(),
            "open_issues": open,
            "property": property,
            "heating": heating,
            "access": access,
        }));
    }
    Ok(json!({
        "as_of": super::shanghai(as_of),
        "log_position": position,
        "communities": communities,
    }))
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
