//! Community mutations: registration, profile, leaders, grids, five-star creation.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use civic_domain::community::{Community, CommunityCommand, LeaderRole, Profile, WorkerKind};
use civic_domain::values::{CommunityId, GridId};

use super::parse::{count, date, id, name};
use super::result::{run, MutationResult};

/// A leadership role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Leader {
    /// 书记.
    PartySecretary,
    /// 第一书记.
    FirstSecretary,
}

/// A kind of grid worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum GridWorkerKind {
    /// 网格员.
    GridWorker,
    /// 微网格员.
    MicroGridWorker,
}

/// A new community.
#[derive(Debug, Clone, InputObject)]
pub struct RegisterCommunityInput {
    /// Idempotency key (UUID).
    pub command_id: Option<String>,
    /// Id.
    pub id: String,
    /// Name, e.g. 广厦社区.
    pub name: String,
    /// Street, e.g. 杜甫路街道.
    pub street: String,
    /// Established on (YYYY-MM-DD).
    pub established_on: String,
    /// Area in square metres.
    pub area_m2: i64,
}

/// Profile figures as of a date.
#[derive(Debug, Clone, InputObject)]
pub struct RecordProfileInput {
    /// Idempotency key (UUID).
    pub command_id: Option<String>,
    /// Community.
    pub community_id: String,
    /// As of (YYYY-MM-DD).
    pub as_of: String,
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
            established_on: date("establishedOn", &input.established_on)?,
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
                as_of: date("asOf", &input.as_of)?,
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
        community_id: String,
        role: Leader,
        person: String,
        appointed_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::AppointLeader {
            id: community(&community_id)?,
            role: match role {
                Leader::PartySecretary => LeaderRole::PartySecretary,
                Leader::FirstSecretary => LeaderRole::FirstSecretary,
            },
            name: name("person", &person)?,
            appointed_on: date("appointedOn", &appointed_on)?,
        };
        run::<Community>(ctx, command_id, command).await
    }

    /// Define a grid.
    async fn define_grid(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        grid_id: String,
        grid_name: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::DefineGrid {
            id: community(&community_id)?,
            grid: id(GridId::parse, &grid_id)?,
            name: name("gridName", &grid_name)?,
        };
        run::<Community>(ctx, command_id, command).await
    }

    /// Assign a worker to a grid.
    async fn assign_grid_worker(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        grid_id: String,
        worker: String,
        kind: GridWorkerKind,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::AssignGridWorker {
            id: community(&community_id)?,
            grid: id(GridId::parse, &grid_id)?,
            worker: name("worker", &worker)?,
            kind: match kind {
                GridWorkerKind::GridWorker => WorkerKind::GridWorker,
                GridWorkerKind::MicroGridWorker => WorkerKind::MicroGridWorker,
            },
        };
        run::<Community>(ctx, command_id, command).await
    }

    /// Aim for a star of the five-star branch creation.
    async fn aim_for_star(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        star: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Community>(
            ctx,
            command_id,
            CommunityCommand::AimForStar {
                id: community(&community_id)?,
                star: name("star", &star)?,
            },
        )
        .await
    }

    /// Award a star (street office only).
    async fn award_star(
        &self,
        ctx: &Context<'_>,
        community_id: String,
        star: String,
        awarded_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = CommunityCommand::AwardStar {
            id: community(&community_id)?,
            star: name("star", &star)?,
            awarded_on: date("awardedOn", &awarded_on)?,
        };
        run::<Community>(ctx, command_id, command).await
    }
}
