//! Compounds and their property history: appointments, deliberations, votes, replacements,
//! appreciation.

use civic_domain::compound::CompoundEvent;
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use serde_json::json;
use sqlx::PgConnection;
use time::Date;

use super::{enum_name, stream_of};
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// What an entry of `property_history` records (stored by its serde name in `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// A property company appointed.
    Appointed,
    /// Owners' deliberation opened.
    DeliberationOpened,
    /// A deliberation meeting held.
    MeetingHeld,
    /// The owners' vote and its tally.
    Vote,
    /// The property company replaced.
    Replaced,
    /// An appreciation received.
    Appreciation,
}

/// Builds `compounds` and `property_history`.
#[derive(Debug)]
pub struct PropertyProjector;

impl Projector for PropertyProjector {
    fn name(&self) -> &'static str {
        "property"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["compounds", "property_history"]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["compound"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let Some(id) = stream_of(event, "compound") else {
                return Ok(());
            };
            let (kind, on, details): (HistoryKind, Date, serde_json::Value) = match decode::<
                CompoundEvent,
            >(
                event
            )? {
                CompoundEvent::CompoundRegistered {
                    community, name, ..
                } => {
                    sqlx::query(&format!(
                        "INSERT INTO {s}.compounds (compound_id, community_id, name, position) VALUES ($1, $2, $3, $4)"
                    ))
                    .bind(id)
                    .bind(community.as_str())
                    .bind(name.as_str())
                    .bind(event.position)
                    .execute(conn)
                    .await?;
                    return Ok(());
                }
                CompoundEvent::PropertyManagerAppointed {
                    company,
                    appointed_on,
                } => {
                    set_company(conn, s, id, company.as_str(), appointed_on, event.position)
                        .await?;
                    (
                        HistoryKind::Appointed,
                        appointed_on,
                        json!({ "company": company }),
                    )
                }
                CompoundEvent::DeliberationOpened {
                    deliberation,
                    topic,
                    opened_on,
                } => (
                    HistoryKind::DeliberationOpened,
                    opened_on,
                    json!({ "deliberation": deliberation, "topic": topic }),
                ),
                CompoundEvent::DeliberationMeetingHeld {
                    deliberation,
                    held_on,
                    attendees,
                    summary,
                } => (
                    HistoryKind::MeetingHeld,
                    held_on,
                    json!({ "deliberation": deliberation, "attendees": attendees, "summary": summary }),
                ),
                CompoundEvent::DeliberationVoted {
                    deliberation,
                    tally,
                    approved,
                    voted_on,
                } => (
                    HistoryKind::Vote,
                    voted_on,
                    json!({ "deliberation": deliberation, "tally": tally, "approved": approved }),
                ),
                CompoundEvent::PropertyReplaced {
                    from,
                    to,
                    decided_on,
                    deliberation,
                    tally,
                } => {
                    set_company(conn, s, id, to.as_str(), decided_on, event.position).await?;
                    (
                        HistoryKind::Replaced,
                        decided_on,
                        json!({ "from": from, "to": to, "deliberation": deliberation, "tally": tally }),
                    )
                }
                CompoundEvent::AppreciationReceived {
                    item,
                    words,
                    from,
                    received_on,
                } => (
                    HistoryKind::Appreciation,
                    received_on,
                    json!({ "item": item, "words": words, "from": from }),
                ),
            };
            sqlx::query(&format!(
                "INSERT INTO {s}.property_history (compound_id, position, kind, happened_on, details) VALUES ($1, $2, $3, $4, $5)"
            ))
            .bind(id)
            .bind(event.position)
            .bind(enum_name(&kind))
            .bind(on)
            .bind(details)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}

async fn set_company(
    conn: &mut PgConnection,
    s: &str,
    id: &str,
    company: &str,
    since: Date,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE {s}.compounds SET property_company = $2, company_since = $3, position = $4 WHERE compound_id = $1"
    ))
    .bind(id)
    .bind(company)
    .bind(since)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}
