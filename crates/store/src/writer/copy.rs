//! `COPY … FROM STDIN (FORMAT binary)` of a batch's events ([`crate::binary_copy`]).
//!
//! Binary rather than text: PostgreSQL then parses no numbers, UUIDs, timestamps or hex,
//! and nothing needs escaping, which both the writer and the server feel at high rates.

use std::sync::LazyLock;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::binary_copy::{postgres_micros, BinaryRows};

/// The statement the buffer is sent to: the columns an append writes
/// ([`WRITTEN_COLUMN_LIST`](crate::columns::WRITTEN_COLUMN_LIST)), in that order.
pub(super) static COPY_EVENTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "COPY events ({}) FROM STDIN (FORMAT binary)",
        *crate::columns::WRITTEN_COLUMN_LIST
    )
});

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

/// A batch's rows as a binary COPY stream under construction.
pub(super) struct Buffer {
    rows: BinaryRows,
    /// The batch's time, shared by every row, in PostgreSQL's binary form.
    recorded_at: i64,
}

impl Buffer {
    /// A stream of rows that all share `recorded_at`.
    pub fn new(rows: usize, recorded_at: OffsetDateTime) -> Self {
        Buffer {
            rows: BinaryRows::with_capacity(rows * 720),
            recorded_at: postgres_micros(recorded_at),
        }
    }

    pub fn push(&mut self, row: &Row<'_>) {
        let out = &mut self.rows;
        out.row(crate::columns::WRITTEN_COLUMNS as i16);
        out.i64(row.position);
        out.uuid(&row.event_id);
        out.text(row.stream_id);
        out.i64(row.stream_version);
        out.text(row.event_type);
        out.i32(row.schema_version);
        out.jsonb(row.payload);
        out.text(row.actor_id);
        out.text(row.actor_role);
        out.uuid(&row.correlation_id);
        out.optional(row.causation_id.as_ref(), BinaryRows::uuid);
        out.optional(row.command_id.as_ref(), BinaryRows::uuid);
        out.i64(self.recorded_at);
        out.bytes(row.hash);
        out.optional(row.command_fingerprint, BinaryRows::bytes);
        out.optional(row.command_events, BinaryRows::i32);
    }

    /// The finished stream, trailer included.
    pub fn finish(self) -> Vec<u8> {
        self.rows.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_framed_as_postgres_expects() {
        let at = OffsetDateTime::from_unix_timestamp(crate::binary_copy::POSTGRES_EPOCH_UNIX + 1)
            .unwrap();
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
