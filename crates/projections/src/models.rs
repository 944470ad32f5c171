//! One module per projector, each owning its tables in schema `read`.

pub mod access;
pub mod community;
pub mod happened_spans;
pub mod heating;
pub mod issue_figures;
pub mod issues;
pub mod life;
pub mod property;

/// The kind of a stream: its id's part before the first `-` (`issue-abc` → `issue`), none for
/// an id without one.
pub(crate) fn stream_kind(stream_id: &str) -> Option<&str> {
    civic_domain::split_stream_id(stream_id).map(|(kind, _)| kind)
}

/// The aggregate id of an event's stream if the stream has `prefix` (`issue-abc` → `abc`).
pub(crate) fn stream_of<'a>(
    event: &'a impl crate::projector::LoggedEvent,
    prefix: &str,
) -> Option<&'a str> {
    civic_domain::stream_id_of(event.stream_id(), prefix)
}

/// The stored name of a unit enum (its serde name, e.g. `main_pipes_drilled`).
pub(crate) fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
