//! Where each projector is: checkpoint, lag, state.

use sqlx::PgPool;

use crate::error::ProjectionError;
use crate::projector::all_projectors;
use crate::runtime::lock_key;

/// What a projector is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectorState {
    /// Some process holds its lock and drives it.
    Running,
    /// No process drives it now.
    Stopped,
    /// It stopped at a failing event.
    Failed {
        /// The event's position.
        position: i64,
        /// The error.
        error: String,
    },
    /// A rebuild is in progress (the live tables still serve).
    Rebuilding,
}

impl std::fmt::Display for ProjectorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectorState::Running => f.write_str("running"),
            ProjectorState::Stopped => f.write_str("stopped"),
            ProjectorState::Failed { position, error } => {
                write!(f, "failed at position {position}: {error}")
            }
            ProjectorState::Rebuilding => f.write_str("rebuilding"),
        }
    }
}

/// One projector's status.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectorStatus {
    /// Name.
    pub name: String,
    /// Version its rows were built with.
    pub version: i32,
    /// Version of the code.
    pub code_version: i32,
    /// Checkpoint.
    pub position: i64,
    /// Log head.
    pub head: i64,
    /// Events behind the head.
    pub lag_events: i64,
    /// Seconds since the oldest event it has not applied was committed (0 when caught up).
    pub lag_seconds: f64,
    /// State.
    pub state: ProjectorState,
}

/// version, position, failed position, error, rebuilding.
type CheckpointRow = (i32, i64, Option<i64>, Option<String>, bool);

/// The status of every projector of the service.
pub async fn status(pool: &PgPool) -> Result<Vec<ProjectorStatus>, ProjectionError> {
    let head = civic_store::read_head(pool).await?.0;
    let mut out = Vec::new();
    for projector in all_projectors() {
        let name = projector.name();
        let row: Option<CheckpointRow> = sqlx::query_as(
            "SELECT version, position, failed_position, error, rebuilding_since IS NOT NULL \
             FROM read.checkpoints WHERE projector = $1",
        )
        .bind(name)
        .fetch_optional(pool)
        .await?;
        let (version, position, failed, error, rebuilding) =
            row.unwrap_or((projector.version(), 0, None, None, false));
        let lag_seconds: Option<f64> = civic_store::recorded_at(pool, position + 1)
            .await?
            .map(|at| (time::OffsetDateTime::now_utc() - at).as_seconds_f64());
        let held: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND ((classid::bigint << 32) | objid::bigint) = $1)",
        )
        .bind(lock_key(name))
        .fetch_one(pool)
        .await?;
        let state = match (failed, rebuilding, held) {
            (Some(position), _, _) => ProjectorState::Failed {
                position,
                error: error.unwrap_or_default(),
            },
            (None, true, _) => ProjectorState::Rebuilding,
            (None, false, true) => ProjectorState::Running,
            (None, false, false) => ProjectorState::Stopped,
        };
        out.push(ProjectorStatus {
            name: name.to_owned(),
            version,
            code_version: projector.version(),
            position,
            head,
            lag_events: head - position,
            lag_seconds: lag_seconds.unwrap_or(0.0).max(0.0),
            state,
        });
    }
    Ok(out)
}
