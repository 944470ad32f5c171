//! The hash chain: `hash(n) = SHA-256(hash(n-1) ‖ canonical(n))`, with `hash(0)` all zeros.
//!
//! The canonical bytes are computed from what a row stores and nothing else, so a verifier
//! needs only the rows (or an export of them). The payload is rendered by `serde_json` from
//! the parsed JSONB value: object keys sorted, no insignificant whitespace, which is the
//! same whether it was built in memory or read back from PostgreSQL. Domain payloads carry
//! no floating-point numbers, whose text forms could differ between the two.

use sha2::{Digest, Sha256};

use crate::event::RecordedEvent;

/// The hash that precedes the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// Everything of an event but its payload, in the order it is hashed.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    /// Global position.
    pub position: i64,
    /// Event id.
    pub event_id: &'a uuid::Uuid,
    /// Stream id.
    pub stream_id: &'a str,
    /// Version within the stream.
    pub stream_version: i64,
    /// Event type.
    pub event_type: &'a str,
    /// Payload schema version.
    pub schema_version: i32,
    /// Commit time.
    pub recorded_at: time::OffsetDateTime,
    /// Actor, correlation, causation, command.
    pub metadata: &'a crate::event::Metadata,
}

impl<'a> Header<'a> {
    /// The header of a stored event.
    pub fn of(event: &'a RecordedEvent) -> Self {
        Header {
            position: event.position,
            event_id: &event.event_id,
            stream_id: &event.stream_id,
            stream_version: event.stream_version,
            event_type: &event.event_type,
            schema_version: event.schema_version,
            recorded_at: event.recorded_at,
            metadata: &event.metadata,
        }
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        let m = self.metadata;
        let fields = (
            self.position,
            self.event_id,
            self.stream_id,
            self.stream_version,
            self.event_type,
            self.schema_version,
            micros(self.recorded_at),
            &m.actor_id,
            &m.actor_role,
            m.correlation_id,
            m.causation_id,
            m.command_id,
        );
        // Writing plain values into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, &fields);
        // The fingerprint joins the array as a thirteenth field only when there is one, so
        // the events recorded before fingerprints keep their hashes.
        if let Some(fingerprint) = m.command_fingerprint {
            out.pop(); // the closing bracket
            out.extend_from_slice(b",\"");
            out.extend_from_slice(hex::encode(fingerprint).as_bytes());
            out.extend_from_slice(b"\"]");
        }
    }
}

/// The canonical text of a payload: compact JSON with object keys sorted (`serde_json`'s
/// map is ordered), whether built in memory or parsed back from JSONB.
pub fn canonical_payload(payload: &serde_json::Value) -> String {
    payload.to_string()
}

/// The canonical bytes of one event, as hashed: the header as a JSON array, a newline,
/// then the canonical payload.
pub fn canonical_bytes(event: &RecordedEvent) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    Header::of(event).write_to(&mut out);
    out.push(b'\n');
    out.extend_from_slice(canonical_payload(&event.payload.value()).as_bytes());
    out
}

/// The hash of `event` given the hash of the event before it.
pub fn link(previous: &[u8; 32], event: &RecordedEvent) -> [u8; 32] {
    link_parts(
        previous,
        &Header::of(event),
        &canonical_payload(&event.payload.value()),
    )
}

/// The hash of an event given as its header and canonical payload text (what the writer
/// has in hand before the row exists).
pub fn link_parts(previous: &[u8; 32], header: &Header<'_>, payload: &str) -> [u8; 32] {
    // The payload goes to the hasher as it is, not copied behind the header first.
    let mut bytes = Vec::with_capacity(256);
    header.write_to(&mut bytes);
    bytes.push(b'\n');
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(&bytes);
    hasher.update(payload.as_bytes());
    hasher.finalize().into()
}

/// Microseconds since the Unix epoch: the precision PostgreSQL keeps for `timestamptz`.
pub fn micros(at: time::OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000) as i64
}

/// Truncates a timestamp to what PostgreSQL will store, so the hash computed before the
/// insert matches the one recomputed from the row.
pub fn truncate_to_micros(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let nanos = at.nanosecond();
    at.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Metadata;
    use uuid::Uuid;

    fn event(payload: serde_json::Value) -> RecordedEvent {
        RecordedEvent {
            position: 1,
            event_id: Uuid::nil(),
            stream_id: "issue-1".into(),
            stream_version: 1,
            event_type: "IssueReported".into(),
            schema_version: 1,
            payload: payload.into(),
            metadata: Metadata {
                actor_id: "网格员".into(),
                actor_role: "grid_worker".into(),
                correlation_id: Uuid::nil(),
                causation_id: None,
                command_id: None,
                command_fingerprint: None,
            },
            recorded_at: time::macros::datetime!(2023-07-15 08:00:00.123456 UTC),
            hash: GENESIS,
        }
    }

    #[test]
    fn key_order_does_not_change_the_canonical_bytes() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":"门口"}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{ "a": "门口", "b": 1 }"#).unwrap();
        assert_eq!(canonical_bytes(&event(a)), canonical_bytes(&event(b)));
    }

    #[test]
    fn a_command_fingerprint_is_chained_and_its_absence_keeps_the_old_bytes() {
        let plain = event(serde_json::json!({"bollards": 4}));
        let header = String::from_utf8(canonical_bytes(&plain)).unwrap();
        // Twelve header fields, as every event before fingerprints was hashed.
        let fields: Vec<serde_json::Value> =
            serde_json::from_str(header.lines().next().unwrap()).unwrap();
        assert_eq!(fields.len(), 12);
        let mut stamped = plain.clone();
        stamped.metadata.command_fingerprint = Some([7; 32]);
        let header = String::from_utf8(canonical_bytes(&stamped)).unwrap();
        let fields: Vec<serde_json::Value> =
            serde_json::from_str(header.lines().next().unwrap()).unwrap();
        assert_eq!(fields.len(), 13);
        assert_eq!(fields[12], hex::encode([7u8; 32]));
        assert_ne!(link(&GENESIS, &plain), link(&GENESIS, &stamped));
        let mut other = plain.clone();
        other.metadata.command_fingerprint = Some([8; 32]);
        assert_ne!(link(&GENESIS, &stamped), link(&GENESIS, &other));
    }

    #[test]
    fn changing_one_payload_byte_changes_the_hash() {
        let a = event(serde_json::json!({"bollards": 4}));
        let b = event(serde_json::json!({"bollards": 5}));
        assert_ne!(link(&GENESIS, &a), link(&GENESIS, &b));
    }

    #[test]
    fn the_previous_hash_is_part_of_the_link() {
        let e = event(serde_json::json!({}));
        assert_ne!(link(&GENESIS, &e), link(&[1; 32], &e));
    }
}
