//! One DataLoader per read-model lookup that would otherwise run once per parent object:
//! each batch is one `= ANY($1)` query.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use sqlx::PgPool;

use crate::query::{
    Activity, CharityItem, Compound, Grid, HeatingProject, IssueStats, Newsroom,
    PropertyHistoryEntry, Star, TimelineEntry, Video,
};

/// The loaders of one request.
pub type Loaders = DataLoader<ReadModels>;

/// Batches lookups on the read models.
#[derive(Debug, Clone)]
pub struct ReadModels {
    pool: PgPool,
}

/// A new set of loaders (one per request, so caches never outlive it).
pub fn loaders(pool: PgPool) -> Loaders {
    DataLoader::new(ReadModels { pool }, tokio::spawn)
}

macro_rules! keyed {
    ($($key:ident),*) => {$(
        /// A lookup key: the id of the parent object.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub String);
    )*};
}

keyed!(
    GridsOf,
    StarsOf,
    StatsOf,
    CompoundsOf,
    HeatingOf,
    NewsroomOf,
    VideosOf,
    ActivitiesOf,
    CharityOf,
    TimelineOf,
    HistoryOf
);

/// Groups rows that carry their parent's id in `owner` by that id.
fn group<K: Eq + std::hash::Hash, T>(
    rows: Vec<(String, T)>,
    key: impl Fn(String) -> K,
) -> HashMap<K, Vec<T>> {
    let mut map: HashMap<K, Vec<T>> = HashMap::new();
    for (owner, row) in rows {
        map.entry(key(owner)).or_default().push(row);
    }
    map
}

fn ids<K: Clone>(keys: &[K], f: impl Fn(&K) -> String) -> Vec<String> {
    keys.iter().map(f).collect()
}

#[derive(sqlx::FromRow)]
struct Owned<T> {
    owner: String,
    #[sqlx(flatten)]
    row: T,
}

async fn many<T>(
    pool: &PgPool,
    sql: &str,
    owners: Vec<String>,
) -> Result<Vec<(String, T)>, std::sync::Arc<sqlx::Error>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let rows: Vec<Owned<T>> = sqlx::query_as(sql)
        .bind(owners)
        .fetch_all(pool)
        .await
        .map_err(std::sync::Arc::new)?;
    Ok(rows.into_iter().map(|o| (o.owner, o.row)).collect())
}

macro_rules! list_loader {
    ($key:ident, $value:ty, $sql:expr) => {
        impl Loader<$key> for ReadModels {
            type Value = Vec<$value>;
            type Error = std::sync::Arc<sqlx::Error>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = many::<$value>(&self.pool, $sql, ids(keys, |k| k.0.clone())).await?;
                Ok(group(rows, $key))
            }
        }
    };
}

macro_rules! one_loader {
    ($key:ident, $value:ty, $sql:expr) => {
        impl Loader<$key> for ReadModels {
            type Value = $value;
            type Error = std::sync::Arc<sqlx::Error>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = many::<$value>(&self.pool, $sql, ids(keys, |k| k.0.clone())).await?;
                Ok(rows
                    .into_iter()
                    .map(|(owner, row)| ($key(owner), row))
                    .collect())
            }
        }
    };
}

list_loader!(GridsOf, Grid, "SELECT community_id AS owner, grid_id AS id, name, workers FROM read.grids WHERE community_id = ANY($1) ORDER BY grid_id");
list_loader!(StarsOf, Star, "SELECT community_id AS owner, star, aimed, awarded_on::text FROM read.stars WHERE community_id = ANY($1) ORDER BY star");
list_loader!(CompoundsOf, Compound, &format!(
    "SELECT community_id AS owner, {} FROM read.compounds WHERE community_id = ANY($1) ORDER BY compound_id",
    crate::query::COMPOUND_COLUMNS
));
list_loader!(HeatingOf, HeatingProject, &format!(
    "SELECT community_id AS owner, {} FROM read.heating_projects WHERE community_id = ANY($1) ORDER BY project_id",
    crate::query::HEATING_COLUMNS
));
list_loader!(VideosOf, Video, "SELECT community_id AS owner, video_id AS id, title, topic, published_on::text, channels, views, recommended_by, contest \
    FROM read.videos WHERE community_id = ANY($1) ORDER BY published_on DESC, video_id");
list_loader!(ActivitiesOf, Activity, "SELECT community_id AS owner, activity_id AS id, venue, title, theme, held_on::text, participants, volunteers, \
    duration_minutes, works_made, summary FROM read.activities WHERE community_id = ANY($1) ORDER BY held_on DESC, activity_id");
list_loader!(CharityOf, CharityItem, "SELECT community_id AS owner, sale_id, sale_title, item_id, name, price_fen, status, sold_fen \
    FROM read.charity_items WHERE community_id = ANY($1) ORDER BY sale_id, item_id");
list_loader!(TimelineOf, TimelineEntry, "SELECT issue_id AS owner, position, event_type, \
    to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS recorded_at, actor_id, summary \
    FROM read.issue_timeline WHERE issue_id = ANY($1) ORDER BY position");
list_loader!(
    HistoryOf,
    PropertyHistoryEntry,
    "SELECT compound_id AS owner, position, kind, happened_on::text, details \
    FROM read.property_history WHERE compound_id = ANY($1) ORDER BY position"
);
one_loader!(
    StatsOf,
    IssueStats,
    civic_projections::queries::issue_stats()
);
one_loader!(NewsroomOf, Newsroom, "SELECT n.community_id AS owner, n.name, n.founded_on::text, count(v.video_id) AS video_count, \
    coalesce(sum(v.views), 0)::bigint AS total_views \
    FROM read.newsrooms n LEFT JOIN read.videos v ON v.community_id = n.community_id \
    WHERE n.community_id = ANY($1) GROUP BY n.community_id, n.name, n.founded_on");
