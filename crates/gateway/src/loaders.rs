//! One DataLoader per read-model lookup that would otherwise run once per parent object:
//! each batch is one `= ANY($1)` query.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use civic_projections::queries::{self, community};
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

async fn many<T>(
    pool: &PgPool,
    sql: &str,
    owners: Vec<String>,
) -> Result<Vec<(String, T)>, std::sync::Arc<sqlx::Error>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    queries::owned(pool, sql, &owners)
        .await
        .map_err(std::sync::Arc::new)
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

list_loader!(GridsOf, Grid, community::GRIDS);
list_loader!(StarsOf, Star, community::STARS);
list_loader!(CompoundsOf, Compound, &community::compounds());
list_loader!(HeatingOf, HeatingProject, &community::heating_projects());
list_loader!(VideosOf, Video, community::VIDEOS);
list_loader!(ActivitiesOf, Activity, community::ACTIVITIES);
list_loader!(CharityOf, CharityItem, community::CHARITY_ITEMS);
list_loader!(HistoryOf, PropertyHistoryEntry, community::PROPERTY_HISTORY);
one_loader!(StatsOf, IssueStats, queries::issue_stats());

/// Timelines come from the issues' own streams, all of a batch's in one statement.
impl Loader<TimelineOf> for ReadModels {
    type Value = Vec<TimelineEntry>;
    type Error = std::sync::Arc<civic_projections::ProjectionError>;

    async fn load(
        &self,
        keys: &[TimelineOf],
    ) -> Result<HashMap<TimelineOf, Self::Value>, Self::Error> {
        let steps = civic_projections::timeline::timelines(&self.pool, &ids(keys, |k| k.0.clone()))
            .await
            .map_err(std::sync::Arc::new)?;
        let steps = steps
            .into_iter()
            .map(|(id, step)| (id, TimelineEntry::from(step)));
        Ok(group(steps.collect(), TimelineOf))
    }
}
one_loader!(NewsroomOf, Newsroom, community::NEWSROOMS);
