//! Recomputing the hash chain from the stored rows.

use sqlx::PgPool;

use crate::chain;
use crate::error::StoreError;
use crate::event::RecordedEvent;
use crate::log::{self, LogFilter};

/// Rows read per round trip while verifying.
const PAGE: i64 = 5_000;

/// What a successful verification covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events whose hash was recomputed.
    pub checked: u64,
    /// Position of the last event checked (0 when none).
    pub last_position: i64,
    /// Hash of the last event checked.
    pub last_hash: [u8; 32],
}

/// Why a verification failed: the first position that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// The stored hash differs from the recomputed one: the event or one before it changed.
    #[error(
        "event {position} (stream {stream_id}) does not match its hash: the event was altered"
    )]
    HashMismatch {
        /// Log position of the first bad event.
        position: i64,
        /// Its stream.
        stream_id: String,
    },
    /// A position is missing: an event was removed.
    #[error(
        "event {position} is missing from the log (next present: {found}): an event was removed"
    )]
    Missing {
        /// The position that should be there.
        position: i64,
        /// The position found instead (0 when the log ends there).
        found: i64,
    },
}

/// The failure of a verification run.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The chain does not hold.
    #[error(transparent)]
    Broken(#[from] ChainBreak),
    /// The log could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Walks events in order and checks each against the chain, remembering where it is.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_position: i64,
    previous_hash: [u8; 32],
    checked: u64,
}

impl ChainVerifier {
    /// Starts at `from_position` (1-based), trusting `previous_hash` as the hash before it.
    pub fn new(from_position: i64, previous_hash: [u8; 32]) -> Self {
        ChainVerifier {
            expected_position: from_position,
            previous_hash,
            checked: 0,
        }
    }

    /// Checks the next event.
    pub fn check(&mut self, event: &RecordedEvent) -> Result<(), ChainBreak> {
        if event.position != self.expected_position {
            return Err(ChainBreak::Missing {
                position: self.expected_position,
                found: event.position,
            });
        }
        let recomputed = chain::link(&self.previous_hash, event);
        if recomputed != event.hash {
            return Err(ChainBreak::HashMismatch {
                position: event.position,
                stream_id: event.stream_id.clone(),
            });
        }
        self.previous_hash = event.hash;
        self.expected_position += 1;
        self.checked += 1;
        Ok(())
    }

    /// Checks that the log did not end before `position` (used with an expected end).
    pub fn expect_reached(&self, position: i64) -> Result<(), ChainBreak> {
        if self.expected_position <= position {
            return Err(ChainBreak::Missing {
                position: self.expected_position,
                found: 0,
            });
        }
        Ok(())
    }

    /// What has been verified so far.
    pub fn report(&self) -> VerifyReport {
        VerifyReport {
            checked: self.checked,
            last_position: self.expected_position - 1,
            last_hash: self.previous_hash,
        }
    }
}

/// Verifies positions `from..=to` of the log (`to`: the head when `None`), calling
/// `progress` with the count checked so far after every page.
///
/// The hash before `from` is taken from the stored event `from - 1`; an auditor anchors it
/// with a signed checkpoint when the operator is not trusted.
pub async fn verify_log(
    pool: &PgPool,
    from: i64,
    to: Option<i64>,
    mut progress: impl FnMut(u64),
) -> Result<VerifyReport, VerifyError> {
    let from = from.max(1);
    let previous_hash = if from == 1 {
        chain::GENESIS
    } else {
        let filter = LogFilter::default();
        let before = log::read_log(pool, from - 2, 1, &filter).await?;
        match before.first() {
            Some(e) if e.position == from - 1 => e.hash,
            other => {
                return Err(ChainBreak::Missing {
                    position: from - 1,
                    found: other.map_or(0, |e| e.position),
                }
                .into())
            }
        }
    };
    let mut verifier = ChainVerifier::new(from, previous_hash);
    let filter = LogFilter {
        to_position: to,
        ..LogFilter::default()
    };
    let mut after = from - 1;
    loop {
        let page = log::read_log(pool, after, PAGE, &filter).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            verifier.check(event)?;
        }
        progress(verifier.report().checked);
    }
    if let Some(to) = to {
        verifier.expect_reached(to)?;
    }
    Ok(verifier.report())
}

/// The outcome of one verification of the whole chain, as kept for the auditors.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Verification {
    /// When it ran.
    pub verified_at: time::OffsetDateTime,
    /// The head position it verified up to.
    pub head_position: i64,
    /// Whether the chain held.
    pub passed: bool,
    /// What it found.
    pub message: String,
}

/// Keeps the outcome of a verification that reached `head_position`.
pub async fn record_verification(
    pool: &PgPool,
    head_position: i64,
    passed: bool,
    message: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_verifications (head_position, passed, message) VALUES ($1, $2, $3)",
    )
    .bind(head_position)
    .bind(passed)
    .bind(message)
    .execute(pool)
    .await?;
    Ok(())
}

/// The latest verification kept, if any ran.
pub async fn last_verification(pool: &PgPool) -> Result<Option<Verification>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT verified_at, head_position, passed, message FROM audit_verifications \
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?)
}
