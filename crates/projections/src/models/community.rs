//! Community profile, leaders, grids and stars (the dashboard's own rows).

use civic_domain::community::{CommunityEvent, LeaderRole};
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use super::stream_of;
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `communities`, `grids` and `stars`.
#[derive(Debug)]
pub struct CommunityProjector;

impl Projector for CommunityProjector {
    fn name(&self) -> &'static str {
        "community"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["communities", "grids", "stars"]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["community"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let Some(id) = stream_of(event, "community") else {
                return Ok(());
            };
            match decode::<CommunityEvent>(event)? {
                CommunityEvent::CommunityRegistered {
                    name,
                    street,
                    established_on,
                    area_m2,
                    ..
                } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.communities (community_id, name, street, established_on, area_m2, position) \
                         VALUES ($1, $2, $3, $4, $5, $6)"
                    ))
                    .bind(id)
                    .bind(name.as_str())
                    .bind(street.as_str())
                    .bind(established_on)
                    .bind(area_m2)
                    .bind(event.position)
                    .execute(conn)
                    .await?;
                }
                CommunityEvent::CommunityProfileRecorded { profile: p } => {
                    sqlx::query(&format!(
                        "UPDATE {s}.communities SET profile_as_of = $2, households = $3, residents = $4, compounds = $5, \
                         co_building_units = $6, merchants = $7, position = $8 WHERE community_id = $1"
                    ))
                    .bind(id)
                    .bind(p.as_of)
                    .bind(p.households.get() as i32)
                    .bind(p.residents.get() as i32)
                    .bind(p.compounds.get() as i32)
                    .bind(p.co_building_units.get() as i32)
                    .bind(p.merchants.get() as i32)
                    .bind(event.position)
                    .execute(conn)
                    .await?;
                }
                CommunityEvent::LeaderAppointed { role, name, .. } => {
                    let column = match role {
                        LeaderRole::PartySecretary => "party_secretary",
                        LeaderRole::FirstSecretary => "first_secretary",
                    };
                    sqlx::query(&format!("UPDATE {s}.communities SET {column} = $2, position = $3 WHERE community_id = $1"))
                        .bind(id)
                        .bind(name.as_str())
                        .bind(event.position)
                        .execute(conn)
                        .await?;
                }
                CommunityEvent::GridDefined { grid, name } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.grids (community_id, grid_id, name) VALUES ($1, $2, $3)"
                    ))
                    .bind(id)
                    .bind(grid.as_str())
                    .bind(name.as_str())
                    .execute(conn)
                    .await?;
                }
                CommunityEvent::GridWorkerAssigned { grid, worker, kind } => {
                    let entry = serde_json::json!([{ "name": worker, "kind": kind }]);
                    sqlx::query(&format!("UPDATE {s}.grids SET workers = workers || $3 WHERE community_id = $1 AND grid_id = $2"))
                        .bind(id)
                        .bind(grid.as_str())
                        .bind(entry)
                        .execute(conn)
                        .await?;
                }
                CommunityEvent::StarAimedFor { star } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.stars (community_id, star, aimed) VALUES ($1, $2, true) \
                         ON CONFLICT (community_id, star) DO UPDATE SET aimed = true"
                    ))
                    .bind(id)
                    .bind(star.as_str())
                    .execute(conn)
                    .await?;
                }
                CommunityEvent::StarAwarded { star, awarded_on } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.stars (community_id, star, awarded_on) VALUES ($1, $2, $3) \
                         ON CONFLICT (community_id, star) DO UPDATE SET awarded_on = EXCLUDED.awarded_on"
                    ))
                    .bind(id)
                    .bind(star.as_str())
                    .bind(awarded_on)
                    .execute(conn)
                    .await?;
                }
            }
            Ok(())
        })
    }
}
