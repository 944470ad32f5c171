//! Each issue's timeline: one step per event of its stream, read from the stream itself when
//! asked for. A step needs nothing but its event, and an issue's events are one range of
//! the log's stream index, so a read model of them would only copy the log, a row per event,
//! and could never be fresher than it.

use civic_domain::issue::{Issue, IssueEvent};
use civic_domain::Aggregate;
use civic_store::RecordedEvent;
use sqlx::PgPool;
use time::{Date, OffsetDateTime};

use crate::error::ProjectionError;
use crate::models::stream_of;
use crate::projector::decode;

/// One step of an issue's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Log position.
    pub position: i64,
    /// Event type, e.g. `IssueResolved`.
    pub event_type: String,
    /// When it was recorded.
    pub recorded_at: OffsetDateTime,
    /// Who did it.
    pub actor_id: String,
    /// What the step recorded, in the words recorded (see [`summary`]).
    pub summary: String,
    /// An assignment's due date.
    pub due_by: Option<Date>,
    /// A resident's satisfaction (1 to 5) with the outcome.
    pub satisfaction: Option<i32>,
}

/// What a step says of its event, in the words recorded: the title of a report, who was
/// assigned, what was found, proposed, agreed or done, the resident's comment, or why an
/// issue was reopened or escalated; nothing for a close. Dates and scores are fields of
/// their own ([`Step`]), for the reader to put in words of their language.
pub fn summary(event: &IssueEvent) -> String {
    match event {
        IssueEvent::IssueReported { report, .. } => report.title.to_string(),
        IssueEvent::IssueAssigned { assignee, .. } => assignee.to_string(),
        IssueEvent::SiteSurveyed {
            surveyed_with,
            findings,
            ..
        } => format!("{surveyed_with}：{findings}"),
        IssueEvent::SolutionProposed { solution } => solution.to_string(),
        IssueEvent::ResidentConsentRecorded { summary } => summary.to_string(),
        IssueEvent::IssueResolved { action, .. } => action.to_string(),
        IssueEvent::ResidentFeedbackRecorded { comment, .. } => comment.to_string(),
        IssueEvent::IssueClosed {} => String::new(),
        IssueEvent::IssueReopened { reason } | IssueEvent::IssueEscalated { reason } => {
            reason.to_string()
        }
    }
}

/// The step an event of an issue's stream records.
pub fn step(event: &RecordedEvent) -> Result<Step, ProjectionError> {
    let decoded = decode::<IssueEvent>(event)?;
    let (due_by, satisfaction) = match &decoded {
        IssueEvent::IssueAssigned { due_by, .. } => (Some(*due_by), None),
        IssueEvent::ResidentFeedbackRecorded { satisfaction, .. } => {
            (None, Some(i32::from(*satisfaction)))
        }
        _ => (None, None),
    };
    Ok(Step {
        position: event.position,
        event_type: event.event_type.clone(),
        recorded_at: event.recorded_at,
        actor_id: event.metadata.actor_id.clone(),
        summary: summary(&decoded),
        due_by,
        satisfaction,
    })
}

/// The timelines of `issues` (ids), each in log order; an issue with no events has none.
pub async fn timelines(
    pool: &PgPool,
    issues: &[String],
) -> Result<Vec<(String, Step)>, ProjectionError> {
    let streams: Vec<String> = issues.iter().map(|id| Issue::stream_id(id)).collect();
    let events = civic_store::read_streams(pool, &streams).await?;
    events
        .iter()
        .map(|event| {
            let id = stream_of(event, Issue::PREFIX).unwrap_or_default();
            Ok((id.to_owned(), step(event)?))
        })
        .collect()
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
    fn a_step_says_what_its_event_did_in_the_words_recorded_and_nothing_else() {
        let assigned = IssueEvent::IssueAssigned {
            assignee: name("王网格员"),
            due_by: date!(2023 - 10 - 10),
        };
        assert_eq!(summary(&assigned), "王网格员");
        let surveyed = IssueEvent::SiteSurveyed {
            surveyed_with: name("物业公司"),
            findings: text("东门路灯损坏"),
            surveyed_on: date!(2023 - 10 - 11),
        };
        assert_eq!(summary(&surveyed), "物业公司：东门路灯损坏");
        let feedback = IssueEvent::ResidentFeedbackRecorded {
            satisfaction: 5,
            comment: text("很满意"),
        };
        assert_eq!(summary(&feedback), "很满意");
        let escalated = IssueEvent::IssueEscalated {
            reason: text("逾期未办"),
        };
        assert_eq!(summary(&escalated), "逾期未办");
        assert_eq!(summary(&IssueEvent::IssueClosed {}), "");
    }
}
