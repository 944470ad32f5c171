//! `COPY … FROM STDIN (FORMAT binary)` encoding of a batch's events.
//!
//! Binary rather than text: PostgreSQL then parses no numbers, UUIDs, timestamps or hex,
//! and nothing needs escaping, which both the writer and the server feel at high rates.
//! Each field is its type's binary send format: big-endian integers, 16 UUID bytes, UTF-8
//! text, JSONB as a version byte (1) and the JSON text, a timestamp as microseconds since
//! 2000-01-01 UTC, raw bytes for bytea.

use std::sync::LazyLock;

use time::OffsetDateTime;
use uuid::Uuid;

/// The statement the buffer is sent to: the columns an append writes
/// ([`WRITTEN_COLUMN_LIST`](crate::columns::WRITTEN_COLUMN_LIST)), in that order.
pub(super) static COPY_EVENTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "COPY events ({}) FROM STDIN (FORMAT binary)",
        *crate::columns::WRITTEN_COLUMN_LIST
    )
});

/// Seconds from the Unix epoch to PostgreSQL's, 2000-01-01 00:00:00 UTC.
const POSTGRES_EPOCH_UNIX: i64 = 946_684_800;

/// One row's fields, in the order of [`COPY_EVENTS`] (checked by a test).
pub(super) struct Row<'a> {
    pub position: i64,
    pub event_id: Uuid,
    pub stream_id: &'a str,
    pub stream_version: i64,
    pub event_type: &'a str,
    pub schema_version: i32,
    pub payload: &'a str,
    pub actor_id: &'a str,
    pub actor_role: &'a str,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub command_id: Option<Uuid>,
    pub hash: &'a [u8],
    pub command_fingerprint: Option<&'a [u8]>,
    pub command_events: Option<i32>,
}

/// A binary COPY stream under construction.
pub(super) struct Buffer {
    bytes: Vec<u8>,
    recorded_at: i64,
}

impl Buffer {
    /// A stream of rows that all share `recorded_at`.
    pub fn new(rows: usize, recorded_at: OffsetDateTime) -> Self {
        let mut bytes = Vec::with_capacity(19 + rows * 720 + 2);
        bytes.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        bytes.extend_from_slice(&0i32.to_be_bytes()); // flags: no OIDs
        bytes.extend_from_slice(&0i32.to_be_bytes()); // no header extension
        let micros = i64::try_from(recorded_at.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX);
        Buffer {
            bytes,
            recorded_at: micros - POSTGRES_EPOCH_UNIX * 1_000_000,
        }
    }

    pub fn push(&mut self, row: &Row<'_>) {
        self.bytes
            .extend_from_slice(&(crate::columns::WRITTEN_COLUMNS as i16).to_be_bytes());
        self.field(&row.position.to_be_bytes());
        self.field(row.event_id.as_bytes());
        self.field(row.stream_id.as_bytes());
        self.field(&row.stream_version.to_be_bytes());
        self.field(row.event_type.as_bytes());
        self.field(&row.schema_version.to_be_bytes());
        self.jsonb(row.payload);
        self.field(row.actor_id.as_bytes());
        self.field(row.actor_role.as_bytes());
        self.field(row.correlation_id.as_bytes());
        self.optional(row.causation_id.as_ref().map(Uuid::as_bytes));
        self.optional(row.command_id.as_ref().map(Uuid::as_bytes));
        self.field(&self.recorded_at.to_be_bytes());
        self.field(row.hash);
        match row.command_fingerprint {
            Some(fingerprint) => self.field(fingerprint),
            None => self.null(),
        }
        match row.command_events {
            Some(count) => self.field(&count.to_be_bytes()),
            None => self.null(),
        }
    }

    /// The finished stream, trailer included.
    pub fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(&(-1i16).to_be_bytes());
        self.bytes
    }

    fn field(&mut self, value: &[u8]) {
        self.length(value.len() as u64);
        self.bytes.extend_from_slice(value);
    }

    fn optional(&mut self, value: Option<&[u8; 16]>) {
        match value {
            Some(value) => self.field(value),
            None => self.null(),
        }
    }

    fn null(&mut self) {
        self.bytes.extend_from_slice(&(-1i32).to_be_bytes());
    }

    fn jsonb(&mut self, json: &str) {
        self.length(json.len() as u64 + 1);
        self.bytes.push(1);
        self.bytes.extend_from_slice(json.as_bytes());
    }

    fn length(&mut self, len: u64) {
        // Payloads are capped far below 2 GiB before they reach the writer.
        let len = i32::try_from(len).unwrap_or(i32::MAX);
        self.bytes.extend_from_slice(&len.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_framed_as_postgres_expects() {
        let at = OffsetDateTime::from_unix_timestamp(POSTGRES_EPOCH_UNIX + 1).unwrap();
        let mut buffer = Buffer::new(1, at);
        buffer.push(&Row {
            position: 7,
            event_id: Uuid::nil(),
            stream_id: "s",
            stream_version: 1,
            event_type: "T",
            schema_version: 2,
            payload: "{}",
            actor_id: "a",
            actor_role: "r",
            correlation_id: Uuid::nil(),
            causation_id: None,
            command_id: None,
            hash: &[9; 32],
            command_fingerprint: None,
            command_events: Some(3),
        });
        let bytes = buffer.finish();
        assert_eq!(&bytes[..11], b"PGCOPY\n\xff\r\n\0");
        assert_eq!(&bytes[19..21], &16i16.to_be_bytes());
        assert_eq!(&bytes[21..33], &[0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7]);
        // One second after PostgreSQL's epoch, as the recorded_at field before the hash, the
        // (null) fingerprint and the command's event count.
        let tail = &bytes[bytes.len() - 2 - 8 - 4 - 36 - 12..];
        assert_eq!(&tail[..12], &[0, 0, 0, 8, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x40]);
        assert_eq!(
            &tail[12 + 36 + 4..12 + 36 + 4 + 8],
            &[0, 0, 0, 4, 0, 0, 0, 3]
        );
        assert_eq!(&bytes[bytes.len() - 2..], &[0xff, 0xff]);
    }
}
