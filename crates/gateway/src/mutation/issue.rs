//! Issue mutations: the whole lifecycle.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use civic_domain::issue::{Channel, Contact, Issue, IssueCommand, Report};
use civic_domain::values::{
    CommunityId, CompoundId, Count, GridId, IssueId, PersonId, Sealed, Text,
};

use super::parse::{date, instant, name, text};
use super::result::{run, run_prepared, MutationResult};
use crate::error::{error, invalid, Code};
use civic_commands::CommandError;

/// How an issue reached the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum IssueChannel {
    /// Found on patrol.
    Patrol,
    /// From a resident.
    Resident,
    /// From a chat group.
    ChatGroup,
    /// Through the hotline.
    Hotline,
}

/// A new issue.
#[derive(Debug, Clone, InputObject)]
pub struct ReportIssueInput {
    /// Idempotency key (UUID); a retry with the same key returns the first result.
    pub command_id: Option<String>,
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
    pub reported_at: String,
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

/// Issue mutations.
#[derive(Default)]
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
            channel: match input.channel {
                IssueChannel::Patrol => Channel::Patrol,
                IssueChannel::Resident => Channel::Resident,
                IssueChannel::ChatGroup => Channel::ChatGroup,
                IssueChannel::Hotline => Channel::Hotline,
            },
            reporter: name("reporter", &input.reporter)?,
            reported_at: instant("reportedAt", &input.reported_at)?,
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
        id: String,
        assignee: String,
        due_by: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = IssueCommand::Assign {
            id: issue_id(&id)?,
            assignee: name("assignee", &assignee)?,
            due_by: date("dueBy", &due_by)?,
        };
        run::<Issue>(ctx, command_id, command).await
    }

    /// Record a site survey.
    async fn survey_site(
        &self,
        ctx: &Context<'_>,
        id: String,
        surveyed_with: String,
        findings: String,
        surveyed_on: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = IssueCommand::SurveySite {
            id: issue_id(&id)?,
            surveyed_with: name("surveyedWith", &surveyed_with)?,
            findings: text("findings", &findings)?,
            surveyed_on: date("surveyedOn", &surveyed_on)?,
        };
        run::<Issue>(ctx, command_id, command).await
    }

    /// Propose a solution.
    async fn propose_solution(
        &self,
        ctx: &Context<'_>,
        id: String,
        solution: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            command_id,
            IssueCommand::ProposeSolution {
                id: issue_id(&id)?,
                solution: text("solution", &solution)?,
            },
        )
        .await
    }

    /// Record residents' consent to the proposed solution.
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        id: String,
        summary: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            command_id,
            IssueCommand::RecordConsent {
                id: issue_id(&id)?,
                summary: text("summary", &summary)?,
            },
        )
        .await
    }

    /// Resolve an issue.
    async fn resolve_issue(
        &self,
        ctx: &Context<'_>,
        id: String,
        action: String,
        items: Option<i64>,
        resolved_at: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let command = IssueCommand::Resolve {
            id: issue_id(&id)?,
            action: text("action", &action)?,
            items: items
                .map(|n| Count::parse("items", n, 100_000))
                .transpose()
                .map_err(invalid)?,
            resolved_at: instant("resolvedAt", &resolved_at)?,
        };
        run::<Issue>(ctx, command_id, command).await
    }

    /// Record residents' feedback (satisfaction 1 to 5).
    async fn record_feedback(
        &self,
        ctx: &Context<'_>,
        id: String,
        satisfaction: i32,
        comment: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        let satisfaction = u8::try_from(satisfaction)
            .map_err(|_| error(Code::Validation, "satisfaction must be from 1 to 5"))?;
        run::<Issue>(
            ctx,
            command_id,
            IssueCommand::RecordFeedback {
                id: issue_id(&id)?,
                satisfaction,
                comment: text("comment", &comment)?,
            },
        )
        .await
    }

    /// Close a resolved issue.
    async fn close_issue(
        &self,
        ctx: &Context<'_>,
        id: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Issue>(ctx, command_id, IssueCommand::Close { id: issue_id(&id)? }).await
    }

    /// Reopen a resolved or closed issue.
    async fn reopen_issue(
        &self,
        ctx: &Context<'_>,
        id: String,
        reason: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            command_id,
            IssueCommand::Reopen {
                id: issue_id(&id)?,
                reason: text("reason", &reason)?,
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
        id: String,
        reason: String,
        command_id: Option<String>,
    ) -> Result<MutationResult> {
        run::<Issue>(
            ctx,
            command_id,
            IssueCommand::Escalate {
                id: issue_id(&id)?,
                reason: text("reason", &reason)?,
            },
        )
        .await
    }
}
