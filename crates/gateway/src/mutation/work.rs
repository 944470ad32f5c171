//! Property and heating mutations.

use async_graphql::{Context, Enum, Object, Result};
use civic_domain::compound::{Compound, CompoundCommand};
use civic_domain::heating::{Heating, HeatingCommand, Milestone};
use civic_domain::values::CompoundId;
use civic_domain::values::{CommunityId, Count, DeliberationId, LongText, Name, ProjectId};

use super::parse::{date, id, name, text};
use super::result::{run, MutationResult};
use crate::error::invalid;

/// A heating milestone, in its only possible order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
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

fn compound(id: &str) -> Result<CompoundId> {
    CompoundId::parse(id).map_err(invalid)
}
fn deliberation(id: &str) -> Result<DeliberationId> {
    DeliberationId::parse(id).map_err(invalid)
}
fn count(field: &'static str, n: i64) -> Result<Count> {
    Count::parse(field, n, 1_000_000).map_err(invalid)
}

/// Property and heating mutations.
#[derive(Debug, Default)]
pub struct WorkMutation;

#[Object]
impl WorkMutation {
    /// Register a compound (小区) of a community.
    async fn register_compound(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        community_id: String,
        compound_name: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::Register {
            id: compound(&compound_id)?,
            community: id(CommunityId::parse, &community_id)?,
            name: name("compoundName", &compound_name)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Appoint a property company where none serves.
    async fn appoint_property_manager(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        company: String,
        appointed_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::AppointPropertyManager {
            id: compound(&compound_id)?,
            company: name("company", &company)?,
            appointed_on: date("appointedOn", &appointed_on)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Record an appreciation received, e.g. a banner (锦旗) and its words.
    #[allow(clippy::too_many_arguments)]
    async fn receive_appreciation(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        item: String,
        words: String,
        from: String,
        received_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::ReceiveAppreciation {
            id: compound(&compound_id)?,
            item: name("item", &item)?,
            words: text("words", &words)?,
            from: name("from", &from)?,
            received_on: date("receivedOn", &received_on)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Plan a heating project.
    #[allow(clippy::too_many_arguments)]
    async fn plan_heating_project(
        &self,
        ctx: &Context<'_>,
        project_id: String,
        community_id: String,
        compound_id: String,
        contractor: String,
        households: i64,
        target_date: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = HeatingCommand::Plan {
            id: id(ProjectId::parse, &project_id)?,
            community: id(CommunityId::parse, &community_id)?,
            compound: compound(&compound_id)?,
            contractor: name("contractor", &contractor)?,
            households: count("households", households)?,
            target_date: date("targetDate", &target_date)?,
        };
        run::<Heating>(ctx, command_id, command).await
    }

    /// Open a residents' deliberation on a compound (居民事居民议).
    async fn open_deliberation(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        deliberation_id: String,
        topic: String,
        opened_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::OpenDeliberation {
            id: compound(&compound_id)?,
            deliberation: deliberation(&deliberation_id)?,
            topic: Name::parse("topic", &topic).map_err(invalid)?,
            opened_on: date("openedOn", &opened_on)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Record a deliberation meeting.
    #[allow(clippy::too_many_arguments)]
    async fn hold_meeting(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        deliberation_id: String,
        held_on: String,
        attendees: String,
        summary: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::HoldMeeting {
            id: compound(&compound_id)?,
            deliberation: deliberation(&deliberation_id)?,
            held_on: date("heldOn", &held_on)?,
            attendees: Name::parse("attendees", &attendees).map_err(invalid)?,
            summary: LongText::parse("summary", &summary).map_err(invalid)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Record the vote of a deliberation.
    #[allow(clippy::too_many_arguments)]
    async fn record_vote(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        deliberation_id: String,
        in_favour: i64,
        against: i64,
        abstained: i64,
        voted_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::RecordVote {
            id: compound(&compound_id)?,
            deliberation: deliberation(&deliberation_id)?,
            in_favour: count("inFavour", in_favour)?,
            against: count("against", against)?,
            abstained: count("abstained", abstained)?,
            voted_on: date("votedOn", &voted_on)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Replace the property company as an approving deliberation decided (居民事居民定).
    async fn replace_property(
        &self,
        ctx: &Context<'_>,
        compound_id: String,
        deliberation_id: String,
        to: String,
        decided_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::ReplaceProperty {
            id: compound(&compound_id)?,
            deliberation: deliberation(&deliberation_id)?,
            to: Name::parse("to", &to).map_err(invalid)?,
            decided_on: date("decidedOn", &decided_on)?,
        };
        run::<Compound>(ctx, command_id, command).await
    }

    /// Record progress on (or completion of) a heating milestone.
    #[allow(clippy::too_many_arguments)]
    async fn record_heating_progress(
        &self,
        ctx: &Context<'_>,
        project_id: String,
        milestone: HeatingMilestone,
        households_done: i64,
        completed: bool,
        on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = HeatingCommand::RecordProgress {
            id: ProjectId::parse(&project_id).map_err(invalid)?,
            milestone: match milestone {
                HeatingMilestone::MainPipesDrilled => Milestone::MainPipesDrilled,
                HeatingMilestone::PipesLaid => Milestone::PipesLaid,
                HeatingMilestone::RadiatorsInstalled => Milestone::RadiatorsInstalled,
                HeatingMilestone::PressureTested => Milestone::PressureTested,
                HeatingMilestone::HeatingCommissioned => Milestone::HeatingCommissioned,
            },
            households_done: count("householdsDone", households_done)?,
            completed,
            on: date("on", &on)?,
        };
        run::<Heating>(ctx, command_id, command).await
    }
}
