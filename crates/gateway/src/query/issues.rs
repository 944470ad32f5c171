//! The issue board: filters and Relay-style cursor pagination.

use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use civic_commands::Role;
use sqlx::{Postgres, QueryBuilder};

use super::helpers::{actor, fresh, loader, services, visible};
use crate::error::{error, from_sql, internal, Code};
use crate::loaders::TimelineOf;

/// A reported issue (事件).
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
#[graphql(complex)]
pub struct Issue {
    /// Id.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// Compound, if any.
    pub compound_id: Option<String>,
    /// Grid, if known.
    pub grid_id: Option<String>,
    /// Category, e.g. 安全隐患.
    pub category: String,
    /// Title.
    pub title: String,
    /// What was found.
    pub description: String,
    /// Where.
    pub location: String,
    /// `patrol`, `resident`, `chat_group` or `hotline`.
    pub channel: String,
    /// Who reported it.
    pub reporter: String,
    /// `reported`, `assigned`, `resolved` or `closed`.
    pub status: String,
    /// Who it is assigned to.
    pub assignee: Option<String>,
    /// Due by (YYYY-MM-DD).
    pub due_by: Option<String>,
    /// Escalated to the street office.
    pub escalated: bool,
    /// Countable items placed or repaired (e.g. 4 bollards).
    pub items: Option<i32>,
    /// What was done.
    pub resolution: Option<String>,
    /// Residents' satisfaction, 1 to 5.
    pub satisfaction: Option<i16>,
    /// Reported at (RFC 3339).
    pub reported_at: String,
    /// Resolved at.
    pub resolved_at: Option<String>,
    /// Closed at.
    pub closed_at: Option<String>,
    /// Open and past its due date.
    pub overdue: bool,
    #[graphql(skip)]
    pub contact_person: Option<String>,
    #[graphql(skip)]
    pub contact_name_sealed: Option<String>,
    #[graphql(skip)]
    pub contact_phone_sealed: Option<String>,
}

/// A reporter's contact, opened with the person's key.
#[derive(Debug, Clone, SimpleObject)]
pub struct ReporterContact {
    /// The person.
    pub person_id: String,
    /// Name; null once erased.
    pub name: Option<String>,
    /// Phone; null once erased (or never given).
    pub phone: Option<String>,
    /// True when the person's data was erased.
    pub erased: bool,
}

/// One step of an issue's history.
#[derive(Debug, Clone, SimpleObject, sqlx::FromRow)]
pub struct TimelineEntry {
    /// Log position.
    pub position: i64,
    /// Event type, e.g. `IssueResolved`.
    pub event_type: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// Who did it.
    pub actor_id: String,
    /// What happened.
    pub summary: String,
}

pub(crate) static ISSUE_COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "issue_id AS id, community_id, compound_id, grid_id, category, title, description, location, \
        channel, reporter, status, assignee, due_by::text, escalated, items, resolution, satisfaction, \
        to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS reported_at, \
        to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS resolved_at, \
        to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS closed_at, \
        coalesce({} AND due_by < current_date, false) AS overdue, \
        contact_person, contact_name_sealed, contact_phone_sealed",
        civic_projections::queries::open_issue()
    )
});

#[ComplexObject]
impl Issue {
    /// How to reach the reporter: for the street office and the community's staff only.
    async fn reporter_contact(&self, ctx: &Context<'_>) -> Result<Option<ReporterContact>> {
        let actor = actor(ctx)?;
        if !matches!(actor.role, Role::StreetAdmin | Role::CommunityStaff) {
            return Err(error(
                Code::Forbidden,
                "personal data is for the street office and community staff",
            ));
        }
        let (Some(person), Some(name)) = (&self.contact_person, &self.contact_name_sealed) else {
            return Ok(None);
        };
        let keys = civic_store::PersonalData::new(services(ctx).pool.clone());
        let name = keys.open(person, name).await.map_err(|e| internal(&e))?;
        let phone = match &self.contact_phone_sealed {
            Some(sealed) => keys.open(person, sealed).await.map_err(|e| internal(&e))?,
            None => None,
        };
        Ok(Some(ReporterContact {
            person_id: person.clone(),
            erased: name.is_none(),
            name,
            phone,
        }))
    }

    /// Every step, in order.
    async fn timeline(&self, ctx: &Context<'_>) -> Result<Vec<TimelineEntry>> {
        Ok(loader(ctx)
            .load_one(TimelineOf(self.id.clone()))
            .await
            .map_err(|e| internal(&e))?
            .unwrap_or_default())
    }
}

/// Filters of the issue board; every one left out matches all.
#[derive(Debug, Clone, Default, InputObject)]
pub struct IssueFilter {
    /// Only this community; staff and grid workers see only their own communities either way.
    pub community_id: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Compound.
    pub compound_id: Option<String>,
    /// Grid.
    pub grid_id: Option<String>,
    /// Reported at or after (RFC 3339).
    pub reported_from: Option<String>,
    /// Reported before (RFC 3339).
    pub reported_to: Option<String>,
}

/// An edge of the board.
#[derive(Debug, Clone, SimpleObject)]
pub struct IssueEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The issue.
    pub node: Issue,
}

/// Paging state.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// Whether more follow.
    pub has_next_page: bool,
    /// Cursor of the last edge.
    pub end_cursor: Option<String>,
}

/// A page of the board, newest first.
#[derive(Debug, Clone, SimpleObject)]
pub struct IssueConnection {
    /// The page.
    pub edges: Vec<IssueEdge>,
    /// Paging.
    pub page_info: PageInfo,
}

fn cursor_of(issue: &Issue) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", issue.reported_at, issue.id))
}

fn parse_cursor(cursor: &str) -> Result<(String, String)> {
    let bad = || error(Code::Validation, "invalid cursor");
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
    let (at, id) = text.split_once('|').ok_or_else(bad)?;
    Ok((at.to_owned(), id.to_owned()))
}

/// The issue `id` if the request's actor may read it: the read rule of every path that
/// returns one (its query, a mutation's result, an idempotent retry's result).
pub(crate) async fn readable(ctx: &Context<'_>, id: &str) -> Result<Option<Issue>> {
    let actor = actor(ctx)?;
    let found: Option<Issue> = sqlx::query_as(&format!(
        "SELECT {} FROM read.issues WHERE issue_id = $1",
        *ISSUE_COLUMNS
    ))
    .bind(id)
    .fetch_optional(&services(ctx).pool)
    .await
    .map_err(from_sql)?;
    Ok(found.filter(|found| visible(actor, &found.community_id).is_ok()))
}

/// Issue queries.
#[derive(Default)]
pub struct IssueQuery;

#[Object]
impl IssueQuery {
    /// One issue with its timeline.
    async fn issue(
        &self,
        ctx: &Context<'_>,
        id: String,
        at_least_position: Option<i64>,
    ) -> Result<Issue> {
        actor(ctx)?;
        fresh(ctx, at_least_position, &["issues"]).await?;
        readable(ctx, &id)
            .await?
            .ok_or_else(|| error(Code::NotFound, format!("no issue {id}")))
    }

    /// The issue board, newest first, `first` at a time (at most the page-size limit).
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn issues(
        &self,
        ctx: &Context<'_>,
        filter: Option<IssueFilter>,
        first: Option<i64>,
        after: Option<String>,
        at_least_position: Option<i64>,
    ) -> Result<IssueConnection> {
        let actor = actor(ctx)?;
        let services = services(ctx);
        let first = first.unwrap_or(20);
        if !(1..=services.limits.max_page_size).contains(&first) {
            return Err(error(
                Code::Validation,
                format!("first must be from 1 to {}", services.limits.max_page_size),
            ));
        }
        fresh(ctx, at_least_position, &["issues"]).await?;
        let filter = filter.unwrap_or_default();
        if let Some(c) = &filter.community_id {
            visible(actor, c)?;
        }
        let scope: Option<Vec<String>> = match actor.role {
            Role::StreetAdmin | Role::Auditor => None,
            _ => Some(
                actor
                    .communities
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect(),
            ),
        };
        let after = after.as_deref().map(parse_cursor).transpose()?;
        let timestamp = |s: &Option<String>| -> Result<Option<time::OffsetDateTime>> {
            s.as_deref()
                .map(|t| {
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                })
                .transpose()
                .map_err(|e| error(Code::Validation, format!("invalid date-time: {e}")))
        };
        let (from, to) = (
            timestamp(&filter.reported_from)?,
            timestamp(&filter.reported_to)?,
        );
        let after_at = after
            .as_ref()
            .map(|(at, _)| at.clone())
            .map(Some)
            .map(|s| timestamp(&s))
            .transpose()?
            .flatten();
        let board = Board {
            filter,
            scope,
            from,
            to,
            after: after_at.zip(after.map(|(_, id)| id)),
            limit: first + 1,
        };
        let rows: Vec<Issue> = board
            .query()
            .build_query_as()
            .fetch_all(&services.pool)
            .await
            .map_err(from_sql)?;
        let has_next_page = rows.len() as i64 > first;
        let edges: Vec<IssueEdge> = rows
            .into_iter()
            .take(first as usize)
            .map(|node| IssueEdge {
                cursor: cursor_of(&node),
                node,
            })
            .collect();
        let end_cursor = edges.last().map(|e| e.cursor.clone());
        Ok(IssueConnection {
            edges,
            page_info: PageInfo {
                has_next_page,
                end_cursor,
            },
        })
    }
}

/// One page of the issue board: the filters (their times parsed), the actor's communities
/// when limited to some, the cursor and the page size.
#[derive(Debug, Default)]
struct Board {
    filter: IssueFilter,
    scope: Option<Vec<String>>,
    from: Option<time::OffsetDateTime>,
    to: Option<time::OffsetDateTime>,
    after: Option<(time::OffsetDateTime, String)>,
    limit: i64,
}

impl Board {
    /// The statement holds only the predicates in use, so each combination is prepared once
    /// with a plan of its own shape (an index scan on the community for the usual page),
    /// rather than one catch-all statement whose cached plan fits none of them.
    fn query(self) -> QueryBuilder<'static, Postgres> {
        fn equal(q: &mut QueryBuilder<'static, Postgres>, column: &str, value: Option<String>) {
            if let Some(value) = value {
                q.push(format_args!(" AND {column} = ")).push_bind(value);
            }
        }
        let mut q = QueryBuilder::new(format!(
            "SELECT {} FROM read.issues WHERE true",
            *ISSUE_COLUMNS
        ));
        let filter = self.filter;
        equal(&mut q, "community_id", filter.community_id);
        if let Some(scope) = self.scope {
            q.push(" AND community_id = ANY(")
                .push_bind(scope)
                .push(")");
        }
        equal(&mut q, "status", filter.status);
        equal(&mut q, "category", filter.category);
        equal(&mut q, "compound_id", filter.compound_id);
        equal(&mut q, "grid_id", filter.grid_id);
        if let Some(from) = self.from {
            q.push(" AND reported_at >= ").push_bind(from);
        }
        if let Some(to) = self.to {
            q.push(" AND reported_at < ").push_bind(to);
        }
        if let Some((at, id)) = self.after {
            q.push(" AND (date_trunc('second', reported_at), issue_id) < (")
                .push_bind(at)
                .push(", ")
                .push_bind(id)
                .push(")");
        }
        q.push(" ORDER BY date_trunc('second', reported_at) DESC, issue_id DESC LIMIT ")
            .push_bind(self.limit);
        q
    }
}

/// The statement the board runs for one community's first page (`$1` the community, `$2` the
/// row limit), for comparisons that must run exactly the same SQL.
pub fn community_board_sql() -> String {
    Board {
        filter: IssueFilter {
            community_id: Some(String::new()),
            ..IssueFilter::default()
        },
        ..Board::default()
    }
    .query()
    .into_sql()
}

#[cfg(test)]
mod board_tests {
    use super::*;

    #[test]
    fn the_statement_holds_only_the_filters_in_use() {
        let sql = community_board_sql();
        assert!(sql.ends_with(
            "WHERE true AND community_id = $1 ORDER BY date_trunc('second', reported_at) DESC, issue_id DESC LIMIT $2"
        ), "{sql}");
        let every = Board {
            filter: IssueFilter {
                community_id: Some("c".into()),
                status: Some("reported".into()),
                category: Some("x".into()),
                compound_id: Some("y".into()),
                grid_id: Some("z".into()),
                ..IssueFilter::default()
            },
            scope: Some(vec!["c".into()]),
            from: Some(time::OffsetDateTime::UNIX_EPOCH),
            to: Some(time::OffsetDateTime::UNIX_EPOCH),
            after: Some((time::OffsetDateTime::UNIX_EPOCH, "i".into())),
            limit: 21,
        }
        .query()
        .into_sql();
        assert!(
            every.contains("community_id = ANY($2)") && every.contains("< ($9, $10)"),
            "{every}"
        );
        assert!(every.ends_with("LIMIT $11"), "{every}");
    }
}
