//! The read models as they stood, on either time axis or both: the log replayed into a
//! scratch schema (the live models are never touched) up to a cut, reported per community
//! (dashboard, open issues, property, heating, access), and the scratch schema dropped.
//! Shared by `civic audit replay` and the gateway's `replay` query.

use std::sync::Arc;

use civic_store::{EventStore, LogFilter};
use serde_json::{json, Value};
use sqlx::PgPool;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::error::ProjectionError;
use crate::happened::{own_time, settle};

/// Where a replay stops.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cut {
    /// Only events recorded by this moment (the recorded axis).
    pub recorded_until: Option<OffsetDateTime>,
    /// Only events whose fact happened on or before this day, China time (the happened axis).
    pub happened_by: Option<Date>,
}

impl Cut {
    /// The moment the report is about: the end of the happened day, else the recorded moment,
    /// else now.
    pub fn moment(&self) -> OffsetDateTime {
        match (self.happened_by, self.recorded_until) {
            (Some(day), _) => end_of(day) - time::Duration::MICROSECOND,
            (None, Some(at)) => at,
            (None, None) => OffsetDateTime::now_utc(),
        }
    }
}

fn end_of(day: Date) -> OffsetDateTime {
    day.next_day()
        .unwrap_or(day)
        .midnight()
        .assume_offset(civic_domain::happened::LOCAL_OFFSET)
}

/// The positions of the events whose fact happened on or before `day` (and, with
/// `recorded`, that were recorded by then), judged from the events themselves (the rule of
/// `crate::happened`), so the cut needs no read model to be current.
pub async fn happened_positions(
    pool: &PgPool,
    day: Date,
    recorded: Option<OffsetDateTime>,
) -> Result<Vec<i64>, ProjectionError> {
    let end = end_of(day);
    let filter = LogFilter {
        recorded_until: recorded,
        ..LogFilter::default()
    };
    // Per stream, in order: (position, own time, commit time).
    let mut streams: std::collections::HashMap<
        String,
        Vec<(i64, Option<OffsetDateTime>, OffsetDateTime)>,
    > = std::collections::HashMap::new();
    let mut after = 0;
    loop {
        let page = civic_store::read_log(pool, after, 5_000, &filter).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        for event in &page {
            streams.entry(event.stream_id.clone()).or_default().push((
                event.position,
                own_time(event)?,
                event.recorded_at,
            ));
        }
        after = last;
    }
    let mut positions = Vec::new();
    for events in streams.values() {
        let times: Vec<_> = events.iter().map(|(_, own, at)| (*own, *at)).collect();
        for ((position, _, _), happened) in events.iter().zip(settle(&times)) {
            if happened < end {
                positions.push(*position);
            }
        }
    }
    positions.sort_unstable();
    Ok(positions)
}

async fn rows(pool: &PgPool, sql: &str, community: &str) -> Result<Vec<Value>, ProjectionError> {
    Ok(
        sqlx::query_scalar(&format!("SELECT to_jsonb(t) FROM ({sql}) t"))
            .bind(community)
            .fetch_all(pool)
            .await?,
    )
}

/// Replays the log up to `cut` into a scratch schema and reports each community (or only
/// `only`); `progress` gets the position reached.
pub async fn replay_report(
    store: &EventStore,
    cut: Cut,
    only: Option<&str>,
    progress: impl FnMut(i64),
) -> Result<Value, ProjectionError> {
    let pool = store.pool();
    let positions = match cut.happened_by {
        Some(day) => Some(Arc::new(
            happened_positions(pool, day, cut.recorded_until).await?,
        )),
        None => None,
    };
    let filter = LogFilter {
        recorded_until: cut.recorded_until,
        positions,
        ..LogFilter::default()
    };
    let schema = format!("replay_{}", uuid::Uuid::new_v4().simple());
    let replayed = crate::replay_all(store, &schema, &filter, progress).await;
    let report = match replayed {
        Ok(position) => report(pool, &schema, cut.moment(), position, only).await,
        Err(error) => Err(error),
    };
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(pool)
        .await?;
    report
}

/// Each community's dashboard, open issues, property status, heating progress and access,
/// from the read models in schema `s`.
async fn report(
    pool: &PgPool,
    s: &str,
    as_of: OffsetDateTime,
    position: i64,
    only: Option<&str>,
) -> Result<Value, ProjectionError> {
    use crate::queries::report;
    let ids: Vec<String> = sqlx::query_scalar(&report::communities(s))
        .bind(only)
        .fetch_all(pool)
        .await?;
    let local = as_of.to_offset(civic_domain::happened::LOCAL_OFFSET);
    let mut communities = Vec::new();
    for id in ids {
        let dashboard = rows(pool, &report::dashboard(s), &id).await?;
        let open: Vec<Value> = sqlx::query_scalar(&format!(
            "SELECT to_jsonb(t) FROM ({}) t",
            report::open_issues(s)
        ))
        .bind(&id)
        .bind(local.date())
        .fetch_all(pool)
        .await?;
        communities.push(json!({
            "community": id,
            "dashboard": dashboard.into_iter().next(),
            "open_issues": open,
            "property": rows(pool, &report::property(s), &id).await?,
            "heating": rows(pool, &report::heating(s), &id).await?,
            "access": rows(pool, &report::access(s), &id).await?,
        }));
    }
    Ok(json!({
        "as_of": local.format(&Rfc3339).unwrap_or_default(),
        "log_position": position,
        "communities": communities,
    }))
}
