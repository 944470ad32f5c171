//! Live updates over graphql-transport-ws.

use async_graphql::{Context, Result, Subscription};
use futures_util::stream::{self, Stream, StreamExt};

use crate::error::from_store;
use crate::query::{actor, services};

/// Every subscription.
#[derive(Debug, Default)]
pub struct SubscriptionRoot;

/// What changed: an event of the log, as the caller may see it.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct Change {
    /// Log position.
    pub position: i64,
    /// Stream.
    pub stream_id: String,
    /// Event type.
    pub event_type: String,
    /// Who.
    pub actor_id: String,
}

#[Subscription]
impl SubscriptionRoot {
    /// Verifies the hash chain now, up to the current head, with progress; auditors and the
    /// street office only. The outcome becomes `integrity.lastVerification`.
    async fn verify_chain(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = VerificationProgress>> {
        crate::query::auditor(actor(ctx)?)?;
        let services = services(ctx).clone();
        let (head, _) = services.handler.store().head().await.map_err(from_store)?;
        Ok(verification(services, head))
    }

    /// A community's dashboard, sent again each time one of its events has reached the read
    /// models: events after `after`, or from now on when `after` is not given. With
    /// `current`, it is first sent as soon as the read models have reached the position the
    /// subscription starts from: a screen that reads again on it misses nothing committed
    /// before the subscription began (which the client cannot otherwise tell), and nothing
    /// after it is missed either, as that is sent.
    async fn community_changes(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        after: Option<i64>,
        #[graphql(default = false)] current: bool,
    ) -> Result<impl Stream<Item = Result<crate::query::Community>>> {
        let actor = actor(ctx)?.clone();
        crate::query::visible_community(&actor, &community_id)?;
        let services = services(ctx).clone();
        let after = start(&services, after).await?;
        let subscription = services.handler.store().subscribe(after);
        let owners = Owners::default();
        let first = {
            let (services, community_id) = (services.clone(), community_id.clone());
            stream::once(async move {
                if !current {
                    return None;
                }
                community_at(&services, &community_id, after)
                    .await
                    .transpose()
            })
            .filter_map(std::future::ready)
        };
        Ok(first.chain(stream::unfold(
            (subscription, owners),
            move |(mut sub, mut owners)| {
                let services = services.clone();
                let community_id = community_id.clone();
                async move {
                    loop {
                        let event = match sub.next().await {
                            Ok(event) => event,
                            Err(error) => return Some((Err(from_store(error)), (sub, owners))),
                        };
                        // Another community's event costs no wait and no query.
                        let owner = match owners.of(&services, &event).await {
                            Ok(owner) => owner,
                            Err(error) => return Some((Err(error), (sub, owners))),
                        };
                        if owner.as_deref() != Some(community_id.as_str()) {
                            continue;
                        }
                        let dashboard =
                            community_at(&services, &community_id, event.position).await;
                        return match dashboard {
                            Ok(Some(community)) => Some((Ok(community), (sub, owners))),
                            Ok(None) => continue,
                            Err(error) => Some((Err(error), (sub, owners))),
                        };
                    }
                }
            },
        )))
    }

    /// Events after `after` (from now on when not given) as they commit: the whole log for
    /// auditors and the street office; for others only `streamId` (which they must be
    /// allowed to see) is allowed.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<i64>,
        stream_id: Option<String>,
    ) -> Result<impl Stream<Item = Result<Change>>> {
        let actor = actor(ctx)?.clone();
        let services = services(ctx).clone();
        match (&stream_id, actor.role) {
            (_, civic_commands::Role::Auditor | civic_commands::Role::StreetAdmin) => {}
            (Some(stream), _) => {
                let not_found = || {
                    crate::error::error(crate::error::Code::NotFound, format!("no stream {stream}"))
                };
                let community = community_of(&services.pool, stream)
                    .await?
                    .ok_or_else(not_found)?;
                crate::query::visible_community(&actor, &community).map_err(|_| not_found())?;
            }
            (None, _) => {
                return Err(crate::error::error(
                    crate::error::Code::Forbidden,
                    "only auditors and the street office may follow the whole log",
                ))
            }
        }
        let after = start(&services, after).await?;
        let subscription = services.handler.store().subscribe(after);
        Ok(stream::unfold(
            (subscription, stream_id),
            |(mut sub, filter)| async move {
                loop {
                    match sub.next().await {
                        Ok(event) if filter.as_deref().is_none_or(|s| s == event.stream_id) => {
                            let change = Change {
                                position: event.position,
                                stream_id: event.stream_id,
                                event_type: event.event_type,
                                actor_id: event.metadata.actor_id,
                            };
                            return Some((Ok(change), (sub, filter)));
                        }
                        Ok(_) => continue,
                        Err(error) => return Some((Err(from_store(error)), (sub, filter))),
                    }
                }
            },
        ))
    }
}

/// How far a chain verification has come.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct VerificationProgress {
    /// Events checked so far.
    pub checked: i64,
    /// The head it verifies up to (the head when it started).
    pub head_position: i64,
    /// Whether it has finished.
    pub done: bool,
    /// Once done: whether the chain held.
    pub passed: Option<bool>,
    /// Once done: what it found (the first position that does not hold, if any).
    pub message: Option<String>,
}

/// Recomputes the hash chain up to the current head, reporting progress after every page
/// of events, and keeps the outcome as the last verification. It appends nothing.
fn verification(
    services: crate::schema::Services,
    head: i64,
) -> impl Stream<Item = VerificationProgress> {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let pool = services.pool.clone();
        let progress = sender.clone();
        let step = |checked: u64| VerificationProgress {
            checked: i64::try_from(checked).unwrap_or(i64::MAX),
            head_position: head,
            done: false,
            passed: None,
            message: None,
        };
        let outcome = civic_store::verify::verify_log(&pool, 1, Some(head), |checked| {
            let _ = progress.send(step(checked));
        })
        .await;
        let (checked, passed, message) = match outcome {
            Ok(report) => (
                report.checked,
                true,
                format!("chain verified: {} events", report.checked),
            ),
            Err(error) => (0, false, error.to_string()),
        };
        // Kept even when the subscriber has gone: the integrity status shows it.
        if let Err(error) =
            civic_store::verify::record_verification(&pool, head, passed, &message).await
        {
            tracing::warn!(%error, "could not record the verification");
        }
        let _ = sender.send(VerificationProgress {
            done: true,
            passed: Some(passed),
            message: Some(message),
            ..step(checked)
        });
    });
    stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|progress| (progress, receiver))
    })
}

/// Where a subscription starts: after `after`, or after the log's head now (a subscriber
/// that names no position wants what happens from now on, not the whole history).
async fn start(services: &crate::schema::Services, after: Option<i64>) -> Result<i64> {
    match after {
        Some(after) if after < 0 => Err(crate::error::error(
            crate::error::Code::Validation,
            "after must be 0 or more",
        )),
        Some(after) => Ok(after),
        None => Ok(services.handler.store().head().await.map_err(from_store)?.0),
    }
}

/// The community's dashboard once its projectors have reached `position` (a bounded
/// wait); `None` if there is no such community.
async fn community_at(
    services: &crate::schema::Services,
    community_id: &str,
    position: i64,
) -> Result<Option<crate::query::Community>> {
    dashboard_reaches(services, position)
        .await
        .map_err(crate::error::from_projection)?;
    crate::query::community_by_id(&services.pool, community_id).await
}

/// Waits (bounded) until the dashboard's projectors have reached `position`.
async fn dashboard_reaches(
    services: &crate::schema::Services,
    position: i64,
) -> std::result::Result<(), civic_projections::ProjectionError> {
    let timeout = std::time::Duration::from_millis(services.limits.max_wait_ms);
    services
        .reached
        .wait_for_all(crate::query::DASHBOARD_PROJECTORS, position, timeout)
        .await
}

/// The community of each stream a subscription has met: from the event that created the
/// stream (its payload names the community), else from the read models.
#[derive(Debug, Default)]
struct Owners(std::collections::HashMap<String, Option<String>>);

impl Owners {
    async fn of(
        &mut self,
        services: &crate::schema::Services,
        event: &civic_store::RecordedEvent,
    ) -> Result<Option<String>> {
        if let Some(known) = self.0.get(&event.stream_id) {
            return Ok(known.clone());
        }
        let named = event
            .payload
            .value()
            .get("community")
            .and_then(|c| c.as_str())
            .map(str::to_owned);
        let owner = match named {
            Some(owner) => Some(owner),
            None => {
                // A stream created before this subscription began: projected long ago, or,
                // if it was created just before, once the projectors reach this event.
                let known = community_of(&services.pool, &event.stream_id).await?;
                match known {
                    Some(owner) => Some(owner),
                    None => {
                        dashboard_reaches(services, event.position)
                            .await
                            .map_err(crate::error::from_projection)?;
                        community_of(&services.pool, &event.stream_id).await?
                    }
                }
            }
        };
        self.0.insert(event.stream_id.clone(), owner.clone());
        Ok(owner)
    }
}

/// The community a stream belongs to (`None` when it is of no community or not projected yet).
async fn community_of(pool: &sqlx::PgPool, stream: &str) -> Result<Option<String>> {
    civic_projections::queries::community::community_of_stream(pool, stream)
        .await
        .map_err(crate::error::from_sql)
}
