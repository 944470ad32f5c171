//! Accounts, one's own sessions, and who held which access when.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};
use civic_commands::Role;
use civic_domain::account::{Account, Login};
use civic_domain::actions::AccountAction as DomainAction;
use civic_projections::queries;
use uuid::Uuid;

use super::helpers::{actor, auditor, fresh, services, visible};
use crate::enums::{AccountAction, AccountRole};
use crate::error::{error, from_sql, from_store, Code};
use crate::scalars::DateTime;

/// An account as it stands.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct AccountInfo {
    /// Login name.
    pub login: String,
    /// Name shown.
    pub display_name: String,
    /// `person` or `service`.
    pub kind: String,
    /// `active`, `suspended` or `closed`.
    pub status: String,
    /// Role.
    pub role: AccountRole,
    /// Communities (none for street-wide roles).
    pub communities: Vec<String>,
}

#[ComplexObject]
impl AccountInfo {
    /// What the caller may do to this account now: each action the account's decider
    /// accepts in its current state and the caller's role and communities allow.
    async fn available_actions(&self, ctx: &Context<'_>) -> Result<Vec<AccountAction>> {
        let actor = actor(ctx)?;
        let (Ok(login), Some(state)) = (
            Login::parse(&self.login),
            services(ctx).accounts.state(&self.login),
        ) else {
            return Ok(Vec::new());
        };
        let candidates = DomainAction::ALL
            .into_iter()
            .filter_map(|a| Some((a, a.probe(&login, state.grant.as_ref())?)));
        let actions = civic_commands::available_unless::<Account, _>(
            actor,
            &state,
            candidates,
            |action, error| action.probe_artifact(error),
        );
        Ok(actions.into_iter().map(Into::into).collect())
    }
}

/// One grant that was open at the moment asked about.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct AccessGrant {
    /// Login name.
    pub login: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: AccountRole,
    /// The community, or empty for a street-wide grant.
    pub community_id: String,
    /// Since when (commit time).
    pub from_at: DateTime,
    /// Until when, if it has ended.
    pub until_at: Option<DateTime>,
}

/// One of the caller's live sessions (signed in on a browser or program).
#[derive(Debug, Clone, SimpleObject)]
pub struct SessionInfo {
    /// Id, for `revokeSession`.
    pub id: Uuid,
    /// When it signed in.
    pub signed_in_at: DateTime,
    /// When its refresh token was last renewed.
    pub renewed_at: DateTime,
    /// When it ends unless renewed.
    pub expires_at: DateTime,
    /// The browser or program, as it said.
    pub user_agent: Option<String>,
}

/// Account queries.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The caller's own account and what it may do now, as the log says at this request.
    async fn me(&self, ctx: &Context<'_>) -> Result<AccountInfo> {
        let actor = actor(ctx)?;
        let state = services(ctx)
            .accounts
            .state(&actor.id)
            .ok_or_else(|| error(Code::Unauthenticated, format!("no account {}", actor.id)))?;
        Ok(AccountInfo {
            login: actor.id.clone(),
            display_name: state
                .display_name
                .map_or_else(|| actor.id.clone(), |name| name.to_string()),
            kind: queries::stored_name(&state.kind),
            status: queries::stored_name(&state.status),
            role: actor.role.into(),
            communities: actor.communities.iter().map(|c| c.to_string()).collect(),
        })
    }

    /// Accounts: every one for the street office and auditors; community staff see the
    /// accounts of their communities.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        community_id: Option<String>,
        at_least_position: Option<i64>,
    ) -> Result<Vec<AccountInfo>> {
        let actor = actor(ctx)?;
        fresh(ctx, at_least_position, &["access"]).await?;
        let community = match (actor.role, community_id) {
            (Role::StreetAdmin | Role::Auditor, community) => community,
            (Role::CommunityStaff, Some(community)) => {
                visible(actor, &community)?;
                Some(community)
            }
            (Role::CommunityStaff, None) => match actor.communities.as_slice() {
                [only] => Some(only.to_string()),
                _ => {
                    return Err(error(
                        Code::Validation,
                        "name one of your communities with communityId",
                    ))
                }
            },
            (Role::GridWorker, _) => {
                return Err(error(
                    Code::Forbidden,
                    "accounts are for the street office, community staff and auditors",
                ))
            }
        };
        queries::access::accounts(&services(ctx).pool, community.as_deref())
            .await
            .map_err(from_sql)
    }

    /// Who held which role over a community at a moment, as recorded then: the grants of
    /// that community and the street-wide ones. Auditors and the street office only.
    async fn access_as_of(
        &self,
        ctx: &Context<'_>,
        at: DateTime,
        community_id: String,
        at_least_position: Option<i64>,
    ) -> Result<Vec<AccessGrant>> {
        auditor(actor(ctx)?)?;
        fresh(ctx, at_least_position, &["access"]).await?;
        queries::access::access_as_of(&services(ctx).pool, at.0, &community_id)
            .await
            .map_err(from_sql)
    }

    /// The caller's live sessions, newest first.
    async fn my_sessions(&self, ctx: &Context<'_>) -> Result<Vec<SessionInfo>> {
        let actor = actor(ctx)?;
        let sessions = services(ctx)
            .sessions
            .live(&actor.id)
            .await
            .map_err(from_store)?;
        Ok(sessions
            .into_iter()
            .map(|s| SessionInfo {
                id: s.id,
                signed_in_at: DateTime(s.signed_in_at),
                renewed_at: DateTime(s.created_at),
                expires_at: DateTime(s.expires_at),
                user_agent: s.user_agent,
            })
            .collect())
    }
}
