//! Live updates over graphql-transport-ws.

use async_graphql::{Context, Result, Subscription};
use futures_util::stream::{self, Stream};

use crate::error::internal;
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
    /// A community's dashboard, sent again each time one of its events has reached the read
    /// models (events after `after`).
    async fn community_changes(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        #[graphql(default = 0)] after: i64,
    ) -> Result<impl Stream<Item = Result<crate::query::Community>>> {
        let actor = actor(ctx)?.clone();
        crate::query::visible_community(&actor, &community_id)?;
        let services = services(ctx).clone();
        let subscription = services.handler.store().subscribe(after);
        let cache: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        Ok(stream::unfold(
            (subscription, cache),
            move |(mut sub, mut cache)| {
                let services = services.clone();
                let community_id = community_id.clone();
                async move {
                    loop {
                        let event = match sub.next().await {
                            Ok(event) => event,
                            Err(error) => return Some((Err(internal(&error)), (sub, cache))),
                        };
                        let timeout = std::time::Duration::from_millis(services.limits.max_wait_ms);
                        if let Err(error) = civic_projections::wait_for_all(
                            &services.pool,
                            crate::query::DASHBOARD_PROJECTORS,
                            event.position,
                            timeout,
                        )
                        .await
                        {
                            return Some((Err(crate::error::from_projection(error)), (sub, cache)));
                        }
                        if !cache.contains_key(&event.stream_id) {
                            let owner = match community_of(&services.pool, &event.stream_id).await {
                                Ok(owner) => owner,
                                Err(error) => return Some((Err(error), (sub, cache))),
                            };
                            cache.insert(event.stream_id.clone(), owner);
                        }
                        if cache.get(&event.stream_id).and_then(Option::as_deref)
                            != Some(community_id.as_str())
                        {
                            continue;
                        }
                        let dashboard =
                            crate::query::community_by_id(&services.pool, &community_id).await;
                        return match dashboard {
                            Ok(Some(community)) => Some((Ok(community), (sub, cache))),
                            Ok(None) => continue,
                            Err(error) => Some((Err(error), (sub, cache))),
                        };
                    }
                }
            },
        ))
    }

    /// Events after `after` as they commit: the whole log for auditors and the street
    /// office; for others only `streamId` (which they must be allowed to see) is allowed.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 0)] after: i64,
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
                        Err(error) => return Some((Err(internal(&error)), (sub, filter))),
                    }
                }
            },
        ))
    }
}

/// The community a stream belongs to: from its id, or from the read models (`None` when the
/// stream is of no community or not projected yet).
async fn community_of(pool: &sqlx::PgPool, stream: &str) -> Result<Option<String>> {
    let Some((kind, id)) = stream.split_once('-') else {
        return Ok(None);
    };
    let sql = match kind {
        "community" | "newsroom" => return Ok(Some(id.to_owned())),
        "issue" => "SELECT community_id FROM read.issues WHERE issue_id = $1",
        "compound" => "SELECT community_id FROM read.compounds WHERE compound_id = $1",
        "heating" => "SELECT community_id FROM read.heating_projects WHERE project_id = $1",
        "activity" => "SELECT community_id FROM read.activities WHERE activity_id = $1",
        "charity" => "SELECT community_id FROM read.charity_items WHERE sale_id = $1 LIMIT 1",
        _ => return Ok(None),
    };
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(crate::error::from_sql)
}
