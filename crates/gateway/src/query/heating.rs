//! Heating progress.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};

use civic_projections::queries;
use time::Date;

use super::helpers::{actor, fresh, services, visible};
use crate::enums::HeatingMilestone;
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
    pub target_date: Date,
    /// Milestones completed (of 5).
    pub milestones_done: i32,
    /// The milestone in progress (none once commissioned).
    pub current_milestone: Option<HeatingMilestone>,
    /// Households done on the milestone in progress.
    pub households_done: i32,
    /// When heating was commissioned.
    pub commissioned_on: Option<Date>,
    /// Commissioned after the target date.
    pub late: bool,
}

/// A milestone's progress.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct MilestoneProgress {
    /// The milestone.
    pub milestone: HeatingMilestone,
    /// Households done.
    pub households_done: i32,
    /// When it was completed, if it was.
    pub completed_on: Option<Date>,
    /// Last update.
    pub updated_on: Date,
}

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
        queries::community::milestones(&services(ctx).pool, &self.id)
            .await
            .map_err(from_sql)
    }
}

/// The heating project `id` if the request's actor may read it: the read rule of every path that
/// returns one (its query, a mutation's result, an idempotent retry's result).
pub(crate) async fn readable(ctx: &Context<'_>, id: &str) -> Result<Option<HeatingProject>> {
    let actor = actor(ctx)?;
    let found: Option<HeatingProject> =
        queries::community::heating_project(&services(ctx).pool, id)
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
