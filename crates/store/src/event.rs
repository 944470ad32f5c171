use std::fmt;

use bytestring::ByteString;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// What the caller expects of a stream's version when appending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// Append whatever the stream's version.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must be at exactly this version (its number of events).
    Exact(i64),
}

impl ExpectedVersion {
    /// Whether a stream at `actual` (0: no stream) satisfies this expectation.
    pub fn admits(self, actual: i64) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => actual == v,
        }
    }

    /// The expectation that a stream loaded at `version` is still there.
    pub fn from_loaded(version: i64) -> Self {
        if version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(version)
        }
    }
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("any"),
            ExpectedVersion::NoStream => f.write_str("no stream"),
            ExpectedVersion::Exact(v) => write!(f, "{v}"),
        }
    }
}

/// Who caused an append and in answer to what; stored beside every event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The acting user (token subject) or system process.
    pub actor_id: String,
    /// The actor's role when acting.
    pub actor_role: String,
    /// Groups every event caused by one request.
    pub correlation_id: Uuid,
    /// The event or message that caused this one, if any.
    pub causation_id: Option<Uuid>,
    /// The command whose handling produced the events; the idempotency key.
    pub command_id: Option<Uuid>,
    /// SHA-256 of what the command asked (actor, command, target stream, canonical input):
    /// the command id answers only a request with this fingerprint. In the hash chain when
    /// present; events appended before fingerprints existed have none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "hex_fingerprint"
    )]
    pub command_fingerprint: Option<[u8; 32]>,
}

#[cfg(test)]
impl Metadata {
    /// Metadata for unit tests that do not look at it.
    pub(crate) fn anonymous() -> Self {
        Metadata {
            actor_id: "a".into(),
            actor_role: "r".into(),
            correlation_id: uuid::Uuid::nil(),
            causation_id: None,
            command_id: None,
            command_fingerprint: None,
        }
    }
}

/// An event to append: its type, schema version and JSON payload.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Event type name, e.g. `IssueReported`.
    pub event_type: String,
    /// Version of the payload's shape for this type.
    pub schema_version: i32,
    /// The payload.
    pub payload: serde_json::Value,
}

/// An event as stored in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// Gapless global position, 1-based, in commit order.
    pub position: i64,
    /// UUID v7 of the event.
    pub event_id: Uuid,
    /// The stream the event belongs to.
    pub stream_id: String,
    /// 1-based position within its stream.
    pub stream_version: i64,
    /// Event type name.
    pub event_type: String,
    /// Version of the payload's shape.
    pub schema_version: i32,
    /// The payload as stored, as JSON text.
    pub payload: Payload,
    /// Actor, correlation, causation and command.
    pub metadata: Metadata,
    /// When the event was committed (microsecond precision, as PostgreSQL keeps it).
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// SHA-256 of the previous event's hash and this event's canonical bytes, hex.
    #[serde(with = "hex_hash")]
    pub hash: [u8; 32],
}

/// What read models are built from: a recorded event without its id, its metadata (who,
/// on whose behalf, by which command) and its hash, which no projector reads.
///
/// A rebuild reads the whole log, and reading those eight columns too cost PostgreSQL about
/// a third more for the same rows (a million events sent by binary `COPY` within the server:
/// 1.15-1.20 s against 0.86 s), besides sending and decoding them. Projectors take this
/// type, so a projector cannot come to depend on what a rebuild does not read.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectedEvent {
    /// Gapless global position, 1-based, in commit order.
    pub position: i64,
    /// The stream the event belongs to.
    pub stream_id: ByteString,
    /// 1-based position within its stream.
    pub stream_version: i64,
    /// Event type name.
    pub event_type: ByteString,
    /// Version of the payload's shape.
    pub schema_version: i32,
    /// The payload as stored, as JSON text.
    pub payload: Payload,
    /// When the event was committed.
    pub recorded_at: OffsetDateTime,
}

impl ProjectedEvent {
    /// Whether this is its stream's first event: nothing of the stream comes before it, so a
    /// read model keyed by the stream has no row for it yet.
    pub fn begins_stream(&self) -> bool {
        self.stream_version == 1
    }
}

impl From<RecordedEvent> for ProjectedEvent {
    fn from(e: RecordedEvent) -> Self {
        ProjectedEvent {
            position: e.position,
            stream_id: e.stream_id.into(),
            stream_version: e.stream_version,
            event_type: e.event_type.into(),
            schema_version: e.schema_version,
            payload: e.payload,
            recorded_at: e.recorded_at,
        }
    }
}

/// A recorded event's payload as JSON text, not parsed into a tree: a reader decodes it
/// straight into its own event type ([`Payload::text`]). A replay reads every payload of the
/// log, and building a `serde_json::Value` for each (a map of owned keys and strings) was
/// more than half of decoding the log's rows.
///
/// The text is PostgreSQL's rendering of the `jsonb` when read from the log, or the
/// canonical rendering when the writer hands its own events on; the two differ only in
/// spacing and key order, so payloads compare equal by their JSON values. Either way it is
/// JSON by construction, so it is not checked again when read (checking it took back three
/// quarters of what not building the value saved).
///
/// Its text is a [`ByteString`]: a replay's payloads are slices of the `COPY` data they
/// arrived in (`crate::log_copy`), not copies of it.
#[derive(Clone)]
pub struct Payload(ByteString);

impl Payload {
    /// The JSON text.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// The payload parsed into a JSON value.
    pub fn value(&self) -> serde_json::Value {
        // The text is JSON by construction.
        serde_json::from_str(&self.0).unwrap_or(serde_json::Value::Null)
    }

    /// A payload of JSON text that PostgreSQL or the writer rendered.
    pub(crate) fn rendered(text: impl Into<ByteString>) -> Self {
        Payload(text.into())
    }
}

impl From<&serde_json::Value> for Payload {
    fn from(value: &serde_json::Value) -> Self {
        Payload(value.to_string().into())
    }
}

impl From<serde_json::Value> for Payload {
    fn from(value: serde_json::Value) -> Self {
        Payload::from(&value)
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || self.value() == other.value()
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Payload {
    /// As the JSON it holds, not as a string of it.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw: &serde_json::value::RawValue =
            serde_json::from_str(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        Ok(Payload(String::from(raw.get()).into()))
    }
}

/// The result of an append (or of the first append of a repeated command id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    /// Position of the first event written.
    pub first_position: i64,
    /// Position of the last event written: the position to wait for to read one's writes.
    pub last_position: i64,
    /// The stream's version after the append.
    pub stream_version: i64,
    /// True when the command id had already been applied and nothing was appended.
    pub duplicate: bool,
}

/// A command id that was applied: its first result and what it was the answer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCommand {
    /// The first append's result, marked as a duplicate.
    pub result: AppendResult,
    /// The stream it wrote.
    pub stream_id: String,
    /// Who sent it (unknown only for rows older than fingerprints with no event to ask).
    pub actor_id: Option<String>,
    /// The fingerprint of the request it answered (none before fingerprints existed).
    pub fingerprint: Option<[u8; 32]>,
}

impl AppliedCommand {
    /// Whether a request for `stream` with `metadata` is a retry of the request this command
    /// id first answered, and so gets its result. It must be for the same stream (an answer
    /// never names a stream the request did not write); then fingerprints decide when both
    /// sides have one, and otherwise (an old row, or a caller of the store that sends none)
    /// the actor must be the same.
    fn answers(&self, stream: &str, metadata: &Metadata) -> bool {
        self.stream_id == stream
            && match (self.fingerprint, metadata.command_fingerprint) {
                (Some(first), Some(this)) => first == this,
                _ => self
                    .actor_id
                    .as_deref()
                    .is_none_or(|actor| actor == metadata.actor_id),
            }
    }

    /// The answer to a request: the first result for a retry, else a refusal that names
    /// nothing of the first request.
    pub fn answer(
        &self,
        stream: &str,
        metadata: &Metadata,
    ) -> Result<AppendResult, crate::StoreError> {
        if self.answers(stream, metadata) {
            Ok(self.result)
        } else {
            Err(crate::StoreError::CommandIdReused {
                command_id: metadata.command_id.unwrap_or_default(),
            })
        }
    }
}

mod hex_fingerprint {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(bytes) => s.serialize_str(&hex::encode(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[u8; 32]>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        let bytes = hex::decode(text).map_err(D::Error::custom)?;
        let bytes = bytes
            .try_into()
            .map_err(|_| D::Error::custom("a command fingerprint must be 32 bytes"))?;
        Ok(Some(bytes))
    }
}

mod hex_hash {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(hash))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(text).map_err(D::Error::custom)?;
        bytes
            .try_into()
            .map_err(|_| D::Error::custom("hash must be 32 bytes"))
    }
}
