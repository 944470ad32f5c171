//! An issue (事件上报): found on patrol or reported by residents, carried to resolution.
//!
//! ```text
//! Reported ─assign→ Assigned ─resolve→ Resolved ─close→ Closed
//!    ▲                 │ survey, propose, consent      │  ▲ feedback      │
//!    └──────────── reopen (from Resolved or Closed) ◄──┴──────────────────┘
//! ```
//! Escalation to the street office is possible while the issue is not closed.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::aggregate::{Aggregate, EventCodec, UpcastError};
use crate::happened::Happened;
use crate::values::{
    CommunityId, CompoundId, Count, GridId, IssueId, LongText, Name, PersonId, Sealed,
};

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Not yet reported (no stream).
    #[default]
    Unreported,
    /// Reported, waiting for someone to take it.
    Reported,
    /// Someone is on it.
    Assigned,
    /// Done; residents may give feedback.
    Resolved,
    /// Closed.
    Closed,
}

impl IssueStatus {
    /// Every status.
    pub const ALL: [IssueStatus; 5] = [
        IssueStatus::Unreported,
        IssueStatus::Reported,
        IssueStatus::Assigned,
        IssueStatus::Resolved,
        IssueStatus::Closed,
    ];

    /// Whether the issue still needs work.
    pub fn is_open(self) -> bool {
        matches!(self, IssueStatus::Reported | IssueStatus::Assigned)
    }
}

/// How the issue reached the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Found by a grid worker on patrol (走访).
    Patrol,
    /// Reported by a resident.
    Resident,
    /// Raised in a resident or merchant chat group.
    ChatGroup,
    /// Through the street office's hotline.
    Hotline,
}

/// How to reach the person who reported an issue; personal, so sealed under their key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The person.
    pub person: PersonId,
    /// Their name, sealed.
    pub name: Sealed,
    /// Their phone, sealed.
    pub phone: Option<Sealed>,
}

/// The report itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The community it is in.
    pub community: CommunityId,
    /// The compound, if any.
    pub compound: Option<CompoundId>,
    /// The grid, if known.
    pub grid: Option<GridId>,
    /// Category, e.g. 安全隐患.
    pub category: Name,
    /// Title.
    pub title: Name,
    /// What was found.
    pub description: LongText,
    /// Where.
    pub location: Name,
    /// How it was reported.
    pub channel: Channel,
    /// Who reported it (a role or display name, never contact details).
    pub reporter: Name,
    /// When it was found.
    #[serde(with = "time::serde::rfc3339")]
    pub reported_at: OffsetDateTime,
    /// The reporter's contact, if they left one (a resident, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// Commands on an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(clippy::large_enum_variant)] // short-lived values; a box would only add noise
pub enum IssueCommand {
    /// Report a new issue.
    Report {
        /// Its id.
        id: IssueId,
        /// The report.
        report: Report,
    },
    /// Give it to someone, with a due date.
    Assign {
        /// The issue.
        id: IssueId,
        /// To whom.
        assignee: Name,
        /// Due by.
        due_by: Date,
    },
    /// Record a site survey.
    SurveySite {
        /// The issue.
        id: IssueId,
        /// Who took part (e.g. 社区, 物业).
        surveyed_with: Name,
        /// What was found.
        findings: LongText,
        /// When.
        surveyed_on: Date,
    },
    /// Propose a solution.
    ProposeSolution {
        /// The issue.
        id: IssueId,
        /// The solution.
        solution: LongText,
    },
    /// Record that residents consented to the proposed solution.
    RecordConsent {
        /// The issue.
        id: IssueId,
        /// How consent was obtained.
        summary: LongText,
    },
    /// Mark it resolved.
    Resolve {
        /// The issue.
        id: IssueId,
        /// What was done, e.g. 设置4个隔离墩.
        action: LongText,
        /// Items placed or repaired, if countable.
        items: Option<Count>,
        /// When.
        resolved_at: OffsetDateTime,
    },
    /// Record residents' feedback on the resolution.
    RecordFeedback {
        /// The issue.
        id: IssueId,
        /// Satisfaction from 1 to 5.
        satisfaction: u8,
        /// Their words.
        comment: LongText,
    },
    /// Close it.
    Close {
        /// The issue.
        id: IssueId,
    },
    /// Reopen a resolved or closed issue.
    Reopen {
        /// The issue.
        id: IssueId,
        /// Why.
        reason: LongText,
    },
    /// Escalate to the street office.
    Escalate {
        /// The issue.
        id: IssueId,
        /// Why.
        reason: LongText,
    },
}

/// Events of an issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
#[allow(clippy::large_enum_variant)] // short-lived values; a box would only add noise
pub enum IssueEvent {
    /// Reported. Stored as the id beside the report's fields; read back by
    /// [`reported_fields`] rather than through `flatten`.
    ///
    /// The report is boxed: every value of the enum is as large as its largest variant, and
    /// a decoded event is moved several times on its way out of serde. With the report
    /// inline that was 312 bytes for every event of an issue, a third of the time spent
    /// decoding issue events in a rebuild.
    #[serde(deserialize_with = "reported_fields")]
    IssueReported {
        /// Id.
        id: IssueId,
        /// The report.
        #[serde(flatten)]
        report: Box<Report>,
    },
    /// Assigned.
    IssueAssigned {
        /// To whom.
        assignee: Name,
        /// Due by.
        due_by: Date,
    },
    /// Site surveyed.
    SiteSurveyed {
        /// With whom.
        surveyed_with: Name,
        /// Findings.
        findings: LongText,
        /// When.
        surveyed_on: Date,
    },
    /// Solution proposed.
    SolutionProposed {
        /// The solution.
        solution: LongText,
    },
    /// Residents consented.
    ResidentConsentRecorded {
        /// How.
        summary: LongText,
    },
    /// Resolved.
    IssueResolved {
        /// What was done.
        action: LongText,
        /// Countable items.
        items: Option<Count>,
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        resolved_at: OffsetDateTime,
    },
    /// Feedback given.
    ResidentFeedbackRecorded {
        /// 1..=5.
        satisfaction: u8,
        /// Words.
        comment: LongText,
    },
    /// Closed.
    IssueClosed {},
    /// Reopened.
    IssueReopened {
        /// Why.
        reason: LongText,
    },
    /// Escalated.
    IssueEscalated {
        /// Why.
        reason: LongText,
    },
}

impl EventCodec for IssueEvent {}

/// The issue events that carry no time of their own (see [`Issue::happened`]).
const UNDATED: [&str; 7] = [
    "IssueAssigned",
    "SolutionProposed",
    "ResidentConsentRecorded",
    "ResidentFeedbackRecorded",
    "IssueClosed",
    "IssueReopened",
    "IssueEscalated",
];

/// `IssueReported`'s data as stored: the id beside the report's fields, with the report's
/// serde attributes. A flattened field makes serde buffer every field of the map as a
/// generic value and decode the report from that buffer: a third of the `issues`
/// projector's decoding went to it. Fields the event does not know are ignored, as they
/// were through `flatten`; a test holds the two readings to each other.
#[derive(Deserialize)]
struct StoredReport {
    id: IssueId,
    community: CommunityId,
    compound: Option<CompoundId>,
    grid: Option<GridId>,
    category: Name,
    title: Name,
    description: LongText,
    location: Name,
    channel: Channel,
    reporter: Name,
    #[serde(with = "time::serde::rfc3339")]
    reported_at: OffsetDateTime,
    #[serde(default)]
    contact: Option<Contact>,
}

/// Reads `IssueReported`'s fields (see [`StoredReport`]).
fn reported_fields<'de, D: serde::Deserializer<'de>>(
    stored: D,
) -> Result<(IssueId, Box<Report>), D::Error> {
    let r = StoredReport::deserialize(stored)?;
    Ok((
        r.id,
        Box::new(Report {
            community: r.community,
            compound: r.compound,
            grid: r.grid,
            category: r.category,
            title: r.title,
            description: r.description,
            location: r.location,
            channel: r.channel,
            reporter: r.reporter,
            reported_at: r.reported_at,
            contact: r.contact,
        }),
    ))
}

/// The one field of a stored report that says when it happened, read with the serde
/// functions of the event's own field; the other fields are skipped, not decoded.
#[derive(Deserialize)]
struct ReportedAt {
    #[serde(with = "time::serde::rfc3339")]
    reported_at: OffsetDateTime,
}

/// The resolution's moment (see [`ReportedAt`]).
#[derive(Deserialize)]
struct ResolvedAt {
    #[serde(with = "time::serde::rfc3339")]
    resolved_at: OffsetDateTime,
}

/// The survey's day (see [`ReportedAt`]).
#[derive(Deserialize)]
struct SurveyedOn {
    surveyed_on: Date,
}

/// What an issue's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IssueState {
    /// Status.
    pub status: IssueStatus,
    /// Community (once reported).
    pub community: Option<CommunityId>,
    /// When it was reported.
    pub reported_at: Option<OffsetDateTime>,
    /// Whether a solution is on the table.
    pub solution_proposed: bool,
    /// Whether residents consented to it.
    pub consent_recorded: bool,
    /// Whether it went to the street office.
    pub escalated: bool,
}

/// The rules an issue command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    /// Reporting an id twice.
    #[error("the issue was already reported")]
    IssueAlreadyReported,
    /// Acting on an issue never reported.
    #[error("no such issue was reported")]
    IssueNotReported,
    /// Working on a closed issue.
    #[error("the issue is closed")]
    IssueAlreadyClosed,
    /// Surveying, proposing or resolving before anyone took it.
    #[error("the issue is not assigned yet")]
    IssueNotAssigned,
    /// Assigning or working on a resolved issue.
    #[error("the issue is already resolved")]
    IssueAlreadyResolved,
    /// A due date before the report.
    #[error("the due date is before the issue was reported")]
    DueBeforeReport,
    /// Consent without a proposed solution.
    #[error("no solution has been proposed for residents to consent to")]
    NoSolutionProposed,
    /// A resolution dated before the report.
    #[error("the issue cannot be resolved before it was reported")]
    ResolvedBeforeReport,
    /// Feedback while the issue is not resolved.
    #[error("feedback can only be recorded on a resolved issue")]
    FeedbackBeforeResolution,
    /// Satisfaction outside 1..=5.
    #[error("satisfaction must be from 1 to 5, not {0}")]
    SatisfactionOutOfRange(u8),
    /// Closing what is not resolved.
    #[error("only a resolved issue can be closed")]
    IssueNotResolved,
    /// Reopening an issue that is still open.
    #[error("the issue is still open")]
    IssueStillOpen,
    /// Escalating twice.
    #[error("the issue was already escalated to the street office")]
    IssueAlreadyEscalated,
}

/// The issue aggregate.
#[derive(Debug)]
pub struct Issue;

impl Aggregate for Issue {
    type State = IssueState;
    type Command = IssueCommand;
    type Event = IssueEvent;
    type Error = IssueError;
    const PREFIX: &'static str = "issue";

    fn target(command: &IssueCommand) -> &str {
        use IssueCommand::*;
        match command {
            Report { id, .. }
            | Assign { id, .. }
            | SurveySite { id, .. }
            | ProposeSolution { id, .. }
            | RecordConsent { id, .. }
            | Resolve { id, .. }
            | RecordFeedback { id, .. }
            | Close { id }
            | Reopen { id, .. }
            | Escalate { id, .. } => id.as_str(),
        }
    }

    fn creates(command: &IssueCommand) -> bool {
        matches!(command, IssueCommand::Report { .. })
    }

    fn community(command: &IssueCommand, state: &IssueState) -> Option<CommunityId> {
        match command {
            IssueCommand::Report { report, .. } => state
                .community
                .clone()
                .or_else(|| Some(report.community.clone())),
            _ => state.community.clone(),
        }
    }

    fn decide(command: &IssueCommand, state: &IssueState) -> Result<Vec<IssueEvent>, IssueError> {
        use IssueCommand as C;
        use IssueError as E;
        use IssueEvent as V;
        use IssueStatus as S;
        let status = state.status;
        match command {
            C::Report { id, report } => match status {
                S::Unreported => Ok(vec![V::IssueReported {
                    id: id.clone(),
                    report: Box::new(report.clone()),
                }]),
                _ => Err(E::IssueAlreadyReported),
            },
            _ if status == S::Unreported => Err(E::IssueNotReported),
            C::Reopen { reason, .. } => match status {
                S::Resolved | S::Closed => Ok(vec![V::IssueReopened {
                    reason: reason.clone(),
                }]),
                _ => Err(E::IssueStillOpen),
            },
            C::RecordFeedback {
                satisfaction,
                comment,
                ..
            } => {
                if status != S::Resolved {
                    return Err(if status == S::Closed {
                        E::IssueAlreadyClosed
                    } else {
                        E::FeedbackBeforeResolution
                    });
                }
                if !(1..=5).contains(satisfaction) {
                    return Err(E::SatisfactionOutOfRange(*satisfaction));
                }
                Ok(vec![V::ResidentFeedbackRecorded {
                    satisfaction: *satisfaction,
                    comment: comment.clone(),
                }])
            }
            C::Close { .. } => match status {
                S::Resolved => Ok(vec![V::IssueClosed {}]),
                S::Closed => Err(E::IssueAlreadyClosed),
                _ => Err(E::IssueNotResolved),
            },
            _ if status == S::Closed => Err(E::IssueAlreadyClosed),
            C::Escalate { reason, .. } => {
                if state.escalated {
                    return Err(E::IssueAlreadyEscalated);
                }
                Ok(vec![V::IssueEscalated {
                    reason: reason.clone(),
                }])
            }
            _ if status == S::Resolved => Err(E::IssueAlreadyResolved),
            C::Assign {
                assignee, due_by, ..
            } => {
                if state.reported_at.is_some_and(|at| *due_by < at.date()) {
                    return Err(E::DueBeforeReport);
                }
                Ok(vec![V::IssueAssigned {
                    assignee: assignee.clone(),
                    due_by: *due_by,
                }])
            }
            _ if status != S::Assigned => Err(E::IssueNotAssigned),
            C::SurveySite {
                surveyed_with,
                findings,
                surveyed_on,
                ..
            } => Ok(vec![V::SiteSurveyed {
                surveyed_with: surveyed_with.clone(),
                findings: findings.clone(),
                surveyed_on: *surveyed_on,
            }]),
            C::ProposeSolution { solution, .. } => Ok(vec![V::SolutionProposed {
                solution: solution.clone(),
            }]),
            C::RecordConsent { summary, .. } => {
                if !state.solution_proposed {
                    return Err(E::NoSolutionProposed);
                }
                Ok(vec![V::ResidentConsentRecorded {
                    summary: summary.clone(),
                }])
            }
            C::Resolve {
                action,
                items,
                resolved_at,
                ..
            } => {
                if state.reported_at.is_some_and(|at| *resolved_at < at) {
                    return Err(E::ResolvedBeforeReport);
                }
                Ok(vec![V::IssueResolved {
                    action: action.clone(),
                    items: *items,
                    resolved_at: *resolved_at,
                }])
            }
        }
    }

    fn happened(event: &IssueEvent) -> Option<Happened> {
        match event {
            IssueEvent::IssueReported { report, .. } => Some(Happened::At(report.reported_at)),
            IssueEvent::SiteSurveyed { surveyed_on, .. } => Some(Happened::On(*surveyed_on)),
            IssueEvent::IssueResolved { resolved_at, .. } => Some(Happened::At(*resolved_at)),
            _ => None,
        }
    }

    /// Issues are most of the log, and a report's flattened payload is the costliest to
    /// decode: the time is read from its one field, through the same serde functions as the
    /// event's, and the types that carry none are not decoded at all. A test holds this to
    /// [`Issue::happened`] for every type.
    fn happened_stored(
        event_type: &str,
        version: i32,
        payload: &str,
    ) -> Result<Option<Happened>, UpcastError> {
        if !IssueEvent::current_shape(event_type, version) {
            // An older shape (there is none yet): the decoder upcasts it or names the error.
            return Ok(Self::happened(&IssueEvent::decode_text(
                event_type, version, payload,
            )?));
        }
        let read = |happened: Result<Happened, serde_json::Error>| {
            happened.map(Some).map_err(|e| UpcastError::BadPayload {
                event_type: event_type.to_owned(),
                reason: e.to_string(),
            })
        };
        match event_type {
            "IssueReported" => read(
                serde_json::from_str::<ReportedAt>(payload).map(|f| Happened::At(f.reported_at)),
            ),
            "IssueResolved" => read(
                serde_json::from_str::<ResolvedAt>(payload).map(|f| Happened::At(f.resolved_at)),
            ),
            "SiteSurveyed" => read(
                serde_json::from_str::<SurveyedOn>(payload).map(|f| Happened::On(f.surveyed_on)),
            ),
            undated if UNDATED.contains(&undated) => Ok(None),
            // Not an issue's type: the decoder names the error.
            _ => Ok(Self::happened(&IssueEvent::decode_text(
                event_type, version, payload,
            )?)),
        }
    }

    fn evolve(mut state: IssueState, event: &IssueEvent) -> IssueState {
        use IssueEvent as V;
        match event {
            V::IssueReported { report, .. } => {
                state.status = IssueStatus::Reported;
                state.community = Some(report.community.clone());
                state.reported_at = Some(report.reported_at);
            }
            V::IssueAssigned { .. } => state.status = IssueStatus::Assigned,
            V::SiteSurveyed { .. } | V::ResidentFeedbackRecorded { .. } => {}
            V::SolutionProposed { .. } => {
                state.solution_proposed = true;
                state.consent_recorded = false;
            }
            V::ResidentConsentRecorded { .. } => state.consent_recorded = true,
            V::IssueResolved { .. } => state.status = IssueStatus::Resolved,
            V::IssueClosed {} => state.status = IssueStatus::Closed,
            V::IssueReopened { .. } => state.status = IssueStatus::Reported,
            V::IssueEscalated { .. } => state.escalated = true,
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::{date, datetime};

    fn id() -> IssueId {
        IssueId::parse("gate-blind-spot").unwrap()
    }
    fn text(s: &str) -> LongText {
        LongText::parse("text", s).unwrap()
    }
    fn name(s: &str) -> Name {
        Name::parse("name", s).unwrap()
    }
    fn report() -> IssueCommand {
        IssueCommand::Report {
            id: id(),
            report: Report {
                community: CommunityId::parse("guangsha").unwrap(),
                compound: Some(CompoundId::parse("longhe-huafu").unwrap()),
                grid: None,
                category: name("安全隐患"),
                title: name("小区大门口视线盲区"),
                description: text("龙和华府小区大门口存在视线盲区,居民出行存在安全隐患"),
                location: name("龙和华府小区大门口"),
                channel: Channel::Patrol,
                reporter: name("网格员"),
                reported_at: datetime!(2023-07-03 09:00 +8),
                contact: None,
            },
        }
    }
    fn assign() -> IssueCommand {
        IssueCommand::Assign {
            id: id(),
            assignee: name("社区"),
            due_by: date!(2023 - 07 - 20),
        }
    }
    fn resolve() -> IssueCommand {
        IssueCommand::Resolve {
            id: id(),
            action: text("在视线盲区位置设置4个隔离墩"),
            items: Some(Count::parse("items", 4, 1000).unwrap()),
            resolved_at: datetime!(2023-07-15 16:00 +8),
        }
    }

    fn close() -> IssueCommand {
        IssueCommand::Close { id: id() }
    }

    /// One event of every type, the listing checked by the compiler: a type added to
    /// `IssueEvent` fails this match until it is listed here.
    fn one_of_each() -> Vec<IssueEvent> {
        let IssueCommand::Report { report, .. } = report() else {
            unreachable!()
        };
        let events = vec![
            IssueEvent::IssueReported {
                id: id(),
                report: Box::new(report),
            },
            IssueEvent::IssueAssigned {
                assignee: name("社区"),
                due_by: date!(2023 - 07 - 20),
            },
            IssueEvent::SiteSurveyed {
                surveyed_with: name("物业"),
                findings: text("路灯损坏"),
                surveyed_on: date!(2023 - 07 - 05),
            },
            IssueEvent::SolutionProposed {
                solution: text("设置隔离墩"),
            },
            IssueEvent::ResidentConsentRecorded {
                summary: text("居民同意"),
            },
            IssueEvent::IssueResolved {
                action: text("在视线盲区位置设置4个隔离墩"),
                items: None,
                resolved_at: datetime!(2023-07-15 16:00 +8),
            },
            IssueEvent::ResidentFeedbackRecorded {
                satisfaction: 5,
                comment: text("满意"),
            },
            IssueEvent::IssueClosed {},
            IssueEvent::IssueReopened {
                reason: text("又出现了"),
            },
            IssueEvent::IssueEscalated {
                reason: text("需要街道协调"),
            },
        ];
        for event in &events {
            match event {
                IssueEvent::IssueReported { .. }
                | IssueEvent::IssueAssigned { .. }
                | IssueEvent::SiteSurveyed { .. }
                | IssueEvent::SolutionProposed { .. }
                | IssueEvent::ResidentConsentRecorded { .. }
                | IssueEvent::IssueResolved { .. }
                | IssueEvent::ResidentFeedbackRecorded { .. }
                | IssueEvent::IssueClosed {}
                | IssueEvent::IssueReopened { .. }
                | IssueEvent::IssueEscalated { .. } => {}
            }
        }
        events
    }

    #[test]
    fn the_time_read_from_a_stored_issue_event_is_the_decoded_events_for_every_type() {
        let events = one_of_each();
        let mut types: Vec<String> = Vec::new();
        for event in &events {
            let (event_type, payload) = event.encode();
            assert_eq!(
                Issue::happened_stored(&event_type, event.schema_version(), &payload.to_string()),
                Ok(Issue::happened(event)),
                "{event_type}"
            );
            types.push(event_type);
        }
        types.sort();
        types.dedup();
        assert_eq!(types.len(), events.len(), "one event of each type");
        assert_eq!(
            Issue::happened_stored("IssueMislaid", 1, "{}"),
            Err(UpcastError::UnknownType("IssueMislaid".into()))
        );
        assert!(matches!(
            Issue::happened_stored("IssueResolved", 1, r#"{"resolved_at": 5}"#),
            Err(UpcastError::BadPayload { .. })
        ));
        assert!(matches!(
            Issue::happened_stored("IssueReported", 2, "{}"),
            Err(UpcastError::UnknownVersion { .. })
        ));
    }

    #[test]
    fn every_event_decodes_from_its_stored_text_as_from_its_value() {
        for event in one_of_each() {
            let (event_type, payload) = event.encode();
            let version = event.schema_version();
            // Compact and spaced (PostgreSQL renders `jsonb` with spaces after `:` and `,`).
            for text in [
                payload.to_string(),
                serde_json::to_string_pretty(&payload).unwrap(),
            ] {
                assert_eq!(
                    IssueEvent::decode_text(&event_type, version, &text),
                    Ok(event.clone()),
                    "{event_type}"
                );
            }
        }
        assert_eq!(
            IssueEvent::decode_text("IssueMislaid", 1, "{}"),
            Err(UpcastError::UnknownType("IssueMislaid".into()))
        );
        assert!(matches!(
            IssueEvent::decode_text("IssueClosed", 1, "{} {}"),
            Err(UpcastError::BadPayload { .. })
        ));
        assert!(matches!(
            IssueEvent::decode_text("IssueResolved", 1, r#"{"action": 5}"#),
            Err(UpcastError::BadPayload { .. })
        ));
        assert!(matches!(
            IssueEvent::decode_text("IssueClosed", 2, "{}"),
            Err(UpcastError::UnknownVersion { .. })
        ));
    }

    /// `IssueReported` as serde's `flatten` reads it, which [`StoredReport`] replaces.
    #[derive(Debug, Deserialize)]
    struct Flattened {
        id: IssueId,
        #[serde(flatten)]
        report: Report,
    }

    #[test]
    fn a_stored_report_reads_as_through_flatten() {
        let base = r#""id": "i1", "community": "guangsha", "category": "安全隐患",
            "title": "盲区", "description": "大门口\n视线受阻", "location": "大门口",
            "channel": "patrol", "reporter": "网格员",
            "reported_at": "2023-07-03T09:30:00.25+08:00""#;
        let contact = r#""contact": {"person": "p1", "name": "sealed:v1:AAAA", "phone": null}"#;
        for fields in [
            base.to_owned(),
            format!(r#"{base}, "compound": null, "grid": "g1""#),
            format!(r#"{base}, "compound": "k1", {contact}"#),
            format!(r#"{base}, "contact": null, "unknown": [1, {{"x": 2}}]"#),
            format!(r#""extra": true, {base}"#),
        ] {
            let text = format!("{{{fields}}}");
            let flattened: Flattened = serde_json::from_str(&text).expect(&text);
            assert_eq!(
                IssueEvent::decode_text("IssueReported", 1, &text),
                Ok(IssueEvent::IssueReported {
                    id: flattened.id,
                    report: Box::new(flattened.report),
                }),
                "{text}"
            );
        }
        // What `flatten` refused is refused.
        for text in [
            r#"{"id": "i1"}"#.to_owned(),
            format!(
                "{{{}}}",
                base.replace(r#""title": "盲区""#, r#""title": 7"#)
            ),
            format!("{{{}}}", base.replace("+08:00", "")),
            format!("{{{base}, {}}}", contact.replace(r#""person": "p1", "#, "")),
        ] {
            assert!(serde_json::from_str::<Flattened>(&text).is_err(), "{text}");
            assert!(
                matches!(
                    IssueEvent::decode_text("IssueReported", 1, &text),
                    Err(UpcastError::BadPayload { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn resolving_before_assignment_is_rejected() {
        given::<Issue>([report()])
            .when(resolve())
            .then_rejected(IssueError::IssueNotAssigned);
    }

    #[test]
    fn closing_twice_is_rejected() {
        given::<Issue>([report(), assign(), resolve(), close()])
            .when(close())
            .then_rejected(IssueError::IssueAlreadyClosed);
    }

    #[test]
    fn closing_an_unresolved_issue_is_rejected() {
        given::<Issue>([report(), assign()])
            .when(close())
            .then_rejected(IssueError::IssueNotResolved);
    }

    #[test]
    fn reopening_an_open_issue_is_rejected() {
        given::<Issue>([report(), assign()])
            .when(IssueCommand::Reopen {
                id: id(),
                reason: text("又出现了"),
            })
            .then_rejected(IssueError::IssueStillOpen);
    }

    #[test]
    fn reopening_a_closed_issue_puts_it_back_to_reported() {
        let state = given::<Issue>([report(), assign(), resolve(), close()])
            .when(IssueCommand::Reopen {
                id: id(),
                reason: text("隔离墩被移走"),
            })
            .then_events(|events| {
                assert!(matches!(events, [IssueEvent::IssueReopened { .. }]));
            });
        assert_eq!(state.status, IssueStatus::Reported);
    }

    #[test]
    fn feedback_before_resolution_is_rejected() {
        given::<Issue>([report(), assign()])
            .when(IssueCommand::RecordFeedback {
                id: id(),
                satisfaction: 5,
                comment: text("点赞"),
            })
            .then_rejected(IssueError::FeedbackBeforeResolution);
    }

    #[test]
    fn satisfaction_outside_one_to_five_is_rejected() {
        given::<Issue>([report(), assign(), resolve()])
            .when(IssueCommand::RecordFeedback {
                id: id(),
                satisfaction: 6,
                comment: text("好"),
            })
            .then_rejected(IssueError::SatisfactionOutOfRange(6));
    }

    #[test]
    fn consent_without_a_proposed_solution_is_rejected() {
        given::<Issue>([report(), assign()])
            .when(IssueCommand::RecordConsent {
                id: id(),
                summary: text("居民同意"),
            })
            .then_rejected(IssueError::NoSolutionProposed);
    }

    #[test]
    fn reporting_twice_is_rejected() {
        given::<Issue>([report()])
            .when(report())
            .then_rejected(IssueError::IssueAlreadyReported);
    }

    #[test]
    fn acting_on_an_unreported_issue_is_rejected() {
        given::<Issue>([])
            .when(assign())
            .then_rejected(IssueError::IssueNotReported);
    }

    #[test]
    fn a_due_date_before_the_report_is_rejected() {
        given::<Issue>([report()])
            .when(IssueCommand::Assign {
                id: id(),
                assignee: name("社区"),
                due_by: date!(2023 - 07 - 01),
            })
            .then_rejected(IssueError::DueBeforeReport);
    }

    #[test]
    fn escalating_twice_is_rejected() {
        let escalate = IssueCommand::Escalate {
            id: id(),
            reason: text("需要街道协调"),
        };
        given::<Issue>([report(), escalate.clone()])
            .when(escalate)
            .then_rejected(IssueError::IssueAlreadyEscalated);
    }

    #[test]
    fn working_on_a_closed_issue_is_rejected() {
        given::<Issue>([report(), assign(), resolve(), close()])
            .when(assign())
            .then_rejected(IssueError::IssueAlreadyClosed);
    }

    #[test]
    fn assigning_a_resolved_issue_is_rejected() {
        given::<Issue>([report(), assign(), resolve()])
            .when(assign())
            .then_rejected(IssueError::IssueAlreadyResolved);
    }

    #[test]
    fn the_story_of_the_gate_blind_spot_ends_with_four_bollards() {
        given::<Issue>([
            report(),
            assign(),
            IssueCommand::SurveySite {
                id: id(),
                surveyed_with: name("物业"),
                findings: text("大门口视线盲区"),
                surveyed_on: date!(2023 - 07 - 05),
            },
            IssueCommand::ProposeSolution {
                id: id(),
                solution: text("设置隔离墩"),
            },
            IssueCommand::RecordConsent {
                id: id(),
                summary: text("征得小区居民同意"),
            },
        ])
        .when(resolve())
        .then_events(|events| {
            assert!(
                matches!(events, [IssueEvent::IssueResolved { items: Some(c), .. }] if c.get() == 4)
            );
        });
    }

    #[test]
    fn an_event_round_trips_through_its_stored_form() {
        let event = Issue::decide(&report(), &IssueState::default())
            .unwrap()
            .remove(0);
        let (t, payload) = event.encode();
        assert_eq!(t, "IssueReported");
        assert_eq!(payload["title"], "小区大门口视线盲区");
        assert_eq!(IssueEvent::decode(&t, 1, &payload).unwrap(), event);
    }
}
