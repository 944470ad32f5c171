//! A community's issue figures, for the dashboard's charts.

use async_graphql::{Context, Object, Result, SimpleObject};
use civic_projections::queries::figures;

use super::helpers::services;
use crate::error::from_sql;

/// Reports and resolutions in one week.
#[derive(Debug, Clone, SimpleObject)]
pub struct IssueWeek {
    /// The week's Monday (China time).
    pub week: time::Date,
    /// Issues reported in it.
    pub reported: i64,
    /// Issues resolved in it.
    pub resolved: i64,
}

/// Open and overdue issues of one category.
#[derive(Debug, Clone, SimpleObject)]
pub struct CategoryCount {
    /// The category.
    pub category: String,
    /// Issues that still need work.
    pub open: i64,
    /// Of those, past their due date.
    pub overdue: i64,
}

/// Resolved issues whose time to resolution fell in `[fromHours, toHours)`.
#[derive(Debug, Clone, SimpleObject)]
pub struct ResolutionBucket {
    /// Lower bound, in hours.
    pub from_hours: f64,
    /// Upper bound, in hours.
    pub to_hours: f64,
    /// Issues.
    pub count: i64,
}

/// A community's issue figures, as the read models keep them.
#[derive(Debug, Clone)]
pub struct IssueFigures {
    pub(crate) community: String,
}

#[Object]
impl IssueFigures {
    /// Weeks with a report or a resolution, oldest first.
    async fn weeks(&self, ctx: &Context<'_>) -> Result<Vec<IssueWeek>> {
        let rows = figures::weeks(&services(ctx).pool, &self.community)
            .await
            .map_err(from_sql)?;
        Ok(rows
            .into_iter()
            .map(|w| IssueWeek {
                week: w.week,
                reported: w.reported,
                resolved: w.resolved,
            })
            .collect())
    }

    /// Categories with open issues, most open first.
    async fn by_category(&self, ctx: &Context<'_>) -> Result<Vec<CategoryCount>> {
        let rows = figures::categories(&services(ctx).pool, &self.community)
            .await
            .map_err(from_sql)?;
        Ok(rows
            .into_iter()
            .map(|c| CategoryCount {
                category: c.category,
                open: c.open,
                overdue: c.overdue,
            })
            .collect())
    }

    /// Times to resolution in buckets of 1/16 of a doubling of (1 + hours), shortest first.
    async fn resolution_histogram(&self, ctx: &Context<'_>) -> Result<Vec<ResolutionBucket>> {
        let rows = figures::resolution_histogram(&services(ctx).pool, &self.community)
            .await
            .map_err(from_sql)?;
        Ok(rows
            .into_iter()
            .map(|b| ResolutionBucket {
                from_hours: b.from_hours,
                to_hours: b.to_hours,
                count: b.count,
            })
            .collect())
    }
}
