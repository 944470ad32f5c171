//! Reading the log in bulk: one binary `COPY … TO STDOUT` of a range of positions, cut into
//! pages of events as it arrives.
//!
//! A replay reads every event once, in order. Paged `SELECT`s hand each row to sqlx as a
//! row object whose fifteen columns are then looked up and decoded one by one; over a
//! million events that machinery cost civic about as much CPU as every projector's applying
//! together. A `COPY` stream is one statement for the whole range (one snapshot, no page
//! queries) whose rows are read straight from the bytes PostgreSQL sends, field after field
//! (`binary_copy::RowCutter`). It reads only what projectors read (`ProjectedEvent`).

use bytes::Bytes;
use bytestring::ByteString;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use sqlx::{Executor, PgConnection};

use crate::binary_copy::{from_postgres_micros, Fields, RowCutter};
use crate::columns::PROJECTED_COLUMNS;
use crate::error::StoreError;
use crate::event::{Payload, ProjectedEvent};

/// The events after one position, up to another, read by one `COPY` on a connection of the
/// caller's, which it holds until the last page has been read.
///
/// A `COPY` left unread keeps its connection busy until the rest has been received: a
/// caller that stops early should close the connection rather than return it to a pool.
pub struct LogCopy<'c> {
    chunks: BoxStream<'c, sqlx::Result<Bytes>>,
    rows: RowCutter,
    /// Events cut from the stream and not yet handed out.
    ready: Vec<ProjectedEvent>,
    /// The position of the last event read: the next one's is one more (positions are
    /// gapless), which names a row that cannot be read.
    last: i64,
    done: bool,
}

impl std::fmt::Debug for LogCopy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogCopy")
            .field("last", &self.last)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<'c> LogCopy<'c> {
    /// Starts reading the events after position `after` up to `to` (inclusive; to the head
    /// when `None`), in position order, in a transaction of the caller's (which then sees
    /// one snapshot throughout).
    ///
    /// The read follows `events`' primary key. Without statistics (a log just loaded, before
    /// autovacuum has analyzed it) PostgreSQL would otherwise guess the range small, fetch it
    /// unordered and sort all of it before sending the first row, while every projector
    /// waits; so sorting is ruled out for the transaction.
    pub async fn start(
        conn: &'c mut PgConnection,
        after: i64,
        to: Option<i64>,
    ) -> Result<LogCopy<'c>, StoreError> {
        conn.execute("SET LOCAL enable_sort = off").await?;
        // `COPY` takes no parameters: the bounds are numbers of the caller's, written out.
        let to = to.map_or(String::new(), |to| format!(" AND position <= {to}"));
        let sql = format!(
            "COPY (SELECT {} FROM events WHERE position > {after}{to} ORDER BY position) \
             TO STDOUT (FORMAT binary)",
            PROJECTED_COLUMNS.join(", ")
        );
        let chunks = conn.copy_out_raw(&sql).await?;
        Ok(LogCopy {
            chunks,
            rows: RowCutter::default(),
            ready: Vec::new(),
            last: after,
            done: false,
        })
    }

    /// The next events, at most `limit` of them (at least one); empty once every event of
    /// the range has been read.
    pub async fn next_page(&mut self, limit: usize) -> Result<Vec<ProjectedEvent>, StoreError> {
        let limit = limit.max(1);
        // The page's vector is the page (`split_off` leaves the rest in a new one), so it is
        // sized once rather than grown by doubling, which copied each page twice over.
        self.ready.reserve(limit.saturating_sub(self.ready.len()));
        while self.ready.len() < limit && !self.done {
            match self.chunks.next().await {
                Some(chunk) => {
                    let chunk = chunk?;
                    let (ready, last) = (&mut self.ready, &mut self.last);
                    let cut = self.rows.push(chunk, |fields| {
                        let event = decode(fields)?;
                        *last = event.position;
                        ready.push(event);
                        Ok(())
                    });
                    // Positions are gapless: the row that could not be read is the next one.
                    cut.map_err(|reason| corrupt(self.last + 1, reason))?;
                }
                None => {
                    self.done = true;
                    if !self.rows.finished() {
                        return Err(corrupt(self.last + 1, "the COPY stream ended early"));
                    }
                }
            }
        }
        let rest = self.ready.split_off(limit.min(self.ready.len()));
        Ok(std::mem::replace(&mut self.ready, rest))
    }
}

fn corrupt(position: i64, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        position,
        reason: reason.into(),
    }
}

/// Reads a row of [`PROJECTED_COLUMNS`] in their order, each in its type's send format.
///
/// The stream id, type and payload are slices of the chunk the row arrived in
/// (`Fields::shared`), not copies: three allocations an event fewer, each freed by
/// whichever projector's task let go of the page last, on another thread than the reader's.
fn decode(mut f: Fields<'_>) -> Result<ProjectedEvent, String> {
    if f.count() != PROJECTED_COLUMNS.len() {
        return Err(format!("a row of {} fields", f.count()));
    }
    let position = int8(required(&mut f, "position")?)?;
    let stream_id = required(&mut f, "stream_id")?;
    let stream_id = text(&f, stream_id)?;
    let stream_version = int8(required(&mut f, "stream_version")?)?;
    let event_type = required(&mut f, "event_type")?;
    let event_type = text(&f, event_type)?;
    let schema_version = int4(required(&mut f, "schema_version")?)?;
    let payload = match required(&mut f, "payload")?.split_first() {
        Some((1, json)) => Payload::rendered(text(&f, json)?),
        _ => return Err("payload is not jsonb of format 1".into()),
    };
    let recorded_at = from_postgres_micros(int8(required(&mut f, "recorded_at")?)?)
        .ok_or("recorded_at is out of range")?;
    Ok(ProjectedEvent {
        position,
        stream_id,
        stream_version,
        event_type,
        schema_version,
        payload,
        recorded_at,
    })
}

fn required<'a>(f: &mut Fields<'a>, column: &str) -> Result<&'a [u8], String> {
    f.field()?.ok_or_else(|| format!("{column} is null"))
}

fn int8(b: &[u8]) -> Result<i64, String> {
    Ok(i64::from_be_bytes(
        b.try_into().map_err(|_| "an int8 not of 8 bytes")?,
    ))
}

fn int4(b: &[u8]) -> Result<i32, String> {
    Ok(i32::from_be_bytes(
        b.try_into().map_err(|_| "an int4 not of 4 bytes")?,
    ))
}

/// The text field `b` of the row `f`, shared with the bytes it arrived in.
fn text(f: &Fields<'_>, b: &[u8]) -> Result<ByteString, String> {
    ByteString::try_from(f.shared(b)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::binary_copy::BinaryRows;

    /// One field of a row as PostgreSQL sends it, or SQL NULL.
    type Field = Option<Vec<u8>>;

    /// One field as `write` frames it: past the stream's 19-byte header, the row's field
    /// count and the field's length, up to the trailer.
    fn field(write: impl Fn(&mut BinaryRows)) -> Field {
        let mut rows = BinaryRows::with_capacity(0);
        rows.row(1);
        write(&mut rows);
        let bytes = rows.finish();
        Some(bytes[19 + 2 + 4..bytes.len() - 2].to_vec())
    }

    /// The fields of a stored event's row, in the order of [`PROJECTED_COLUMNS`].
    fn stored_row() -> Vec<Field> {
        vec![
            field(|r| r.i64(7)),
            field(|r| r.text("issue-1")),
            field(|r| r.i64(2)),
            field(|r| r.text("IssueAssigned")),
            field(|r| r.i32(1)),
            field(|r| r.jsonb(r#"{"assignee": "网格员"}"#)),
            field(|r| r.timestamptz(datetime!(2026-12-04 08:00:00.5 +08:00))),
        ]
    }

    /// Frames `fields` as one row of a COPY stream and decodes it.
    fn decoded(fields: &[Field]) -> Result<ProjectedEvent, String> {
        let mut rows = BinaryRows::with_capacity(0);
        rows.row(fields.len() as i16);
        for field in fields {
            rows.optional(field.as_deref(), BinaryRows::bytes);
        }
        let mut result = None;
        RowCutter::default()
            .push(Bytes::from(rows.finish()), |f| {
                result = Some(decode(f));
                Ok(())
            })
            .expect("a well-framed stream");
        result.expect("one row")
    }

    #[test]
    fn a_stored_row_decodes_to_its_event() {
        let event = decoded(&stored_row()).unwrap();
        assert_eq!((event.position, event.stream_version), (7, 2));
        assert_eq!(
            (&*event.stream_id, &*event.event_type),
            ("issue-1", "IssueAssigned")
        );
        assert_eq!(event.schema_version, 1);
        assert_eq!(event.payload.text(), r#"{"assignee": "网格员"}"#);
        assert_eq!(event.recorded_at, datetime!(2026-12-04 00:00:00.5 UTC));
    }

    /// Each way a row can differ from what the reader was written for is named, not read.
    #[test]
    fn a_row_unlike_a_stored_event_is_refused_with_its_reason() {
        let with = |index: usize, field: Field| {
            let mut row = stored_row();
            row[index] = field;
            decoded(&row).map(|_| ()).unwrap_err()
        };
        let mut jsonb_v2 = vec![2u8];
        jsonb_v2.extend_from_slice(b"{}");
        assert_eq!(with(5, Some(jsonb_v2)), "payload is not jsonb of format 1");
        assert_eq!(
            with(5, Some(Vec::new())),
            "payload is not jsonb of format 1"
        );
        assert_eq!(with(1, None), "stream_id is null");
        assert_eq!(with(4, Some(vec![0; 8])), "an int4 not of 4 bytes");
        assert_eq!(with(0, Some(vec![0; 4])), "an int8 not of 8 bytes");
        assert_eq!(with(6, None), "recorded_at is null");
        assert!(with(3, Some(vec![0xff, 0xfe])).contains("utf-8"));
        let mut short = stored_row();
        short.pop();
        assert_eq!(
            decoded(&short).map(|_| ()).unwrap_err(),
            "a row of 6 fields"
        );
    }
}
