//! The columns of `events`, named once: every statement of the store that reads or writes
//! whole rows lists them in this order (`SELECT`, the small-batch `INSERT`, `COPY`).

use std::sync::LazyLock;

/// The columns, in order.
pub(crate) const EVENT_COLUMNS: [&str; 15] = [
    "position",
    "event_id",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "payload",
    "actor_id",
    "actor_role",
    "correlation_id",
    "causation_id",
    "command_id",
    "recorded_at",
    "hash",
    "command_fingerprint",
];

/// Where `name` is in [`EVENT_COLUMNS`], computed while compiling (a name that is not there
/// fails the build).
pub(crate) const fn place(name: &str) -> usize {
    let mut i = 0;
    while i < EVENT_COLUMNS.len() {
        if same(EVENT_COLUMNS[i].as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    panic!("not a column of events")
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The columns a projector reads (`ProjectedEvent`), in order: what a replay of the log
/// reads.
pub(crate) const PROJECTED_COLUMNS: [&str; 7] = [
    "position",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "payload",
    "recorded_at",
];

/// The columns as a list for SQL.
pub(crate) static COLUMN_LIST: LazyLock<String> = LazyLock::new(|| EVENT_COLUMNS.join(", "));

/// The columns every append writes: the event's, then `command_events` (on the first event
/// of an idempotent command, how many events it appended; see the migration that adds it),
/// which marks the command's idempotency key and is never read back as part of an event.
pub(crate) static WRITTEN_COLUMN_LIST: LazyLock<String> =
    LazyLock::new(|| format!("{}, command_events", *COLUMN_LIST));

/// How many columns an append writes.
pub(crate) const WRITTEN_COLUMNS: usize = EVENT_COLUMNS.len() + 1;
