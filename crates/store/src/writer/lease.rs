//! The writer lease: a session-level advisory lock and what the writer knows while it holds it.
//!
//! The lock is taken in its own statement and the head is read in the next one, so that read
//! sees every commit of the previous holder (a holder hands the lease back only after all of
//! its batches have finished). From then on no other process appends, so the head, its hash
//! and the versions and command ids this writer has written are exact without re-reading;
//! they include batches that are still committing, whose successors build on them. What the
//! lease knows of command ids applied before it is only what it has looked up.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use sqlx::pool::PoolConnection;
use sqlx::{Executor, PgPool, Postgres};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Request, MAX_HOLD};
use crate::chain::{self, Header};
use crate::error::StoreError;
use crate::event::{AppendResult, AppliedCommand};

/// Key of the advisory lock that serialises appends across processes ("civic-ap").
pub(crate) const WRITER_LOCK: i64 = 0x6369_7669_632d_6170;

pub(super) struct Lease {
    conn: PoolConnection<Postgres>,
    taken: Instant,
    head: i64,
    head_hash: [u8; 32],
    /// Versions of the streams read or written in this lease.
    versions: HashMap<String, i64>,
    /// The command ids read or applied in this lease (`None`: not applied).
    applied: HashMap<Uuid, Option<AppliedCommand>>,
    /// Set by a batch that failed: what this lease knows may not hold, renew it.
    pub poisoned: Arc<AtomicBool>,
    released: bool,
}

/// What became of one request, decided under the lease.
pub(super) enum Outcome {
    Rejected(StoreError),
    Accepted(AppendResult),
}

impl Outcome {
    fn of(answer: Result<AppendResult, StoreError>) -> Self {
        match answer {
            Ok(result) => Outcome::Accepted(result),
            Err(error) => Outcome::Rejected(error),
        }
    }
}

/// Where one accepted event goes.
pub(super) struct Assigned {
    pub position: i64,
    pub stream_version: i64,
    pub event_id: Uuid,
    pub hash: [u8; 32],
}

/// A decided batch: one outcome per request, and for the accepted (non-duplicate) requests,
/// in order, where each of their events goes.
pub(super) struct Plan {
    pub outcomes: Vec<Outcome>,
    pub written: Vec<usize>,
    pub assigned: Vec<Assigned>,
    pub recorded_at: OffsetDateTime,
    /// The last position of the batch (unchanged head when nothing is written).
    pub last_position: i64,
}

impl Lease {
    pub async fn acquire(pool: &PgPool) -> Result<Lease, StoreError> {
        let mut conn = pool.acquire().await?;
        // The writer's reads (`learn`) run on this connection and look up arrays of ids
        // (`= ANY($1)`) in tables that grow from nothing. A generic plan cached while a table
        // was small keeps scanning it whole after it has grown, until something analyzes it;
        // so while it holds the lease the connection plans each statement for its
        // parameters. `release` resets the setting before the connection goes back.
        let take = format!(
            "SELECT pg_advisory_lock({WRITER_LOCK}); SET plan_cache_mode = force_custom_plan"
        );
        if let Err(error) = (&mut *conn).execute(take.as_str()).await {
            // The lock may have been granted before the failure: never pool such a session.
            conn.close_on_drop();
            return Err(error.into());
        }
        let (head, head_hash) = match crate::log::head(&mut *conn).await {
            Ok(head) => head,
            Err(error) => {
                // Do not hand a connection that holds the lock back to the pool.
                conn.close_on_drop();
                return Err(error);
            }
        };
        Ok(Lease {
            conn,
            taken: Instant::now(),
            head,
            head_hash,
            versions: HashMap::new(),
            applied: HashMap::new(),
            poisoned: Arc::new(AtomicBool::new(false)),
            released: false,
        })
    }

    /// Whether the lease should be handed back before the next batch.
    pub fn due(&self) -> bool {
        self.poisoned.load(std::sync::atomic::Ordering::Relaxed) || self.taken.elapsed() > MAX_HOLD
    }

    /// Hands the lease back; call only when none of its batches is in flight.
    pub async fn release(mut self) {
        let hand_back = format!("SELECT pg_advisory_unlock({WRITER_LOCK}); RESET plan_cache_mode");
        let unlocked = (&mut *self.conn).execute(hand_back.as_str()).await;
        // On failure, `Drop` closes the session, which releases the lock as well.
        self.released = unlocked.is_ok();
    }

    /// Decides every request of `batch`: reads what this lease does not know yet, checks
    /// command ids and expected versions, assigns positions and computes the hash chain.
    ///
    /// A command id this lease has neither applied nor read is presumed new, and is not
    /// looked up: almost every command id is new, and a lookup is a round trip on the path
    /// every append waits for. The database still decides: a command id applied before
    /// violates `events_command_key`, which fails its batch, and the writer then
    /// decides that batch's requests again, this time looking their command ids up
    /// ([`Request::recheck`]). Only a request about to be refused for its expected version is
    /// looked up at once, since a retried command gets its first result, not a conflict.
    pub async fn decide(&mut self, batch: &[Request]) -> Result<Plan, StoreError> {
        self.learn(batch).await?;
        let recorded_at = chain::truncate_to_micros(OffsetDateTime::now_utc());
        let mut plan = Plan {
            outcomes: Vec::with_capacity(batch.len()),
            written: Vec::with_capacity(batch.len()),
            assigned: Vec::new(),
            recorded_at,
            last_position: self.head,
        };
        for (index, request) in batch.iter().enumerate() {
            if let Some(answer) = self.known_prior(request) {
                plan.outcomes.push(Outcome::of(answer));
                continue;
            }
            let actual = self.versions.get(&request.stream).copied().unwrap_or(0);
            if !request.expected.admits(actual) {
                if let Some(answer) = self.prior(request).await? {
                    plan.outcomes.push(Outcome::of(answer));
                    continue;
                }
                plan.outcomes.push(Outcome::Rejected(StoreError::Conflict {
                    stream: request.stream.clone(),
                    expected: request.expected,
                    actual,
                }));
                continue;
            }
            let first_position = self.head + 1;
            let mut version = actual;
            for event in &request.events {
                self.head += 1;
                version += 1;
                let event_id = Uuid::now_v7();
                let header = Header {
                    position: self.head,
                    event_id: &event_id,
                    stream_id: &request.stream,
                    stream_version: version,
                    event_type: &event.event_type,
                    schema_version: event.schema_version,
                    recorded_at,
                    metadata: &request.metadata,
                };
                self.head_hash = chain::link_parts(&self.head_hash, &header, &event.payload);
                plan.assigned.push(Assigned {
                    position: self.head,
                    stream_version: version,
                    event_id,
                    hash: self.head_hash,
                });
            }
            self.versions.insert(request.stream.clone(), version);
            let result = AppendResult {
                first_position,
                last_position: self.head,
                stream_version: version,
                duplicate: false,
            };
            if let Some(id) = request.metadata.command_id {
                let applied = AppliedCommand {
                    result: AppendResult {
                        duplicate: true,
                        ..result
                    },
                    stream_id: request.stream.clone(),
                    actor_id: Some(request.metadata.actor_id.clone()),
                    fingerprint: request.metadata.command_fingerprint,
                };
                self.applied.insert(id, Some(applied));
            }
            plan.written.push(index);
            plan.outcomes.push(Outcome::Accepted(result));
        }
        plan.last_position = self.head;
        Ok(plan)
    }

    /// Reads the versions of the batch's streams that this lease has not seen yet, and the
    /// results of the command ids of requests decided again. Nothing else writes while the
    /// lease is held, so what the database holds for them is current.
    async fn learn(&mut self, batch: &[Request]) -> Result<(), StoreError> {
        let mut streams: Vec<&str> = batch
            .iter()
            .map(|r| r.stream.as_str())
            .filter(|s| !self.versions.contains_key(*s))
            .collect();
        streams.sort_unstable();
        streams.dedup();
        let commands: Vec<Uuid> = batch
            .iter()
            .filter(|r| r.recheck())
            .filter_map(|r| r.metadata.command_id)
            .filter(|id| !self.applied.contains_key(id))
            .collect();
        // Two plain lookups, each sent only when needed: in a busy lease the streams are
        // known, and command ids are looked up only for requests decided again.
        if !streams.is_empty() {
            let known = crate::log::stream_versions(&mut *self.conn, &streams).await?;
            for stream in streams {
                self.versions.insert(stream.to_owned(), 0);
            }
            self.versions.extend(known);
        }
        self.look_up(&commands).await
    }

    /// The answer to a request whose command id this lease knows was applied: its first
    /// result for a retry of the same request, a refusal for another request.
    fn known_prior(&self, request: &Request) -> Option<Result<AppendResult, StoreError>> {
        let applied = self.applied.get(&request.metadata.command_id?)?.as_ref()?;
        Some(applied.answer(&request.stream, &request.metadata))
    }

    /// The same, looking the command id up unless this lease already knows it.
    async fn prior(
        &mut self,
        request: &Request,
    ) -> Result<Option<Result<AppendResult, StoreError>>, StoreError> {
        if let Some(id) = request
            .metadata
            .command_id
            .filter(|id| !self.applied.contains_key(id))
        {
            self.look_up(&[id]).await?;
        }
        Ok(self.known_prior(request))
    }

    /// Reads which of `commands` were applied, and what they answered, into this lease.
    async fn look_up(&mut self, commands: &[Uuid]) -> Result<(), StoreError> {
        if !commands.is_empty() {
            let found = crate::log::applied_commands(&mut *self.conn, commands).await?;
            for &id in commands {
                self.applied.insert(id, None);
            }
            for (id, applied) in found {
                self.applied.insert(id, Some(applied));
            }
        }
        Ok(())
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // A lease dropped without `release` (the writer is going away mid-batch) must not
        // return a locked session to the pool.
        if !self.released {
            self.conn.close_on_drop();
        }
    }
}
