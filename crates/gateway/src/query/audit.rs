//! The log for auditors (and the street office).

use async_graphql::{Context, Object, Result, SimpleObject};
use civic_store::{LogFilter, RecordedEvent};

use super::helpers::{actor, auditor, services};
use crate::error::{error, internal, Code};

/// One event of the log.
#[derive(Debug, Clone, SimpleObject)]
pub struct LogEntry {
    /// Gapless position.
    pub position: i64,
    /// Event id.
    pub event_id: String,
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
    pub correlation_id: String,
    /// Command that caused it.
    pub command_id: Option<String>,
    /// Commit time (RFC 3339, UTC).
    pub recorded_at: String,
    /// Hash-chain link (hex).
    pub hash: String,
}

impl From<RecordedEvent> for LogEntry {
    fn from(e: RecordedEvent) -> Self {
        LogEntry {
            position: e.position,
            event_id: e.event_id.to_string(),
            stream_id: e.stream_id,
            stream_version: e.stream_version,
            event_type: e.event_type,
            schema_version: e.schema_version,
            payload: async_graphql::Json(e.payload),
            actor_id: e.metadata.actor_id,
            actor_role: e.metadata.actor_role,
            correlation_id: e.metadata.correlation_id.to_string(),
            command_id: e.metadata.command_id.map(|c| c.to_string()),
            recorded_at: e
                .recorded_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            hash: hex_string(&e.hash),
        }
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

/// The head of the chain.
#[derive(Debug, Clone, SimpleObject)]
pub struct Integrity {
    /// Last position.
    pub head_position: i64,
    /// Its hash (hex).
    pub head_hash: String,
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
    /// The log after a position, filtered; auditors and the street office only.
    #[allow(clippy::too_many_arguments)]
    async fn log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 0)] after: i64,
        #[graphql(default = 50)] first: i64,
        stream_id: Option<String>,
        actor_id: Option<String>,
        event_type: Option<String>,
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
            ..LogFilter::default()
        };
        let mut events = services
            .handler
            .store()
            .read_log_filtered(after, first + 1, &filter)
            .await
            .map_err(|e| internal(&e))?;
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
            .map_err(|e| internal(&e))?;
        if events.is_empty() {
            return Err(error(Code::NotFound, format!("no stream {stream_id}")));
        }
        Ok(events.into_iter().map(LogEntry::from).collect())
    }

    /// The head of the hash chain.
    async fn integrity(&self, ctx: &Context<'_>) -> Result<Integrity> {
        auditor(actor(ctx)?)?;
        let (head_position, hash) = services(ctx)
            .handler
            .store()
            .head()
            .await
            .map_err(|e| internal(&e))?;
        Ok(Integrity {
            head_position,
            head_hash: hex_string(&hash),
        })
    }

    /// Where each projector is.
    async fn projectors(&self, ctx: &Context<'_>) -> Result<Vec<ProjectorInfo>> {
        actor(ctx)?;
        let all = civic_projections::status(&services(ctx).pool)
            .await
            .map_err(|e| internal(&e))?;
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
