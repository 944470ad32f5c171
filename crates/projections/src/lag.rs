//! Where each projector stands, kept in memory by the runtime and published as gauges, so a
//! metrics scrape reads no database: the checkpoint after each commit, and once a second the
//! lag behind the log head this process knows (its own appends at once, other processes'
//! through LISTEN/NOTIFY).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use civic_store::EventStore;
use tokio::sync::watch;

/// How often the lag gauges are refreshed.
const TICK: Duration = Duration::from_secs(1);

/// One projector's progress.
#[derive(Debug)]
pub(crate) struct Progress {
    name: &'static str,
    /// This process's waiters, moved at each commit.
    reached: Option<crate::Reached>,
    position: AtomicI64,
    /// When the last event it applied was recorded (µs since the epoch; 0: none yet).
    applied_recorded_micros: AtomicI64,
}

impl Progress {
    pub(crate) fn new(name: &'static str, reached: Option<crate::Reached>) -> Arc<Self> {
        Arc::new(Progress {
            name,
            reached,
            position: AtomicI64::new(0),
            applied_recorded_micros: AtomicI64::new(0),
        })
    }

    /// The checkpoint it starts from.
    pub(crate) fn started_at(&self, position: i64) {
        self.position.store(position, Ordering::Relaxed);
        if let Some(reached) = &self.reached {
            reached.advance(self.name, position);
        }
        metrics::gauge!("civic_projector_position", "projector" => self.name).set(position as f64);
    }

    /// A batch committed up to `position`, whose last event was recorded at `recorded_at`.
    pub(crate) fn applied(&self, position: i64, recorded_at: time::OffsetDateTime) {
        self.position.store(position, Ordering::Relaxed);
        if let Some(reached) = &self.reached {
            reached.advance(self.name, position);
        }
        let micros = (recorded_at.unix_timestamp_nanos() / 1_000) as i64;
        self.applied_recorded_micros
            .store(micros, Ordering::Relaxed);
        metrics::gauge!("civic_projector_position", "projector" => self.name).set(position as f64);
    }

    fn publish(&self, head: i64, now_micros: i64) {
        let behind = (head - self.position.load(Ordering::Relaxed)).max(0);
        // Behind, the read model shows the log as it stood when its last applied event was
        // recorded: its age bounds how stale the model is.
        let applied = self.applied_recorded_micros.load(Ordering::Relaxed);
        let seconds = if behind == 0 || applied == 0 {
            0.0
        } else {
            (now_micros - applied).max(0) as f64 / 1e6
        };
        metrics::gauge!("civic_projector_lag_events", "projector" => self.name).set(behind as f64);
        metrics::gauge!("civic_projector_lag_seconds", "projector" => self.name).set(seconds);
    }
}

/// Refreshes the lag gauges of `progress` every second until `shutdown`.
pub(crate) async fn publish(
    store: EventStore,
    progress: Vec<Arc<Progress>>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let head = store.known_head();
        let now = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000) as i64;
        metrics::gauge!("civic_log_head").set(head as f64);
        for p in &progress {
            p.publish(head, now);
        }
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            _ = shutdown.wait_for(|stop| *stop) => return,
        }
    }
}
