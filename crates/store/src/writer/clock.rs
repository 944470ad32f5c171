//! Where the writer's batches spend their time: writing their rows, waiting for the batch
//! before them to commit (the price of committing in position order), and committing.
//!
//! Kept as plain counters that a caller reads twice and subtracts, so that a benchmark (or an
//! operator) can say how much of an append's time goes to the ordered commit; the wait is
//! also a histogram of the metrics endpoint (`civic_append_order_wait_seconds`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Totals since the store was opened, summed over every batch of this process's writer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterTimes {
    /// Batches committed.
    pub batches: u64,
    /// Events those batches appended.
    pub events: u64,
    /// Beginning the transaction and sending the rows.
    pub writing: Duration,
    /// Waiting, rows written, for the batch before to commit.
    pub waiting: Duration,
    /// The commit's round trip (for a batch that commits alone in a single statement, that
    /// whole statement, rows included).
    pub committing: Duration,
}

impl WriterTimes {
    /// What happened between `earlier` and `self`.
    pub fn since(&self, earlier: &WriterTimes) -> WriterTimes {
        WriterTimes {
            batches: self.batches.saturating_sub(earlier.batches),
            events: self.events.saturating_sub(earlier.events),
            writing: self.writing.saturating_sub(earlier.writing),
            waiting: self.waiting.saturating_sub(earlier.waiting),
            committing: self.committing.saturating_sub(earlier.committing),
        }
    }

    /// The share of the batches' time spent waiting for the batch before to commit.
    pub fn waiting_share(&self) -> f64 {
        let all = self.writing + self.waiting + self.committing;
        self.waiting.as_secs_f64() / all.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// Mean events per batch.
    pub fn events_per_batch(&self) -> f64 {
        self.events as f64 / self.batches.max(1) as f64
    }

    /// These totals plus `other`'s.
    pub fn plus(&self, other: &WriterTimes) -> WriterTimes {
        WriterTimes {
            batches: self.batches + other.batches,
            events: self.events + other.events,
            writing: self.writing + other.writing,
            waiting: self.waiting + other.waiting,
            committing: self.committing + other.committing,
        }
    }
}

/// The counters, shared by the writer's commit tasks.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    batches: AtomicU64,
    events: AtomicU64,
    writing: AtomicU64,
    waiting: AtomicU64,
    committing: AtomicU64,
}

/// One committed batch's phases.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Phases {
    pub writing: Duration,
    pub waiting: Duration,
    pub committing: Duration,
}

impl Phases {
    /// The batch's whole time, from its first statement to its commit.
    pub fn total(&self) -> Duration {
        self.writing + self.waiting + self.committing
    }
}

impl Clock {
    pub(super) fn record(&self, events: u64, phases: Phases) {
        let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.events.fetch_add(events, Ordering::Relaxed);
        self.writing
            .fetch_add(nanos(phases.writing), Ordering::Relaxed);
        self.waiting
            .fetch_add(nanos(phases.waiting), Ordering::Relaxed);
        self.committing
            .fetch_add(nanos(phases.committing), Ordering::Relaxed);
        metrics::histogram!("civic_append_order_wait_seconds").record(phases.waiting.as_secs_f64());
    }

    pub(crate) fn read(&self) -> WriterTimes {
        let duration = |a: &AtomicU64| Duration::from_nanos(a.load(Ordering::Relaxed));
        WriterTimes {
            batches: self.batches.load(Ordering::Relaxed),
            events: self.events.load(Ordering::Relaxed),
            writing: duration(&self.writing),
            waiting: duration(&self.waiting),
            committing: duration(&self.committing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn counters_read_twice_give_what_happened_in_between() {
        let clock = Clock::default();
        let phases = |w, a, c| Phases {
            writing: ms(w),
            waiting: ms(a),
            committing: ms(c),
        };
        clock.record(100, phases(6, 3, 1));
        let before = clock.read();
        clock.record(300, phases(4, 5, 1));
        clock.record(100, phases(2, 1, 1));
        let between = clock.read().since(&before);
        assert_eq!(
            between,
            WriterTimes {
                batches: 2,
                events: 400,
                writing: ms(6),
                waiting: ms(6),
                committing: ms(2),
            }
        );
        assert!((between.waiting_share() - 6.0 / 14.0).abs() < 1e-9);
        assert_eq!(between.events_per_batch(), 200.0);
        assert_eq!(before.plus(&between), clock.read());
        assert_eq!(WriterTimes::default().waiting_share(), 0.0);
    }
}
