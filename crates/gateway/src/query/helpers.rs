use std::time::Duration;

use async_graphql::{Context, Result};
use civic_commands::Actor;
use civic_domain::values::CommunityId;

use crate::error::{error, from_projection, Code};
use crate::schema::{RequestContext, Services};

/// The services of the schema.
pub(crate) fn services<'a>(ctx: &Context<'a>) -> &'a Services {
    ctx.data_unchecked::<Services>()
}

/// The request's read-model loaders (a fresh set when the request brought none).
pub(crate) fn loader<'a>(ctx: &Context<'a>) -> &'a crate::loaders::Loaders {
    ctx.data_unchecked::<crate::loaders::Loaders>()
}

/// The authenticated actor.
pub(crate) fn actor<'a>(ctx: &Context<'a>) -> Result<&'a Actor> {
    ctx.data::<RequestContext>()
        .map(|r| &r.actor)
        .map_err(|_| error(Code::Unauthenticated, "a bearer token is required"))
}

/// Waits (bounded) until the projectors behind a query have reached `at_least`.
pub(crate) async fn fresh(
    ctx: &Context<'_>,
    at_least: Option<i64>,
    projectors: &[&str],
) -> Result<()> {
    let Some(position) = at_least else {
        return Ok(());
    };
    let services = services(ctx);
    let timeout = Duration::from_millis(services.limits.max_wait_ms);
    services
        .reached
        .wait_for_all(projectors, position, timeout)
        .await
        .map_err(from_projection)
}

/// Refuses a community the actor may not see, as if it did not exist.
pub(crate) fn visible(actor: &Actor, community: &str) -> Result<()> {
    match CommunityId::parse(community) {
        Ok(id) if actor.can_read(&id) => Ok(()),
        _ => Err(error(Code::NotFound, format!("no community {community}"))),
    }
}

/// Refuses anyone but auditors and street admins.
pub(crate) fn auditor(actor: &Actor) -> Result<()> {
    use civic_commands::Role;
    match actor.role {
        Role::Auditor | Role::StreetAdmin => Ok(()),
        _ => Err(error(
            Code::Forbidden,
            "only auditors and the street office may read the log",
        )),
    }
}
