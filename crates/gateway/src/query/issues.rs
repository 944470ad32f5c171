//! Issues and the issue board: filters and Relay cursor pagination over the board index.

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{ComplexObject, Context, InputObject, Object, Result, SimpleObject};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use civic_commands::{Actor, Role};
use civic_projections::queries;
use civic_projections::queries::issues::{Board, BoardPosition, Direction};
use time::{Date, OffsetDateTime};

use super::board_fields::board_field;
use super::board_page::{BoardNode, BoardPage};
use super::helpers::{actor, fresh, loader, services, visible};
use civic_domain::actions::IssueAction as DomainAction;
use civic_domain::values::IssueId;

use crate::enums::{IssueAction, IssueChannel, IssueStatus};
use crate::error::{error, from_sql, internal, Code};
use crate::loaders::TimelineOf;
use crate::scalars::DateTime;

/// A reported issue (事件). A page reads only the columns of the fields it selects; the
/// others keep their defaults and are never shown.
#[derive(Debug, Clone, Default, SimpleObject, serde::Deserialize)]
#[graphql(complex)]
#[serde(default)]
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
    /// How it reached the community.
    #[serde(deserialize_with = "super::issue_row::channel")]
    pub channel: IssueChannel,
    /// Who reported it.
    pub reporter: String,
    /// Where it stands.
    #[serde(deserialize_with = "super::issue_row::status")]
    pub status: IssueStatus,
    /// Who it is assigned to.
    pub assignee: Option<String>,
    /// Due by.
    #[serde(deserialize_with = "super::issue_row::date")]
    pub due_by: Option<Date>,
    /// Escalated to the street office.
    pub escalated: bool,
    /// Countable items placed or repaired (e.g. 4 bollards).
    pub items: Option<i32>,
    /// What was done.
    pub resolution: Option<String>,
    /// Residents' satisfaction, 1 to 5.
    pub satisfaction: Option<i16>,
    /// When it was found, with the offset it was reported in.
    #[serde(deserialize_with = "super::issue_row::moment")]
    pub reported_at: DateTime,
    #[graphql(skip)]
    pub reported_offset: i32,
    /// When it was resolved, with the offset it was given in.
    #[serde(deserialize_with = "super::issue_row::optional_moment")]
    pub resolved_at: Option<DateTime>,
    #[graphql(skip)]
    pub resolved_offset: Option<i32>,
    /// Closed at (the commit time of the closing, UTC).
    #[serde(deserialize_with = "super::issue_row::optional_moment")]
    pub closed_at: Option<DateTime>,
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
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct TimelineEntry {
    /// Log position.
    pub position: i64,
    /// Event type, e.g. `IssueResolved`.
    pub event_type: String,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime,
    /// Who did it.
    pub actor_id: String,
    /// What the step recorded, in the words recorded: the report's title, the assignee,
    /// what was found, proposed, agreed or done, the resident's comment, or a reason.
    pub summary: String,
    /// An assignment's due date.
    pub due_by: Option<time::Date>,
    /// The resident's satisfaction with the outcome, 1 to 5.
    pub satisfaction: Option<i32>,
}

impl From<civic_projections::timeline::Step> for TimelineEntry {
    fn from(step: civic_projections::timeline::Step) -> Self {
        TimelineEntry {
            position: step.position,
            event_type: step.event_type,
            recorded_at: DateTime(step.recorded_at),
            actor_id: step.actor_id,
            summary: step.summary,
            due_by: step.due_by,
            satisfaction: step.satisfaction,
        }
    }
}

#[ComplexObject]
impl TimelineEntry {
    /// Who did it, by the name their account shows now (as the street office gave it);
    /// null when the actor has no account (the command line, the people the demo story
    /// names). Whoever may read the issue may read the names of those who acted on it, as
    /// they may read their logins.
    async fn actor_name(&self, ctx: &Context<'_>) -> Option<String> {
        services(ctx).accounts.display_name(&self.actor_id)
    }
}

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

    /// The workflow steps the caller may take now: each one the issue's decider accepts in
    /// its current state and the caller's role and communities allow.
    async fn available_actions(&self, ctx: &Context<'_>) -> Result<Vec<IssueAction>> {
        let actor = actor(ctx)?;
        let id = IssueId::parse(&self.id).map_err(|e| internal(&e))?;
        let loaded = civic_commands::load::<civic_domain::issue::Issue>(
            services(ctx).handler.store(),
            id.as_str(),
        )
        .await
        .map_err(|e| internal(&e))?;
        let candidates = DomainAction::ALL.map(|a| (a.into(), a.probe(&id)));
        Ok(civic_commands::available::<civic_domain::issue::Issue, _>(
            actor,
            &loaded.state,
            candidates,
        ))
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
    pub status: Option<IssueStatus>,
    /// Category.
    pub category: Option<String>,
    /// Compound.
    pub compound_id: Option<String>,
    /// Grid.
    pub grid_id: Option<String>,
    /// Assignee.
    pub assignee: Option<String>,
    /// Reporter, as named in the report (a grid worker's own reports).
    pub reporter: Option<String>,
    /// Reported at or after.
    pub reported_from: Option<DateTime>,
    /// Reported before.
    pub reported_to: Option<DateTime>,
}

/// A page of the board, newest first.
pub type IssueConnection = Connection<BoardCursor, BoardNode>;

/// Where a page of the board starts: the raw ordering columns of an issue (its report time
/// in microseconds and its id), opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCursor(BoardPosition);

impl CursorType for BoardCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> std::result::Result<Self, Self::Error> {
        let bad = "invalid cursor";
        let text = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad)?;
        let text = std::str::from_utf8(&text).map_err(|_| bad)?;
        let (micros, id) = text.split_once(':').ok_or(bad)?;
        let micros: i128 = micros.parse().map_err(|_| bad)?;
        let reported_at =
            OffsetDateTime::from_unix_timestamp_nanos(micros * 1000).map_err(|_| bad)?;
        Ok(BoardCursor(BoardPosition {
            reported_at,
            id: id.to_owned(),
        }))
    }

    fn encode_cursor(&self) -> String {
        self.text()
    }
}

impl BoardCursor {
    /// The cursor's text: base64 of the report time in microseconds and the id.
    pub(crate) fn text(&self) -> String {
        let micros = self.0.reported_at.unix_timestamp_nanos() / 1000;
        URL_SAFE_NO_PAD.encode(format!("{micros}:{}", self.0.id))
    }

    /// The cursor of `issue`.
    pub(crate) fn of(issue: &Issue) -> BoardCursor {
        BoardCursor::at(issue.reported_at.0, issue.id.clone())
    }

    /// The cursor of the issue `id` reported at `reported_at`.
    pub(crate) fn at(reported_at: OffsetDateTime, id: String) -> BoardCursor {
        BoardCursor(BoardPosition { reported_at, id })
    }
}

fn cursor(text: Option<String>) -> Result<Option<BoardPosition>> {
    text.map(|t| {
        BoardCursor::decode_cursor(&t)
            .map(|c| c.0)
            .map_err(|e| error(Code::Validation, e))
    })
    .transpose()
}

/// The read-model fields behind the GraphQL fields a board request selects on its nodes.
fn columns_for_selection(ctx: &Context<'_>) -> queries::issues::Selection {
    let look_ahead = ctx.look_ahead();
    let nodes = [
        look_ahead.field("edges").field("node"),
        look_ahead.field("nodes"),
    ];
    let mut fields = Vec::new();
    for node in &nodes {
        for field in node.selection_fields() {
            for selected in field.selection_set() {
                fields.push(match selected.name() {
                    "reporterContact" => "contact",
                    name => match board_field(name).and_then(|f| f.column) {
                        Some(column) => column,
                        None => continue,
                    },
                });
            }
        }
    }
    queries::issues::selection_for(fields)
}

/// The arguments of a board page.
#[derive(Debug, Default)]
pub(crate) struct PageArgs {
    pub filter: Option<IssueFilter>,
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// A board page to fetch: the statement's parameters and what tells its neighbours.
#[derive(Debug)]
pub(crate) struct PageRequest {
    board: Board,
    size: i32,
    had_cursor: bool,
}

/// A board page as fetched: its rows (issues, unless a reader decodes them its own way),
/// newest first, and whether it has neighbours.
pub(crate) struct FetchedPage<R = Issue> {
    pub rows: Vec<R>,
    pub has_previous: bool,
    pub has_next: bool,
}

impl PageRequest {
    /// Runs the page's statement: its issues, their times at the offsets they were
    /// written in.
    pub async fn fetch(&self, pool: &sqlx::PgPool) -> sqlx::Result<FetchedPage> {
        let text = self.fetch_text(pool).await?;
        let page: FetchedPage<Issue> = self.page(&text)?;
        Ok(FetchedPage {
            rows: page
                .rows
                .into_iter()
                .map(Issue::in_written_offsets)
                .collect(),
            ..page
        })
    }

    /// Runs the page's statement and gives its JSON as PostgreSQL rendered it, for
    /// [`PageRequest::page`].
    pub async fn fetch_text(&self, pool: &sqlx::PgPool) -> sqlx::Result<String> {
        self.board.fetch_text(pool).await
    }

    /// The page in `text` (from [`PageRequest::fetch_text`]), each row decoded as `R`.
    pub fn page<'a, R: serde::Deserialize<'a>>(
        &self,
        text: &'a str,
    ) -> sqlx::Result<FetchedPage<R>> {
        Ok(self.trimmed(self.board.rows(text)?))
    }

    /// Runs the page's statement and gives each row's columns in JSON as PostgreSQL
    /// rendered them (`Board::fetch_columns`), for [`PageRequest::column_page`].
    pub async fn fetch_columns(
        &self,
        pool: &sqlx::PgPool,
    ) -> sqlx::Result<queries::issues::ColumnText> {
        self.board.fetch_columns(pool).await
    }

    /// The names of the columns of [`PageRequest::column_page`]'s rows, in order.
    pub fn column_names(&self) -> &[&'static str] {
        self.board.column_names()
    }

    /// The cells of `text` (from [`PageRequest::fetch_columns`]): each row's columns' JSON,
    /// row after row, newest first (`Board::column_cells`), for
    /// [`PageRequest::column_page`].
    pub fn column_cells<'a>(&self, text: &'a [u8]) -> sqlx::Result<Vec<&'a [u8]>> {
        self.board.column_cells(text)
    }

    /// The page of `cells` (from [`PageRequest::column_cells`]), each row the slice of its
    /// columns' JSON.
    pub fn column_page<'a>(&self, cells: &'a [&'a [u8]]) -> FetchedPage<&'a [&'a [u8]]> {
        let width = self.column_names().len();
        self.trimmed(cells.chunks_exact(width).collect())
    }

    /// The page of the statement's `rows`: without the extra row that tells whether a
    /// page lies beyond, and with its neighbours.
    fn trimmed<R>(&self, mut rows: Vec<R>) -> FetchedPage<R> {
        let (has_previous, has_next) = self.neighbours(rows.len());
        if rows.len() > self.size as usize {
            // The extra row lies past the page's far end, which is its last row forward
            // and its first row backward.
            match self.board.direction {
                Direction::Forward => rows.truncate(self.size as usize),
                Direction::Backward => {
                    rows.remove(0);
                }
            }
        }
        FetchedPage {
            rows,
            has_previous,
            has_next,
        }
    }

    /// Whether the page has a previous and a next page, given that the statement returned
    /// `fetched` rows.
    fn neighbours(&self, fetched: usize) -> (bool, bool) {
        let more = fetched > self.size as usize;
        match self.board.direction {
            Direction::Forward => (self.had_cursor, more),
            Direction::Backward => (more, self.had_cursor),
        }
    }
}

/// The page `args` ask `actor` for, reading `columns`: the read rule (staff and grid
/// workers see only their communities, a community they may not see does not exist) and
/// every check of the arguments, for every path that answers a board page.
pub(crate) fn page_request(
    actor: &Actor,
    max_page_size: i64,
    args: PageArgs,
    columns: queries::issues::Selection,
) -> Result<PageRequest> {
    let (direction, size, from) = match (args.first, args.after, args.last, args.before) {
        (first, after, None, None) => (Direction::Forward, first.unwrap_or(20), after),
        (None, None, Some(last), before) => (Direction::Backward, last, before),
        _ => {
            return Err(error(
                Code::Validation,
                "page with first (and after), or with last (and before)",
            ))
        }
    };
    if !(1..=max_page_size).contains(&i64::from(size)) {
        return Err(error(
            Code::Validation,
            format!("first and last must be from 1 to {max_page_size}"),
        ));
    }
    let cursor = cursor(from)?;
    let filter = args.filter.unwrap_or_default();
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
    let had_cursor = cursor.is_some();
    Ok(PageRequest {
        board: Board {
            community: filter.community_id,
            scope,
            status: filter.status.map(Into::into),
            category: filter.category,
            compound: filter.compound_id,
            grid: filter.grid_id,
            assignee: filter.assignee,
            reporter: filter.reporter,
            from: filter.reported_from.map(|t| t.0),
            to: filter.reported_to.map(|t| t.0),
            cursor,
            direction,
            limit: i64::from(size) + 1,
            columns: Some(columns),
        },
        size,
        had_cursor,
    })
}

impl Issue {
    /// Shows the times at the offsets they were given in (PostgreSQL returns them in UTC).
    pub(crate) fn in_written_offsets(mut self) -> Issue {
        self.reported_at = DateTime::at(self.reported_at.0, self.reported_offset);
        self.resolved_at = self
            .resolved_at
            .map(|at| DateTime::at(at.0, self.resolved_offset.unwrap_or(0)));
        self
    }
}

/// The issue `id` if the request's actor may read it: the read rule of every path that
/// returns one (its query, a mutation's result, an idempotent retry's result).
pub(crate) async fn readable(ctx: &Context<'_>, id: &str) -> Result<Option<Issue>> {
    let actor = actor(ctx)?;
    let found: Option<Issue> = queries::issues::issue(&services(ctx).pool, id)
        .await
        .map_err(from_sql)?;
    Ok(found
        .filter(|found| visible(actor, &found.community_id).is_ok())
        .map(Issue::in_written_offsets))
}

/// Issue queries.
#[derive(Default)]
pub struct IssueQuery;

/// The projectors behind an issue: the board's row (its timeline is read from the log). A
/// query that names a position waits for it.
pub(crate) const ISSUE_PROJECTORS: &[&str] = &["issues"];

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
        fresh(ctx, at_least_position, ISSUE_PROJECTORS).await?;
        readable(ctx, &id)
            .await?
            .ok_or_else(|| error(Code::NotFound, format!("no issue {id}")))
    }

    /// The issue board, newest first: `first` issues after the cursor `after`, or the `last`
    /// issues before the cursor `before` (each at most the page-size limit, 20 if neither is
    /// given).
    #[graphql(complexity = "first.or(last).unwrap_or(20).max(0) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)] // the Relay arguments, plus the filter and the wait
    async fn issues(
        &self,
        ctx: &Context<'_>,
        filter: Option<IssueFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        at_least_position: Option<i64>,
    ) -> Result<BoardPage> {
        let actor = actor(ctx)?;
        let services = services(ctx);
        let args = PageArgs {
            filter,
            first,
            after,
            last,
            before,
        };
        let request = page_request(
            actor,
            services.limits.max_page_size,
            args,
            columns_for_selection(ctx),
        )?;
        fresh(ctx, at_least_position, ISSUE_PROJECTORS).await?;
        let page = request.fetch(&services.pool).await.map_err(from_sql)?;
        let mut connection = IssueConnection::new(page.has_previous, page.has_next);
        connection.edges.extend(
            page.rows
                .into_iter()
                .map(|node| Edge::new(BoardCursor::of(&node), BoardNode(node))),
        );
        Ok(BoardPage(connection))
    }
}
