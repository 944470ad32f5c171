//! The "happened" axis of the log: for every event, when what it records happened
//! (`civic_domain::happened`). An event that carries no date of its own (a registration, an
//! assignment) happened when it was recorded, or no later than the earliest dated event
//! after it in its stream: each event of a stream was decided on the state the earlier ones
//! left, so it cannot have happened after an event it made possible. A replay,
//! `streamState` and the read models cut on this axis to show the world as the record says
//! it stood on a day, beside the commit-time cut ("as recorded").

use std::collections::HashMap;

use civic_domain::happened::Happened;
use civic_domain::{
    activity::Activity, charity::Charity, community::Community, compound::Compound,
    heating::Heating, issue::Issue, newsroom::Newsroom, Aggregate,
};
use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// An event of a batch: its position, its own time if it names one, its commit time.
type Timed = (i64, Option<OffsetDateTime>, OffsetDateTime);

/// Builds `event_times`.
#[derive(Debug)]
pub struct EventTimesProjector;

fn said<A: Aggregate>(event: &RecordedEvent) -> Result<Option<Happened>, ProjectionError> {
    Ok(A::happened(&decode::<A::Event>(event)?))
}

/// When the event's fact happened by its own date or moment, if it names one.
pub fn own_time(event: &RecordedEvent) -> Result<Option<OffsetDateTime>, ProjectionError> {
    let prefix = event.stream_id.split_once('-').map_or("", |(p, _)| p);
    let happened = match prefix {
        p if p == Community::PREFIX => said::<Community>(event)?,
        p if p == Compound::PREFIX => said::<Compound>(event)?,
        p if p == Issue::PREFIX => said::<Issue>(event)?,
        p if p == Heating::PREFIX => said::<Heating>(event)?,
        p if p == Newsroom::PREFIX => said::<Newsroom>(event)?,
        p if p == Activity::PREFIX => said::<Activity>(event)?,
        p if p == Charity::PREFIX => said::<Charity>(event)?,
        // Accounts and anything else: when it was recorded.
        _ => None,
    };
    Ok(happened.map(Happened::moment))
}

/// The happened times of a stream's events (in stream order, each its own time if it has
/// one, and its commit time), settled: an undated event takes the earliest own time of the
/// dated events after it when that is earlier than its commit time.
pub fn settle(events: &[(Option<OffsetDateTime>, OffsetDateTime)]) -> Vec<OffsetDateTime> {
    let mut settled = vec![OffsetDateTime::UNIX_EPOCH; events.len()];
    let mut later: Option<OffsetDateTime> = None;
    for (i, (own, recorded)) in events.iter().enumerate().rev() {
        settled[i] = match own {
            Some(at) => {
                later = Some(later.map_or(*at, |l| l.min(*at)));
                *at
            }
            None => later.map_or(*recorded, |l| l.min(*recorded)),
        };
    }
    settled
}

impl Projector for EventTimesProjector {
    fn name(&self) -> &'static str {
        "event_times"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["event_times"]
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a RecordedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        self.apply_batch(conn, s, std::slice::from_ref(event))
    }
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            // The batch's events by stream, in log order, each with its own time (if any)
            // and its commit time.
            // Whether the batch holds the stream's first event is kept beside its rows.
            let mut streams: Vec<(&str, bool, Vec<Timed>)> = Vec::new();
            let mut index: HashMap<&str, usize> = HashMap::new();
            for event in events {
                let slot = *index.entry(event.stream_id.as_str()).or_insert_with(|| {
                    streams.push((event.stream_id.as_str(), event.begins_stream(), Vec::new()));
                    streams.len() - 1
                });
                streams[slot]
                    .2
                    .push((event.position, own_time(event)?, event.recorded_at));
            }
            let mut positions = Vec::with_capacity(events.len());
            let mut stream_of = Vec::with_capacity(events.len());
            let mut times = Vec::with_capacity(events.len());
            let mut dated = Vec::with_capacity(events.len());
            // Per stream, the earliest own time in the batch: undated events recorded before
            // the batch happened no later than it.
            let (mut pulled_streams, mut pulled_to) = (Vec::new(), Vec::new());
            for (stream, begins, rows) in &streams {
                let pairs: Vec<_> = rows.iter().map(|(_, own, at)| (*own, *at)).collect();
                for ((position, own, _), settled) in rows.iter().zip(settle(&pairs)) {
                    positions.push(*position);
                    stream_of.push(*stream);
                    times.push(settled);
                    dated.push(own.is_some());
                }
                if *begins {
                    // The stream's first event is in this batch: nothing earlier to pull.
                    continue;
                }
                if let Some(earliest) = rows.iter().filter_map(|(_, own, _)| *own).min() {
                    pulled_streams.push(*stream);
                    pulled_to.push(earliest);
                }
            }
            let first = events.first().map_or(0, |e| e.position);
            sqlx::query(&format!(
                "INSERT INTO {s}.event_times (position, stream_id, happened_at, dated) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::timestamptz[], $4::bool[])"
            ))
            .bind(&positions)
            .bind(&stream_of)
            .bind(&times)
            .bind(&dated)
            .execute(&mut *conn)
            .await?;
            if pulled_streams.is_empty() {
                return Ok(());
            }
            // Only undated events later than the new bound are read (the stream index is
            // ordered by time), so a batch costs what it changes, not its streams' lengths.
            sqlx::query(&format!(
                "UPDATE {s}.event_times e SET happened_at = b.at \
                 FROM UNNEST($1::text[], $2::timestamptz[]) AS b(stream_id, at) \
                 WHERE e.stream_id = b.stream_id AND e.happened_at > b.at \
                   AND NOT e.dated AND e.position < $3"
            ))
            .bind(&pulled_streams)
            .bind(&pulled_to)
            .bind(first)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::settle;

    #[test]
    fn an_undated_event_happened_no_later_than_the_dated_events_after_it() {
        let recorded = datetime!(2026-12-02 10:00 UTC);
        let appointed = datetime!(2019-05-31 16:00 UTC);
        let voted = datetime!(2023-08-02 16:00 UTC);
        // Registered (undated), appointed (2019), assigned (undated), voted (2023),
        // thanked (undated, nothing dated after it).
        let events = [
            (None, recorded),
            (Some(appointed), recorded),
            (None, recorded),
            (Some(voted), recorded),
            (None, recorded),
        ];
        assert_eq!(
            settle(&events),
            vec![appointed, appointed, voted, voted, recorded]
        );
        // Recorded before the dated event's day: the commit time stands.
        let early = datetime!(2019-01-01 00:00 UTC);
        assert_eq!(settle(&[(None, early), (Some(voted), recorded)])[0], early);
    }
}
