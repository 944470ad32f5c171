//! The "happened" axis of the log: for every event, when what it records happened
//! (`civic_domain::happened`), or its commit time when the event carries no date of its
//! own. A replay, `streamState` and the read models cut on it to show the world as the
//! record says it stood on a day, beside the commit-time cut ("as recorded").

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

/// Builds `event_times`.
#[derive(Debug)]
pub struct EventTimesProjector;

fn said<A: Aggregate>(event: &RecordedEvent) -> Result<Option<Happened>, ProjectionError> {
    Ok(A::happened(&decode::<A::Event>(event)?))
}

/// When the event's fact happened: its own date or moment, else its commit time.
pub fn happened_at(event: &RecordedEvent) -> Result<OffsetDateTime, ProjectionError> {
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
    Ok(happened.map_or(event.recorded_at, Happened::moment))
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
            let mut positions = Vec::with_capacity(events.len());
            let mut streams = Vec::with_capacity(events.len());
            let mut times = Vec::with_capacity(events.len());
            for event in events {
                positions.push(event.position);
                streams.push(event.stream_id.as_str());
                times.push(happened_at(event)?);
            }
            sqlx::query(&format!(
                "INSERT INTO {s}.event_times (position, stream_id, happened_at) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::timestamptz[]) \
                 ON CONFLICT (position) DO NOTHING"
            ))
            .bind(&positions)
            .bind(&streams)
            .bind(&times)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}
