//! Heating progress.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};

use super::helpers::{actor, fresh, services, visible};
use crate::error::{error, from_sql, Code};

/// A heating project and its progress.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct HeatingProject {
    /// Id.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Compound.
    pub compound_id: String,
    /// The heat company.
    pub contractor: String,
    /// Households planned.
    pub households: i32,
    /// When heat should be on.
    pub target_date: String,
    /// Milestones completed (of 5).
    pub milestones_done: i32,
    /// The milestone in progress (none once commissioned).
    pub current_milestone: Option<String>,
    /// Households done on the milestone in progress.
    pub households_done: i32,
    /// When heating was commissioned.
    pub commissioned_on: Option<String>,
    /// Commissioned after the target date.
    pub late: bool,
}

/// A milestone's progress.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct MilestoneProgress {
    /// `main_pipes_drilled`, `pipes_laid`, `radiators_installed`, `pressure_tested`, `heating_commissioned`.
    pub milestone: String,
    /// Households done.
    pub households_done: i32,
    /// When it was completed, if it was.
    pub completed_on: Option<String>,
    /// Last update.
    pub updated_on: String,
}

pub(crate) const COLUMNS: &str = "project_id AS id, community_id, compound_id, contractor, households, target_date::text, milestones_done, \
    current_milestone, households_done, commissioned_on::text, late";

#[ComplexObject]
impl HeatingProject {
    /// Percent of the whole project done (milestones complete, plus the share of the current one).
    async fn percent(&self) -> f64 {
        let current = if self.households > 0 {
            f64::from(self.households_done) / f64::from(self.households)
        } else {
            0.0
        };
        ((f64::from(self.milestones_done)
            + if self.current_milestone.is_some() {
                current
            } else {
                0.0
            })
            / 5.0
            * 100.0)
            .min(100.0)
    }

    /// Milestones with dates.
    async fn milestones(&self, ctx: &Context<'_>) -> Result<Vec<MilestoneProgress>> {
        sqlx::query_as(
            "SELECT milestone, households_done, completed_on::text, updated_on::text FROM read.heating_milestones \
             WHERE project_id = $1 ORDER BY updated_on, milestone",
        )
        .bind(&self.id)
        .fetch_all(&services(ctx).pool)
        .await
        .map_err(from_sql)
    }
}

/// The heating project `id` if the request's actor may read it: the read rule of every path that
/// returns one (its query, a mutation's result, an idempotent retry's result).
pub(crate) async fn readable(ctx: &Context<'_>, id: &str) -> Result<Option<HeatingProject>> {
    let actor = actor(ctx)?;
    let found: Option<HeatingProject> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM read.heating_projects WHERE project_id = $1"
    ))
    .bind(id)
    .fetch_optional(&services(ctx).pool)
    .await
    .map_err(from_sql)?;
    Ok(found.filter(|found| visible(actor, &found.community_id).is_ok()))
}

/// Heating queries.
#[derive(Default)]
pub struct HeatingQuery;

#[Object]
impl HeatingQuery {
    /// A heating project.
    async fn heating_project(
        &self,
        ctx: &Context<'_>,
        id: String,
        at_least_position: Option<i64>,
    ) -> Result<HeatingProject> {
        actor(ctx)?;
        fresh(ctx, at_least_position, &["heating"]).await?;
        readable(ctx, &id)
            .await?
            .ok_or_else(|| error(Code::NotFound, format!("no heating project {id}")))
    }
}
