use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use civic_commands::{Authorize, CommandContext, Outcome};
use uuid::Uuid;

use crate::error::from_command;
use crate::query::{actor, fresh, services, Compound, HeatingProject, Issue};
use crate::schema::RequestContext;

/// What a mutation wrote.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct MutationResult {
    /// The stream written.
    pub stream_id: String,
    /// The last log position written: pass it as `atLeastPosition` to read your write.
    pub position: i64,
    /// The stream's version after the command.
    pub stream_version: i64,
    /// True when this command id had already been applied (nothing new was written).
    pub duplicate: bool,
}

#[ComplexObject]
impl MutationResult {
    // Each object passes the read rule of its own query: a mutation's result (a retry's
    // included) shows nothing its caller could not read.

    /// The changed issue, as the read model shows it once it has caught up.
    async fn issue(&self, ctx: &Context<'_>) -> Result<Option<Issue>> {
        let Some(id) = self.stream_id.strip_prefix("issue-") else {
            return Ok(None);
        };
        fresh(ctx, Some(self.position), crate::query::ISSUE_PROJECTORS).await?;
        crate::query::readable_issue(ctx, id).await
    }

    /// The changed compound.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        let Some(id) = self.stream_id.strip_prefix("compound-") else {
            return Ok(None);
        };
        fresh(ctx, Some(self.position), &["property"]).await?;
        crate::query::readable_compound(ctx, id).await
    }

    /// The changed heating project.
    async fn heating_project(&self, ctx: &Context<'_>) -> Result<Option<HeatingProject>> {
        let Some(id) = self.stream_id.strip_prefix("heating-") else {
            return Ok(None);
        };
        fresh(ctx, Some(self.position), &["heating"]).await?;
        crate::query::readable_heating(ctx, id).await
    }
}

/// Runs `command` for the request's actor under `command_id` (generated when absent).
pub(crate) async fn run<A: Authorize>(
    ctx: &Context<'_>,
    command_id: Option<Uuid>,
    command: A::Command,
) -> Result<MutationResult> {
    let context = command_context(ctx, command_id)?;
    let outcome = services(ctx)
        .handler
        .handle::<A>(&context, command)
        .await
        .map_err(from_command)?;
    Ok(MutationResult::of(outcome))
}

/// [`run`], with `prepare` completing the command once it is authorized (see
/// [`civic_commands::CommandHandler::handle_prepared`]).
pub(crate) async fn run_prepared<A, P>(
    ctx: &Context<'_>,
    command_id: Option<Uuid>,
    command: A::Command,
    prepare: P,
) -> Result<MutationResult>
where
    A: Authorize,
    P: AsyncFnOnce(A::Command) -> std::result::Result<A::Command, civic_commands::CommandError>,
{
    let context = command_context(ctx, command_id)?;
    let outcome = services(ctx)
        .handler
        .handle_prepared::<A, P>(&context, command, prepare)
        .await
        .map_err(from_command)?;
    Ok(MutationResult::of(outcome))
}

/// The envelope of a command sent by this request.
pub(crate) fn command_context(
    ctx: &Context<'_>,
    command_id: Option<Uuid>,
) -> Result<CommandContext> {
    let actor = actor(ctx)?.clone();
    let correlation_id = ctx
        .data::<RequestContext>()
        .map(|r| r.correlation_id)
        .unwrap_or_else(|_| Uuid::now_v7());
    let command_id = command_id.unwrap_or_else(Uuid::now_v7);
    Ok(CommandContext {
        actor,
        command_id,
        correlation_id,
        causation_id: None,
    })
}

impl MutationResult {
    pub(crate) fn of<A: civic_domain::Aggregate>(outcome: Outcome<A>) -> Self {
        MutationResult {
            stream_id: outcome.stream_id,
            position: outcome.position,
            stream_version: outcome.stream_version,
            duplicate: outcome.duplicate,
        }
    }
}
