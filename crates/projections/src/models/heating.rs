//! Heating progress per project: milestones with dates, households done of planned.

use civic_domain::heating::{HeatingEvent, Milestone};
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use super::stream_of;
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `heating_projects` and `heating_milestones`.
#[derive(Debug)]
pub struct HeatingProjector;

/// The stored name of a milestone (its serde name).
pub fn milestone_name(m: Milestone) -> String {
    super::enum_name(&m)
}

impl Projector for HeatingProjector {
    fn name(&self) -> &'static str {
        "heating"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["heating_projects", "heating_milestones"]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["heating"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let Some(id) = stream_of(event, "heating") else {
                return Ok(());
            };
            match decode::<HeatingEvent>(event)? {
                HeatingEvent::HeatingProjectPlanned {
                    community,
                    compound,
                    contractor,
                    households,
                    target_date,
                    ..
                } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.heating_projects (project_id, community_id, compound_id, contractor, households, \
                         target_date, current_milestone, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(id)
                    .bind(community.as_str())
                    .bind(compound.as_str())
                    .bind(contractor.as_str())
                    .bind(households.get() as i32)
                    .bind(target_date)
                    .bind(milestone_name(Milestone::MainPipesDrilled))
                    .bind(event.position)
                    .execute(conn)
                    .await?;
                }
                HeatingEvent::HeatingMilestone {
                    milestone,
                    households_done,
                    completed,
                    on,
                    late,
                } => {
                    let name = milestone_name(milestone);
                    sqlx::query(&format!(
                        "INSERT INTO {s}.heating_milestones (project_id, milestone, households_done, completed_on, updated_on) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, milestone) DO UPDATE \
                         SET households_done = EXCLUDED.households_done, completed_on = EXCLUDED.completed_on, \
                             updated_on = EXCLUDED.updated_on"
                    ))
                    .bind(id)
                    .bind(&name)
                    .bind(households_done.get() as i32)
                    .bind(completed.then_some(on))
                    .bind(on)
                    .execute(&mut *conn)
                    .await?;
                    let next = if completed {
                        milestone.next().map(milestone_name)
                    } else {
                        Some(name)
                    };
                    let commissioned =
                        (completed && milestone == Milestone::HeatingCommissioned).then_some(on);
                    sqlx::query(&format!(
                        "UPDATE {s}.heating_projects SET milestones_done = milestones_done + $2, current_milestone = $3, \
                         households_done = $4, commissioned_on = coalesce($5, commissioned_on), late = late OR $6, position = $7 \
                         WHERE project_id = $1"
                    ))
                    .bind(id)
                    .bind(i32::from(completed))
                    .bind(next)
                    .bind(if completed { 0 } else { households_done.get() as i32 })
                    .bind(commissioned)
                    .bind(late)
                    .bind(event.position)
                    .execute(conn)
                    .await?;
                }
            }
            Ok(())
        })
    }
}
