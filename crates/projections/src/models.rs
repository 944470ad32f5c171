//! One module per projector, each owning its tables in schema `read`.

pub mod community;
pub mod heating;
pub mod issues;
pub mod life;
pub mod log_index;
pub mod property;

/// The aggregate id of an event's stream if the stream has `prefix` (`issue-abc` → `abc`).
pub(crate) fn stream_of<'a>(
    event: &'a civic_store::RecordedEvent,
    prefix: &str,
) -> Option<&'a str> {
    event.stream_id.strip_prefix(prefix)?.strip_prefix('-')
}
