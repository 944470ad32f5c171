//! The domain's enums as GraphQL enums.
//!
//! Each is declared with `remote`, which derives the conversions both ways with exhaustive
//! matches: a variant added to the domain fails the build here until the schema has it.
//! Read models store an enum by its serde name; [`stored!`] decodes that name through the
//! domain type, so a name the domain does not know is a decode error, never a guess.

use async_graphql::Enum;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::Postgres;

/// Where an issue stands. (The default stands in for an unread column of a narrowed page
/// and is never shown.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[graphql(remote = "civic_domain::issue::IssueStatus")]
pub enum IssueStatus {
    /// Not reported yet (never the status of an issue on the board).
    #[default]
    Unreported,
    /// Reported, waiting for someone to take it.
    Reported,
    /// Someone is on it.
    Assigned,
    /// Done; residents may give feedback.
    Resolved,
    /// Closed.
    Closed,
}

/// How an issue reached the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[graphql(remote = "civic_domain::issue::Channel")]
pub enum IssueChannel {
    /// Found by a grid worker on patrol (走访).
    #[default]
    Patrol,
    /// From a resident.
    Resident,
    /// Raised in a resident or merchant chat group.
    ChatGroup,
    /// Through the hotline.
    Hotline,
}

/// A heating milestone, in its only possible order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::heating::Milestone")]
pub enum HeatingMilestone {
    /// 楼栋主管道打眼.
    MainPipesDrilled,
    /// 管道铺设.
    PipesLaid,
    /// 入户暖气片安装.
    RadiatorsInstalled,
    /// 打压试验.
    PressureTested,
    /// 通暖.
    HeatingCommissioned,
}

/// A leadership role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::community::LeaderRole")]
pub enum Leader {
    /// 书记.
    PartySecretary,
    /// 第一书记.
    FirstSecretary,
}

/// A kind of grid worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::community::WorkerKind")]
pub enum GridWorkerKind {
    /// 网格员.
    GridWorker,
    /// 微网格员.
    MicroGridWorker,
}

/// A chat group a video is shared to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::newsroom::ShareChannel")]
#[allow(clippy::enum_variant_names)] // the domain's names, which `remote` matches one to one
pub enum ShareGroup {
    /// 网格群.
    GridGroup,
    /// 居民群.
    ResidentGroup,
    /// 商户群.
    MerchantGroup,
}

/// Where an activity took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::activity::Venue")]
pub enum ActivityVenue {
    /// 手工坊.
    Workshop,
    /// 书绘堂.
    PaintingHall,
}

/// Where an item of a charity sale stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::charity::ItemStatus")]
pub enum CharityItemStatus {
    /// On offer.
    Listed,
    /// Promised to a buyer before the sale day.
    PreSold,
    /// Sold.
    Sold,
    /// Taken off the sale.
    Withdrawn,
}

/// What an entry of a compound's property history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_projections::models::property::HistoryKind")]
pub enum PropertyHistoryKind {
    /// A property company appointed.
    Appointed,
    /// Owners' deliberation opened.
    DeliberationOpened,
    /// A deliberation meeting held.
    MeetingHeld,
    /// The owners' vote and its tally.
    Vote,
    /// The property company replaced.
    Replaced,
    /// An appreciation received (a banner, a letter).
    Appreciation,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::account::Role")]
pub enum AccountRole {
    /// 街道: every community of the street.
    StreetAdmin,
    /// 社区工作人员: their own communities.
    CommunityStaff,
    /// 网格员: reports and surveys in their own communities.
    GridWorker,
    /// 审计: reads everything, changes nothing.
    Auditor,
}

/// Decodes read-model text columns into the GraphQL enums through their domain types.
macro_rules! stored {
    ($($local:ty => $domain:ty),* $(,)?) => {$(
        impl sqlx::Type<Postgres> for $local {
            fn type_info() -> PgTypeInfo {
                <&str as sqlx::Type<Postgres>>::type_info()
            }
            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as sqlx::Type<Postgres>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, Postgres> for $local {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                let name = <&str as sqlx::Decode<Postgres>>::decode(value)?;
                Ok(civic_projections::queries::stored::<$domain>(name)?.into())
            }
        }
    )*};
}

stored!(
    IssueStatus => civic_domain::issue::IssueStatus,
    IssueChannel => civic_domain::issue::Channel,
    HeatingMilestone => civic_domain::heating::Milestone,
    ActivityVenue => civic_domain::activity::Venue,
    CharityItemStatus => civic_domain::charity::ItemStatus,
    PropertyHistoryKind => civic_projections::models::property::HistoryKind,
    AccountRole => civic_domain::account::Role,
);

/// A workflow step that can be taken on an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::actions::IssueAction")]
pub enum IssueAction {
    /// Assign it with a due date (`assignIssue`).
    Assign,
    /// Record a site survey (`surveySite`).
    SurveySite,
    /// Propose a solution (`proposeSolution`).
    ProposeSolution,
    /// Record residents' consent (`recordConsent`).
    RecordConsent,
    /// Mark it resolved (`resolveIssue`).
    Resolve,
    /// Record residents' feedback (`recordFeedback`).
    RecordFeedback,
    /// Close it (`closeIssue`).
    Close,
    /// Reopen it (`reopenIssue`).
    Reopen,
    /// Escalate it to the street office (`escalateIssue`).
    Escalate,
}

/// What can be done to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "civic_domain::actions::AccountAction")]
pub enum AccountAction {
    /// `suspendAccount`.
    Suspend,
    /// `reinstateAccount`.
    Reinstate,
    /// `closeAccount`.
    Close,
    /// `resetPassword`.
    ResetPassword,
    /// `grantAccess`.
    Grant,
}
