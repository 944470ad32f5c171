//! Who may do what. Scope is checked by the handler; this says which roles may issue which
//! commands at all.
//!
//! | role | may |
//! | --- | --- |
//! | street admin | everything, in every community |
//! | community staff | everything in their communities but registering a community or awarding a star |
//! | grid worker | report issues, survey sites, record residents' feedback, in their communities |
//! | auditor | nothing |
//!
//! Accounts are managed by the street office. Community staff may also open, re-grant,
//! suspend, reinstate, close and reset the password of grid workers of their own
//! communities: an account that is (and stays) a grid worker whose every community is theirs.
//! Anyone may record that they set their own password.

use civic_domain::account::{Account, AccountCommand, AccountState, Grant};
use civic_domain::activity::Activity;
use civic_domain::charity::Charity;
use civic_domain::community::{Community, CommunityCommand};
use civic_domain::compound::Compound;
use civic_domain::heating::Heating;
use civic_domain::issue::{Issue, IssueCommand};
use civic_domain::newsroom::Newsroom;
use civic_domain::values::CommunityId;
use civic_domain::Aggregate;

use crate::actor::{Actor, Role};
use crate::error::CommandError;

/// Which roles may issue an aggregate's commands.
pub trait Authorize: Aggregate {
    /// Whether `role` may issue `command` at all (scope aside).
    fn allowed(role: Role, command: &Self::Command) -> bool;

    /// Whether `role` may issue `command` to a stream in `state` (scope aside); the role
    /// rule alone unless an aggregate's rule depends on what the stream holds.
    fn allowed_on(role: Role, command: &Self::Command, _state: &Self::State) -> bool {
        Self::allowed(role, command)
    }

    /// Whether the command is the actor's own business, which anyone may do whatever their
    /// role (setting one's own password).
    fn by_self(_actor_id: &str, _command: &Self::Command) -> bool {
        false
    }

    /// The communities a command acts in, every one of which must be the actor's (street
    /// admins excepted); empty at street level, where only the street office acts.
    fn scope(command: &Self::Command, state: &Self::State) -> Vec<CommunityId> {
        Self::community(command, state).into_iter().collect()
    }
}

/// Checks role and community scope of `command` on a stream in `state`.
pub fn authorize<A: Authorize>(
    actor: &Actor,
    command: &A::Command,
    state: &A::State,
) -> Result<(), CommandError> {
    if A::by_self(&actor.id, command) {
        return Ok(());
    }
    if actor.role == Role::Auditor {
        return Err(CommandError::Forbidden(
            "auditors cannot change anything".into(),
        ));
    }
    if !A::allowed_on(actor.role, command, state) {
        return Err(CommandError::Forbidden(format!(
            "the role {} may not do this",
            actor.role
        )));
    }
    if actor.role == Role::StreetAdmin {
        return Ok(());
    }
    let scope = A::scope(command, state);
    if scope.is_empty() {
        return Err(CommandError::Forbidden(
            "only the street office may act at street level".into(),
        ));
    }
    match scope.iter().find(|c| !actor.communities.contains(c)) {
        Some(c) => Err(CommandError::Forbidden(format!(
            "{} does not belong to community {c}",
            actor.id
        ))),
        None => Ok(()),
    }
}

fn staff_or_admin(role: Role) -> bool {
    matches!(role, Role::StreetAdmin | Role::CommunityStaff)
}

impl Authorize for Community {
    fn allowed(role: Role, command: &CommunityCommand) -> bool {
        match command {
            CommunityCommand::Register { .. } | CommunityCommand::AwardStar { .. } => {
                role == Role::StreetAdmin
            }
            _ => staff_or_admin(role),
        }
    }
}

impl Authorize for Issue {
    fn allowed(role: Role, command: &IssueCommand) -> bool {
        match command {
            IssueCommand::Report { .. }
            | IssueCommand::SurveySite { .. }
            | IssueCommand::RecordFeedback { .. } => role != Role::Auditor,
            _ => staff_or_admin(role),
        }
    }
}

macro_rules! staff_only {
    ($($aggregate:ty),*) => {
        $(impl Authorize for $aggregate {
            fn allowed(role: Role, _command: &Self::Command) -> bool {
                staff_or_admin(role)
            }
        })*
    };
}

staff_only!(Compound, Heating, Newsroom, Activity, Charity);

impl Authorize for Account {
    fn allowed(role: Role, _command: &AccountCommand) -> bool {
        matches!(role, Role::StreetAdmin | Role::CommunityStaff)
    }

    fn by_self(actor_id: &str, command: &AccountCommand) -> bool {
        matches!(command, AccountCommand::RecordPasswordSet { login, one_time: false } if login.as_str() == actor_id)
    }

    fn allowed_on(role: Role, command: &AccountCommand, state: &AccountState) -> bool {
        match role {
            Role::StreetAdmin => true,
            // Staff manage grid workers only: the account as it is and as the command
            // leaves it.
            Role::CommunityStaff => {
                let grid_worker = |g: &Grant| g.role == Role::GridWorker;
                let now = state.grant.as_ref().is_none_or(grid_worker);
                let next = match command {
                    AccountCommand::Open { grant, .. } | AccountCommand::Grant { grant, .. } => {
                        grid_worker(grant)
                    }
                    _ => state.grant.is_some(),
                };
                now && next
            }
            Role::GridWorker | Role::Auditor => false,
        }
    }

    /// The communities of the account as it is and as the command leaves it.
    fn scope(command: &AccountCommand, state: &AccountState) -> Vec<CommunityId> {
        let mut scope: Vec<CommunityId> = state
            .grant
            .iter()
            .flat_map(|g| g.communities.iter().cloned())
            .collect();
        if let AccountCommand::Open { grant, .. } | AccountCommand::Grant { grant, .. } = command {
            scope.extend(grant.communities.iter().cloned());
        }
        scope.sort();
        scope.dedup();
        scope
    }
}
