//! The export format of the log, one format wherever an export is made (`civic audit
//! export`, the gateway's `/audit/export`): JSON Lines, one stored event a line, which
//! `civic audit verify --file` verifies on its own; or CSV with the payload as JSON text.

use crate::event::RecordedEvent;

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 15] = [
    "position",
    "event_id",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "actor_id",
    "actor_role",
    "correlation_id",
    "causation_id",
    "command_id",
    "recorded_at",
    "hash",
    "payload",
    "command_fingerprint",
];

/// An event as one JSON line (without the newline).
pub fn jsonl_line(event: &RecordedEvent) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}

/// An event as the fields of a CSV row, in the order of [`CSV_HEADER`].
pub fn csv_row(e: &RecordedEvent) -> [String; 15] {
    let m = &e.metadata;
    let opt = |u: Option<uuid::Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    [
        e.position.to_string(),
        e.event_id.to_string(),
        e.stream_id.clone(),
        e.stream_version.to_string(),
        e.event_type.clone(),
        e.schema_version.to_string(),
        m.actor_id.clone(),
        m.actor_role.clone(),
        m.correlation_id.to_string(),
        opt(m.causation_id),
        opt(m.command_id),
        e.recorded_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        hex::encode(e.hash),
        e.payload.value().to_string(),
        m.command_fingerprint.map(hex::encode).unwrap_or_default(),
    ]
}
