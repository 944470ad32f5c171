//! Each issue's timeline: one entry per event of its stream, with a summary in its words.
//!
//! A projector of its own rather than part of the issue board's: an entry needs nothing but
//! its event, and it is one row per issue event, the most the board's projector wrote. Kept
//! apart, the two are applied side by side, each on its own connection, live and in a
//! rebuild, where the board's projector had set the pace for every other.

use civic_domain::issue::IssueEvent;
use civic_store::RecordedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::stream_of;
use crate::error::ProjectionError;
use crate::projector::{decode, Projector};

/// Builds `issue_timeline`.
#[derive(Debug)]
pub struct IssueTimelineProjector;

/// What an entry says of its event: the title of a report, who was assigned and by when,
/// what was found, proposed, agreed or done, the feedback, or why an issue was reopened or
/// escalated; nothing for a close.
pub fn summary(event: &IssueEvent) -> String {
    match event {
        IssueEvent::IssueReported { report, .. } => report.title.to_string(),
        IssueEvent::IssueAssigned { assignee, due_by } => format!("{assignee}, due {due_by}"),
        IssueEvent::SiteSurveyed {
            surveyed_with,
            findings,
            ..
        } => format!("{surveyed_with}: {findings}"),
        IssueEvent::SolutionProposed { solution } => solution.to_string(),
        IssueEvent::ResidentConsentRecorded { summary } => summary.to_string(),
        IssueEvent::IssueResolved { action, .. } => action.to_string(),
        IssueEvent::ResidentFeedbackRecorded {
            satisfaction,
            comment,
        } => format!("{satisfaction}/5 {comment}"),
        IssueEvent::IssueClosed {} => String::new(),
        IssueEvent::IssueReopened { reason } | IssueEvent::IssueEscalated { reason } => {
            reason.to_string()
        }
    }
}

impl Projector for IssueTimelineProjector {
    fn name(&self) -> &'static str {
        "issue_timeline"
    }
    fn version(&self) -> i32 {
        1
    }
    fn tables(&self) -> &'static [&'static str] {
        &["issue_timeline"]
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a RecordedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        self.apply_batch(conn, s, std::slice::from_ref(event))
    }
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let mut issues: Vec<&str> = Vec::new();
            let mut positions: Vec<i64> = Vec::new();
            let mut types: Vec<&str> = Vec::new();
            let mut at: Vec<OffsetDateTime> = Vec::new();
            let mut actors: Vec<&str> = Vec::new();
            let mut summaries: Vec<String> = Vec::new();
            for event in events {
                let Some(issue) = stream_of(event, "issue") else {
                    continue;
                };
                summaries.push(summary(&decode::<IssueEvent>(event)?));
                issues.push(issue);
                positions.push(event.position);
                types.push(&event.event_type);
                at.push(event.recorded_at);
                actors.push(&event.metadata.actor_id);
            }
            if issues.is_empty() {
                return Ok(());
            }
            sqlx::query(&format!(
                "INSERT INTO {s}.issue_timeline (issue_id, position, event_type, recorded_at, actor_id, summary) \
                 SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])"
            ))
            .bind(issues)
            .bind(positions)
            .bind(types)
            .bind(at)
            .bind(actors)
            .bind(summaries)
            .execute(conn)
            .await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use civic_domain::issue::IssueEvent;
    use civic_domain::values::{LongText, Name};
    use time::macros::date;

    use super::summary;

    fn text(value: &str) -> LongText {
        LongText::parse("text", value).expect("text")
    }

    fn name(value: &str) -> Name {
        Name::parse("name", value).expect("a name")
    }

    #[test]
    fn an_entry_says_what_its_event_did_in_the_words_recorded() {
        let assigned = IssueEvent::IssueAssigned {
            assignee: name("王网格员"),
            due_by: date!(2023 - 10 - 10),
        };
        assert_eq!(summary(&assigned), "王网格员, due 2023-10-10");
        let surveyed = IssueEvent::SiteSurveyed {
            surveyed_with: name("物业公司"),
            findings: text("东门路灯损坏"),
            surveyed_on: date!(2023 - 10 - 11),
        };
        assert_eq!(summary(&surveyed), "物业公司: 东门路灯损坏");
        let feedback = IssueEvent::ResidentFeedbackRecorded {
            satisfaction: 5,
            comment: text("很满意"),
        };
        assert_eq!(summary(&feedback), "5/5 很满意");
        let escalated = IssueEvent::IssueEscalated {
            reason: text("逾期未办"),
        };
        assert_eq!(summary(&escalated), "逾期未办");
        assert_eq!(summary(&IssueEvent::IssueClosed {}), "");
    }
}
