//! The events this process's writer committed last, kept in memory.
//!
//! Every projector and live subscription of a process follows the log. Without the tail each
//! of them would read back, from PostgreSQL, the rows the writer of the same process has just
//! written: one query per subscriber per commit, and the decoding of every row again. The
//! writer already holds those events, so after each commit it hands them to the tail, in
//! commit order, and subscribers that are caught up take them from here.
//!
//! The tail holds one contiguous run of positions, exactly as committed. When a batch does
//! not follow on from it (another process wrote in between), the run starts over from that
//! batch; a subscriber whose next position is not in the run reads the log instead. While no
//! subscription of the process is alive the writer skips the tail altogether.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::event::RecordedEvent;

/// Events kept at most; a subscriber further behind than this reads the log.
const CAPACITY: usize = 8_192;

#[derive(Debug, Default)]
pub(crate) struct Tail {
    events: Mutex<VecDeque<RecordedEvent>>,
    /// Live subscriptions of this process; with none, the writer keeps nothing here.
    followers: AtomicUsize,
}

/// Counts a subscription as following the tail while it lives.
#[derive(Debug)]
pub(crate) struct Follower(Arc<Tail>);

impl Follower {
    pub fn new(tail: Arc<Tail>) -> Self {
        tail.followers.fetch_add(1, Ordering::Relaxed);
        Follower(tail)
    }

    pub fn tail(&self) -> &Tail {
        &self.0
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.0.followers.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Tail {
    /// Whether any subscription of this process may read from the tail.
    pub fn followed(&self) -> bool {
        self.followers.load(Ordering::Relaxed) > 0
    }

    /// Adds the events of one committed batch (positions ascending, without holes).
    pub fn push(&self, batch: Vec<RecordedEvent>) {
        let Some(first) = batch.first().map(|e| e.position) else {
            return;
        };
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if events.back().is_some_and(|last| last.position + 1 != first) {
            events.clear();
        }
        events.extend(batch);
        let excess = events.len().saturating_sub(CAPACITY);
        events.drain(..excess);
    }

    /// Up to `max` events after position `after`, if the tail holds the next one.
    pub fn after(&self, after: i64, max: usize) -> Option<Vec<RecordedEvent>> {
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let first = events.front()?.position;
        let skip = usize::try_from(after + 1 - first).ok()?;
        if skip >= events.len() {
            return None;
        }
        Some(events.range(skip..).take(max.max(1)).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Metadata;

    fn event(position: i64) -> RecordedEvent {
        RecordedEvent {
            position,
            event_id: uuid::Uuid::nil(),
            stream_id: "s".into(),
            stream_version: position,
            event_type: "T".into(),
            schema_version: 1,
            payload: serde_json::json!({}).into(),
            metadata: Metadata::anonymous(),
            recorded_at: time::OffsetDateTime::UNIX_EPOCH,
            hash: [0; 32],
        }
    }

    fn positions(events: Option<Vec<RecordedEvent>>) -> Option<Vec<i64>> {
        events.map(|e| e.iter().map(|e| e.position).collect())
    }

    #[test]
    fn serves_only_positions_it_holds_without_a_hole() {
        let tail = Tail::default();
        assert_eq!(positions(tail.after(0, 10)), None);
        tail.push((5..=7).map(event).collect());
        tail.push((8..=9).map(event).collect());
        assert_eq!(positions(tail.after(4, 10)), Some(vec![5, 6, 7, 8, 9]));
        assert_eq!(positions(tail.after(6, 2)), Some(vec![7, 8]));
        // Before the run and at its end the subscriber must read the log.
        assert_eq!(positions(tail.after(3, 10)), None);
        assert_eq!(positions(tail.after(9, 10)), None);
        // Another process wrote 10..=11: the run starts over.
        tail.push((12..=12).map(event).collect());
        assert_eq!(positions(tail.after(9, 10)), None);
        assert_eq!(positions(tail.after(11, 10)), Some(vec![12]));
    }

    #[test]
    fn keeps_the_newest_events_up_to_its_capacity() {
        let tail = Tail::default();
        let n = CAPACITY as i64 + 10;
        tail.push((1..=n).map(event).collect());
        assert_eq!(positions(tail.after(9, 1)), None);
        assert_eq!(positions(tail.after(10, 1)), Some(vec![11]));
    }
}
