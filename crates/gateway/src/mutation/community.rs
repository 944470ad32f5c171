//! Community mutations: registration, profile, leaders, grids, five-star creation.

use async_graphql::{Context, InputObject, Object, Result};
use civic_domain::community::{Community, CommunityCommand, Profile};
use time::Date;
use uuid::Uuid;

use crate::enums::{GridWorkerKind, Leader};
use civic_domain::values::{CommunityId, GridId};

use super::parse::{count, id, name};
use super::result::{run, MutationResult};

/// A new community.
#[derive(Debug, Clone, InputObject)]
pub struct RegisterCommunityInput {
    /// Idempotency key (UUID).
    pub command_id: Option<Uuid>,
    /// Id.
    pub id: String,
    /// Name, e.g. 广厦社区.
    pub name: String,
    /// Street, e.g. 杜甫路街道.
    pub street: String,
    /// Established on (YYYY-MM-DD).
    pub established_on: Date,
    /// Area in square metres.
    pub area_m2: i64,
}

/// Profile figures as of a date.
#[derive(Debug, Clone, InputObject)]
pub struct RecordProfileInput {
    /// Idempotency key (UUID).
    pub command_id: Option<Uuid>,
    /// Community.
    pub community_id: String,
    /// As of (YYYY-MM-DD).
    pub as_of: Date,
    /// Households.
    pub households: i64,
    /// Residents.
    pub residents: i64,
    /// Compounds.
    pub compounds: i64,
    /// Co-building units.
    pub co_building_units: i64,
    /// Merchants.
    pub merchants: i64,
}

fn community(value: &str) -> Result<CommunityId> {
    id(CommunityId::parse, value)
}

/// The input of `appointLeader`: appoint a party secretary or first secretary.
#[derive(Debug, Clone, InputObject)]
pub struct AppointLeaderInput {
    /// The community.
    pub community_id: String,
    /// Role.
    pub role: Leader,
    /// Person.
    pub person: String,
    /// Appointed on.
    pub appointed_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `defineGrid`: define a grid.
#[derive(Debug, Clone, InputObject)]
pub struct DefineGridInput {
    /// The community.
    pub community_id: String,
    /// The grid.
    pub grid_id: String,
    /// Grid name.
    pub grid_name: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `assignGridWorker`: assign a worker to a grid.
#[derive(Debug, Clone, InputObject)]
pub struct AssignGridWorkerInput {
    /// The community.
    pub community_id: String,
    /// The grid.
    pub grid_id: String,
    /// Worker.
    pub worker: String,
    /// Kind.
    pub kind: GridWorkerKind,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `aimForStar`: aim for a star of the five-star branch creation.
#[derive(Debug, Clone, InputObject)]
pub struct AimForStarInput {
    /// The community.
    pub community_id: String,
    /// Star.
    pub star: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `awardStar`: award a star (street office only).
#[derive(Debug, Clone, InputObject)]
pub struct AwardStarInput {
    /// The community.
    pub community_id: String,
    /// Star.
    pub star: String,
    /// Awarded on.
    pub awarded_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// Community mutations.
#[derive(Debug, Default)]
pub struct CommunityMutation;

#[Object]
impl CommunityMutation {
    /// Register a community (street office only).
    async fn register_community(
        &self,
        ctx: &Context<'_>,
        input: RegisterCommunityInput,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::Register {
            id: community(&input.id)?,
            name: name("name", &input.name)?,
            street: name("street", &input.street)?,
            established_on: input.established_on,
            area_m2: input.area_m2,
        };
        run::<Community>(ctx, input.command_id, command).await
    }

    /// Record a community's profile figures.
    async fn record_community_profile(
        &self,
        ctx: &Context<'_>,
        input: RecordProfileInput,
    ) -> Result<MutationResult> {
        // Counts are bounded loosely here; the decider applies the plausibility limits.
        let figure = |field: &'static str, value: i64| count(field, value, u32::MAX);
        let command = CommunityCommand::RecordProfile {
            id: community(&input.community_id)?,
            profile: Profile {
                as_of: input.as_of,
                households: figure("households", input.households)?,
                residents: figure("residents", input.residents)?,
                compounds: figure("compounds", input.compounds)?,
                co_building_units: figure("coBuildingUnits", input.co_building_units)?,
                merchants: figure("merchants", input.merchants)?,
            },
        };
        run::<Community>(ctx, input.command_id, command).await
    }

    /// Appoint a party secretary or first secretary.
    async fn appoint_leader(
        &self,
        ctx: &Context<'_>,
        input: AppointLeaderInput,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::AppointLeader {
            id: community(&input.community_id)?,
            role: input.role.into(),
            name: name("person", &input.person)?,
            appointed_on: input.appointed_on,
        };
        run::<Community>(ctx, input.command_id, command).await
    }

    /// Define a grid.
    async fn define_grid(
        &self,
        ctx: &Context<'_>,
        input: DefineGridInput,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::DefineGrid {
            id: community(&input.community_id)?,
            grid: id(GridId::parse, &input.grid_id)?,
            name: name("gridName", &input.grid_name)?,
        };
        run::<Community>(ctx, input.command_id, command).await
    }

    /// Assign a worker to a grid.
    async fn assign_grid_worker(
        &self,
        ctx: &Context<'_>,
        input: AssignGridWorkerInput,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::AssignGridWorker {
            id: community(&input.community_id)?,
            grid: id(GridId::parse, &input.grid_id)?,
            worker: name("worker", &input.worker)?,
            kind: input.kind.into(),
        };
        run::<Community>(ctx, input.command_id, command).await
    }

    /// Aim for a star of the five-star branch creation.
    async fn aim_for_star(
        &self,
        ctx: &Context<'_>,
        input: AimForStarInput,
    ) -> Result<MutationResult> {
        run::<Community>(
            ctx,
            input.command_id,
            CommunityCommand::AimForStar {
                id: community(&input.community_id)?,
                star: name("star", &input.star)?,
            },
        )
        .await
    }

    /// Award a star (street office only).
    async fn award_star(&self, ctx: &Context<'_>, input: AwardStarInput) -> Result<MutationResult> {
        let command = CommunityCommand::AwardStar {
            id: community(&input.community_id)?,
            star: name("star", &input.star)?,
            awarded_on: input.awarded_on,
        };
        run::<Community>(ctx, input.command_id, command).await
    }
}
