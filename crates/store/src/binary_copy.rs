//! Rows in PostgreSQL's binary `COPY … FROM STDIN (FORMAT binary)` format.
//!
//! Binary rather than text: PostgreSQL then parses no numbers, UUIDs, dates or timestamps,
//! and nothing needs escaping. Each field is its type's binary send format: big-endian
//! integers, one byte for a boolean, 16 UUID bytes, UTF-8 text, JSONB as a version byte (1)
//! and the JSON text, a date as days and a timestamp as microseconds since 2000-01-01 UTC,
//! raw bytes for bytea. The writer's `COPY` of events and the issue projector's `COPY` of
//! new rows are both written with it.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Seconds from the Unix epoch to PostgreSQL's, 2000-01-01 00:00:00 UTC.
pub(crate) const POSTGRES_EPOCH_UNIX: i64 = 946_684_800;

/// PostgreSQL's epoch as a Julian day number (2000-01-01).
const POSTGRES_EPOCH_JULIAN_DAY: i32 = 2_451_545;

/// A binary `COPY` stream under construction: the header, then rows of fields in the order
/// of the statement's columns.
#[derive(Debug)]
pub struct BinaryRows {
    bytes: Vec<u8>,
}

impl BinaryRows {
    /// An empty stream with room for about `capacity` bytes of rows.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut bytes = Vec::with_capacity(19 + capacity + 2);
        bytes.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        bytes.extend_from_slice(&0i32.to_be_bytes()); // flags: no OIDs
        bytes.extend_from_slice(&0i32.to_be_bytes()); // no header extension
        BinaryRows { bytes }
    }

    /// Starts a row of `fields` fields; exactly that many field calls must follow.
    pub fn row(&mut self, fields: i16) {
        self.bytes.extend_from_slice(&fields.to_be_bytes());
    }

    /// A field of raw bytes (`bytea`, or the send format of a type the caller encoded).
    pub fn bytes(&mut self, value: &[u8]) {
        self.length(value.len());
        self.bytes.extend_from_slice(value);
    }

    pub fn text(&mut self, value: &str) {
        self.bytes(value.as_bytes());
    }

    pub fn null(&mut self) {
        self.bytes.extend_from_slice(&(-1i32).to_be_bytes());
    }

    pub fn bool(&mut self, value: bool) {
        self.bytes(&[u8::from(value)]);
    }

    pub fn i16(&mut self, value: i16) {
        self.bytes(&value.to_be_bytes());
    }

    pub fn i32(&mut self, value: i32) {
        self.bytes(&value.to_be_bytes());
    }

    pub fn i64(&mut self, value: i64) {
        self.bytes(&value.to_be_bytes());
    }

    pub fn uuid(&mut self, value: &Uuid) {
        self.bytes(value.as_bytes());
    }

    /// A `jsonb` field from its JSON text.
    pub fn jsonb(&mut self, json: &str) {
        self.length(json.len() + 1);
        self.bytes.push(1);
        self.bytes.extend_from_slice(json.as_bytes());
    }

    /// A `timestamptz` field (whole microseconds, as sqlx binds one: finer digits are
    /// dropped toward the epoch).
    pub fn timestamptz(&mut self, at: OffsetDateTime) {
        self.i64(postgres_micros(at));
    }

    /// A `date` field.
    pub fn date(&mut self, day: Date) {
        self.i32(day.to_julian_day() - POSTGRES_EPOCH_JULIAN_DAY);
    }

    /// `value`'s field by `write`, or a null.
    pub fn optional<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match value {
            Some(value) => write(self, value),
            None => self.null(),
        }
    }

    /// The finished stream, trailer included.
    pub fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(&(-1i16).to_be_bytes());
        self.bytes
    }

    fn length(&mut self, len: usize) {
        // Fields are bounded far below 2 GiB before they get here (payloads, read-model text).
        let len = i32::try_from(len).unwrap_or(i32::MAX);
        self.bytes.extend_from_slice(&len.to_be_bytes());
    }
}

/// Microseconds from PostgreSQL's epoch to `at`, its binary form of a `timestamptz`.
pub fn postgres_micros(at: OffsetDateTime) -> i64 {
    let nanos = at.unix_timestamp_nanos() - i128::from(POSTGRES_EPOCH_UNIX) * 1_000_000_000;
    i64::try_from(nanos / 1000).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn fields_are_framed_in_postgres_send_formats() {
        let mut rows = BinaryRows::with_capacity(0);
        rows.row(7);
        rows.text("社");
        rows.null();
        rows.bool(true);
        rows.i16(-2);
        rows.date(date!(2000 - 01 - 02));
        rows.timestamptz(datetime!(2000-01-01 08:00:01.5 +08:00));
        rows.optional(Some(3i64), BinaryRows::i64);
        let bytes = rows.finish();
        assert_eq!(&bytes[..11], b"PGCOPY\n\xff\r\n\0");
        let body = &bytes[19..];
        let expected: Vec<u8> = [
            &7i16.to_be_bytes()[..],
            &[0, 0, 0, 3],
            "社".as_bytes(),
            &[0xff; 4],
            &[0, 0, 0, 1, 1],
            &[0, 0, 0, 2, 0xff, 0xfe],
            &[0, 0, 0, 4, 0, 0, 0, 1],
            &[0, 0, 0, 8],
            &1_500_000i64.to_be_bytes(),
            &[0, 0, 0, 8],
            &3i64.to_be_bytes(),
            &[0xff, 0xff],
        ]
        .concat();
        assert_eq!(body, expected);
    }

    #[test]
    fn times_keep_whole_microseconds_toward_the_epoch() {
        assert_eq!(
            postgres_micros(datetime!(1999-12-31 23:59:59.9999985 UTC)),
            -1
        );
        assert_eq!(
            postgres_micros(datetime!(2000-01-01 00:00:00.0000019 UTC)),
            1
        );
        assert_eq!(
            postgres_micros(datetime!(2026-12-04 08:00:00 +08:00)),
            849_657_600_000_000
        );
    }
}
