use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use civic_store::{Payload, ProjectedEvent, RecordedEvent};
use time::OffsetDateTime;

use crate::error::ProjectionError;
use crate::models;

/// A read model builder.
///
/// `apply` runs inside the transaction that also moves the checkpoint; it must be
/// deterministic (no clock, no randomness) so that a rebuild equals incremental projection,
/// and it writes only to its own tables in `schema` (the live `read` or a rebuild schema).
pub trait Projector: Send + Sync + std::fmt::Debug {
    /// Stable name, the checkpoint's key.
    fn name(&self) -> &'static str;

    /// Bumped when the model's meaning changes; a rebuild brings old rows up to date.
    fn version(&self) -> i32;

    /// The tables (in schema `read`) this projector owns.
    fn tables(&self) -> &'static [&'static str];

    /// The kinds of stream whose events this projector reads (the prefix of a stream's id
    /// before its `-`, e.g. `issue`), or `None` for the events of every stream. Events of other
    /// streams are not handed to [`Projector::apply`], and a replay's page holding none of
    /// its kinds costs it no transaction.
    fn kinds(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// Applies one event.
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        schema: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>>;

    /// Applies events in log order, with the same effect as applying them one by one.
    /// Projectors that see many events override it to touch each row once per batch.
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        schema: &'a str,
        events: &'a [ProjectedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            for event in events.iter().filter(|e| wants(self, e)) {
                self.apply(conn, schema, event).await?;
            }
            Ok(())
        })
    }

    /// A replay of its own from position 0 by the worker that applies `shard`'s streams,
    /// or `None` to have each page applied as a batch (the default).
    fn replay(&self, _shard: Shard) -> Option<Box<dyn Replay>> {
        None
    }

    /// How many workers replay this projector side by side, each applying the events of
    /// the streams of its [`Shard`], on a connection and in a transaction of its own (one,
    /// the default, applies every event). More than one only for a projector whose replay
    /// applies its shard's streams alone, whose rows each belong to one stream, and whose
    /// other writes are sums that commute, written in key order (two workers then wait for
    /// each other's rows of a sum but never deadlock).
    fn shards(&self) -> u32 {
        1
    }
}

/// The streams that one of a projector's replay workers applies (see
/// [`Projector::shards`]): those whose id hashes to its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    of: u32,
}

impl Shard {
    /// Every stream: a replay by one worker, or a live batch.
    pub const ALL: Shard = Shard { index: 0, of: 1 };

    /// The `index`-th of `of` shards (`index` is taken modulo `of`; `of` is at least one).
    pub fn new(index: u32, of: u32) -> Self {
        let of = of.max(1);
        Shard {
            index: index % of,
            of,
        }
    }

    /// Whether the stream `stream_id` is this shard's. Every shard of a replay hashes alike
    /// (a fixed seed), so each stream is exactly one shard's.
    pub fn takes(self, stream_id: &str) -> bool {
        use std::hash::BuildHasher;
        self.of == 1
            || foldhash::fast::FixedState::with_seed(0).hash_one(stream_id) % u64::from(self.of)
                == u64::from(self.index)
    }
}

/// One replay of a projector from position 0 (a rebuild's bulk phase, a replay into a
/// scratch schema), page by page, then [`Replay::finish`], all in one transaction. What a
/// page writes is never read before the replay ends, so a projector whose tables hold sums
/// may keep them in memory across pages and write them once at the end instead of once per
/// page.
pub trait Replay: Send {
    /// Applies one page of events, in log order.
    fn page<'a>(
        &'a mut self,
        conn: &'a mut PgConnection,
        schema: &'a str,
        events: &'a [ProjectedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>>;

    /// Writes what the pages kept, after the last one.
    fn finish<'a>(
        &'a mut self,
        conn: &'a mut PgConnection,
        schema: &'a str,
    ) -> BoxFuture<'a, Result<(), ProjectionError>>;
}

/// Whether `projector` reads `event` (see [`Projector::kinds`]).
pub fn wants<P: Projector + ?Sized>(projector: &P, event: &ProjectedEvent) -> bool {
    projector.kinds().is_none_or(|kinds| {
        kinds
            .iter()
            .any(|kind| crate::models::stream_of(event, kind).is_some())
    })
}

/// The kinds of stream that `events` hold (each stream id's part before its first `-`), each
/// once, in the order they first appear.
///
/// A replay asks this once per page for every projector, which then reads the page only if
/// one of its kinds is there ([`wants_any`]): asking [`wants`] of each event for each
/// projector instead compared stream ids some seven million times per million events, most
/// of them for projectors with nothing in the page (a profile of a rebuild put that at a
/// fifteenth of civic's CPU).
pub fn kinds_in(events: &[ProjectedEvent]) -> Vec<&str> {
    let mut kinds: Vec<&str> = Vec::new();
    let mut last = None;
    for event in events {
        let Some(kind) = models::stream_kind(&event.stream_id) else {
            continue;
        };
        // A page is mostly runs of one kind: most events are settled by this comparison.
        if last == Some(kind) {
            continue;
        }
        last = Some(kind);
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// Whether `projector` reads an event of some stream of `kinds` (as [`kinds_in`] gives
/// them): whether [`wants`] holds for some event of the page, not empty, they were taken
/// from. A kind is a stream id's part before its first `-`, so a projector's kinds hold no
/// `-` (a test holds them to that).
pub fn wants_any<P: Projector + ?Sized>(projector: &P, kinds: &[&str]) -> bool {
    projector
        .kinds()
        .is_none_or(|own| own.iter().any(|kind| kinds.contains(kind)))
}

/// Every projector of the service.
pub fn all_projectors() -> Vec<std::sync::Arc<dyn Projector>> {
    vec![
        std::sync::Arc::new(models::community::CommunityProjector),
        std::sync::Arc::new(models::issues::IssueProjector),
        std::sync::Arc::new(models::property::PropertyProjector),
        std::sync::Arc::new(models::heating::HeatingProjector),
        std::sync::Arc::new(models::life::LifeProjector),
        std::sync::Arc::new(models::access::AccessProjector),
        std::sync::Arc::new(models::happened_spans::HappenedSpansProjector),
    ]
}

/// What the readers of this crate read of an event: a projector has a [`ProjectedEvent`],
/// an issue's timeline and an auditor's query a whole [`RecordedEvent`].
pub trait LoggedEvent {
    fn position(&self) -> i64;
    fn stream_id(&self) -> &str;
    fn event_type(&self) -> &str;
    fn schema_version(&self) -> i32;
    fn payload(&self) -> &Payload;
    fn recorded_at(&self) -> OffsetDateTime;
}

macro_rules! event_fields {
    ($type:ty) => {
        impl LoggedEvent for $type {
            fn position(&self) -> i64 {
                self.position
            }
            fn stream_id(&self) -> &str {
                &self.stream_id
            }
            fn event_type(&self) -> &str {
                &self.event_type
            }
            fn schema_version(&self) -> i32 {
                self.schema_version
            }
            fn payload(&self) -> &Payload {
                &self.payload
            }
            fn recorded_at(&self) -> OffsetDateTime {
                self.recorded_at
            }
        }
    };
}
event_fields!(ProjectedEvent);
event_fields!(RecordedEvent);

/// Decodes an event of aggregate `E`, naming its position on failure.
pub(crate) fn decode<E: civic_domain::EventCodec>(
    event: &impl LoggedEvent,
) -> Result<E, ProjectionError> {
    E::decode_text(
        event.event_type(),
        event.schema_version(),
        event.payload().text(),
    )
    .map_err(|source| undecodable(event.position(), source))
}

/// The error for an event that could not be read back, naming its position.
pub(crate) fn undecodable(position: i64, source: civic_domain::UpcastError) -> ProjectionError {
    ProjectionError::Decode { position, source }
}

#[cfg(test)]
mod tests {
    use super::{all_projectors, kinds_in, wants, wants_any, Shard};
    use civic_store::ProjectedEvent;

    fn event(stream: &str) -> ProjectedEvent {
        ProjectedEvent {
            position: 1,
            stream_id: stream.into(),
            stream_version: 1,
            event_type: "Any".into(),
            schema_version: 1,
            payload: serde_json::json!({}).into(),
            recorded_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_kind_is_the_part_of_a_stream_id_before_its_first_dash() {
        for projector in all_projectors() {
            for kind in projector.kinds().unwrap_or_default() {
                assert!(!kind.contains('-'), "{}: {kind}", projector.name());
            }
        }
    }

    /// A page is read by a projector exactly when one of its events is, whatever the page
    /// holds: streams of every projector's kinds, of none, ids without a `-`, ids that only
    /// begin like a kind.
    #[test]
    fn a_page_is_wanted_exactly_when_one_of_its_events_is() {
        let streams = [
            "issue-i1",
            "compound-c1",
            "heating-2026",
            "newsroom-n1",
            "charity-s-1",
            "account-zhang",
            "community-c1",
            "issues-i1",
            "issue",
            "-issue",
            "unknown-u1",
            "",
        ];
        // Every page of up to three of those streams, in any order and repeated.
        let mut pages: Vec<Vec<&str>> = Vec::new();
        for a in &streams {
            pages.push(vec![a]);
            for b in &streams {
                pages.push(vec![a, b, a]);
                for c in &streams {
                    pages.push(vec![a, b, c]);
                }
            }
        }
        for page in pages {
            let events: Vec<ProjectedEvent> = page.iter().map(|s| event(s)).collect();
            let kinds = kinds_in(&events);
            for projector in all_projectors() {
                assert_eq!(
                    wants_any(projector.as_ref(), &kinds),
                    events.iter().any(|e| wants(projector.as_ref(), e)),
                    "{} for {page:?}",
                    projector.name()
                );
            }
        }
        assert_eq!(
            kinds_in(&[
                event("issue-a"),
                event("issue-b"),
                event("compound-c"),
                event("issue-d")
            ]),
            ["issue", "compound"]
        );
    }

    #[test]
    fn each_stream_is_exactly_one_shards_and_the_shards_share_them_evenly() {
        let streams: Vec<String> = (0..10_000).map(|n| format!("issue-i{n:07}")).collect();
        for of in 1..=4 {
            let mut counts = vec![0usize; of as usize];
            for stream in &streams {
                let takers: Vec<u32> = (0..of)
                    .filter(|&i| Shard::new(i, of).takes(stream))
                    .collect();
                assert_eq!(takers.len(), 1, "{stream} in {of} shards");
                counts[takers[0] as usize] += 1;
            }
            let even = streams.len() / of as usize;
            for count in counts {
                assert!(
                    count.abs_diff(even) < even / 10,
                    "{count} of {even} in {of} shards"
                );
            }
        }
        assert!(Shard::ALL.takes("issue-i0000001"));
    }
}
