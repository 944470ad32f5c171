//! The actions a screen may offer on an object, each paired with a probe: a command of that
//! kind whose arguments pass every rule of their own (a due date and a resolution time that
//! no report can follow, a satisfaction in range), so that deciding it on a stream's state
//! tells only whether the state allows the action. The workflow rules stay in the deciders;
//! a client is told what they allow instead of re-implementing them.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};

use crate::account::{AccountCommand, AccountError, Grant, Login};
use crate::issue::IssueCommand;
use crate::values::{IssueId, LongText, Name};

/// A workflow step on a reported issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueAction {
    /// Give it to someone with a due date.
    Assign,
    /// Record a site survey.
    SurveySite,
    /// Propose a solution.
    ProposeSolution,
    /// Record residents' consent to the solution.
    RecordConsent,
    /// Mark it resolved.
    Resolve,
    /// Record residents' feedback.
    RecordFeedback,
    /// Close it.
    Close,
    /// Reopen it.
    Reopen,
    /// Escalate it to the street office.
    Escalate,
}

impl IssueAction {
    /// Every step, in workflow order.
    pub const ALL: [IssueAction; 9] = [
        IssueAction::Assign,
        IssueAction::SurveySite,
        IssueAction::ProposeSolution,
        IssueAction::RecordConsent,
        IssueAction::Resolve,
        IssueAction::RecordFeedback,
        IssueAction::Close,
        IssueAction::Reopen,
        IssueAction::Escalate,
    ];

    /// The probe command of this step on issue `id`.
    pub fn probe(self, id: &IssueId) -> IssueCommand {
        let id = id.clone();
        let text = || LongText::parse("probe", "—").expect("a dash is valid text");
        // The latest representable moment: no report comes after it.
        let last = OffsetDateTime::new_utc(Date::MAX, Time::MIDNIGHT);
        match self {
            IssueAction::Assign => IssueCommand::Assign {
                id,
                assignee: name(),
                due_by: Date::MAX,
            },
            IssueAction::SurveySite => IssueCommand::SurveySite {
                id,
                surveyed_with: name(),
                findings: text(),
                surveyed_on: Date::MAX,
            },
            IssueAction::ProposeSolution => IssueCommand::ProposeSolution {
                id,
                solution: text(),
            },
            IssueAction::RecordConsent => IssueCommand::RecordConsent {
                id,
                summary: text(),
            },
            IssueAction::Resolve => IssueCommand::Resolve {
                id,
                action: text(),
                items: None,
                resolved_at: last,
            },
            IssueAction::RecordFeedback => IssueCommand::RecordFeedback {
                id,
                satisfaction: 5,
                comment: text(),
            },
            IssueAction::Close => IssueCommand::Close { id },
            IssueAction::Reopen => IssueCommand::Reopen { id, reason: text() },
            IssueAction::Escalate => IssueCommand::Escalate { id, reason: text() },
        }
    }
}

/// What an account manager may do to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    /// Refuse it from its next request on.
    Suspend,
    /// Let it in again.
    Reinstate,
    /// Close it for good.
    Close,
    /// Issue a new one-time password.
    ResetPassword,
    /// Change its role and communities.
    Grant,
}

impl AccountAction {
    /// Every action.
    pub const ALL: [AccountAction; 5] = [
        AccountAction::Suspend,
        AccountAction::Reinstate,
        AccountAction::Close,
        AccountAction::ResetPassword,
        AccountAction::Grant,
    ];

    /// The probe command of this action on account `login`, which holds `grant`. Re-granting
    /// probes with the grant it holds: whether the caller may manage that grant at all (the
    /// decider's "nothing changes" then says only that the probe asks for no change).
    pub fn probe(self, login: &Login, grant: Option<&Grant>) -> Option<AccountCommand> {
        let login = login.clone();
        Some(match self {
            AccountAction::Suspend => AccountCommand::Suspend {
                login,
                reason: name(),
            },
            AccountAction::Reinstate => AccountCommand::Reinstate { login },
            AccountAction::Close => AccountCommand::Close { login },
            AccountAction::ResetPassword => AccountCommand::RecordPasswordSet {
                login,
                one_time: true,
            },
            AccountAction::Grant => AccountCommand::Grant {
                login,
                grant: grant?.clone(),
            },
        })
    }

    /// Whether a rule the probe broke is only the probe's own doing (a re-grant to the
    /// grant held changes nothing), not the account's state.
    pub fn probe_artifact(self, error: &AccountError) -> bool {
        self == AccountAction::Grant && *error == AccountError::NothingChanges
    }
}

fn name() -> Name {
    Name::parse("probe", "—").expect("a dash is a valid name")
}
