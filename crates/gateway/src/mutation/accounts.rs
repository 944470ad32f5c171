//! Account mutations: open, grant, suspend, reinstate, close, reset a password; end one of
//! one's own sessions.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use civic_commands::accounts;
use civic_domain::account::{AccountCommand, AccountKind, Grant, Login};
use civic_domain::values::{CommunityId, Name};
use uuid::Uuid;

use super::parse::name;
use super::result::{command_context, MutationResult};
use crate::enums::AccountRole;
use crate::error::{from_command, from_store_write, invalid};
use crate::query::{actor, services};

/// The input of `openAccount`: open a person's account.
#[derive(Debug, Clone, InputObject)]
pub struct OpenAccountInput {
    /// Login name (letters of any script, digits, `.`, `-`, `_`; at most 64).
    pub login: String,
    /// Name shown, e.g. 王芳.
    pub display_name: String,
    /// Role.
    pub role: AccountRole,
    /// Communities (community staff and grid workers; none for street-wide roles).
    pub communities: Vec<String>,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `grantAccess`: replace an account's role and communities.
#[derive(Debug, Clone, InputObject)]
pub struct GrantAccessInput {
    /// Login name.
    pub login: String,
    /// Role.
    pub role: AccountRole,
    /// Communities.
    pub communities: Vec<String>,
    /// Idempotency key.
    pub command_id: Option<Uuid>,
}

/// The input of `suspendAccount`: refuse an account from its next request on.
#[derive(Debug, Clone, InputObject)]
pub struct SuspendAccountInput {
    /// Login name.
    pub login: String,
    /// Why, e.g. 离职 (kept in the log).
    pub reason: String,
    /// Idempotency key.
    pub command_id: Option<Uuid>,
}

/// The input of `reinstateAccount`, `closeAccount` and `resetPassword`.
#[derive(Debug, Clone, InputObject)]
pub struct AccountInput {
    /// Login name.
    pub login: String,
    /// Idempotency key.
    pub command_id: Option<Uuid>,
}

/// What opening an account or resetting its password gave.
#[derive(Debug, Clone, SimpleObject)]
pub struct PasswordIssued {
    /// What was written.
    pub result: MutationResult,
    /// The one-time password, to hand to the person; changed at their first sign-in. Null
    /// for a retry of a request already applied (the password was given the first time).
    pub one_time_password: Option<String>,
}

fn login(value: &str) -> Result<Login> {
    Login::parse(value).map_err(invalid)
}

fn grant(role: AccountRole, communities: &[String]) -> Result<Grant> {
    let communities = communities
        .iter()
        .map(|c| CommunityId::parse(c).map_err(invalid))
        .collect::<Result<Vec<_>>>()?;
    Ok(Grant::new(role.into(), communities))
}

/// Account mutations.
#[derive(Debug, Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Open a person's account (the street office; community staff for grid workers of
    /// their communities). Answers a one-time password.
    async fn open_account(
        &self,
        ctx: &Context<'_>,
        input: OpenAccountInput,
    ) -> Result<PasswordIssued> {
        let command = AccountCommand::Open {
            login: login(&input.login)?,
            display_name: name("displayName", &input.display_name)?,
            kind: AccountKind::Person,
            grant: grant(input.role, &input.communities)?,
        };
        let context = command_context(ctx, input.command_id)?;
        let opened = accounts::open(&services(ctx).handler, &context, command)
            .await
            .map_err(from_command)?;
        settled(ctx, opened.outcome.position).await;
        Ok(PasswordIssued {
            result: MutationResult::of(opened.outcome),
            one_time_password: opened.one_time_password,
        })
    }

    /// Replace an account's role and communities; takes effect on its next request.
    async fn grant_access(
        &self,
        ctx: &Context<'_>,
        input: GrantAccessInput,
    ) -> Result<MutationResult> {
        let command = AccountCommand::Grant {
            login: login(&input.login)?,
            grant: grant(input.role, &input.communities)?,
        };
        change(ctx, input.command_id, command).await
    }

    /// Suspend an account: its tokens are refused and its sessions end.
    async fn suspend_account(
        &self,
        ctx: &Context<'_>,
        input: SuspendAccountInput,
    ) -> Result<MutationResult> {
        let command = AccountCommand::Suspend {
            login: login(&input.login)?,
            reason: Name::parse("reason", &input.reason).map_err(invalid)?,
        };
        change(ctx, input.command_id, command).await
    }

    /// Let a suspended account in again.
    async fn reinstate_account(
        &self,
        ctx: &Context<'_>,
        input: AccountInput,
    ) -> Result<MutationResult> {
        let command = AccountCommand::Reinstate {
            login: login(&input.login)?,
        };
        change(ctx, input.command_id, command).await
    }

    /// Close an account for good; its password is deleted.
    async fn close_account(
        &self,
        ctx: &Context<'_>,
        input: AccountInput,
    ) -> Result<MutationResult> {
        let command = AccountCommand::Close {
            login: login(&input.login)?,
        };
        change(ctx, input.command_id, command).await
    }

    /// Give an account a new one-time password and end its sessions.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: AccountInput,
    ) -> Result<PasswordIssued> {
        let account = login(&input.login)?;
        let context = command_context(ctx, input.command_id)?;
        let (outcome, password) =
            accounts::reset_password(&services(ctx).handler, &context, &account)
                .await
                .map_err(from_command)?;
        settled(ctx, outcome.position).await;
        Ok(PasswordIssued {
            result: MutationResult::of(outcome),
            one_time_password: password,
        })
    }

    /// End one of the caller's own sessions; whether it was live.
    async fn revoke_session(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let actor = actor(ctx)?;
        services(ctx)
            .sessions
            .revoke(&actor.id, id)
            .await
            .map_err(from_store_write)
    }
}

async fn change(
    ctx: &Context<'_>,
    command_id: Option<Uuid>,
    command: AccountCommand,
) -> Result<MutationResult> {
    let context = command_context(ctx, command_id)?;
    let outcome = accounts::change(&services(ctx).handler, &context, command)
        .await
        .map_err(from_command)?;
    let result = MutationResult::of(outcome);
    settled(ctx, result.position).await;
    Ok(result)
}

/// Waits (at most `ACCOUNT_WAIT`) until this server's accounts view has applied the change
/// at `position`, so that the change decides every request answered after this one, as
/// the mutations promise. The change is committed either way: past the wait, the view
/// applies it a moment later.
async fn settled(ctx: &Context<'_>, position: i64) {
    if !services(ctx)
        .accounts
        .wait_for(position, crate::server::ACCOUNT_WAIT)
        .await
    {
        tracing::warn!(
            position,
            "the accounts view has not applied an account change yet"
        );
    }
}
