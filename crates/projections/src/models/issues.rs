//! The issue board and each issue's timeline.

use civic_domain::issue::IssueEvent;
use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;

use super::stream_of;
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `issues` and `issue_timeline`.
#[derive(Debug)]
pub struct IssueProjector;

impl Projector for IssueProjector {
    fn name(&self) -> &'static str {
        "issues"
    }
    fn version(&self) -> i32 {
        2
    }
    fn tables(&self) -> &'static [&'static str] {
        &["issues", "issue_timeline"]
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a RecordedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let Some(id) = stream_of(event, "issue") else {
                return Ok(());
            };
            let decoded = decode::<IssueEvent>(event)?;
            let update = |set: &str| {
                format!("UPDATE {s}.issues SET {set}, position = $2 WHERE issue_id = $1")
            };
            let summary = match &decoded {
                IssueEvent::IssueReported { report: r, .. } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.issues (issue_id, community_id, compound_id, grid_id, category, title, description, \
                         location, channel, reporter, status, reported_at, position, contact_person, contact_name_sealed, \
                         contact_phone_sealed) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reported', $11, $12, $13, $14, $15)"
                    ))
                    .bind(id)
                    .bind(r.community.as_str())
                    .bind(r.compound.as_ref().map(|c| c.as_str()))
                    .bind(r.grid.as_ref().map(|g| g.as_str()))
                    .bind(r.category.as_str())
                    .bind(r.title.as_str())
                    .bind(r.description.as_str())
                    .bind(r.location.as_str())
                    .bind(serde_json::to_value(r.channel).ok().and_then(|v| v.as_str().map(str::to_owned)))
                    .bind(r.reporter.as_str())
                    .bind(r.reported_at)
                    .bind(event.position)
                    // Personal data stays sealed here; it is opened (or shown as erased) when read.
                    .bind(r.contact.as_ref().map(|c| c.person.as_str()))
                    .bind(r.contact.as_ref().map(|c| c.name.as_str()))
                    .bind(r.contact.as_ref().and_then(|c| c.phone.as_ref()).map(|p| p.as_str()))
                    .execute(&mut *conn)
                    .await?;
                    r.title.to_string()
                }
                IssueEvent::IssueAssigned { assignee, due_by } => {
                    sqlx::query(&update("status = 'assigned', assignee = $3, due_by = $4"))
                        .bind(id)
                        .bind(event.position)
                        .bind(assignee.as_str())
                        .bind(due_by)
                        .execute(&mut *conn)
                        .await?;
                    format!("{assignee}, due {due_by}")
                }
                IssueEvent::SiteSurveyed {
                    surveyed_with,
                    findings,
                    ..
                } => format!("{surveyed_with}: {findings}"),
                IssueEvent::SolutionProposed { solution } => solution.to_string(),
                IssueEvent::ResidentConsentRecorded { summary } => summary.to_string(),
                IssueEvent::IssueResolved {
                    action,
                    items,
                    resolved_at,
                } => {
                    sqlx::query(&update(
                        "status = 'resolved', resolution = $3, items = $4, resolved_at = $5",
                    ))
                    .bind(id)
                    .bind(event.position)
                    .bind(action.as_str())
                    .bind(items.map(|c| c.get() as i32))
                    .bind(resolved_at)
                    .execute(&mut *conn)
                    .await?;
                    action.to_string()
                }
                IssueEvent::ResidentFeedbackRecorded {
                    satisfaction,
                    comment,
                } => {
                    sqlx::query(&update("satisfaction = $3"))
                        .bind(id)
                        .bind(event.position)
                        .bind(i16::from(*satisfaction))
                        .execute(&mut *conn)
                        .await?;
                    format!("{satisfaction}/5 {comment}")
                }
                IssueEvent::IssueClosed {} => {
                    // The close time is the event's commit time: it is in the log, so a rebuild agrees.
                    sqlx::query(&update("status = 'closed', closed_at = $3"))
                        .bind(id)
                        .bind(event.position)
                        .bind(event.recorded_at)
                        .execute(&mut *conn)
                        .await?;
                    String::new()
                }
                IssueEvent::IssueReopened { reason } => {
                    sqlx::query(&update("status = 'reported', resolved_at = NULL, closed_at = NULL, resolution = NULL"))
                        .bind(id)
                        .bind(event.position)
                        .execute(&mut *conn)
                        .await?;
                    reason.to_string()
                }
                IssueEvent::IssueEscalated { reason } => {
                    sqlx::query(&update("escalated = true"))
                        .bind(id)
                        .bind(event.position)
                        .execute(&mut *conn)
                        .await?;
                    reason.to_string()
                }
            };
            sqlx::query(&format!(
                "INSERT INTO {s}.issue_timeline (issue_id, position, event_type, recorded_at, actor_id, summary) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
            ))
            .bind(id)
            .bind(event.position)
            .bind(&event.event_type)
            .bind(event.recorded_at)
            .bind(&event.metadata.actor_id)
            .bind(summary)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}
