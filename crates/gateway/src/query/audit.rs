//! The log for auditors (and the street office).

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};
use civic_store::{LogFilter, RecordedEvent};

use uuid::Uuid;

use super::helpers::{actor, auditor, fresh, services};
use crate::error::{error, from_sql, from_store, internal, Code};
use crate::scalars::DateTime;

/// One event of the log.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct LogEntry {
    /// Gapless position.
    pub position: i64,
    /// Event id.
    pub event_id: Uuid,
    /// Stream.
    pub stream_id: String,
    /// Version within the stream.
    pub stream_version: i64,
    /// Type.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: i32,
    /// Payload.
    pub payload: async_graphql::Json<serde_json::Value>,
    /// Who.
    pub actor_id: String,
    /// In which role.
    pub actor_role: String,
    /// Request it belongs to.
    pub correlation_id: Uuid,
    /// Command that caused it.
    pub command_id: Option<Uuid>,
    /// Commit time (UTC).
    pub recorded_at: DateTime,
    /// Hash-chain link (hex).
    pub hash: String,
}

impl From<RecordedEvent> for LogEntry {
    fn from(e: RecordedEvent) -> Self {
        LogEntry {
            position: e.position,
            event_id: e.event_id,
            stream_id: e.stream_id,
            stream_version: e.stream_version,
            event_type: e.event_type,
            schema_version: e.schema_version,
            payload: async_graphql::Json(e.payload.value()),
            actor_id: e.metadata.actor_id,
            actor_role: e.metadata.actor_role,
            correlation_id: e.metadata.correlation_id,
            command_id: e.metadata.command_id,
            recorded_at: DateTime(e.recorded_at),
            hash: hex_string(&e.hash),
        }
    }
}

#[ComplexObject]
impl LogEntry {
    /// Who, by the name their account shows now; null when the actor has no account (the
    /// command line, the people the demo story names).
    async fn actor_name(&self, ctx: &Context<'_>) -> Option<String> {
        services(ctx).accounts.display_name(&self.actor_id)
    }
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A page of the log.
#[derive(Debug, Clone, SimpleObject)]
pub struct LogPage {
    /// Entries in log order.
    pub entries: Vec<LogEntry>,
    /// Pass as `after` for the next page.
    pub end_position: i64,
    /// Whether more follow.
    pub has_more: bool,
}

/// The head of the chain and the last verification.
#[derive(Debug, Clone, SimpleObject)]
pub struct Integrity {
    /// Last position.
    pub head_position: i64,
    /// Its hash (hex).
    pub head_hash: String,
    /// The last `civic audit verify`, if any ran.
    pub last_verification: Option<Verification>,
}

/// The outcome of one `civic audit verify`.
#[derive(Debug, Clone, SimpleObject)]
pub struct Verification {
    /// When (UTC).
    pub verified_at: DateTime,
    /// Head position at the time.
    pub head_position: i64,
    /// Whether the chain held.
    pub passed: bool,
    /// What it found.
    pub message: String,
}

/// A stream's state as of a position.
#[derive(Debug, Clone, SimpleObject)]
pub struct StreamState {
    /// The stream.
    pub stream_id: String,
    /// The log position the state is as of.
    pub as_of_position: i64,
    /// The stream's version at that position.
    pub version: i64,
    /// The aggregate's state, folded from its events.
    pub state: async_graphql::Json<serde_json::Value>,
}

/// The span of the log on both time axes.
#[derive(Debug, Clone, SimpleObject)]
pub struct TimeRange {
    /// The earliest moment something recorded happened.
    pub happened_from: DateTime,
    /// The latest moment something recorded happened.
    pub happened_to: DateTime,
    /// The first commit.
    pub recorded_from: DateTime,
    /// The last commit.
    pub recorded_to: DateTime,
}

/// A projector's progress.
#[derive(Debug, Clone, SimpleObject)]
pub struct ProjectorInfo {
    /// Name.
    pub name: String,
    /// Checkpoint.
    pub position: i64,
    /// Events behind the head.
    pub lag_events: i64,
    /// Seconds behind.
    pub lag_seconds: f64,
    /// `running`, `stopped`, `rebuilding`, or `failed at position …`.
    pub state: String,
}

/// Auditor queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The log after a position, filtered (by stream, actor, event type, and commit time up
    /// to `recordedUntil`); auditors and the street office only.
    #[allow(clippy::too_many_arguments)]
    async fn log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 0)] after: i64,
        #[graphql(default = 50)] first: i64,
        stream_id: Option<String>,
        actor_id: Option<String>,
        event_type: Option<String>,
        recorded_until: Option<DateTime>,
    ) -> Result<LogPage> {
        auditor(actor(ctx)?)?;
        let services = services(ctx);
        if !(1..=services.limits.max_page_size).contains(&first) {
            return Err(error(
                Code::Validation,
                format!("first must be from 1 to {}", services.limits.max_page_size),
            ));
        }
        let filter = LogFilter {
            stream_id,
            actor_id,
            event_type,
            recorded_until: recorded_until.map(|at| at.0),
            ..LogFilter::default()
        };
        let mut events = services
            .handler
            .store()
            .read_log_filtered(after, first + 1, &filter)
            .await
            .map_err(from_store)?;
        let has_more = events.len() as i64 > first;
        events.truncate(first as usize);
        let end_position = events.last().map_or(after, |e| e.position);
        Ok(LogPage {
            entries: events.into_iter().map(LogEntry::from).collect(),
            end_position,
            has_more,
        })
    }

    /// One stream's events in order.
    async fn stream_history(&self, ctx: &Context<'_>, stream_id: String) -> Result<Vec<LogEntry>> {
        auditor(actor(ctx)?)?;
        let events = services(ctx)
            .handler
            .store()
            .read_stream(&stream_id, 1)
            .await
            .map_err(from_store)?;
        if events.is_empty() {
            return Err(error(Code::NotFound, format!("no stream {stream_id}")));
        }
        Ok(events.into_iter().map(LogEntry::from).collect())
    }

    /// The head of the hash chain.
    async fn integrity(&self, ctx: &Context<'_>) -> Result<Integrity> {
        auditor(actor(ctx)?)?;
        let services = services(ctx);
        let (head_position, hash) = services.handler.store().head().await.map_err(from_store)?;
        let last_verification = civic_store::verify::last_verification(&services.pool)
            .await
            .map_err(from_store)?
            .map(|v| Verification {
                verified_at: DateTime(v.verified_at),
                head_position: v.head_position,
                passed: v.passed,
                message: v.message,
            });
        Ok(Integrity {
            head_position,
            head_hash: hex_string(&hash),
            last_verification,
        })
    }

    /// A stream's aggregate state as the record has it, on either time axis or both: as
    /// recorded at a log position or a moment (`atPosition`, `asRecordedAt`; `atTime` is the
    /// older name of `asRecordedAt`), and as things happened by the end of a day
    /// (`asHappenedOn`: only the events whose fact happened on or before that day, China
    /// time). The latest state when no cut is given.
    #[allow(clippy::too_many_arguments)] // the stream and its three cuts
    async fn stream_state(
        &self,
        ctx: &Context<'_>,
        stream_id: String,
        at_position: Option<i64>,
        at_time: Option<DateTime>,
        as_recorded_at: Option<DateTime>,
        as_happened_on: Option<time::Date>,
    ) -> Result<StreamState> {
        auditor(actor(ctx)?)?;
        let services = services(ctx);
        let head = services.handler.store().head().await.map_err(from_store)?.0;
        let position = match (at_position, as_recorded_at.or(at_time)) {
            (Some(p), _) => p,
            (None, Some(at)) => civic_store::last_position_recorded_by(&services.pool, at.0)
                .await
                .map_err(crate::error::from_store)?,
            (None, None) => i64::MAX,
        };
        // The whole stream, read once: a later dated event settles when an earlier undated
        // one happened, and the fold takes the events that pass the cut.
        let events = services
            .handler
            .store()
            .read_stream(&stream_id, 1)
            .await
            .map_err(from_store)?;
        let happened = match as_happened_on {
            None => None,
            Some(day) => {
                let end = day
                    .next_day()
                    .ok_or_else(|| error(Code::Validation, "asHappenedOn is out of range"))?
                    .midnight()
                    .assume_offset(civic_domain::happened::LOCAL_OFFSET);
                Some(
                    civic_projections::happened::happened_before(&events, end)
                        .map_err(crate::error::from_projection)?,
                )
            }
        };
        let kept: Vec<civic_store::RecordedEvent> = events
            .into_iter()
            .filter(|e| {
                e.position <= position && happened.as_ref().is_none_or(|h| h.contains(&e.position))
            })
            .collect();
        let (version, state) = fold_stream(&stream_id, &kept)?;
        if version == 0 {
            return Err(error(
                Code::NotFound,
                format!("stream {stream_id} has no events at that point"),
            ));
        }
        Ok(StreamState {
            stream_id,
            as_of_position: position.min(head),
            version,
            state: async_graphql::Json(state),
        })
    }

    /// A community's read models as they stood on either time axis or both (the report of
    /// `civic audit replay`: dashboard, open issues, property, heating, access), replayed
    /// from the log into a scratch schema. Auditors and the street office only; one replay
    /// runs at a time.
    async fn replay(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        as_recorded_at: Option<DateTime>,
        as_happened_on: Option<time::Date>,
    ) -> Result<async_graphql::Json<serde_json::Value>> {
        auditor(actor(ctx)?)?;
        // A replay reads the whole log: one at a time, the others wait their turn.
        static ONE_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
        let _turn = ONE_AT_A_TIME.acquire().await.map_err(|e| internal(&e))?;
        let services = services(ctx);
        let cut = civic_projections::Cut {
            recorded_until: as_recorded_at.map(|at| at.0),
            happened_by: as_happened_on,
        };
        let report = civic_projections::replay_report(
            services.handler.store(),
            cut,
            Some(&community_id),
            |_| {},
        )
        .await
        .map_err(crate::error::from_projection)?;
        Ok(async_graphql::Json(report))
    }

    /// The span of the log on both time axes (for a time slider): the first and last
    /// moments things happened, and the first and last commit times.
    async fn time_range(&self, ctx: &Context<'_>) -> Result<Option<TimeRange>> {
        auditor(actor(ctx)?)?;
        let services = services(ctx);
        let head = services.handler.store().head().await.map_err(from_store)?.0;
        fresh(ctx, Some(head), &["happened_spans"]).await?;
        let happened = civic_projections::queries::times::range(&services.pool)
            .await
            .map_err(from_sql)?;
        let every = LogFilter::default();
        let first = civic_store::read_log(&services.pool, 0, 1, &every)
            .await
            .map_err(from_store)?;
        let last = civic_store::read_log(&services.pool, head - 1, 1, &every)
            .await
            .map_err(from_store)?;
        Ok(match (happened, first.first(), last.first()) {
            (Some((from, to)), Some(first), Some(last)) => Some(TimeRange {
                happened_from: DateTime(from),
                happened_to: DateTime(to),
                recorded_from: DateTime(first.recorded_at),
                recorded_to: DateTime(last.recorded_at),
            }),
            _ => None,
        })
    }

    /// Where each projector is.
    async fn projectors(&self, ctx: &Context<'_>) -> Result<Vec<ProjectorInfo>> {
        actor(ctx)?;
        let all = civic_projections::status(&services(ctx).pool)
            .await
            .map_err(crate::error::from_projection)?;
        Ok(all
            .into_iter()
            .map(|s| ProjectorInfo {
                name: s.name,
                position: s.position,
                lag_events: s.lag_events,
                lag_seconds: s.lag_seconds,
                state: s.state.to_string(),
            })
            .collect())
    }
}

/// Folds the `kept` events of a stream of any aggregate into its state, as JSON.
fn fold_stream(
    stream_id: &str,
    kept: &[civic_store::RecordedEvent],
) -> Result<(i64, serde_json::Value)> {
    use civic_domain::{
        activity::Activity, charity::Charity, community::Community, compound::Compound,
        heating::Heating, issue::Issue, newsroom::Newsroom,
    };
    fn fold<A: civic_domain::Aggregate>(
        kept: &[civic_store::RecordedEvent],
    ) -> Result<(i64, serde_json::Value)>
    where
        A::State: serde::Serialize,
    {
        let loaded =
            civic_commands::fold_recorded::<A>(kept).map_err(crate::error::from_command)?;
        Ok((
            loaded.version,
            serde_json::to_value(&loaded.state).map_err(|e| internal(&e))?,
        ))
    }
    let (prefix, _) = civic_domain::split_stream_id(stream_id)
        .ok_or_else(|| error(Code::NotFound, format!("no stream {stream_id}")))?;
    use civic_domain::Aggregate as _;
    match prefix {
        p if p == Community::PREFIX => fold::<Community>(kept),
        p if p == Compound::PREFIX => fold::<Compound>(kept),
        p if p == Issue::PREFIX => fold::<Issue>(kept),
        p if p == Heating::PREFIX => fold::<Heating>(kept),
        p if p == Newsroom::PREFIX => fold::<Newsroom>(kept),
        p if p == Activity::PREFIX => fold::<Activity>(kept),
        p if p == Charity::PREFIX => fold::<Charity>(kept),
        _ => Err(error(Code::NotFound, format!("no stream {stream_id}"))),
    }
}
