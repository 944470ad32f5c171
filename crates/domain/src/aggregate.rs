//! What every aggregate is: a decider over a stream of events.

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, MapDeserializer};
use serde::de::DeserializeOwned;
use serde::de::{DeserializeSeed, MapAccess};
use serde::Serialize;

use crate::values::CommunityId;

/// An aggregate as a decider: commands are decided against the state folded from its
/// stream's events.
pub trait Aggregate {
    /// The state before any event.
    type State: Default + Clone + std::fmt::Debug;
    /// What a user asks for.
    type Command: std::fmt::Debug + Serialize;
    /// What happened (past tense).
    type Event: EventCodec + Clone + std::fmt::Debug + PartialEq;
    /// The rules a command can break.
    type Error: std::error::Error + Clone + PartialEq;

    /// Stream id prefix, e.g. `issue`.
    const PREFIX: &'static str;

    /// The id (without prefix) of the stream a command is about.
    fn target(command: &Self::Command) -> &str;

    /// The stream id of an aggregate instance ([`split_stream_id`] takes it apart).
    fn stream_id(id: &str) -> String {
        format!("{}-{id}", Self::PREFIX)
    }

    /// Whether the command starts a new stream (a handler may then decide it against the
    /// initial state without reading, and let the store's "no stream" check catch a repeat).
    fn creates(_command: &Self::Command) -> bool {
        false
    }

    /// The community a command acts in: the stream's once it exists (a command that names
    /// another community for an existing stream acts in the stream's), else the command's
    /// when it creates the aggregate. `None` for the street level.
    fn community(command: &Self::Command, state: &Self::State) -> Option<CommunityId>;

    /// Decides which events a command causes, or which rule it breaks.
    fn decide(
        command: &Self::Command,
        state: &Self::State,
    ) -> Result<Vec<Self::Event>, Self::Error>;

    /// When what the event records happened, if it carries a date or moment of its own;
    /// `None` when only its recording says when.
    fn happened(_event: &Self::Event) -> Option<crate::happened::Happened> {
        None
    }

    /// [`Aggregate::happened`] of a stored event, read from its payload. The default decodes
    /// the whole event; an aggregate whose events are many and large may read only the field
    /// that holds the time, as long as it answers exactly what the default would for every
    /// event it can decode.
    ///
    /// `payload` is the stored JSON text.
    fn happened_stored(
        event_type: &str,
        version: i32,
        payload: &str,
    ) -> Result<Option<crate::happened::Happened>, UpcastError> {
        Ok(Self::happened(&Self::Event::decode_text(
            event_type, version, payload,
        )?))
    }

    /// Applies one event to the state.
    fn evolve(state: Self::State, event: &Self::Event) -> Self::State;

    /// Applies a sequence of events to a state.
    fn fold_from<'a>(
        state: Self::State,
        events: impl IntoIterator<Item = &'a Self::Event>,
    ) -> Self::State
    where
        Self::Event: 'a,
    {
        events.into_iter().fold(state, Self::evolve)
    }

    /// Folds a sequence of events from the initial state.
    fn fold<'a>(events: impl IntoIterator<Item = &'a Self::Event>) -> Self::State
    where
        Self::Event: 'a,
    {
        events
            .into_iter()
            .fold(Self::State::default(), Self::evolve)
    }
}

/// A stream id's aggregate kind and the aggregate's id, as [`Aggregate::stream_id`] joined
/// them (`issue-abc` → `("issue", "abc")`); `None` for an id without a `-`. Ids may hold
/// `-` themselves, prefixes do not, so the id is cut at the first one.
///
/// Inlined where it is called: a rebuild asks it of every event several times (once for
/// the page's kinds, once for each projector that reads the page), and as a call into this
/// crate it was a twentieth of civic's CPU in a rebuild.
#[inline]
pub fn split_stream_id(stream_id: &str) -> Option<(&str, &str)> {
    // `-` is one byte in UTF-8 and never part of another character's bytes, so either side
    // of it is a character boundary.
    let at = stream_id.bytes().position(|b| b == b'-')?;
    Some((&stream_id[..at], &stream_id[at + 1..]))
}

/// The aggregate id of `stream_id` if its kind is `prefix` (`issue-abc`, `issue` → `abc`):
/// [`split_stream_id`]'s answer compared with `prefix`, without searching for the `-`, as
/// a prefix holds none.
#[inline]
pub fn stream_id_of<'a>(stream_id: &'a str, prefix: &str) -> Option<&'a str> {
    stream_id.strip_prefix(prefix)?.strip_prefix('-')
}

/// Why a stored event could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpcastError {
    /// The type is not one of this aggregate's events.
    #[error("unknown event type {0}")]
    UnknownType(String),
    /// The schema version is newer than this code knows.
    #[error("{event_type} has schema version {version}, newer than this build knows")]
    UnknownVersion {
        /// The event type.
        event_type: String,
        /// Its stored schema version.
        version: i32,
    },
    /// The payload does not have the shape of its type and version.
    #[error("payload of {event_type} does not match its schema: {reason}")]
    BadPayload {
        /// The event type.
        event_type: String,
        /// What serde said.
        reason: String,
    },
}

/// How an event enum becomes (type, schema version, JSON payload) and back.
///
/// Enums derive `Serialize`/`Deserialize` with `#[serde(tag = "type", content = "data")]`;
/// the tag becomes the stored type and the content the payload.
pub trait EventCodec: Serialize + DeserializeOwned {
    /// The current schema version of this event's type.
    fn schema_version(&self) -> i32 {
        1
    }

    /// Turns an older payload shape into the current one (identity by default). The current
    /// shape ([`EventCodec::current_shape`]) is borrowed as it is; only a payload that
    /// changes is copied. An override hands on what `current_shape` calls current the same
    /// way, and upcasts the rest.
    fn upcast<'a>(
        event_type: &str,
        version: i32,
        payload: &'a serde_json::Value,
    ) -> Result<Cow<'a, serde_json::Value>, UpcastError> {
        if Self::current_shape(event_type, version) {
            Ok(Cow::Borrowed(payload))
        } else {
            Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            })
        }
    }

    /// Whether a payload stored as `version` of `event_type` already has the current shape
    /// (by default: version 1), which [`EventCodec::upcast`] hands on unchanged and
    /// [`EventCodec::decode_text`] reads from the text directly. An aggregate that has
    /// upcasts names its current versions here.
    fn current_shape(event_type: &str, version: i32) -> bool {
        let _ = event_type;
        version == 1
    }

    /// The stored type name and payload.
    fn encode(&self) -> (String, serde_json::Value) {
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let event_type = value["type"].as_str().unwrap_or_default().to_owned();
        let payload = value
            .get("data")
            .cloned()
            .unwrap_or(serde_json::Value::Object(Default::default()));
        (event_type, payload)
    }

    /// Reads a stored event of any known schema version, straight from the stored payload:
    /// the payload is not copied into a tagged document first, so a projector that reads a
    /// page of events allocates only what the events themselves hold.
    fn decode(
        event_type: &str,
        version: i32,
        payload: &serde_json::Value,
    ) -> Result<Self, UpcastError> {
        let payload = Self::upcast(event_type, version, payload)?;
        let tag = serde_json::Value::String(event_type.to_owned());
        // The shape `#[serde(tag = "type", content = "data")]` reads: {"type": …, "data": …}.
        let tagged = MapDeserializer::<_, serde_json::Error>::new(
            [("type", &tag), ("data", payload.as_ref())].into_iter(),
        );
        Self::deserialize(tagged).map_err(|e| decode_error(event_type, e))
    }

    /// [`EventCodec::decode`] of a payload given as its stored JSON text. A payload of the
    /// current shape is deserialized from the text directly, without building a
    /// `serde_json::Value` first (a replay reads a million of them); an older one is parsed
    /// and upcast.
    fn decode_text(event_type: &str, version: i32, payload: &str) -> Result<Self, UpcastError> {
        if !Self::current_shape(event_type, version) {
            let value: serde_json::Value =
                serde_json::from_str(payload).map_err(|e| decode_error(event_type, e))?;
            return Self::decode(event_type, version, &value);
        }
        Self::deserialize(MapAccessDeserializer::new(TaggedText::new(
            event_type, payload,
        )))
        .map_err(|e| decode_error(event_type, e))
    }
}

/// A decoding error as an [`UpcastError`]: an unknown type, or a payload that does not fit.
fn decode_error(event_type: &str, error: serde_json::Error) -> UpcastError {
    let reason = error.to_string();
    if reason.starts_with("unknown variant") {
        UpcastError::UnknownType(event_type.to_owned())
    } else {
        UpcastError::BadPayload {
            event_type: event_type.to_owned(),
            reason,
        }
    }
}

/// The document `#[serde(tag = "type", content = "data")]` reads, `{"type": …, "data": …}`,
/// made of a stored type name and payload text: the payload is read from its text where the
/// derived code asks for it, and the whole text must be one JSON value.
struct TaggedText<'a> {
    event_type: &'a str,
    payload: &'a str,
    /// How many of the two entries have been handed out.
    read: u8,
}

impl<'a> TaggedText<'a> {
    fn new(event_type: &'a str, payload: &'a str) -> Self {
        TaggedText {
            event_type,
            payload,
            read: 0,
        }
    }
}

impl<'de> MapAccess<'de> for TaggedText<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let key = match self.read {
            0 => "type",
            1 => "data",
            _ => return Ok(None),
        };
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.read += 1;
        if self.read == 1 {
            return seed.deserialize(BorrowedStrDeserializer::new(self.event_type));
        }
        let mut text = serde_json::Deserializer::from_str(self.payload);
        let value = seed.deserialize(&mut text)?;
        text.end()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<A: Aggregate>(id: &str) {
        let stream = A::stream_id(id);
        assert_eq!(split_stream_id(&stream), Some((A::PREFIX, id)), "{stream}");
        assert_eq!(stream_id_of(&stream, A::PREFIX), Some(id), "{stream}");
        // Another kind's prefix, and one that begins this kind's, take nothing.
        assert_eq!(stream_id_of(&stream, "x"), None, "{stream}");
        assert_eq!(stream_id_of(&stream, &A::PREFIX[..1]), None, "{stream}");
    }

    #[test]
    fn every_aggregate_s_stream_id_splits_back_into_its_prefix_and_id() {
        for id in ["abc", "龙和华府", "2023-10-01-patrol", "-"] {
            round_trip::<crate::account::Account>(id);
            round_trip::<crate::activity::Activity>(id);
            round_trip::<crate::charity::Charity>(id);
            round_trip::<crate::community::Community>(id);
            round_trip::<crate::compound::Compound>(id);
            round_trip::<crate::heating::Heating>(id);
            round_trip::<crate::issue::Issue>(id);
            round_trip::<crate::newsroom::Newsroom>(id);
        }
        assert_eq!(split_stream_id("nodash"), None);
        assert_eq!(stream_id_of("nodash", "nodash"), None);
        assert_eq!(split_stream_id("社区-甲-乙"), Some(("社区", "甲-乙")));
    }
}
