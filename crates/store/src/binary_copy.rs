//! Rows in PostgreSQL's binary `COPY … FROM STDIN (FORMAT binary)` format.
//!
//! Binary rather than text: PostgreSQL then parses no numbers, UUIDs, dates or timestamps,
//! and nothing needs escaping. Each field is its type's binary send format: big-endian
//! integers, one byte for a boolean, 16 UUID bytes, UTF-8 text, JSONB as a version byte (1)
//! and the JSON text, a date as days and a timestamp as microseconds since 2000-01-01 UTC,
//! raw bytes for bytea. The writer's `COPY` of events and the issue projector's `COPY` of
//! new rows are both written with it; a replay's read of the log (`crate::log_copy`) is cut
//! into rows and fields by [`RowCutter`].

use bytes::Bytes;
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

/// The signature a binary `COPY` stream begins with (then flags and the header extension's
/// length, four bytes each).
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// Cuts a binary `COPY … TO STDOUT` stream, which arrives in chunks of any size, into rows.
///
/// PostgreSQL sends a row per message, the header with the first, so a chunk is nearly
/// always whole rows and is read where it lies (a field can be kept as a slice of it, see
/// [`Fields::shared`]); only a row split across chunks is copied.
#[derive(Debug, Default)]
pub struct RowCutter {
    /// The start of a row (or of the header) whose end has not arrived yet.
    pending: Vec<u8>,
    header_read: bool,
    ended: bool,
}

impl RowCutter {
    /// Hands `each` every row that `chunk` completes, in order; keeps an incomplete row for
    /// the next chunk. A stream that breaks the format is an error naming what was wrong.
    pub fn push(
        &mut self,
        chunk: Bytes,
        mut each: impl FnMut(Fields<'_>) -> Result<(), String>,
    ) -> Result<(), String> {
        let bytes = if self.pending.is_empty() {
            chunk
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(&chunk);
            Bytes::from(joined)
        };
        let used = self.cut(&bytes, &mut each)?;
        self.pending.extend_from_slice(&bytes[used..]);
        Ok(())
    }

    /// Whether the stream's trailer has been read, with nothing after it: a stream that
    /// stops before it was cut short.
    pub fn finished(&self) -> bool {
        self.ended && self.pending.is_empty()
    }

    /// Reads the header and the complete rows at the start of `bytes`; returns how many
    /// bytes it used.
    fn cut(
        &mut self,
        bytes: &Bytes,
        each: &mut impl FnMut(Fields<'_>) -> Result<(), String>,
    ) -> Result<usize, String> {
        let mut used = 0;
        if !self.header_read {
            let Some(fixed) = bytes.get(..SIGNATURE.len() + 8) else {
                return Ok(0);
            };
            if &fixed[..SIGNATURE.len()] != SIGNATURE {
                return Err("not a binary COPY stream".into());
            }
            let extension = be_i32(&fixed[SIGNATURE.len() + 4..]);
            let extension = usize::try_from(extension)
                .map_err(|_| "negative COPY header extension".to_owned())?;
            if bytes.len() < fixed.len() + extension {
                return Ok(0);
            }
            used = fixed.len() + extension;
            self.header_read = true;
        }
        while let Some(row) = row_at(&bytes[used..])? {
            if self.ended {
                return Err("data after the COPY trailer".into());
            }
            match row {
                Row::Trailer => {
                    self.ended = true;
                    used += 2;
                }
                Row::Fields { len, count } => {
                    each(Fields {
                        rest: &bytes[used + 2..used + len],
                        count,
                        buffer: bytes,
                    })?;
                    used += len;
                }
            }
        }
        Ok(used)
    }
}

/// What the start of a stream's remaining bytes holds.
enum Row {
    /// The end of the data.
    Trailer,
    /// A row of `count` fields, `len` bytes with its field count.
    Fields { len: usize, count: usize },
}

/// The row at the start of `bytes`, `None` when it has not all arrived.
fn row_at(bytes: &[u8]) -> Result<Option<Row>, String> {
    let Some(count) = bytes.get(..2) else {
        return Ok(None);
    };
    let count = i16::from_be_bytes([count[0], count[1]]);
    if count == -1 {
        return Ok(Some(Row::Trailer));
    }
    let count = usize::try_from(count).map_err(|_| format!("a row of {count} fields"))?;
    let mut at = 2;
    for _ in 0..count {
        let Some(len) = bytes.get(at..at + 4) else {
            return Ok(None);
        };
        at += 4;
        match be_i32(len) {
            -1 => {}
            len => {
                let len = usize::try_from(len).map_err(|_| format!("a field of {len} bytes"))?;
                at += len;
            }
        }
        if at > bytes.len() {
            return Ok(None);
        }
    }
    Ok(Some(Row::Fields { len: at, count }))
}

fn be_i32(bytes: &[u8]) -> i32 {
    i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The fields of one row, in the order of the statement's columns.
#[derive(Debug)]
pub struct Fields<'a> {
    rest: &'a [u8],
    count: usize,
    /// What the row lies in.
    buffer: &'a Bytes,
}

impl<'a> Fields<'a> {
    /// How many fields the row has.
    pub fn count(&self) -> usize {
        self.count
    }

    /// `field` (one of this row's fields, or a part of one) as a slice of the bytes it
    /// arrived in, which it keeps alive: no copy and no allocation of its own.
    pub fn shared(&self, field: &[u8]) -> Bytes {
        self.buffer.slice_ref(field)
    }

    /// The next field's bytes, `None` for a null. The row was framed whole by
    /// [`RowCutter`], so a missing field is an error only past the row's last one.
    pub fn field(&mut self) -> Result<Option<&'a [u8]>, String> {
        let Some(len) = self.rest.get(..4) else {
            return Err("a row with fewer fields than its columns".into());
        };
        let len = be_i32(len);
        self.rest = &self.rest[4..];
        if len < 0 {
            return Ok(None);
        }
        let (value, rest) = self.rest.split_at(len as usize);
        self.rest = rest;
        Ok(Some(value))
    }
}

/// Microseconds from PostgreSQL's epoch to `at`, its binary form of a `timestamptz`.
pub fn postgres_micros(at: OffsetDateTime) -> i64 {
    let nanos = at.unix_timestamp_nanos() - i128::from(POSTGRES_EPOCH_UNIX) * 1_000_000_000;
    i64::try_from(nanos / 1000).unwrap_or(i64::MAX)
}

/// The instant `micros` microseconds from PostgreSQL's epoch, in UTC: a `timestamptz` read
/// back from its binary form, as sqlx reads one.
pub fn from_postgres_micros(micros: i64) -> Option<OffsetDateTime> {
    let nanos = (i128::from(micros) + i128::from(POSTGRES_EPOCH_UNIX) * 1_000_000) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
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

    /// Rows cut from a stream are the rows written, however the stream is split into
    /// chunks: at every byte, in two, or whole.
    #[test]
    fn rows_are_cut_alike_wherever_the_chunks_end() {
        let mut rows = BinaryRows::with_capacity(0);
        for n in 0..3i64 {
            rows.row(3);
            rows.i64(n);
            rows.optional((n != 1).then_some("社区"), BinaryRows::text);
            rows.jsonb(r#"{"a":"街道"}"#);
        }
        let bytes = rows.finish();
        let read = |chunks: Vec<&[u8]>| {
            let mut cutter = RowCutter::default();
            let mut seen = Vec::new();
            for chunk in chunks {
                cutter
                    .push(Bytes::copy_from_slice(chunk), |mut f| {
                        assert_eq!(f.count(), 3);
                        let n = f.field()?.map(<[u8]>::to_vec);
                        // Kept as a slice of the chunk it arrived in: the same bytes.
                        let text = f.field()?.map(|text| f.shared(text).to_vec());
                        let json = f.field()?.map(<[u8]>::to_vec);
                        assert!(f.field().is_err(), "no fourth field");
                        seen.push((n, text, json));
                        Ok(())
                    })
                    .unwrap();
            }
            (seen, cutter.finished())
        };
        let whole = read(vec![&bytes]);
        assert_eq!(whole.0.len(), 3);
        assert!(whole.1);
        assert_eq!(whole.0[1].1, None);
        assert_eq!(whole.0[2].1.as_deref(), Some("社区".as_bytes()));
        let jsonb = [&[1u8][..], r#"{"a":"街道"}"#.as_bytes()].concat();
        assert_eq!(whole.0[0].2, Some(jsonb));
        for cut in 0..=bytes.len() {
            assert_eq!(
                read(vec![&bytes[..cut], &bytes[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        assert_eq!(read(bytes.chunks(1).collect()), whole);
        // A stream stopped before its trailer is not finished.
        assert!(!read(vec![&bytes[..bytes.len() - 2]]).1);
    }

    #[test]
    fn a_stream_that_breaks_the_format_is_refused() {
        let refused = |bytes: &[u8]| {
            RowCutter::default()
                .push(Bytes::copy_from_slice(bytes), |_| Ok(()))
                .unwrap_err()
        };
        assert_eq!(
            refused(b"PGCOPY\nXXXXXXXXXXXXXXXXX"),
            "not a binary COPY stream"
        );
        let mut rows = BinaryRows::with_capacity(0);
        rows.row(1);
        rows.i64(1);
        let mut bytes = rows.finish();
        bytes.extend_from_slice(&[0, 0]);
        assert_eq!(refused(&bytes), "data after the COPY trailer");
        let mut rows = BinaryRows::with_capacity(0);
        rows.row(1);
        rows.bytes(&[]);
        let mut bytes = rows.finish();
        let length = 19 + 2;
        bytes[length..length + 4].copy_from_slice(&(-2i32).to_be_bytes());
        assert_eq!(refused(&bytes), "a field of -2 bytes");
    }

    #[test]
    fn times_read_back_as_written() {
        for at in [
            datetime!(2026-12-04 08:00:00.123456 +08:00),
            datetime!(1999-12-31 23:59:59.999999 UTC),
        ] {
            assert_eq!(from_postgres_micros(postgres_micros(at)), Some(at));
        }
    }
}
