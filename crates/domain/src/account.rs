//! Staff accounts (账号): who may sign in, in which role, over which communities.
//!
//! Access changes are events like any other, so the hash chain and `audit replay` answer
//! "who could change Guangsha's issues on that day?". Passwords are not: a log is forever,
//! a password is not. Only the fact that one was set, and by whom, is an event.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::aggregate::{Aggregate, EventCodec};
use crate::values::{CommunityId, Name, ValueError};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 街道: every community of the street.
    StreetAdmin,
    /// 社区工作人员: their own communities.
    CommunityStaff,
    /// 网格员: reports and surveys in their own communities.
    GridWorker,
    /// 审计: reads everything, changes nothing.
    Auditor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [
        Role::StreetAdmin,
        Role::CommunityStaff,
        Role::GridWorker,
        Role::Auditor,
    ];

    /// The role's name as stored in event metadata and tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::StreetAdmin => "street_admin",
            Role::CommunityStaff => "community_staff",
            Role::GridWorker => "grid_worker",
            Role::Auditor => "auditor",
        }
    }

    /// Whether the role acts within named communities (and needs at least one).
    pub fn is_scoped(self) -> bool {
        matches!(self, Role::CommunityStaff | Role::GridWorker)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role {s:?}: use street_admin, community_staff, grid_worker or auditor"
                )
            })
    }
}

/// A login name: 1 to 64 letters (any script), digits, `.`, `-` or `_`; what a person
/// types to sign in and what tokens name as their subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    /// Parses a login name.
    pub fn parse(value: &str) -> Result<Login, ValueError> {
        let ok = !value.is_empty()
            && value.chars().count() <= 64
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if ok {
            Ok(Login(value.to_owned()))
        } else {
            Err(ValueError::BadId {
                field: "login",
                value: value.to_owned(),
            })
        }
    }

    /// The login as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether an account is a person's or a program's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A member of staff, who signs in with a password.
    #[default]
    Person,
    /// A script or integration, which holds a token from `civic token issue`.
    Service,
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Never opened.
    #[default]
    Unopened,
    /// May sign in and act.
    Active,
    /// Refused until reinstated.
    Suspended,
    /// Gone for good; its credentials are deleted.
    Closed,
}

/// A role with the communities it covers (none for street-wide roles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The communities, for community staff and grid workers; sorted, without repeats.
    pub communities: Vec<CommunityId>,
}

impl Grant {
    /// A grant, its communities sorted and deduplicated.
    pub fn new(role: Role, mut communities: Vec<CommunityId>) -> Grant {
        communities.sort();
        communities.dedup();
        Grant { role, communities }
    }
}

/// Commands on an account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AccountCommand {
    /// Open an account with its first grant.
    Open {
        /// The login.
        login: Login,
        /// The name shown, e.g. 张文博.
        display_name: Name,
        /// A person's or a service's.
        kind: AccountKind,
        /// What it may do, where.
        grant: Grant,
    },
    /// Replace the account's role and communities.
    Grant {
        /// The login.
        login: Login,
        /// The new grant.
        grant: Grant,
    },
    /// Refuse the account from its next request on.
    Suspend {
        /// The login.
        login: Login,
        /// Why, e.g. 离职.
        reason: Name,
    },
    /// Let a suspended account in again.
    Reinstate {
        /// The login.
        login: Login,
    },
    /// Close the account for good.
    Close {
        /// The login.
        login: Login,
    },
    /// Record that a password was set (the password itself never reaches the domain).
    RecordPasswordSet {
        /// The login.
        login: Login,
        /// A one-time password, to be changed at the next sign-in.
        one_time: bool,
    },
}

/// What happened to an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum AccountEvent {
    /// Opened.
    AccountOpened {
        /// The login.
        login: Login,
        /// The name shown.
        display_name: Name,
        /// A person's or a service's.
        kind: AccountKind,
    },
    /// Granted a role over communities (replacing any earlier grant).
    RoleGranted {
        /// The role.
        role: Role,
        /// Its communities.
        communities: Vec<CommunityId>,
    },
    /// The communities changed, the role stayed.
    ScopeChanged {
        /// The communities now.
        communities: Vec<CommunityId>,
    },
    /// Suspended.
    AccountSuspended {
        /// Why.
        reason: Name,
    },
    /// Reinstated.
    AccountReinstated {},
    /// Closed; its credentials are deleted.
    AccountClosed {},
    /// A password was set (who set it is the event's actor).
    PasswordSet {
        /// To be changed at the next sign-in.
        one_time: bool,
    },
}

impl EventCodec for AccountEvent {}

impl AccountEvent {
    /// The stored type of every account event: what a reader of accounts alone asks the log
    /// for (a test checks it against the enum).
    pub const TYPES: [&'static str; 7] = [
        "AccountOpened",
        "RoleGranted",
        "ScopeChanged",
        "AccountSuspended",
        "AccountReinstated",
        "AccountClosed",
        "PasswordSet",
    ];
}

/// What an account's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AccountState {
    /// The name shown, once opened.
    pub display_name: Option<Name>,
    /// Where it stands.
    pub status: AccountStatus,
    /// A person's or a service's.
    pub kind: AccountKind,
    /// Its grant, once opened.
    pub grant: Option<Grant>,
}

/// The rules an account command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Opening a login that exists (or existed).
    #[error("the login is already taken")]
    LoginTaken,
    /// Acting on an account never opened.
    #[error("no such account")]
    NoSuchAccount,
    /// Acting on a closed account.
    #[error("the account is closed")]
    AccountClosed,
    /// Suspending a suspended account.
    #[error("the account is already suspended")]
    AlreadySuspended,
    /// Reinstating an account that is not suspended.
    #[error("only a suspended account can be reinstated")]
    NotSuspended,
    /// Community staff and grid workers act within at least one community; the street
    /// office and auditors within none.
    #[error("the role {0} needs {1}")]
    ScopeDoesNotFitRole(Role, &'static str),
    /// Granting what the account already holds.
    #[error("the account already holds this grant")]
    NothingChanges,
    /// A service account signs in with its token, never a password.
    #[error("a service account has no password")]
    ServiceHasNoPassword,
}

/// The account aggregate.
#[derive(Debug)]
pub struct Account;

fn check_scope(grant: &Grant) -> Result<(), AccountError> {
    match (grant.role.is_scoped(), grant.communities.is_empty()) {
        (true, true) => Err(AccountError::ScopeDoesNotFitRole(
            grant.role,
            "at least one community",
        )),
        (false, false) => Err(AccountError::ScopeDoesNotFitRole(
            grant.role,
            "no community (it covers the whole street)",
        )),
        _ => Ok(()),
    }
}

impl Aggregate for Account {
    type State = AccountState;
    type Command = AccountCommand;
    type Event = AccountEvent;
    type Error = AccountError;
    const PREFIX: &'static str = "account";

    fn target(command: &AccountCommand) -> &str {
        use AccountCommand as C;
        match command {
            C::Open { login, .. }
            | C::Grant { login, .. }
            | C::Suspend { login, .. }
            | C::Reinstate { login }
            | C::Close { login }
            | C::RecordPasswordSet { login, .. } => login.as_str(),
        }
    }

    fn creates(command: &AccountCommand) -> bool {
        matches!(command, AccountCommand::Open { .. })
    }

    /// Accounts belong to the street; which communities a command touches is decided by
    /// the command authorization from the grants involved.
    fn community(_command: &AccountCommand, _state: &AccountState) -> Option<CommunityId> {
        None
    }

    fn decide(
        command: &AccountCommand,
        state: &AccountState,
    ) -> Result<Vec<AccountEvent>, AccountError> {
        use AccountCommand as C;
        use AccountEvent as V;
        match (command, state.status) {
            (
                C::Open {
                    login,
                    display_name,
                    kind,
                    grant,
                },
                AccountStatus::Unopened,
            ) => {
                check_scope(grant)?;
                Ok(vec![
                    V::AccountOpened {
                        login: login.clone(),
                        display_name: display_name.clone(),
                        kind: *kind,
                    },
                    V::RoleGranted {
                        role: grant.role,
                        communities: grant.communities.clone(),
                    },
                ])
            }
            (C::Open { .. }, _) => Err(AccountError::LoginTaken),
            (_, AccountStatus::Unopened) => Err(AccountError::NoSuchAccount),
            (_, AccountStatus::Closed) => Err(AccountError::AccountClosed),
            (C::Grant { grant, .. }, _) => {
                check_scope(grant)?;
                match &state.grant {
                    Some(now) if now == grant => Err(AccountError::NothingChanges),
                    Some(now) if now.role == grant.role => Ok(vec![V::ScopeChanged {
                        communities: grant.communities.clone(),
                    }]),
                    _ => Ok(vec![V::RoleGranted {
                        role: grant.role,
                        communities: grant.communities.clone(),
                    }]),
                }
            }
            (C::Suspend { .. }, AccountStatus::Suspended) => Err(AccountError::AlreadySuspended),
            (C::Suspend { reason, .. }, _) => Ok(vec![V::AccountSuspended {
                reason: reason.clone(),
            }]),
            (C::Reinstate { .. }, AccountStatus::Suspended) => Ok(vec![V::AccountReinstated {}]),
            (C::Reinstate { .. }, _) => Err(AccountError::NotSuspended),
            (C::Close { .. }, _) => Ok(vec![V::AccountClosed {}]),
            (C::RecordPasswordSet { .. }, _) if state.kind == AccountKind::Service => {
                Err(AccountError::ServiceHasNoPassword)
            }
            (C::RecordPasswordSet { one_time, .. }, _) => Ok(vec![V::PasswordSet {
                one_time: *one_time,
            }]),
        }
    }

    fn evolve(mut state: AccountState, event: &AccountEvent) -> AccountState {
        use AccountEvent as V;
        match event {
            V::AccountOpened {
                kind, display_name, ..
            } => {
                state.status = AccountStatus::Active;
                state.kind = *kind;
                state.display_name = Some(display_name.clone());
            }
            V::RoleGranted { role, communities } => {
                state.grant = Some(Grant::new(*role, communities.clone()));
            }
            V::ScopeChanged { communities } => {
                if let Some(grant) = &mut state.grant {
                    grant.communities = communities.clone();
                }
            }
            V::AccountSuspended { .. } => state.status = AccountStatus::Suspended,
            V::AccountReinstated {} => state.status = AccountStatus::Active,
            V::AccountClosed {} => state.status = AccountStatus::Closed,
            V::PasswordSet { .. } => {}
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;

    #[test]
    fn the_list_of_types_is_every_variant() {
        // serde names every variant it knows when it meets one it does not.
        let unknown = serde_json::json!({ "type": "?", "data": {} });
        let error = serde_json::from_value::<AccountEvent>(unknown)
            .unwrap_err()
            .to_string();
        let (_, expected) = error.split_once("expected one of").expect(&error);
        let mut known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        known.sort_unstable();
        let mut listed = AccountEvent::TYPES.to_vec();
        listed.sort_unstable();
        assert_eq!(known, listed);
    }

    fn login() -> Login {
        Login::parse("wang.fang").unwrap()
    }
    fn guangsha() -> CommunityId {
        CommunityId::parse("guangsha").unwrap()
    }
    fn open(role: Role, communities: Vec<CommunityId>) -> AccountCommand {
        AccountCommand::Open {
            login: login(),
            display_name: Name::parse("n", "王芳").unwrap(),
            kind: AccountKind::Person,
            grant: Grant::new(role, communities),
        }
    }
    fn suspend() -> AccountCommand {
        AccountCommand::Suspend {
            login: login(),
            reason: Name::parse("r", "离职").unwrap(),
        }
    }

    #[test]
    fn logins_take_any_script_but_no_spaces_or_symbols() {
        assert!(Login::parse("杜甫路街道").is_ok());
        assert!(Login::parse("zhang_wenbo-2").is_ok());
        for bad in ["", "a b", "a@b", "x/y", &"a".repeat(65)] {
            assert!(Login::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn opening_grants_the_first_role() {
        let state = given::<Account>([])
            .when(open(Role::GridWorker, vec![guangsha()]))
            .then_events(|events| assert_eq!(events.len(), 2));
        assert_eq!(state.status, AccountStatus::Active);
        assert_eq!(
            state.grant,
            Some(Grant::new(Role::GridWorker, vec![guangsha()]))
        );
    }

    #[test]
    fn a_login_is_opened_once_even_after_closing() {
        given::<Account>([
            open(Role::Auditor, vec![]),
            AccountCommand::Close { login: login() },
        ])
        .when(open(Role::Auditor, vec![]))
        .then_rejected(AccountError::LoginTaken);
    }

    #[test]
    fn the_scope_must_fit_the_role() {
        given::<Account>([])
            .when(open(Role::CommunityStaff, vec![]))
            .then_rejected(AccountError::ScopeDoesNotFitRole(
                Role::CommunityStaff,
                "at least one community",
            ));
        given::<Account>([])
            .when(open(Role::Auditor, vec![guangsha()]))
            .then_rejected(AccountError::ScopeDoesNotFitRole(
                Role::Auditor,
                "no community (it covers the whole street)",
            ));
    }

    #[test]
    fn a_new_community_for_the_same_role_is_a_scope_change() {
        let hemei = CommunityId::parse("hemei").unwrap();
        given::<Account>([open(Role::CommunityStaff, vec![guangsha()])])
            .when(AccountCommand::Grant {
                login: login(),
                grant: Grant::new(Role::CommunityStaff, vec![hemei.clone()]),
            })
            .then(&[AccountEvent::ScopeChanged {
                communities: vec![hemei],
            }]);
    }

    #[test]
    fn suspension_and_reinstatement_alternate() {
        given::<Account>([open(Role::Auditor, vec![]), suspend()])
            .when(suspend())
            .then_rejected(AccountError::AlreadySuspended);
        given::<Account>([open(Role::Auditor, vec![])])
            .when(AccountCommand::Reinstate { login: login() })
            .then_rejected(AccountError::NotSuspended);
        let state = given::<Account>([open(Role::Auditor, vec![]), suspend()])
            .when(AccountCommand::Reinstate { login: login() })
            .then(&[AccountEvent::AccountReinstated {}]);
        assert_eq!(state.status, AccountStatus::Active);
    }

    #[test]
    fn a_closed_account_takes_no_command() {
        given::<Account>([
            open(Role::Auditor, vec![]),
            AccountCommand::Close { login: login() },
        ])
        .when(AccountCommand::Reinstate { login: login() })
        .then_rejected(AccountError::AccountClosed);
    }

    #[test]
    fn a_service_account_has_no_password() {
        given::<Account>([AccountCommand::Open {
            login: login(),
            display_name: Name::parse("n", "导入脚本").unwrap(),
            kind: AccountKind::Service,
            grant: Grant::new(Role::StreetAdmin, vec![]),
        }])
        .when(AccountCommand::RecordPasswordSet {
            login: login(),
            one_time: true,
        })
        .then_rejected(AccountError::ServiceHasNoPassword);
    }
}
