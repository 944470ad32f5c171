//! Who may do what. Scope is checked by the handler; this says which roles may issue which
//! commands at all.
//!
//! | role | may |
//! | --- | --- |
//! | street admin | everything, in every community |
//! | community staff | everything in their communities but registering a community or awarding a star |
//! | grid worker | report issues, survey sites, record residents' feedback, in their communities |
//! | auditor | nothing |

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
}

/// Checks role and community scope; `community` is where the command acts.
pub fn authorize<A: Authorize>(
    actor: &Actor,
    command: &A::Command,
    community: Option<&CommunityId>,
) -> Result<(), CommandError> {
    if actor.role == Role::Auditor {
        return Err(CommandError::Forbidden(
            "auditors cannot change anything".into(),
        ));
    }
    if !A::allowed(actor.role, command) {
        return Err(CommandError::Forbidden(format!(
            "the role {} may not do this",
            actor.role
        )));
    }
    if actor.role == Role::StreetAdmin {
        return Ok(());
    }
    match community {
        Some(c) if actor.communities.contains(c) => Ok(()),
        Some(c) => Err(CommandError::Forbidden(format!(
            "{} does not belong to community {c}",
            actor.id
        ))),
        None => Err(CommandError::Forbidden(
            "only the street office may act at street level".into(),
        )),
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
