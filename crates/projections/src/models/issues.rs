//! The issue board and its figures (each issue's timeline is read from its stream: `crate::timeline`).
//!
//! A batch loads the rows of the issues it touches in one query, applies its events to them
//! in memory, and writes each touched row back in one statement: a rebuild costs a few
//! statements per page, not per event.

use std::sync::LazyLock;

use foldhash::HashMap;

use civic_domain::issue::{IssueEvent, IssueStatus};
use civic_domain::EventCodec;
use civic_store::ProjectedEvent;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};

use super::issue_figures::{Counted, Figures};
use super::{enum_name, stream_of};
use crate::error::ProjectionError;
use crate::projector::{decode, Projector, Replay, Shard};

/// Builds `issues` and the issue figures.
#[derive(Debug)]
pub struct IssueProjector;

/// One row of `issues`.
#[derive(Debug, Clone, sqlx::FromRow)]
struct IssueRow {
    issue_id: String,
    community_id: String,
    compound_id: Option<String>,
    grid_id: Option<String>,
    category: String,
    title: String,
    description: String,
    location: String,
    channel: String,
    reporter: String,
    status: String,
    assignee: Option<String>,
    due_by: Option<Date>,
    escalated: bool,
    items: Option<i32>,
    resolution: Option<String>,
    satisfaction: Option<i16>,
    reported_at: OffsetDateTime,
    resolved_at: Option<OffsetDateTime>,
    closed_at: Option<OffsetDateTime>,
    position: i64,
    // PostgreSQL keeps the instant of a `timestamptz`, not the offset it was given in; the
    // offset is kept beside it so readers get the time back as it was written.
    reported_offset: i32,
    resolved_offset: Option<i32>,
    contact_person: Option<String>,
    contact_name_sealed: Option<String>,
    contact_phone_sealed: Option<String>,
}

const COLUMNS: &str = "issue_id, community_id, compound_id, grid_id, category, title, description, location, channel, \
    reporter, status, assignee, due_by, escalated, items, resolution, satisfaction, reported_at, resolved_at, closed_at, \
    position, contact_person, contact_name_sealed, contact_phone_sealed, reported_offset, resolved_offset";

impl Projector for IssueProjector {
    fn name(&self) -> &'static str {
        "issues"
    }
    fn version(&self) -> i32 {
        5
    }
    fn tables(&self) -> &'static [&'static str] {
        &[
            "issues",
            "issue_counts",
            "issue_weeks",
            "resolution_histogram",
            "resolution_totals",
            "open_due_dates",
        ]
    }
    fn kinds(&self) -> Option<&'static [&'static str]> {
        Some(&["issue"])
    }
    fn apply<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        event: &'a ProjectedEvent,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        self.apply_batch(conn, s, std::slice::from_ref(event))
    }
    fn apply_batch<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [ProjectedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let mut figures = Figures::default();
            apply_rows(conn, s, events, Shard::ALL, &mut figures).await?;
            figures.write(conn, s).await?;
            Ok(())
        })
    }
    fn replay(&self, shard: Shard) -> Option<Box<dyn Replay>> {
        Some(Box::new(IssueReplay {
            shard,
            figures: Figures::default(),
        }))
    }
    /// Its rows are each one issue's and its figures are sums: two workers replay it, so that
    /// one decodes its next page while PostgreSQL writes the other's (its decoding and its
    /// writes, one after the other, had paced a rebuild).
    fn shards(&self) -> u32 {
        2
    }
}

/// A replay of the issues: the rows page by page, the figures (sums of each row's changes)
/// added up in memory and written once, after the last page. Written per page, they cost
/// ten statements a page, each planned for its arguments: about a tenth of a rebuild.
struct IssueReplay {
    /// The issues this replay applies (see [`IssueProjector::shards`]).
    shard: Shard,
    figures: Figures,
}

impl Replay for IssueReplay {
    fn page<'a>(
        &'a mut self,
        conn: &'a mut PgConnection,
        s: &'a str,
        events: &'a [ProjectedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(apply_rows(conn, s, events, self.shard, &mut self.figures))
    }

    fn finish<'a>(
        &'a mut self,
        conn: &'a mut PgConnection,
        s: &'a str,
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            std::mem::take(&mut self.figures).write(conn, s).await?;
            Ok(())
        })
    }
}

/// Applies the events of `shard`'s issues among `events` to the rows of `issues` in schema
/// `s` and adds the changes they make to the figures to `figures`.
async fn apply_rows(
    conn: &mut PgConnection,
    s: &str,
    events: &[ProjectedEvent],
    shard: Shard,
    figures: &mut Figures,
) -> Result<(), ProjectionError> {
    let mine: Vec<(&str, &ProjectedEvent)> = events
        .iter()
        .filter_map(|e| stream_of(e, "issue").map(|id| (id, e)))
        .filter(|(_, e)| shard.takes(&e.stream_id))
        .collect();
    if mine.is_empty() {
        return Ok(());
    }
    // An issue whose first event is in the batch has no row yet: only the others
    // are looked up (in a rebuild, nearly every issue begins in its page).
    let mut ids: Vec<&str> = mine.iter().map(|(id, _)| *id).collect();
    let born: foldhash::HashSet<&str> = mine
        .iter()
        .filter(|(_, e)| e.begins_stream())
        .map(|(id, _)| *id)
        .collect();
    ids.retain(|id| !born.contains(id));
    ids.sort_unstable();
    ids.dedup();
    let existing: Vec<IssueRow> = if ids.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {s}.issues WHERE issue_id = ANY($1)"
        ))
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?
    };
    let before: HashMap<String, Counted> = existing
        .iter()
        .map(|r| (r.issue_id.clone(), counted(r)))
        .collect();
    // Sized for every issue of the page at once: a row is some 500 bytes, and growing the
    // map (and the two vectors below) by doubling moved each page's rows again and again, a
    // sixtieth of civic's instructions in a rebuild.
    let mut rows: HashMap<String, IssueRow> =
        HashMap::with_capacity_and_hasher(mine.len(), Default::default());
    rows.extend(existing.into_iter().map(|r| (r.issue_id.clone(), r)));
    for (id, event) in mine {
        let decoded = if position_only(event) {
            None
        } else {
            Some(decode::<IssueEvent>(event)?)
        };
        apply(&mut rows, id, event, decoded, figures)?;
    }
    for row in rows.values() {
        figures.changed(before.get(&row.issue_id), &counted(row));
    }
    // New rows are plain inserts; only rows that were there are upserted, which
    // costs PostgreSQL a speculative insertion per row.
    let mut known = Vec::with_capacity(before.len());
    let mut new = Vec::with_capacity(rows.len() - before.len());
    for row in rows.into_values() {
        if before.contains_key(&row.issue_id) {
            known.push(row);
        } else {
            new.push(row);
        }
    }
    write_rows(conn, s, new, false).await?;
    write_rows(conn, s, known, true).await?;
    Ok(())
}

/// What a row counts for in its community's figures.
fn counted(row: &IssueRow) -> Counted {
    Counted {
        community: row.community_id.clone(),
        status: row.status.clone(),
        category: row.category.clone(),
        resolution_seconds: row
            .resolved_at
            .map(|at| (at - row.reported_at).whole_seconds().max(0)),
        open_due: row.due_by.filter(|_| {
            crate::queries::stored::<IssueStatus>(&row.status).is_ok_and(IssueStatus::is_open)
        }),
    }
}

/// How `status` is stored: its `enum_name`, rendered once per status rather than by serde
/// for every event that sets one.
fn status_name(status: IssueStatus) -> String {
    static NAMES: LazyLock<Vec<(IssueStatus, String)>> = LazyLock::new(|| {
        IssueStatus::ALL
            .iter()
            .map(|s| (*s, enum_name(s)))
            .collect()
    });
    NAMES
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| enum_name(&status))
}

/// The issue event types that change nothing of an issue's row but its position: what a
/// survey found, the solution proposed and the residents' consent are the timeline's to
/// show, not the board's. About a third of an issue's events in a full story; a rebuild
/// does not decode them.
const POSITION_ONLY: [&str; 3] = [
    "SiteSurveyed",
    "SolutionProposed",
    "ResidentConsentRecorded",
];

/// Whether `event` is of a [`POSITION_ONLY`] type in its current shape (an older shape is
/// decoded, so that its upcast decides what it is).
fn position_only(event: &ProjectedEvent) -> bool {
    POSITION_ONLY.contains(&&*event.event_type)
        && IssueEvent::current_shape(&event.event_type, event.schema_version)
}

/// Applies one event to the in-memory rows (and its week's counts): `decoded`, or nothing
/// but its position for an event of a [`POSITION_ONLY`] type, which is not decoded.
fn apply(
    rows: &mut HashMap<String, IssueRow>,
    id: &str,
    event: &ProjectedEvent,
    decoded: Option<IssueEvent>,
    figures: &mut Figures,
) -> Result<(), ProjectionError> {
    // A report's text is moved into its row: a rebuild reads one report per issue, and
    // copying its eight strings was a measurable part of applying it.
    let decoded = match decoded {
        Some(IssueEvent::IssueReported { report: r, .. }) => {
            figures.reported(r.community.as_str(), r.reported_at);
            let (contact_person, contact_name_sealed, contact_phone_sealed) = match r.contact {
                Some(c) => (
                    Some(c.person.into_string()),
                    Some(c.name.into_string()),
                    c.phone.map(|p| p.into_string()),
                ),
                None => (None, None, None),
            };
            rows.insert(
                id.to_owned(),
                IssueRow {
                    issue_id: id.to_owned(),
                    community_id: r.community.into_string(),
                    compound_id: r.compound.map(|c| c.into_string()),
                    grid_id: r.grid.map(|g| g.into_string()),
                    category: r.category.into_string(),
                    title: r.title.into_string(),
                    description: r.description.into_string(),
                    location: r.location.into_string(),
                    channel: enum_name(&r.channel),
                    reporter: r.reporter.into_string(),
                    status: status_name(IssueStatus::Reported),
                    assignee: None,
                    due_by: None,
                    escalated: false,
                    items: None,
                    resolution: None,
                    satisfaction: None,
                    reported_at: r.reported_at,
                    resolved_at: None,
                    closed_at: None,
                    position: event.position,
                    reported_offset: r.reported_at.offset().whole_seconds(),
                    resolved_offset: None,
                    // Personal data stays sealed here; it is opened (or shown as erased)
                    // when read.
                    contact_person,
                    contact_name_sealed,
                    contact_phone_sealed,
                },
            );
            return Ok(());
        }
        other => other,
    };
    let row = rows.get_mut(id).ok_or_else(|| ProjectionError::Handler {
        projector: "issues".into(),
        position: event.position,
        message: format!(
            "{} for issue {id}, which was never reported",
            event.event_type
        ),
    })?;
    row.position = event.position;
    let Some(decoded) = decoded else {
        return Ok(());
    };
    match decoded {
        IssueEvent::IssueReported { .. }
        | IssueEvent::SiteSurveyed { .. }
        | IssueEvent::SolutionProposed { .. }
        | IssueEvent::ResidentConsentRecorded { .. } => {}
        IssueEvent::IssueAssigned { assignee, due_by } => {
            row.status = status_name(IssueStatus::Assigned);
            row.assignee = Some(assignee.into_string());
            row.due_by = Some(due_by);
        }
        IssueEvent::IssueResolved {
            action,
            items,
            resolved_at,
        } => {
            row.status = status_name(IssueStatus::Resolved);
            row.resolution = Some(action.into_string());
            row.items = items.map(|c| c.get() as i32);
            row.resolved_at = Some(resolved_at);
            row.resolved_offset = Some(resolved_at.offset().whole_seconds());
            figures.resolved(&row.community_id, resolved_at);
        }
        IssueEvent::ResidentFeedbackRecorded { satisfaction, .. } => {
            row.satisfaction = Some(i16::from(satisfaction));
        }
        IssueEvent::IssueClosed {} => {
            // The close time is the event's commit time: it is in the log, so a rebuild agrees.
            row.status = status_name(IssueStatus::Closed);
            row.closed_at = Some(event.recorded_at);
        }
        IssueEvent::IssueReopened { .. } => {
            row.status = status_name(IssueStatus::Reported);
            row.resolved_at = None;
            row.resolved_offset = None;
            row.closed_at = None;
            row.resolution = None;
        }
        IssueEvent::IssueEscalated { .. } => row.escalated = true,
    }
    Ok(())
}

/// New rows at least this many are written with binary `COPY` rather than inserted from
/// arrays: PostgreSQL ingests issue rows about a third faster from `COPY` (10,000 rows:
/// 55-60 ms against 74-95 ms from `UNNEST` in `FROM`), which outweighs its second round
/// trip from a few dozen rows on. A rebuild's pages are nearly all new rows.
const COPY_THRESHOLD: usize = 64;

/// Writes `rows`: inserts them, or with `known` replaces the changing columns of rows that
/// are there.
async fn write_rows(
    conn: &mut PgConnection,
    s: &str,
    rows: Vec<IssueRow>,
    known: bool,
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    if !known && rows.len() >= COPY_THRESHOLD {
        return copy_rows(conn, s, &rows).await;
    }
    let conflict = if known {
        "ON CONFLICT (issue_id) DO UPDATE SET status = EXCLUDED.status, assignee = EXCLUDED.assignee, \
           due_by = EXCLUDED.due_by, escalated = EXCLUDED.escalated, items = EXCLUDED.items, \
           resolution = EXCLUDED.resolution, satisfaction = EXCLUDED.satisfaction, resolved_at = EXCLUDED.resolved_at, \
           resolved_offset = EXCLUDED.resolved_offset, closed_at = EXCLUDED.closed_at, position = EXCLUDED.position"
    } else {
        ""
    };
    // Each column is bound as an array of the rows' values, borrowed rather than copied.
    macro_rules! column {
        ($field:ident) => {
            rows.iter().map(|r| r.$field).collect::<Vec<_>>()
        };
        (text $field:ident) => {
            rows.iter().map(|r| r.$field.as_str()).collect::<Vec<_>>()
        };
        (optional $field:ident) => {
            rows.iter().map(|r| r.$field.as_deref()).collect::<Vec<_>>()
        };
    }
    // The arrays are unnested in the select list, which steps through them together, rather
    // than in `FROM`, where each of the 26 is a function scan gathering its rows first:
    // timed inside the server, the `SELECT` alone took 0.036-0.045 ms against 0.088-0.099 ms
    // for one to eight rows.
    sqlx::query(&format!(
        "INSERT INTO {s}.issues ({COLUMNS}) \
         SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), \
           unnest($5::text[]), unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), \
           unnest($9::text[]), unnest($10::text[]), unnest($11::text[]), unnest($12::text[]), \
           unnest($13::date[]), unnest($14::bool[]), unnest($15::int[]), unnest($16::text[]), \
           unnest($17::int2[]), unnest($18::timestamptz[]), unnest($19::timestamptz[]), \
           unnest($20::timestamptz[]), unnest($21::bigint[]), unnest($22::text[]), unnest($23::text[]), \
           unnest($24::text[]), unnest($25::int[]), unnest($26::int[]) {conflict}"
    ))
    .bind(column!(text issue_id))
    .bind(column!(text community_id))
    .bind(column!(optional compound_id))
    .bind(column!(optional grid_id))
    .bind(column!(text category))
    .bind(column!(text title))
    .bind(column!(text description))
    .bind(column!(text location))
    .bind(column!(text channel))
    .bind(column!(text reporter))
    .bind(column!(text status))
    .bind(column!(optional assignee))
    .bind(column!(due_by))
    .bind(column!(escalated))
    .bind(column!(items))
    .bind(column!(optional resolution))
    .bind(column!(satisfaction))
    .bind(column!(reported_at))
    .bind(column!(resolved_at))
    .bind(column!(closed_at))
    .bind(column!(position))
    .bind(column!(optional contact_person))
    .bind(column!(optional contact_name_sealed))
    .bind(column!(optional contact_phone_sealed))
    .bind(column!(reported_offset))
    .bind(column!(resolved_offset))
    .execute(conn)
    .await?;
    Ok(())
}

/// The number of [`COLUMNS`].
const WIDTH: i16 = 26;

/// Inserts new `rows` with binary `COPY`, the columns in the order of [`COLUMNS`].
async fn copy_rows(conn: &mut PgConnection, s: &str, rows: &[IssueRow]) -> Result<(), sqlx::Error> {
    use civic_store::binary_copy::BinaryRows;
    let mut out = BinaryRows::with_capacity(rows.len() * 512);
    for r in rows {
        out.row(WIDTH);
        out.text(&r.issue_id);
        out.text(&r.community_id);
        out.optional(r.compound_id.as_deref(), BinaryRows::text);
        out.optional(r.grid_id.as_deref(), BinaryRows::text);
        out.text(&r.category);
        out.text(&r.title);
        out.text(&r.description);
        out.text(&r.location);
        out.text(&r.channel);
        out.text(&r.reporter);
        out.text(&r.status);
        out.optional(r.assignee.as_deref(), BinaryRows::text);
        out.optional(r.due_by, BinaryRows::date);
        out.bool(r.escalated);
        out.optional(r.items, BinaryRows::i32);
        out.optional(r.resolution.as_deref(), BinaryRows::text);
        out.optional(r.satisfaction, BinaryRows::i16);
        out.timestamptz(r.reported_at);
        out.optional(r.resolved_at, BinaryRows::timestamptz);
        out.optional(r.closed_at, BinaryRows::timestamptz);
        out.i64(r.position);
        out.optional(r.contact_person.as_deref(), BinaryRows::text);
        out.optional(r.contact_name_sealed.as_deref(), BinaryRows::text);
        out.optional(r.contact_phone_sealed.as_deref(), BinaryRows::text);
        out.i32(r.reported_offset);
        out.optional(r.resolved_offset, BinaryRows::i32);
    }
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY {s}.issues ({COLUMNS}) FROM STDIN (FORMAT binary)"
        ))
        .await?;
    copy.send(out.finish()).await?;
    copy.finish().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_stored_under_the_name_serde_gives_it() {
        for status in IssueStatus::ALL {
            assert_eq!(status_name(status), enum_name(&status));
        }
    }

    #[test]
    fn a_copied_row_has_a_field_for_every_column() {
        assert_eq!(COLUMNS.split(',').count(), WIDTH as usize);
    }

    /// `event` as the log holds it, at `position` of stream `issue-i1`.
    fn stored(event: &IssueEvent, position: i64) -> ProjectedEvent {
        let (event_type, payload) = event.encode();
        ProjectedEvent {
            position,
            stream_id: "issue-i1".into(),
            stream_version: position,
            event_type: event_type.into(),
            schema_version: 1,
            payload: payload.into(),
            recorded_at: time::macros::datetime!(2023-07-05 10:00 +8),
        }
    }

    /// Skipping the decoding of a [`POSITION_ONLY`] type leaves the row exactly as applying
    /// the decoded event does; every other type is decoded.
    #[test]
    fn an_event_applied_undecoded_changes_what_its_decoded_self_changes() {
        use civic_domain::issue::{Channel, Report};
        use civic_domain::values::{CommunityId, IssueId, LongText, Name};
        let name = |s| Name::parse("name", s).unwrap();
        let text = |s| LongText::parse("text", s).unwrap();
        let report = IssueEvent::IssueReported {
            id: IssueId::parse("i1").unwrap(),
            report: Box::new(Report {
                community: CommunityId::parse("guangsha").unwrap(),
                compound: None,
                grid: None,
                category: name("安全隐患"),
                title: name("小区大门口存在视线盲区"),
                description: text("居民出行存在安全隐患"),
                location: name("小区大门口"),
                channel: Channel::Patrol,
                reporter: name("网格员"),
                reported_at: time::macros::datetime!(2023-07-03 09:30 +8),
                contact: None,
            }),
        };
        let later = [
            IssueEvent::SiteSurveyed {
                surveyed_with: name("物业"),
                findings: text("视线受阻"),
                surveyed_on: time::macros::date!(2023 - 07 - 04),
            },
            IssueEvent::SolutionProposed {
                solution: text("设置隔离墩"),
            },
            IssueEvent::ResidentConsentRecorded {
                summary: text("居民同意"),
            },
            IssueEvent::IssueAssigned {
                assignee: name("社区"),
                due_by: time::macros::date!(2023 - 07 - 20),
            },
        ];
        let mut skipped = 0;
        for (n, event) in later.iter().enumerate() {
            let (first, next) = (stored(&report, 1), stored(event, n as i64 + 2));
            let rows_after = |undecoded: bool| {
                let mut rows = HashMap::default();
                let mut figures = Figures::default();
                apply(&mut rows, "i1", &first, Some(report.clone()), &mut figures).unwrap();
                let decoded = (!undecoded).then(|| decode::<IssueEvent>(&next).unwrap());
                apply(&mut rows, "i1", &next, decoded, &mut figures).unwrap();
                format!("{:?}", rows.get("i1"))
            };
            if position_only(&next) {
                skipped += 1;
                assert_eq!(rows_after(true), rows_after(false), "{}", next.event_type);
                assert!(rows_after(true).contains(&format!("position: {}", n + 2)));
            } else {
                assert_ne!(rows_after(true), rows_after(false), "{}", next.event_type);
            }
        }
        assert_eq!(skipped, POSITION_ONLY.len());
    }
}
