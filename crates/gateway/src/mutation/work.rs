//! Property and heating mutations.

use async_graphql::{Context, InputObject, Object, Result};
use civic_domain::compound::{Compound, CompoundCommand};
use civic_domain::heating::{Heating, HeatingCommand};
use time::Date;
use uuid::Uuid;

use crate::enums::HeatingMilestone;
use civic_domain::values::CompoundId;
use civic_domain::values::{CommunityId, Count, DeliberationId, LongText, Name, ProjectId};

use super::parse::{id, name, text};
use super::result::{run, MutationResult};
use crate::error::invalid;

fn compound(id: &str) -> Result<CompoundId> {
    CompoundId::parse(id).map_err(invalid)
}
fn deliberation(id: &str) -> Result<DeliberationId> {
    DeliberationId::parse(id).map_err(invalid)
}
fn count(field: &'static str, n: i64) -> Result<Count> {
    Count::parse(field, n, 1_000_000).map_err(invalid)
}

/// The input of `registerCompound`: register a compound (小区) of a community.
#[derive(Debug, Clone, InputObject)]
pub struct RegisterCompoundInput {
    /// The compound.
    pub compound_id: String,
    /// The community.
    pub community_id: String,
    /// Compound name.
    pub compound_name: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `appointPropertyManager`: appoint a property company where none serves.
#[derive(Debug, Clone, InputObject)]
pub struct AppointPropertyManagerInput {
    /// The compound.
    pub compound_id: String,
    /// Company.
    pub company: String,
    /// Appointed on.
    pub appointed_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `receiveAppreciation`: record an appreciation received, e.g. a banner (锦旗) and its words.
#[derive(Debug, Clone, InputObject)]
pub struct ReceiveAppreciationInput {
    /// The compound.
    pub compound_id: String,
    /// Item.
    pub item: String,
    /// Words.
    pub words: String,
    /// From.
    pub from: String,
    /// Received on.
    pub received_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `planHeatingProject`: plan a heating project.
#[derive(Debug, Clone, InputObject)]
pub struct PlanHeatingProjectInput {
    /// The heating project.
    pub project_id: String,
    /// The community.
    pub community_id: String,
    /// The compound.
    pub compound_id: String,
    /// Contractor.
    pub contractor: String,
    /// Households.
    pub households: i64,
    /// Target date.
    pub target_date: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `openDeliberation`: open a residents' deliberation on a compound (居民事居民议).
#[derive(Debug, Clone, InputObject)]
pub struct OpenDeliberationInput {
    /// The compound.
    pub compound_id: String,
    /// The deliberation.
    pub deliberation_id: String,
    /// Topic.
    pub topic: String,
    /// Opened on.
    pub opened_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `holdMeeting`: record a deliberation meeting.
#[derive(Debug, Clone, InputObject)]
pub struct HoldMeetingInput {
    /// The compound.
    pub compound_id: String,
    /// The deliberation.
    pub deliberation_id: String,
    /// Held on.
    pub held_on: Date,
    /// Attendees.
    pub attendees: String,
    /// Summary.
    pub summary: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recordVote`: record the vote of a deliberation.
#[derive(Debug, Clone, InputObject)]
pub struct RecordVoteInput {
    /// The compound.
    pub compound_id: String,
    /// The deliberation.
    pub deliberation_id: String,
    /// In favour.
    pub in_favour: i64,
    /// Against.
    pub against: i64,
    /// Abstained.
    pub abstained: i64,
    /// Voted on.
    pub voted_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `replaceProperty`: replace the property company as an approving deliberation decided (居民事居民定).
#[derive(Debug, Clone, InputObject)]
pub struct ReplacePropertyInput {
    /// The compound.
    pub compound_id: String,
    /// The deliberation.
    pub deliberation_id: String,
    /// To.
    pub to: String,
    /// Decided on.
    pub decided_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recordHeatingProgress`: record progress on (or completion of) a heating milestone.
#[derive(Debug, Clone, InputObject)]
pub struct RecordHeatingProgressInput {
    /// The heating project.
    pub project_id: String,
    /// Milestone.
    pub milestone: HeatingMilestone,
    /// Households done.
    pub households_done: i64,
    /// Completed.
    pub completed: bool,
    /// On.
    pub on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
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
        input: RegisterCompoundInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::Register {
            id: compound(&input.compound_id)?,
            community: id(CommunityId::parse, &input.community_id)?,
            name: name("compoundName", &input.compound_name)?,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Appoint a property company where none serves.
    async fn appoint_property_manager(
        &self,
        ctx: &Context<'_>,
        input: AppointPropertyManagerInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::AppointPropertyManager {
            id: compound(&input.compound_id)?,
            company: name("company", &input.company)?,
            appointed_on: input.appointed_on,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Record an appreciation received, e.g. a banner (锦旗) and its words.
    async fn receive_appreciation(
        &self,
        ctx: &Context<'_>,
        input: ReceiveAppreciationInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::ReceiveAppreciation {
            id: compound(&input.compound_id)?,
            item: name("item", &input.item)?,
            words: text("words", &input.words)?,
            from: name("from", &input.from)?,
            received_on: input.received_on,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Plan a heating project.
    async fn plan_heating_project(
        &self,
        ctx: &Context<'_>,
        input: PlanHeatingProjectInput,
    ) -> Result<MutationResult> {
        let command = HeatingCommand::Plan {
            id: id(ProjectId::parse, &input.project_id)?,
            community: id(CommunityId::parse, &input.community_id)?,
            compound: compound(&input.compound_id)?,
            contractor: name("contractor", &input.contractor)?,
            households: count("households", input.households)?,
            target_date: input.target_date,
        };
        run::<Heating>(ctx, input.command_id, command).await
    }

    /// Open a residents' deliberation on a compound (居民事居民议).
    async fn open_deliberation(
        &self,
        ctx: &Context<'_>,
        input: OpenDeliberationInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::OpenDeliberation {
            id: compound(&input.compound_id)?,
            deliberation: deliberation(&input.deliberation_id)?,
            topic: Name::parse("topic", &input.topic).map_err(invalid)?,
            opened_on: input.opened_on,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Record a deliberation meeting.
    async fn hold_meeting(
        &self,
        ctx: &Context<'_>,
        input: HoldMeetingInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::HoldMeeting {
            id: compound(&input.compound_id)?,
            deliberation: deliberation(&input.deliberation_id)?,
            held_on: input.held_on,
            attendees: Name::parse("attendees", &input.attendees).map_err(invalid)?,
            summary: LongText::parse("summary", &input.summary).map_err(invalid)?,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Record the vote of a deliberation.
    async fn record_vote(
        &self,
        ctx: &Context<'_>,
        input: RecordVoteInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::RecordVote {
            id: compound(&input.compound_id)?,
            deliberation: deliberation(&input.deliberation_id)?,
            in_favour: count("inFavour", input.in_favour)?,
            against: count("against", input.against)?,
            abstained: count("abstained", input.abstained)?,
            voted_on: input.voted_on,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Replace the property company as an approving deliberation decided (居民事居民定).
    async fn replace_property(
        &self,
        ctx: &Context<'_>,
        input: ReplacePropertyInput,
    ) -> Result<MutationResult> {
        let command = CompoundCommand::ReplaceProperty {
            id: compound(&input.compound_id)?,
            deliberation: deliberation(&input.deliberation_id)?,
            to: Name::parse("to", &input.to).map_err(invalid)?,
            decided_on: input.decided_on,
        };
        run::<Compound>(ctx, input.command_id, command).await
    }

    /// Record progress on (or completion of) a heating milestone.
    async fn record_heating_progress(
        &self,
        ctx: &Context<'_>,
        input: RecordHeatingProgressInput,
    ) -> Result<MutationResult> {
        let command = HeatingCommand::RecordProgress {
            id: ProjectId::parse(&input.project_id).map_err(invalid)?,
            milestone: input.milestone.into(),
            households_done: count("householdsDone", input.households_done)?,
            completed: input.completed,
            on: input.on,
        };
        run::<Heating>(ctx, input.command_id, command).await
    }
}
