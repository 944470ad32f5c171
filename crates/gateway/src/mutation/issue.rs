//! Issue mutations: the whole lifecycle.

use async_graphql::{Context, InputObject, Object, Result};
use civic_domain::issue::{Contact, Issue, IssueCommand, Report};
use time::Date;
use uuid::Uuid;

use crate::enums::IssueChannel;
use crate::scalars::DateTime;
use civic_domain::values::{
    CommunityId, CompoundId, Count, GridId, IssueId, PersonId, Sealed, Text,
};

use super::parse::{name, text};
use super::result::{run, run_prepared, MutationResult};
use crate::error::{error, invalid, Code};
use civic_commands::CommandError;

/// A new issue.
#[derive(Debug, Clone, InputObject)]
pub struct ReportIssueInput {
    /// Idempotency key (UUID); a retry with the same key returns the first result.
    pub command_id: Option<Uuid>,
    /// Issue id (a-z, 0-9, '-', '_').
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Compound.
    pub compound_id: Option<String>,
    /// Grid.
    pub grid_id: Option<String>,
    /// Category.
    pub category: String,
    /// Title (at most 200 characters).
    pub title: String,
    /// Description (at most 2,000 characters).
    pub description: String,
    /// Location.
    pub location: String,
    /// Channel.
    pub channel: IssueChannel,
    /// Reporter (a role or display name).
    pub reporter: String,
    /// When it was found (RFC 3339).
    pub reported_at: DateTime,
    /// How to reach the reporter, if they left a contact (stored only encrypted under a
    /// key of the person's own, which `erasePerson` destroys).
    pub reporter_contact: Option<ContactInput>,
}

/// A reporter's contact: personal data.
#[derive(Debug, Clone, InputObject)]
pub struct ContactInput {
    /// A stable id for the person (the same person, the same id).
    pub person_id: String,
    /// Name (at most 50 characters).
    pub name: String,
    /// Phone (digits, spaces, '+' and '-'; at most 20 characters).
    pub phone: Option<String>,
}

/// A reporter's contact, checked but not yet sealed: sealing creates the person's key, which
/// must wait until the command is authorized.
struct PlainContact {
    person: PersonId,
    name: String,
    phone: Option<String>,
}

fn check_contact(input: ContactInput) -> Result<PlainContact> {
    let person = PersonId::parse(&input.person_id).map_err(invalid)?;
    let name = Text::<50>::parse("reporterContact.name", &input.name).map_err(invalid)?;
    if let Some(phone) = &input.phone {
        let ok = !phone.is_empty()
            && phone.len() <= 20
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-".contains(c));
        if !ok {
            return Err(error(
                Code::Validation,
                "reporterContact.phone must be 1 to 20 of digits, spaces, '+' and '-'",
            ));
        }
    }
    Ok(PlainContact {
        person,
        name: name.as_str().to_owned(),
        phone: input.phone,
    })
}

/// Seals a checked contact under the person's key (created on first use).
async fn seal_contact(
    sealer: &civic_store::PersonalData,
    plain: PlainContact,
) -> std::result::Result<Contact, CommandError> {
    let seal = async |text: &str| -> std::result::Result<Sealed, CommandError> {
        let sealed = sealer.seal(plain.person.as_str(), text).await?;
        // Our own ciphertext not parsing as `Sealed` is a fault here, not the caller's.
        Sealed::parse("sealed", &sealed)
            .map_err(|e| CommandError::Store(civic_store::StoreError::InvalidAppend(e.to_string())))
    };
    let name = seal(&plain.name).await?;
    let phone = match &plain.phone {
        Some(phone) => Some(seal(phone).await?),
        None => None,
    };
    Ok(Contact {
        person: plain.person.clone(),
        name,
        phone,
    })
}

fn issue_id(id: &str) -> Result<IssueId> {
    IssueId::parse(id).map_err(invalid)
}

/// The input of `assignIssue`: assign an issue with a due date (YYYY-MM-DD).
#[derive(Debug, Clone, InputObject)]
pub struct AssignIssueInput {
    /// The id.
    pub id: String,
    /// Assignee.
    pub assignee: String,
    /// Due by.
    pub due_by: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `surveySite`: record a site survey.
#[derive(Debug, Clone, InputObject)]
pub struct SurveySiteInput {
    /// The id.
    pub id: String,
    /// Surveyed with.
    pub surveyed_with: String,
    /// Findings.
    pub findings: String,
    /// Surveyed on.
    pub surveyed_on: Date,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `proposeSolution`: propose a solution.
#[derive(Debug, Clone, InputObject)]
pub struct ProposeSolutionInput {
    /// The id.
    pub id: String,
    /// Solution.
    pub solution: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recordConsent`: record residents' consent to the proposed solution.
#[derive(Debug, Clone, InputObject)]
pub struct RecordConsentInput {
    /// The id.
    pub id: String,
    /// Summary.
    pub summary: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `resolveIssue`: resolve an issue.
#[derive(Debug, Clone, InputObject)]
pub struct ResolveIssueInput {
    /// The id.
    pub id: String,
    /// Action.
    pub action: String,
    /// Items.
    pub items: Option<i64>,
    /// Resolved at.
    pub resolved_at: DateTime,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `recordFeedback`: record residents' feedback (satisfaction 1 to 5).
#[derive(Debug, Clone, InputObject)]
pub struct RecordFeedbackInput {
    /// The id.
    pub id: String,
    /// Satisfaction.
    pub satisfaction: i32,
    /// Comment.
    pub comment: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `closeIssue`: close a resolved issue.
#[derive(Debug, Clone, InputObject)]
pub struct CloseIssueInput {
    /// The id.
    pub id: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `reopenIssue`: reopen a resolved or closed issue.
#[derive(Debug, Clone, InputObject)]
pub struct ReopenIssueInput {
    /// The id.
    pub id: String,
    /// Reason.
    pub reason: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// The input of `escalateIssue`: escalate an issue to the street office.
#[derive(Debug, Clone, InputObject)]
pub struct EscalateIssueInput {
    /// The id.
    pub id: String,
    /// Reason.
    pub reason: String,
    /// Idempotency key: a retry with the same key returns the first result and writes nothing.
    pub command_id: Option<Uuid>,
}

/// Issue mutations.
#[derive(Debug, Default)]
pub struct IssueMutation;

#[Object]
impl IssueMutation {
    /// Report an issue.
    async fn report_issue(
        &self,
        ctx: &Context<'_>,
        input: ReportIssueInput,
    ) -> Result<MutationResult> {
        let report = Report {
            community: CommunityId::parse(&input.community_id).map_err(invalid)?,
            compound: input
                .compound_id
                .as_deref()
                .map(CompoundId::parse)
                .transpose()
                .map_err(invalid)?,
            grid: input
                .grid_id
                .as_deref()
                .map(GridId::parse)
                .transpose()
                .map_err(invalid)?,
            category: name("category", &input.category)?,
            title: name("title", &input.title)?,
            description: text("description", &input.description)?,
            location: name("location", &input.location)?,
            channel: input.channel.into(),
            reporter: name("reporter", &input.reporter)?,
            reported_at: input.reported_at.0,
            // Sealed only once the command is authorized, below.
            contact: None,
        };
        let command = IssueCommand::Report {
            id: issue_id(&input.id)?,
            report,
        };
        let Some(contact) = input.reporter_contact.map(check_contact).transpose()? else {
            // Nothing to seal, so nothing is written before the append, which may then skip
            // reading a stream it expects to be new.
            return run::<Issue>(ctx, input.command_id, command).await;
        };
        let sealer = civic_store::PersonalData::new(crate::query::services(ctx).pool.clone());
        run_prepared::<Issue, _>(ctx, input.command_id, command, async move |mut command| {
            if let IssueCommand::Report { report, .. } = &mut command {
                report.contact = Some(seal_contact(&sealer, contact).await?);
            }
            Ok(command)
        })
        .await
    }

    /// Assign an issue with a due date (YYYY-MM-DD).
    async fn assign_issue(
        &self,
        ctx: &Context<'_>,
        input: AssignIssueInput,
    ) -> Result<MutationResult> {
        let command = IssueCommand::Assign {
            id: issue_id(&input.id)?,
            assignee: name("assignee", &input.assignee)?,
            due_by: input.due_by,
        };
        run::<Issue>(ctx, input.command_id, command).await
    }

    /// Record a site survey.
    async fn survey_site(
        &self,
        ctx: &Context<'_>,
        input: SurveySiteInput,
    ) -> Result<MutationResult> {
        let command = IssueCommand::SurveySite {
            id: issue_id(&input.id)?,
            surveyed_with: name("surveyedWith", &input.surveyed_with)?,
            findings: text("findings", &input.findings)?,
            surveyed_on: input.surveyed_on,
        };
        run::<Issue>(ctx, input.command_id, command).await
    }

    /// Propose a solution.
    async fn propose_solution(
        &self,
        ctx: &Context<'_>,
        input: ProposeSolutionInput,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::ProposeSolution {
                id: issue_id(&input.id)?,
                solution: text("solution", &input.solution)?,
            },
        )
        .await
    }

    /// Record residents' consent to the proposed solution.
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        input: RecordConsentInput,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::RecordConsent {
                id: issue_id(&input.id)?,
                summary: text("summary", &input.summary)?,
            },
        )
        .await
    }

    /// Resolve an issue.
    async fn resolve_issue(
        &self,
        ctx: &Context<'_>,
        input: ResolveIssueInput,
    ) -> Result<MutationResult> {
        let command = IssueCommand::Resolve {
            id: issue_id(&input.id)?,
            action: text("action", &input.action)?,
            items: input
                .items
                .map(|n| Count::parse("items", n, 100_000))
                .transpose()
                .map_err(invalid)?,
            resolved_at: input.resolved_at.0,
        };
        run::<Issue>(ctx, input.command_id, command).await
    }

    /// Record residents' feedback (satisfaction 1 to 5).
    async fn record_feedback(
        &self,
        ctx: &Context<'_>,
        input: RecordFeedbackInput,
    ) -> Result<MutationResult> {
        let satisfaction = u8::try_from(input.satisfaction)
            .map_err(|_| error(Code::Validation, "satisfaction must be from 1 to 5"))?;
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::RecordFeedback {
                id: issue_id(&input.id)?,
                satisfaction,
                comment: text("comment", &input.comment)?,
            },
        )
        .await
    }

    /// Close a resolved issue.
    async fn close_issue(
        &self,
        ctx: &Context<'_>,
        input: CloseIssueInput,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::Close {
                id: issue_id(&input.id)?,
            },
        )
        .await
    }

    /// Reopen a resolved or closed issue.
    async fn reopen_issue(
        &self,
        ctx: &Context<'_>,
        input: ReopenIssueInput,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::Reopen {
                id: issue_id(&input.id)?,
                reason: text("reason", &input.reason)?,
            },
        )
        .await
    }

    /// Erase a person's personal data everywhere by destroying their key (street office
    /// only). The log and its hash chain are unchanged; the erasure itself is recorded.
    async fn erase_person(&self, ctx: &Context<'_>, person_id: String) -> Result<MutationResult> {
        let actor = crate::query::actor(ctx)?;
        if actor.role != civic_commands::Role::StreetAdmin {
            return Err(error(
                Code::Forbidden,
                "only the street office may erase personal data",
            ));
        }
        let person = PersonId::parse(&person_id).map_err(invalid)?;
        let services = crate::query::services(ctx);
        let correlation_id = ctx
            .data::<crate::schema::RequestContext>()
            .map(|r| r.correlation_id)
            .unwrap_or_else(|_| uuid::Uuid::now_v7());
        let result = civic_commands::erase_person(
            services.handler.store(),
            actor,
            person.as_str(),
            correlation_id,
        )
        .await
        .map_err(crate::error::from_command)?;
        Ok(MutationResult {
            stream_id: format!("person-{person}"),
            position: result.last_position,
            stream_version: result.stream_version,
            duplicate: false,
        })
    }

    /// Escalate an issue to the street office.
    async fn escalate_issue(
        &self,
        ctx: &Context<'_>,
        input: EscalateIssueInput,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            input.command_id,
            IssueCommand::Escalate {
                id: issue_id(&input.id)?,
                reason: text("reason", &input.reason)?,
            },
        )
        .await
    }
}
