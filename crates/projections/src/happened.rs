//! The "happened" axis of the log: for every event, when what it records happened
//! (`civic_domain::happened`). An event that carries no date of its own (a registration, an
//! assignment) happened when it was recorded, or no later than the earliest dated event
//! after it in its stream: each event of a stream was decided on the state the earlier ones
//! left, so it cannot have happened after an event it made possible. A replay and
//! `streamState` cut on this axis to show the world as the record says it stood on a day,
//! beside the commit-time cut ("as recorded").
//!
//! The times are judged from the hashed payloads whenever they are needed, so they are as
//! trustworthy as the log and need no read model to be current: a stream's from its own
//! events ([`stream_times`]), the whole log's by a replay (`as_of`). Only each stream's span
//! on this axis is kept, by `models::happened_spans`, for the log's span.

use civic_domain::happened::Happened;
use civic_domain::{
    activity::Activity, charity::Charity, community::Community, compound::Compound,
    heating::Heating, issue::Issue, newsroom::Newsroom, Aggregate,
};
use time::OffsetDateTime;

use crate::error::ProjectionError;
use crate::projector::{undecodable, LoggedEvent as Event};

fn said<A: Aggregate>(event: &impl Event) -> Result<Option<Happened>, ProjectionError> {
    A::happened_stored(
        event.event_type(),
        event.schema_version(),
        event.payload().text(),
    )
    .map_err(|source| undecodable(event.position(), source))
}

/// When the event's fact happened by its own date or moment, if it names one.
pub fn own_time(event: &impl Event) -> Result<Option<OffsetDateTime>, ProjectionError> {
    let prefix = crate::models::stream_kind(event.stream_id()).unwrap_or("");
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

/// Each event of one whole stream (all of its events, in order) with its happened time.
pub fn stream_times(events: &[impl Event]) -> Result<Vec<(i64, OffsetDateTime)>, ProjectionError> {
    let times = events
        .iter()
        .map(|e| Ok((own_time(e)?, e.recorded_at())))
        .collect::<Result<Vec<_>, ProjectionError>>()?;
    Ok(events
        .iter()
        .map(|e| e.position())
        .zip(settle(&times))
        .collect())
}

/// The positions of those of a whole stream's `events` whose fact happened before `before`.
pub fn happened_before(
    events: &[impl Event],
    before: OffsetDateTime,
) -> Result<std::collections::HashSet<i64>, ProjectionError> {
    Ok(stream_times(events)?
        .into_iter()
        .filter(|(_, happened)| *happened < before)
        .map(|(position, _)| position)
        .collect())
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
