use civic_domain::{Aggregate, EventCodec};
use civic_store::{EventStore, RecordedEvent};

use crate::error::CommandError;

/// A stream folded into its aggregate's state.
#[derive(Debug, Clone)]
pub struct Loaded<A: Aggregate> {
    /// The state.
    pub state: A::State,
    /// The stream's version (0: no stream).
    pub version: i64,
    /// The events, decoded to their current shape.
    pub events: Vec<A::Event>,
}

/// Loads and folds the stream of aggregate `A` with id `id`.
pub async fn load<A: Aggregate>(store: &EventStore, id: &str) -> Result<Loaded<A>, CommandError> {
    let recorded = store
        .read_stream(&A::stream_id(id), 1)
        .await
        .map_err(CommandError::Read)?;
    fold_recorded::<A>(&recorded)
}

/// Folds recorded events of aggregate `A` (a whole stream, or the part of it a reader keeps)
/// into its state.
pub fn fold_recorded<A: Aggregate>(recorded: &[RecordedEvent]) -> Result<Loaded<A>, CommandError> {
    let events = recorded
        .iter()
        .map(|e| A::Event::decode_text(&e.event_type, e.schema_version, e.payload.text()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Loaded {
        state: A::fold(&events),
        version: recorded.last().map_or(0, |e| e.stream_version),
        events,
    })
}
