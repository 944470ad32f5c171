//! Each stream's span on the "happened" axis (`crate::happened`): the earliest and the
//! latest moment its events happened, kept as events arrive so that the log's span (for an
//! auditor's time slider) is two index lookups, not a pass over every event.
//!
//! A stream's times settle as it grows (an undated event takes the time of a dated one
//! recorded after it), so its latest moment is not simply the latest seen. What is kept is
//! what settling cannot change:
//! - `happened_from`: the least own time of its dated events and commit time of its undated
//!   ones. A settled undated time is its commit time or some dated event's own time, so no
//!   event happened earlier, and the event that holds the least did happen then.
//! - `dated_until`: the greatest own time of its dated events.
//! - `undated_until`: the greatest commit time of the undated events after its last dated
//!   one, which nothing later can pull (none if its last event is dated). An undated event
//!   before a dated one happened no later than that dated one.
//!
//! The stream's latest moment is the greater of the last two.
//!
//! The log's span is the least `happened_from` and the greatest latest moment over all
//! streams. It is kept as a row per stream, not as two values for the whole log: the
//! earliest moment only ever moves back and the latest dated one only forward, but a dated
//! event pulls its stream's trailing undated events back to its own time, so the log's
//! latest moment can move back too, to a moment that only the other streams' rows tell.

use foldhash::HashMap;

use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::error::ProjectionError;
use crate::happened::own_time;
use crate::projector::Projector;

/// Builds `happened_spans`.
#[derive(Debug)]
pub struct HappenedSpansProjector;

/// What a batch adds to one stream's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSpan {
    /// Least own time of the batch's dated events and commit time of its undated ones.
    pub from: OffsetDateTime,
    /// Greatest own time of its dated events, if it has any.
    pub dated_until: Option<OffsetDateTime>,
    /// Greatest commit time of its undated events after its last dated one.
    pub undated_until: Option<OffsetDateTime>,
}

impl BatchSpan {
    /// The span of one event: its own time if it names one, else its commit time.
    pub fn of(own: Option<OffsetDateTime>, recorded: OffsetDateTime) -> Self {
        match own {
            Some(at) => BatchSpan {
                from: at,
                dated_until: Some(at),
                undated_until: None,
            },
            None => BatchSpan {
                from: recorded,
                dated_until: None,
                undated_until: Some(recorded),
            },
        }
    }

    /// This span followed by `next` (later events of the same stream). A dated event in
    /// `next` pulls every undated one before it: they no longer set the latest moment.
    pub fn then(self, next: BatchSpan) -> Self {
        BatchSpan {
            from: self.from.min(next.from),
            dated_until: self.dated_until.max(next.dated_until),
            undated_until: if next.dated_until.is_some() {
                next.undated_until
            } else {
                self.undated_until.max(next.undated_until)
            },
        }
    }

    /// The latest moment the stream's events happened.
    pub fn until(&self) -> OffsetDateTime {
        // `Option`'s order puts `None` first, and one of the two is always set.
        self.dated_until
            .max(self.undated_until)
            .unwrap_or(self.from)
    }
}

impl Projector for HappenedSpansProjector {
    fn name(&self) -> &'static str {
        "happened_spans"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["happened_spans"]
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        self.apply_batch(conn, s, std::slice::from_ref(event))
    }
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [ProjectedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            // Per stream in the batch: whether it begins here, and what the batch adds.
            let mut spans: Vec<(&str, bool, BatchSpan)> = Vec::new();
            let mut index: HashMap<&str, usize> = HashMap::default();
            for event in events {
                let span = BatchSpan::of(own_time(event)?, event.recorded_at);
                match index.get(&*event.stream_id) {
                    Some(&slot) => spans[slot].2 = spans[slot].2.then(span),
                    None => {
                        index.insert(&event.stream_id, spans.len());
                        spans.push((&event.stream_id, event.begins_stream(), span));
                    }
                }
            }
            // A stream that begins in the batch has no row yet: a plain insert, cheaper for
            // PostgreSQL than an upsert (most streams of a rebuild's page).
            let (new, known): (Vec<_>, Vec<_>) = spans.iter().partition(|(_, born, _)| *born);
            write(conn, s, &new, false).await?;
            write(conn, s, &known, true).await?;
            Ok(())
        })
    }
}

/// Writes what the batch adds to each stream's row: inserts it, or with `known` merges it
/// into the row there as [`BatchSpan::then`] does.
async fn write(
    conn: &mut PgConnection,
    s: &str,
    spans: &[&(&str, bool, BatchSpan)],
    known: bool,
) -> Result<(), sqlx::Error> {
    if spans.is_empty() {
        return Ok(());
    }
    let mut streams = Vec::with_capacity(spans.len());
    let (mut from, mut dated, mut undated) = (Vec::new(), Vec::new(), Vec::new());
    for (stream, _, span) in spans {
        streams.push(*stream);
        from.push(span.from);
        dated.push(span.dated_until);
        undated.push(span.undated_until);
    }
    let conflict = if known {
        "ON CONFLICT (stream_id) DO UPDATE SET \
         happened_from = least(t.happened_from, EXCLUDED.happened_from), \
         dated_until = greatest(t.dated_until, EXCLUDED.dated_until), \
         undated_until = CASE WHEN EXCLUDED.dated_until IS NOT NULL THEN EXCLUDED.undated_until \
                         ELSE greatest(t.undated_until, EXCLUDED.undated_until) END"
    } else {
        ""
    };
    // Unnested in the select list (see `issues::write_rows`): a rebuild's page of 1,500
    // streams took PostgreSQL 0.19-0.21 ms to unnest so, against 0.51-0.61 ms in `FROM`.
    sqlx::query(&format!(
        "INSERT INTO {s}.happened_spans AS t (stream_id, happened_from, dated_until, undated_until) \
         SELECT unnest($1::text[]), unnest($2::timestamptz[]), unnest($3::timestamptz[]), \
                unnest($4::timestamptz[]) \
         {conflict}"
    ))
    .bind(&streams)
    .bind(&from)
    .bind(&dated)
    .bind(&undated)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::OffsetDateTime;

    use super::BatchSpan;
    use crate::happened::settle;

    fn at(hours: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::hours(hours)
    }

    proptest! {
        /// However a stream's events are split into batches, the span kept is the least and
        /// the greatest of their settled times.
        #[test]
        fn the_span_kept_batch_by_batch_is_that_of_the_settled_times(
            events in prop::collection::vec((prop::option::of(0i64..1000), 0i64..1000), 1..40),
            cuts in prop::collection::vec(1usize..40, 0..8),
        ) {
            let events: Vec<_> = events.into_iter().map(|(own, rec)| (own.map(at), at(rec))).collect();
            let settled = settle(&events);
            let mut bounds: Vec<usize> = cuts.into_iter().filter(|c| *c < events.len()).collect();
            bounds.push(events.len());
            bounds.sort_unstable();
            bounds.dedup();
            let mut kept: Option<BatchSpan> = None;
            let mut start = 0;
            for end in bounds {
                let batch = events[start..end]
                    .iter()
                    .map(|(own, rec)| BatchSpan::of(*own, *rec))
                    .reduce(BatchSpan::then);
                if let Some(batch) = batch {
                    kept = Some(kept.map_or(batch, |k| k.then(batch)));
                }
                start = end;
            }
            let kept = kept.expect("at least one event");
            prop_assert_eq!(kept.from, settled.iter().copied().min().expect("settled"));
            prop_assert_eq!(kept.until(), settled.iter().copied().max().expect("settled"));
        }
    }
}
