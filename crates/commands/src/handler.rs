use civic_domain::{Aggregate, EventCodec};
use civic_store::{EventStore, ExpectedVersion, Metadata, NewEvent, StoreError};

use crate::actor::CommandContext;
use crate::authorize::{authorize, Authorize};
use crate::error::CommandError;
use crate::load::{load, Loaded};

/// Attempts before a command that keeps meeting concurrent writers is given up.
const MAX_ATTEMPTS: u32 = 5;

/// What a handled command did.
#[derive(Debug, Clone)]
pub struct Outcome<A: Aggregate> {
    /// The stream written.
    pub stream_id: String,
    /// The last log position written: wait for it to read one's writes.
    pub position: i64,
    /// The stream's version after the command.
    pub stream_version: i64,
    /// The events appended (empty when the command id was a retry of an applied one).
    pub events: Vec<A::Event>,
    /// True when the command id had already been applied.
    pub duplicate: bool,
}

/// The type of an absent `prepare` step.
type NoPrepare<C> = fn(C) -> std::future::Ready<Result<C, CommandError>>;

/// Handles commands against the event store.
#[derive(Debug, Clone)]
pub struct CommandHandler {
    store: EventStore,
}

impl CommandHandler {
    /// A handler over `store`.
    pub fn new(store: EventStore) -> Self {
        CommandHandler { store }
    }

    /// The store the handler appends to.
    pub fn store(&self) -> &EventStore {
        &self.store
    }

    /// Loads, authorizes, decides and appends; retries on a version conflict.
    pub async fn handle<A: Authorize>(
        &self,
        ctx: &CommandContext,
        command: A::Command,
    ) -> Result<Outcome<A>, CommandError> {
        self.decide_and_append::<A, NoPrepare<A::Command>>(ctx, command, None)
            .await
    }

    /// [`handle`](Self::handle), with `prepare` run once the command is authorized and
    /// before it is decided. It completes the command with what must not be written before
    /// authorization: sealing personal data creates the person's key on first use, so a
    /// refused caller would otherwise leave a row behind.
    ///
    /// The command id is bound to the fingerprint of the command as given, before `prepare`
    /// (see [`fingerprint`](crate::fingerprint)). A command that starts a stream is then
    /// authorized against the stream as read, never against a presumed empty one, so that
    /// `prepare` does not run for a stream that turns out to be another community's.
    pub async fn handle_prepared<A, P>(
        &self,
        ctx: &CommandContext,
        command: A::Command,
        prepare: P,
    ) -> Result<Outcome<A>, CommandError>
    where
        A: Authorize,
        P: AsyncFnOnce(A::Command) -> Result<A::Command, CommandError>,
    {
        self.decide_and_append::<A, P>(ctx, command, Some(prepare))
            .await
    }

    #[tracing::instrument(skip_all, fields(
        stream.id = %A::stream_id(A::target(&command)),
        actor = %ctx.actor.id,
        command.id = %ctx.command_id,
    ))]
    async fn decide_and_append<A, P>(
        &self,
        ctx: &CommandContext,
        command: A::Command,
        mut prepare: Option<P>,
    ) -> Result<Outcome<A>, CommandError>
    where
        A: Authorize,
        P: AsyncFnOnce(A::Command) -> Result<A::Command, CommandError>,
    {
        let id = A::target(&command).to_owned();
        let stream = A::stream_id(&id);
        let metadata = Metadata {
            command_fingerprint: Some(crate::fingerprint::<A>(&ctx.actor, &stream, &command)),
            ..metadata(ctx)
        };
        let mut command = command;
        for attempt in 1..=MAX_ATTEMPTS {
            // A command that starts a stream is decided against the initial state on the first
            // attempt, without a read: the append expects no stream, so a repeat is a conflict
            // and the retry reads the stream and gets the rule's answer.
            let loaded = if attempt == 1 && A::creates(&command) && prepare.is_none() {
                Loaded {
                    state: A::State::default(),
                    version: 0,
                    events: Vec::new(),
                }
            } else {
                load::<A>(&self.store, &id).await?
            };
            authorize::<A>(&ctx.actor, &command, &loaded.state)?;
            if let Some(prepare) = prepare.take() {
                command = prepare(command).await?;
            }
            // A retried command id that was applied gets its first result, even where the state
            // it changed now refuses it or makes it a no-op. When the command does append, the
            // store itself recognises the command id, so the common path costs no extra read.
            let events = match A::decide(&command, &loaded.state) {
                Ok(events) => events,
                Err(rule) => {
                    return match self.prior(&stream, &metadata).await? {
                        Some(prior) => Ok(prior),
                        None => Err(CommandError::rejected(&rule)),
                    }
                }
            };
            if events.is_empty() {
                if let Some(prior) = self.prior(&stream, &metadata).await? {
                    return Ok(prior);
                }
                return Ok(Outcome {
                    stream_id: stream,
                    position: self.store.known_head(),
                    stream_version: loaded.version,
                    events,
                    duplicate: false,
                });
            }
            let new_events = events
                .iter()
                .map(|e| {
                    let (event_type, payload) = e.encode();
                    NewEvent {
                        event_type,
                        schema_version: e.schema_version(),
                        payload,
                    }
                })
                .collect();
            let expected = ExpectedVersion::from_loaded(loaded.version);
            match self
                .store
                .append(&stream, expected, new_events, metadata.clone())
                .await
            {
                Ok(result) => {
                    return Ok(Outcome {
                        stream_id: stream,
                        position: result.last_position,
                        stream_version: result.stream_version,
                        events: if result.duplicate { Vec::new() } else { events },
                        duplicate: result.duplicate,
                    });
                }
                Err(StoreError::Conflict { .. }) => {
                    tracing::debug!(attempt, "version conflict; reloading");
                }
                Err(StoreError::Aborted) => {
                    tracing::debug!(
                        attempt,
                        "rolled back with an earlier group commit; retrying"
                    );
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(CommandError::Conflict {
            stream,
            attempts: MAX_ATTEMPTS,
        })
    }

    /// The first result of the request's command id if it was applied for this very
    /// request; a refusal if it was applied for another.
    async fn prior<A: Aggregate>(
        &self,
        stream: &str,
        metadata: &Metadata,
    ) -> Result<Option<Outcome<A>>, CommandError> {
        let Some(command_id) = metadata.command_id else {
            return Ok(None);
        };
        let Some(applied) = self
            .store
            .applied_command(command_id)
            .await
            .map_err(CommandError::Read)?
        else {
            return Ok(None);
        };
        let prior = applied.answer(stream, metadata)?;
        Ok(Some(Outcome {
            stream_id: stream.to_owned(),
            position: prior.last_position,
            stream_version: prior.stream_version,
            events: Vec::new(),
            duplicate: true,
        }))
    }
}

fn metadata(ctx: &CommandContext) -> Metadata {
    Metadata {
        actor_id: ctx.actor.id.clone(),
        actor_role: ctx.actor.role.as_str().to_owned(),
        correlation_id: ctx.correlation_id,
        causation_id: ctx.causation_id,
        command_id: Some(ctx.command_id),
        command_fingerprint: None,
    }
}
