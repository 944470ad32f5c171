//! Communities and their dashboard.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};
use civic_commands::Role;
use civic_projections::queries;
use sqlx::types::Json as SqlJson;
use time::Date;

use super::heating::HeatingProject;
use super::helpers::{actor, fresh, loader, services, visible};
use super::property::Compound;
use crate::enums::{ActivityVenue, CharityItemStatus, GridWorkerKind, ShareGroup};
use crate::error::{error, from_sql, internal, Code};
use crate::loaders::{
    ActivitiesOf, CharityOf, CompoundsOf, GridsOf, HeatingOf, NewsroomOf, StarsOf, StatsOf,
    VideosOf,
};

const PROJECTORS: &[&str] = &["community", "issues", "property", "heating", "life"];

/// A community (社区) and its dashboard.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Community {
    /// Id, e.g. `guangsha`.
    pub id: String,
    /// Name, e.g. 广厦社区.
    pub name: String,
    /// The street (街道) it belongs to.
    pub street: String,
    /// Established on.
    pub established_on: Date,
    /// Area in square metres.
    pub area_m2: i64,
    /// Date of the latest profile figures.
    pub profile_as_of: Option<Date>,
    /// Households (户).
    pub households: Option<i32>,
    /// Residents (常住居民).
    pub residents: Option<i32>,
    /// Compounds (小区).
    pub compounds: Option<i32>,
    /// Co-building units (共驻共建单位).
    pub co_building_units: Option<i32>,
    /// Merchants (商户).
    pub merchants: Option<i32>,
    /// Party secretary (书记).
    pub party_secretary: Option<String>,
    /// First secretary (第一书记).
    pub first_secretary: Option<String>,
}

/// A grid and its workers.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Grid {
    /// Grid id.
    pub id: String,
    /// Name.
    pub name: String,
    #[graphql(skip)]
    pub workers: SqlJson<Vec<StoredWorker>>,
}

/// A worker as the grid's row stores it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct StoredWorker {
    name: String,
    kind: civic_domain::community::WorkerKind,
}

/// A worker of a grid.
#[derive(Debug, Clone, SimpleObject)]
pub struct GridWorker {
    /// Name.
    pub name: String,
    /// Grid worker or micro-grid worker.
    pub kind: GridWorkerKind,
}

#[ComplexObject]
impl Grid {
    /// Its workers, in the order they were assigned.
    async fn workers(&self) -> Vec<GridWorker> {
        self.workers
            .iter()
            .map(|w| GridWorker {
                name: w.name.clone(),
                kind: w.kind.into(),
            })
            .collect()
    }
}

/// A star of the five-star branch creation (五星支部创建).
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct Star {
    /// The star, e.g. 宜业兴业星.
    pub star: String,
    /// Whether the community aims for it.
    pub aimed: bool,
    /// When it was awarded, if it was.
    pub awarded_on: Option<Date>,
}

/// Issue figures of a community.
#[derive(Debug, Clone, Default, SimpleObject, sqlx::FromRow)]
pub struct IssueStats {
    /// Reported or assigned.
    pub open: i64,
    /// Open and past the due date.
    pub overdue: i64,
    /// Resolved (or closed) in all.
    pub resolved: i64,
    /// Mean hours from report to resolution.
    pub mean_hours_to_resolve: Option<f64>,
    /// 90th percentile of hours from report to resolution.
    pub p90_hours_to_resolve: Option<f64>,
}

/// The community newsroom (编辑部) in figures.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct Newsroom {
    /// Name.
    pub name: String,
    /// Founded on.
    pub founded_on: Date,
    /// Videos published.
    pub video_count: i64,
    /// Plays of all videos.
    pub total_views: i64,
}

/// A published video.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Video {
    /// Id.
    pub id: String,
    /// Title, e.g. 《网格员的一天》.
    pub title: String,
    /// Topic.
    pub topic: String,
    /// Published on.
    pub published_on: Date,
    #[graphql(skip)]
    pub channels: SqlJson<Vec<civic_domain::newsroom::ShareChannel>>,
    /// Plays so far.
    pub views: i32,
    /// Who recommended it to a contest.
    pub recommended_by: Option<String>,
    /// The contest.
    pub contest: Option<String>,
}

/// An activity of the workshop or painting hall.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct Activity {
    /// Id.
    pub id: String,
    /// Where.
    pub venue: ActivityVenue,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: String,
    /// Held on.
    pub held_on: Date,
    /// Participants.
    pub participants: i32,
    /// Volunteers.
    pub volunteers: i32,
    /// Minutes.
    pub duration_minutes: i32,
    /// Works made.
    pub works_made: i32,
    /// Summary.
    pub summary: String,
}

/// An item of a charity sale.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct CharityItem {
    /// Sale id.
    pub sale_id: String,
    /// Sale title.
    pub sale_title: String,
    /// Item id.
    pub item_id: String,
    /// Name.
    pub name: String,
    /// Asking price in fen.
    pub price_fen: i64,
    /// Where it stands.
    pub status: CharityItemStatus,
    /// Price paid in fen, when sold.
    pub sold_fen: Option<i64>,
}

#[ComplexObject]
impl Video {
    /// Groups it was shared to.
    async fn channels(&self) -> Vec<ShareGroup> {
        self.channels.iter().map(|&c| c.into()).collect()
    }
}

#[ComplexObject]
impl Community {
    /// Grids and their workers.
    async fn grids(&self, ctx: &Context<'_>) -> Result<Vec<Grid>> {
        Ok(loader(ctx)
            .load_one(GridsOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Stars aimed for and awarded.
    async fn stars(&self, ctx: &Context<'_>) -> Result<Vec<Star>> {
        Ok(loader(ctx)
            .load_one(StarsOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Open and overdue issues, time to resolve.
    async fn issue_stats(&self, ctx: &Context<'_>) -> Result<IssueStats> {
        Ok(loader(ctx)
            .load_one(StatsOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Its issue figures for the dashboard's charts: per week, per category, and the
    /// distribution of time to resolution.
    async fn issue_figures(&self) -> super::figures::IssueFigures {
        super::figures::IssueFigures {
            community: self.id.clone(),
        }
    }

    /// Heating projects of its compounds.
    async fn heating_projects(&self, ctx: &Context<'_>) -> Result<Vec<HeatingProject>> {
        Ok(loader(ctx)
            .load_one(HeatingOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Its compounds and their property companies.
    async fn compounds_list(&self, ctx: &Context<'_>) -> Result<Vec<Compound>> {
        Ok(loader(ctx)
            .load_one(CompoundsOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// The newsroom, if it has one.
    async fn newsroom(&self, ctx: &Context<'_>) -> Result<Option<Newsroom>> {
        loader(ctx)
            .load_one(NewsroomOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))
    }

    /// Videos, newest first.
    async fn videos(&self, ctx: &Context<'_>) -> Result<Vec<Video>> {
        Ok(loader(ctx)
            .load_one(VideosOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Activities, newest first.
    async fn activities(&self, ctx: &Context<'_>) -> Result<Vec<Activity>> {
        Ok(loader(ctx)
            .load_one(ActivitiesOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Charity sale items.
    async fn charity_items(&self, ctx: &Context<'_>) -> Result<Vec<CharityItem>> {
        Ok(loader(ctx)
            .load_one(CharityOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }

    /// Proceeds of all its charity sales, in fen.
    async fn charity_proceeds_fen(&self, ctx: &Context<'_>) -> Result<i64> {
        let items = self.charity_items(ctx).await?;
        Ok(items.iter().filter_map(|i| i.sold_fen).sum())
    }
}

/// One community's dashboard row.
pub(crate) async fn by_id(pool: &sqlx::PgPool, id: &str) -> Result<Option<Community>> {
    queries::community::community(pool, id)
        .await
        .map_err(from_sql)
}

/// The projectors a dashboard is built from.
pub(crate) const DASHBOARD_PROJECTORS: &[&str] = PROJECTORS;

/// Community queries.
#[derive(Default)]
pub struct CommunityQuery;

#[Object]
impl CommunityQuery {
    /// Every community the caller may see.
    async fn communities(
        &self,
        ctx: &Context<'_>,
        at_least_position: Option<i64>,
    ) -> Result<Vec<Community>> {
        let actor = actor(ctx)?;
        fresh(ctx, at_least_position, PROJECTORS).await?;
        let rows: Vec<Community> = queries::community::communities(&services(ctx).pool)
            .await
            .map_err(from_sql)?;
        Ok(rows
            .into_iter()
            .filter(|c| {
                matches!(actor.role, Role::StreetAdmin | Role::Auditor)
                    || actor.communities.iter().any(|a| a.as_str() == c.id)
            })
            .collect())
    }

    /// One community's dashboard.
    async fn community(
        &self,
        ctx: &Context<'_>,
        id: String,
        at_least_position: Option<i64>,
    ) -> Result<Community> {
        visible(actor(ctx)?, &id)?;
        fresh(ctx, at_least_position, PROJECTORS).await?;
        by_id(&services(ctx).pool, &id)
            .await?
            .ok_or_else(|| error(Code::NotFound, format!("no community {id}")))
    }
}
