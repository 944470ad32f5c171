//! Reads of the community read models: the dashboard row and what hangs off it (grids,
//! stars, compounds, heating, the newsroom, videos, activities, charity sales, property
//! history), and which community a stream belongs to.
//!
//! The list statements take a text array of parents in `$1` and name each row's parent
//! `owner`, for [`super::owned`]; a reader batches its lookups into one of each.

use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool};

const COMMUNITY_COLUMNS: &str = "community_id AS id, name, street, established_on, area_m2, profile_as_of, \
    households, residents, compounds, co_building_units, merchants, party_secretary, first_secretary";

/// The statement of [`communities`].
pub fn communities_sql() -> String {
    format!("SELECT {COMMUNITY_COLUMNS} FROM read.communities ORDER BY community_id")
}

/// Every community, by id.
pub async fn communities<R>(pool: &PgPool) -> sqlx::Result<Vec<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&communities_sql()).fetch_all(pool).await
}

/// The statement of [`community`] (`$1` the community), for readers that render it
/// themselves.
pub fn community_sql() -> String {
    format!("SELECT {COMMUNITY_COLUMNS} FROM read.communities WHERE community_id = $1")
}

/// One community.
pub async fn community<R>(pool: &PgPool, id: &str) -> sqlx::Result<Option<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&community_sql())
        .bind(id)
        .fetch_optional(pool)
        .await
}

const COMPOUND_COLUMNS: &str =
    "compound_id AS id, community_id, name, property_company, company_since";

/// One compound.
pub async fn compound<R>(pool: &PgPool, id: &str) -> sqlx::Result<Option<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&format!(
        "SELECT {COMPOUND_COLUMNS} FROM read.compounds WHERE compound_id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

const HEATING_COLUMNS: &str =
    "project_id AS id, community_id, compound_id, contractor, households, target_date, \
    milestones_done, current_milestone, households_done, commissioned_on, late";

/// One heating project.
pub async fn heating_project<R>(pool: &PgPool, id: &str) -> sqlx::Result<Option<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&format!(
        "SELECT {HEATING_COLUMNS} FROM read.heating_projects WHERE project_id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A heating project's milestones: `milestone`, `households_done`, `completed_on`,
/// `updated_on`, in the order they were worked on.
pub async fn milestones<R>(pool: &PgPool, project: &str) -> sqlx::Result<Vec<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(
        "SELECT milestone, households_done, completed_on, updated_on FROM read.heating_milestones \
         WHERE project_id = $1 ORDER BY updated_on, milestone",
    )
    .bind(project)
    .fetch_all(pool)
    .await
}

/// Grids of communities: `id`, `name`, `workers` (JSON `[{name, kind}]`).
pub const GRIDS: &str =
    "SELECT community_id AS owner, grid_id AS id, name, workers FROM read.grids \
    WHERE community_id = ANY($1) ORDER BY grid_id";

/// Stars of communities: `star`, `aimed`, `awarded_on`.
pub const STARS: &str = "SELECT community_id AS owner, star, aimed, awarded_on FROM read.stars \
    WHERE community_id = ANY($1) ORDER BY star";

/// Compounds of communities (the columns of [`compound`]).
pub fn compounds() -> String {
    format!(
        "SELECT community_id AS owner, {COMPOUND_COLUMNS} FROM read.compounds \
         WHERE community_id = ANY($1) ORDER BY compound_id"
    )
}

/// Heating projects of communities (the columns of [`heating_project`]).
pub fn heating_projects() -> String {
    format!(
        "SELECT community_id AS owner, {HEATING_COLUMNS} FROM read.heating_projects \
         WHERE community_id = ANY($1) ORDER BY project_id"
    )
}

/// Videos of communities, newest first: `id`, `title`, `topic`, `published_on`, `channels`
/// (JSON), `views`, `recommended_by`, `contest`.
pub const VIDEOS: &str = "SELECT community_id AS owner, video_id AS id, title, topic, published_on, channels, \
    views, recommended_by, contest FROM read.videos WHERE community_id = ANY($1) ORDER BY published_on DESC, video_id";

/// Activities of communities, newest first.
pub const ACTIVITIES: &str =
    "SELECT community_id AS owner, activity_id AS id, venue, title, theme, held_on, \
    participants, volunteers, duration_minutes, works_made, summary FROM read.activities \
    WHERE community_id = ANY($1) ORDER BY held_on DESC, activity_id";

/// Charity sale items of communities.
pub const CHARITY_ITEMS: &str =
    "SELECT community_id AS owner, sale_id, sale_title, item_id, name, price_fen, status, \
    sold_fen FROM read.charity_items WHERE community_id = ANY($1) ORDER BY sale_id, item_id";

/// Property history of compounds (`$1` compound ids), in log order: `position`, `kind`,
/// `happened_on`, `details` (JSON).
pub const PROPERTY_HISTORY: &str =
    "SELECT compound_id AS owner, position, kind, happened_on, details \
    FROM read.property_history WHERE compound_id = ANY($1) ORDER BY position";

/// Newsrooms of communities with their videos' totals: `name`, `founded_on`,
/// `video_count`, `total_views`.
pub const NEWSROOMS: &str =
    "SELECT n.community_id AS owner, n.name, n.founded_on, count(v.video_id) AS video_count, \
    coalesce(sum(v.views), 0)::bigint AS total_views \
    FROM read.newsrooms n LEFT JOIN read.videos v ON v.community_id = n.community_id \
    WHERE n.community_id = ANY($1) GROUP BY n.community_id, n.name, n.founded_on";

/// The community a stream belongs to: from its id, or from the read models (`None` when the
/// stream is of no community or not projected yet).
pub async fn community_of_stream(pool: &PgPool, stream: &str) -> sqlx::Result<Option<String>> {
    let Some((kind, id)) = civic_domain::split_stream_id(stream) else {
        return Ok(None);
    };
    use civic_domain::{
        activity::Activity, charity::Charity, community::Community, compound::Compound,
        heating::Heating, issue::Issue, newsroom::Newsroom, Aggregate as _,
    };
    let sql = match kind {
        k if k == Community::PREFIX || k == Newsroom::PREFIX => return Ok(Some(id.to_owned())),
        k if k == Issue::PREFIX => "SELECT community_id FROM read.issues WHERE issue_id = $1",
        k if k == Compound::PREFIX => {
            "SELECT community_id FROM read.compounds WHERE compound_id = $1"
        }
        k if k == Heating::PREFIX => {
            "SELECT community_id FROM read.heating_projects WHERE project_id = $1"
        }
        k if k == Activity::PREFIX => {
            "SELECT community_id FROM read.activities WHERE activity_id = $1"
        }
        k if k == Charity::PREFIX => {
            "SELECT community_id FROM read.charity_sales WHERE sale_id = $1"
        }
        _ => return Ok(None),
    };
    sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await
}
