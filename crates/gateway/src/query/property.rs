//! Compounds and their property history.

use async_graphql::{ComplexObject, Context, Object, Result, SimpleObject};

use civic_projections::queries;
use time::Date;

use super::helpers::{actor, fresh, loader, services, visible};
use crate::enums::PropertyHistoryKind;
use crate::error::{error, from_sql, internal, Code};
use crate::loaders::HistoryOf;

/// A compound (小区) and its property company.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Compound {
    /// Id.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Name, e.g. 龙和华府.
    pub name: String,
    /// The property company serving now.
    pub property_company: Option<String>,
    /// Since when.
    pub company_since: Option<Date>,
}

/// One entry of a compound's property history.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct PropertyHistoryEntry {
    /// Log position of the event.
    pub position: i64,
    /// What it records.
    pub kind: PropertyHistoryKind,
    /// When it happened.
    pub happened_on: Date,
    /// What happened (companies, tally, words of a banner…).
    #[sqlx(try_from = "serde_json::Value")]
    pub details: async_graphql::Json<serde_json::Value>,
}

#[ComplexObject]
impl Compound {
    /// Every appointment, deliberation, vote, replacement and appreciation, in order.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<PropertyHistoryEntry>> {
        Ok(loader(ctx)
            .load_one(HistoryOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }
}

/// The compound `id` if the request's actor may read it: the read rule of every path that
/// returns one (its query, a mutation's result, an idempotent retry's result).
pub(crate) async fn readable(ctx: &Context<'_>, id: &str) -> Result<Option<Compound>> {
    let actor = actor(ctx)?;
    let found: Option<Compound> = queries::community::compound(&services(ctx).pool, id)
        .await
        .map_err(from_sql)?;
    Ok(found.filter(|found| visible(actor, &found.community_id).is_ok()))
}

/// Property queries.
#[derive(Default)]
pub struct PropertyQuery;

#[Object]
impl PropertyQuery {
    /// A compound with its property history.
    async fn compound(
        &self,
        ctx: &Context<'_>,
        id: String,
        at_least_position: Option<i64>,
    ) -> Result<Compound> {
        actor(ctx)?;
        fresh(ctx, at_least_position, &["property"]).await?;
        readable(ctx, &id)
            .await?
            .ok_or_else(|| error(Code::NotFound, format!("no compound {id}")))
    }
}
