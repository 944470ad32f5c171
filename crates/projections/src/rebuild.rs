//! Rebuilding a projector without downtime, and replaying into a scratch schema.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use civic_store::{EventStore, LogFilter};
use sqlx::{Acquire, Executor, PgPool};

use crate::checkpoint;
use crate::error::ProjectionError;
use crate::projector::{kinds_in, wants_any, Projector, Shard};
use crate::LIVE_SCHEMA;

/// Events per page while replaying: read together, and handed to each projector together.
/// With the `issues` projector split between two workers, pages of 4,000 rather than 2,000
/// give each worker's statements as many rows as before for half the round trips.
const PAGE: i64 = 4_000;

/// Reads the log after `after` page by page in a task of its own, one page ahead of the
/// consumer, so reading the next page overlaps applying the current one.
///
/// A range of positions alone (a rebuild, a replay of the whole log) is read by one `COPY`
/// (`civic_store::log_copy`); a filter on anything else pages through `SELECT`s.
fn prefetch(
    store: &EventStore,
    after: i64,
    filter: LogFilter,
) -> tokio::sync::mpsc::Receiver<Result<Vec<civic_store::ProjectedEvent>, ProjectionError>> {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let store = store.clone();
    let positions_only = matches!(
        filter,
        LogFilter {
            stream_id: None,
            actor_id: None,
            event_type: None,
            to_position: _,
            recorded_until: None,
            positions: None,
        }
    );
    tokio::spawn(async move {
        let read = if positions_only {
            copy_pages(&store, after, filter.to_position, &tx).await
        } else {
            select_pages(&store, after, &filter, &tx).await
        };
        if let Err(error) = read {
            let _ = tx.send(Err(error)).await;
        }
    });
    rx
}

/// Where [`prefetch`] sends its pages.
type Pages = tokio::sync::mpsc::Sender<Result<Vec<civic_store::ProjectedEvent>, ProjectionError>>;

/// The pages of [`prefetch`] by `COPY`.
async fn copy_pages(
    store: &EventStore,
    after: i64,
    to: Option<i64>,
    pages: &Pages,
) -> Result<(), ProjectionError> {
    let mut conn = store.pool().acquire().await?;
    let mut tx = conn.begin().await?;
    let stopped = {
        let mut log = civic_store::log_copy::LogCopy::start(&mut tx, after, to).await?;
        loop {
            let page = log.next_page(PAGE as usize).await?;
            if page.is_empty() {
                break false;
            }
            if pages.send(Ok(page)).await.is_err() {
                break true;
            }
        }
    };
    if stopped {
        // The replay ended early (a projector failed) and the rest of the `COPY` is still
        // on its way: the connection is closed rather than returned to the pool busy.
        drop(tx);
        let _ = conn.close().await;
    } else {
        tx.commit().await?;
    }
    Ok(())
}

/// The pages of [`prefetch`] by `SELECT`, one statement a page.
async fn select_pages(
    store: &EventStore,
    mut after: i64,
    filter: &LogFilter,
    pages: &Pages,
) -> Result<(), ProjectionError> {
    loop {
        let page = store.read_log_filtered(after, PAGE, filter).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            return Ok(());
        };
        after = last;
        let page = page
            .into_iter()
            .map(civic_store::ProjectedEvent::from)
            .collect();
        if pages.send(Ok(page)).await.is_err() {
            return Ok(());
        }
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildReport {
    /// Events read from the log.
    pub events: u64,
    /// Position the new tables reached (the checkpoint after the swap).
    pub position: i64,
    /// Each projector's time spent applying pages in the bulk phase (they run side by side;
    /// for a projector replayed by several workers, its slowest worker's).
    pub busy: Vec<(&'static str, Duration)>,
    /// How long each phase took, in order: preparing the tables, the bulk phase (reading the
    /// log and applying it, until the last projector's last page is in), settling (what is
    /// left of building the indexes left out and analyzing the tables, once the last page is
    /// in: the quicker projectors settle theirs during the bulk phase), and the swap
    /// (catching up included).
    pub phases: Vec<(&'static str, Duration)>,
}

/// Creates `schema` holding empty copies (columns with their statistics targets,
/// constraints, indexes) of the live tables of `projectors`. An existing schema of that name
/// is dropped first. Returns the statements that make the tables' non-unique indexes, which
/// are left out until the tables are filled, each with the name of its table.
///
/// A `Scratch::Throwaway` schema's tables are `UNLOGGED`: filling them writes no WAL, and a
/// crash that loses them loses nothing, as the schema is dropped once it has been read. A
/// rebuild's tables are logged from the start: making them logged before the swap
/// (`SET LOGGED` rewrites each table into the WAL) cost more than the WAL it saved.
///
/// Only the unique indexes are there while the tables fill: the projectors look rows up and
/// upsert by them. Nothing reads by the others before the replay ends, and PostgreSQL builds
/// an index over a filled table (one sort) for less than it spends keeping it up row by row:
/// 206,080 issue rows inserted in log order took 1.20 s with every index, 0.43 s with the
/// primary key alone and 0.40 s more to build the other three after.
async fn create_scratch(
    pool: &PgPool,
    schema: &str,
    projectors: &[&dyn Projector],
    kind: Scratch,
) -> Result<Vec<Deferred>, ProjectionError> {
    let unlogged = match kind {
        Scratch::Throwaway => "UNLOGGED ",
        Scratch::Kept => "",
    };
    let mut sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};");
    for table in projectors.iter().flat_map(|p| p.tables()) {
        sql.push_str(&format!(
            "CREATE {unlogged}TABLE {schema}.{table} (LIKE {LIVE_SCHEMA}.{table} INCLUDING ALL);"
        ));
    }
    let mut tx = pool.begin().await?;
    // Nothing reads a scratch schema before a swap, whose own commit flushes the WAL up to
    // it; one lost to a crash is dropped by the next rebuild. So its commit need not wait.
    tx.execute("SET LOCAL synchronous_commit = off").await?;
    tx.execute(sql.as_str()).await?;
    // Each index left out, with what makes it again: its definition under the name of the
    // live table's index of the same definition (`LIKE` names the copies afresh, and the
    // swap would otherwise leave `read` with names no migration gave), then the statistics
    // targets that live index sets on its columns (an index expression is sampled at its
    // own target, and neither `LIKE` nor the definition carries it). The live indexes of
    // that definition are found once (`live`, one row whatever it finds), comparing from
    // `USING` on, the part without the names; a definition the live table has twice keeps
    // the copy's name.
    let deferred: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT format('%I.%I', n.nspname, c.relname), t.relname::text, \
                concat_ws(';', \
                  CASE WHEN live.name IS NULL THEN pg_get_indexdef(i.indexrelid) \
                       ELSE format('CREATE INDEX %I ON %I.%I%s', live.name, n.nspname, t.relname, \
                                   substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$')) END, ( \
                  SELECT string_agg(format('ALTER INDEX %I.%I ALTER COLUMN %s SET STATISTICS %s', \
                                           n.nspname, coalesce(live.name, c.relname::text), \
                                           a.attnum, a.attstattarget), ';') \
                  FROM pg_attribute a \
                  WHERE a.attrelid = ANY(live.indexes) AND a.attstattarget >= 0)) \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
         JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL ( \
           SELECT CASE WHEN count(*) = 1 THEN min(lc.relname::text) END AS name, \
                  array_agg(li.indexrelid) AS indexes \
           FROM pg_index li JOIN pg_class lt ON lt.oid = li.indrelid \
           JOIN pg_class lc ON lc.oid = li.indexrelid \
           WHERE lt.relnamespace = $2::regnamespace AND lt.relname = t.relname \
             AND substring(pg_get_indexdef(li.indexrelid) FROM ' USING .*$') \
               = substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$')) live \
         WHERE n.nspname = $1 AND NOT i.indisunique ORDER BY 1",
    )
    .bind(schema)
    .bind(LIVE_SCHEMA)
    .fetch_all(&mut *tx)
    .await?;
    // The indexes dropped and the statistics targets set below go in one simple query.
    let mut alter = String::new();
    for (index, _, _) in &deferred {
        alter.push_str(&format!("DROP INDEX {index};"));
    }
    // `LIKE` copies no column's statistics target: the ones the live tables set (free text
    // that no query filters or sorts by is not sampled) are set here too, so the
    // rebuild's `ANALYZE` gathers what the live tables' would.
    let tables: Vec<&str> = projectors
        .iter()
        .flat_map(|p| p.tables())
        .copied()
        .collect();
    let statistics: Vec<(String, String, i32)> = sqlx::query_as(
        "SELECT c.relname::text, quote_ident(a.attname), a.attstattarget::int FROM pg_attribute a \
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped \
         AND a.attstattarget >= 0",
    )
    .bind(LIVE_SCHEMA)
    .bind(&tables)
    .fetch_all(&mut *tx)
    .await?;
    for (table, column, target) in &statistics {
        alter.push_str(&format!(
            "ALTER TABLE {schema}.{table} ALTER COLUMN {column} SET STATISTICS {target};"
        ));
    }
    if !alter.is_empty() {
        tx.execute(alter.as_str()).await?;
    }
    tx.commit().await?;
    Ok(deferred
        .into_iter()
        .map(|(_, table, create)| Deferred { table, create })
        .collect())
}

/// A non-unique index that [`create_scratch`] left out: its table and the statements that
/// make it (its definition, then its columns' statistics targets, if the live one sets any).
#[derive(Debug)]
struct Deferred {
    table: String,
    create: String,
}

/// What is left to do to a projector's tables once its last page is in: building the
/// indexes [`create_scratch`] left out and, for a rebuild, analyzing the tables.
#[derive(Debug, Clone)]
struct Settle {
    /// Each table (qualified by its schema) and the statements making its deferred indexes.
    tables: Vec<(String, Vec<String>)>,
    /// Whether each table is analyzed after its indexes.
    analyze: bool,
}

impl Settle {
    /// The settling of `projector`'s tables in `schema`, with the statements of their
    /// indexes among `deferred`.
    fn of(projector: &dyn Projector, schema: &str, deferred: &[Deferred], analyze: bool) -> Self {
        let tables = projector
            .tables()
            .iter()
            .map(|table| {
                let creates = deferred
                    .iter()
                    .filter(|d| d.table == *table)
                    .map(|d| d.create.clone())
                    .collect();
                (format!("{schema}.{table}"), creates)
            })
            .collect();
        Settle { tables, analyze }
    }

    /// Runs it: every table side by side, and for each its indexes side by side, each on a
    /// connection of its own, then its `ANALYZE` (which waits for the table's index builds
    /// anyway, and reads the expression indexes' values).
    async fn run(&self, pool: &PgPool) -> Result<(), ProjectionError> {
        futures_util::future::try_join_all(self.tables.iter().map(|(table, creates)| async move {
            futures_util::future::try_join_all(
                creates
                    .iter()
                    .map(|sql| async move { pool.execute(sql.as_str()).await }),
            )
            .await?;
            if self.analyze {
                pool.execute(format!("ANALYZE {table}").as_str()).await?;
            }
            Ok::<_, sqlx::Error>(())
        }))
        .await?;
        Ok(())
    }
}

/// What becomes of a scratch schema.
#[derive(Debug, Clone, Copy)]
enum Scratch {
    /// Read once, then dropped (a replay).
    Throwaway,
    /// Swapped in as the live tables (a rebuild).
    Kept,
}

/// How a rebuild's transactions run (see [`apply_pages`]).
const CATCH_UP_SETTINGS: &str =
    "SET LOCAL synchronous_commit = off; SET LOCAL plan_cache_mode = force_custom_plan";

/// Pages each projector may have waiting before the reader waits for it.
const QUEUE: usize = 4;

/// One projector of [`replay_pages`]: the schema its tables are built in, and what is done
/// to them after its last page.
struct Target {
    projector: Arc<dyn Projector>,
    schema: String,
    settle: Settle,
}

/// Applies the events `filter` lets through, from position 0, to each projector's tables in
/// its schema, then settles them (see [`Settle`]); returns the last position applied.
/// `progress(position)` follows the slowest projector.
///
/// One reader reads the log once; every projector applies each page in a task and on a
/// connection of its own, in one transaction (one per worker for a projector of several
/// workers, see `Projector::shards`). The projectors touch disjoint tables, so PostgreSQL
/// runs their statements side by side and their decoding runs side by side here, instead
/// of each waiting for the others' round trips. A projector settles its tables as soon as
/// its own last page is in, while the slowest is still applying, rather than after every
/// projector's last page.
async fn replay_pages(
    store: &EventStore,
    filter: LogFilter,
    targets: &[Target],
    mut progress: impl FnMut(i64),
) -> Result<Replayed, ProjectionError> {
    let shards: Vec<u32> = targets
        .iter()
        .map(|t| t.projector.shards().max(1))
        .collect();
    let reached: Arc<Vec<AtomicI64>> = Arc::new(
        (0..shards.iter().sum::<u32>())
            .map(|_| AtomicI64::new(0))
            .collect(),
    );
    let mut queues = Vec::with_capacity(reached.len());
    let mut workers = Vec::with_capacity(targets.len());
    for (target, &of) in targets.iter().zip(&shards) {
        let mut applying = Vec::with_capacity(of as usize);
        for index in 0..of {
            let (tx, rx) = tokio::sync::mpsc::channel(QUEUE);
            let slot = queues.len();
            queues.push((tx, target.projector.clone()));
            applying.push(tokio::spawn(apply_pages(
                store.pool().clone(),
                target.projector.clone(),
                Shard::new(index, of),
                target.schema.clone(),
                rx,
                reached.clone(),
                slot,
            )));
        }
        let pool = store.pool().clone();
        let settle = target.settle.clone();
        workers.push(tokio::spawn(async move {
            // Every shard is awaited, so none is still writing when an error ends the replay.
            let mut applied = Vec::with_capacity(applying.len());
            let mut first_error = None;
            for outcome in futures_util::future::join_all(applying).await {
                match joined(outcome) {
                    Ok(shard) => applied.push(shard),
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            if let Some(error) = first_error {
                return Err(error);
            }
            settle.run(&pool).await?;
            // The projector's pace is its slowest worker's.
            Ok(Applied {
                busy: applied.iter().map(|a| a.busy).max().unwrap_or_default(),
                at: applied
                    .iter()
                    .map(|a| a.at)
                    .max()
                    .unwrap_or_else(Instant::now),
            })
        }));
    }
    let slowest = |reached: &[AtomicI64]| {
        reached
            .iter()
            .map(|r| r.load(Ordering::Acquire))
            .min()
            .unwrap_or(0)
    };
    let mut position = 0;
    let mut read_error = None;
    let mut pages = prefetch(store, 0, filter);
    'pages: while let Some(page) = pages.recv().await {
        let page = match page {
            Ok(page) => Arc::new(page),
            Err(error) => {
                read_error = Some(error);
                break;
            }
        };
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        let kinds = kinds_in(&page);
        for (queue, projector) in &queues {
            let wanted = wants_any(projector.as_ref(), &kinds);
            // A closed queue is a projector that failed: its error is collected below.
            if queue.send((page.clone(), wanted)).await.is_err() {
                break 'pages;
            }
        }
        position = last;
        progress(slowest(&reached));
    }
    drop(queues);
    let mut first_error = read_error;
    let mut busy = Vec::with_capacity(targets.len());
    let mut applied_at = None;
    for (worker, target) in workers.into_iter().zip(targets) {
        match joined(worker.await) {
            Ok(applied) => {
                busy.push((target.projector.name(), applied.busy));
                applied_at = applied_at.max(Some(applied.at));
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    progress(position);
    Ok(Replayed {
        position,
        busy,
        applied_at: applied_at.unwrap_or_else(Instant::now),
    })
}

/// A spawned task's outcome, a task that panicked or was cancelled as an error.
fn joined<T>(
    outcome: Result<Result<T, ProjectionError>, tokio::task::JoinError>,
) -> Result<T, ProjectionError> {
    outcome.unwrap_or_else(|e| Err(ProjectionError::Task(e.to_string())))
}

/// The phases of a rebuild timed one after another.
struct Phases {
    since: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn start() -> Self {
        Phases {
            since: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the phase `name` now; the next begins.
    fn end(&mut self, name: &'static str) {
        self.end_at(name, Instant::now());
    }

    /// Ends the phase `name` at `at` (a moment since it began); the next begins there.
    fn end_at(&mut self, name: &'static str, at: Instant) {
        let at = at.max(self.since);
        self.done.push((name, at - self.since));
        self.since = at;
    }
}

/// What [`replay_pages`] did: the last position applied, each projector's time spent
/// applying, and when the last projector's last page was in.
struct Replayed {
    position: i64,
    busy: Vec<(&'static str, Duration)>,
    applied_at: Instant,
}

/// What one projector's [`apply_pages`] did: its time spent applying (not waiting for
/// pages), and when it committed its last page.
struct Applied {
    busy: Duration,
    at: Instant,
}

/// A page of the log as [`replay_pages`] hands it to a projector's worker, with whether the
/// projector reads any of its events ([`wants_any`]).
type Page = (Arc<Vec<civic_store::ProjectedEvent>>, bool);

/// One worker of a projector in [`replay_pages`]: applies `shard`'s events of every page it
/// is sent, and what its replay kept after the last, in one transaction, and records how
/// far it got in `reached[slot]`.
///
/// Nothing reads these tables before the swap, and a failed replay is dropped whole, so a
/// page needs no transaction of its own: one per page had been three more round trips a page
/// (open, settings, commit) for every projector.
async fn apply_pages(
    pool: PgPool,
    projector: Arc<dyn Projector>,
    shard: Shard,
    schema: String,
    mut pages: tokio::sync::mpsc::Receiver<Page>,
    reached: Arc<Vec<AtomicI64>>,
    slot: usize,
) -> Result<Applied, ProjectionError> {
    let mut busy = Duration::ZERO;
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    // The commit need not wait for its WAL flush: the swap's synchronous commit flushes it.
    // Statements are planned for their arguments, as on a live projector's connection: a
    // table that grows during the rebuild is planned as it is now, not as it was when a
    // generic plan was made (the former per-event `event_times` table's update, generically
    // planned, read every row before the page, and a rebuild of 6.5 million events spent
    // most of its time there).
    tx.execute(CATCH_UP_SETTINGS).await?;
    let mut replay = projector.replay(shard);
    if replay.is_none() && shard != Shard::ALL {
        // Each worker would apply every event of the page: a projector's own mistake.
        return Err(ProjectionError::Task(format!(
            "{} has workers of a shard each but no replay of its own to take its shard",
            projector.name()
        )));
    }
    while let Some((page, wanted)) = pages.recv().await {
        let started = Instant::now();
        let Some(last) = page.last().map(|e| e.position) else {
            continue;
        };
        // Nothing of a page outside the projector's kinds changes its tables.
        if wanted {
            match replay.as_deref_mut() {
                Some(replay) => replay.page(&mut tx, &schema, &page).await?,
                None => projector.apply_batch(&mut tx, &schema, &page).await?,
            }
        }
        if let Some(r) = reached.get(slot) {
            r.store(last, Ordering::Release);
        }
        busy += started.elapsed();
    }
    // The queue closes after the last page (or when the reader failed, whose error then
    // ends the whole replay and drops its schema all the same).
    let started = Instant::now();
    if let Some(mut replay) = replay {
        replay.finish(&mut tx, &schema).await?;
    }
    tx.commit().await?;
    busy += started.elapsed();
    Ok(Applied {
        busy,
        at: Instant::now(),
    })
}

/// Builds every projector's tables in a fresh `schema` from the events that `filter` lets
/// through (e.g. those recorded until a moment), never touching the live models. Returns
/// the last position applied; `progress(position)` follows.
pub async fn replay_all(
    store: &EventStore,
    schema: &str,
    filter: &LogFilter,
    progress: impl FnMut(i64),
) -> Result<i64, ProjectionError> {
    let projectors = crate::projector::all_projectors();
    let all: Vec<&dyn Projector> = projectors.iter().map(|p| p.as_ref()).collect();
    let deferred = create_scratch(store.pool(), schema, &all, Scratch::Throwaway).await?;
    let targets: Vec<Target> = projectors
        .iter()
        .map(|p| Target {
            projector: p.clone(),
            schema: schema.to_owned(),
            settle: Settle::of(p.as_ref(), schema, &deferred, false),
        })
        .collect();
    let position = replay_pages(store, filter.clone(), &targets, progress)
        .await?
        .position;
    Ok(position)
}

/// Rebuilds `projectors` from position 0 into fresh tables while the live ones keep
/// serving, reading the log once for all of them, then swaps every table in one
/// transaction. `progress(applied, total)` reports the bulk phase.
pub async fn rebuild(
    store: &EventStore,
    projectors: &[Arc<dyn Projector>],
    progress: impl FnMut(u64, u64),
) -> Result<RebuildReport, ProjectionError> {
    let outcome = rebuild_and_swap(store, projectors, progress).await;
    if outcome.is_err() {
        // Leave the live models as they were: no half-built schema, no "rebuilding" flag.
        for projector in projectors {
            let name = projector.name();
            let _ = store
                .pool()
                .execute(format!("DROP SCHEMA IF EXISTS rebuild_{name} CASCADE").as_str())
                .await;
            let _ = sqlx::query(
                "UPDATE read.checkpoints SET rebuilding_since = NULL WHERE projector = $1",
            )
            .bind(name)
            .execute(store.pool())
            .await;
        }
    }
    outcome
}

/// Creates `projector`'s scratch tables in `rebuild_<name>` and marks its checkpoint as
/// rebuilding.
async fn prepare_rebuild(
    pool: &PgPool,
    projector: &Arc<dyn Projector>,
) -> Result<Target, ProjectionError> {
    let schema = format!("rebuild_{}", projector.name());
    let deferred = create_scratch(pool, &schema, &[projector.as_ref()], Scratch::Kept).await?;
    let mut conn = pool.acquire().await?;
    checkpoint::ensure(&mut conn, projector.name(), projector.version()).await?;
    sqlx::query("UPDATE read.checkpoints SET rebuilding_since = now() WHERE projector = $1")
        .bind(projector.name())
        .execute(&mut *conn)
        .await?;
    Ok(Target {
        projector: Arc::clone(projector),
        // Analyzed: new tables have no statistics until autovacuum comes by, and the first
        // queries after the swap would be planned blind (a sequential scan of a board, say).
        // Analyzed before the swap takes its locks, they are planned like the tables they
        // replace.
        settle: Settle::of(projector.as_ref(), &schema, &deferred, true),
        schema,
    })
}

async fn rebuild_and_swap(
    store: &EventStore,
    projectors: &[Arc<dyn Projector>],
    mut progress: impl FnMut(u64, u64),
) -> Result<RebuildReport, ProjectionError> {
    let pool = store.pool();
    let mut phases = Phases::start();
    // Checkpoint rows are always taken in name order, so two swaps never deadlock.
    let mut projectors: Vec<&Arc<dyn Projector>> = projectors.iter().collect();
    projectors.sort_by_key(|p| p.name());
    // Each projector's tables are prepared on connections of its own, side by side: their
    // schemas and checkpoint rows are disjoint, and one after another their round trips and
    // commits were the whole of this phase.
    let targets = futures_util::future::try_join_all(
        projectors
            .iter()
            .map(|projector| prepare_rebuild(pool, projector)),
    )
    .await?;
    phases.end("prepare");
    let head = store.head().await?.0;
    let total = u64::try_from(head).unwrap_or(0);
    let bounded = LogFilter {
        to_position: Some(head),
        ..LogFilter::default()
    };
    let Replayed {
        position: built,
        busy,
        applied_at,
    } = replay_pages(store, bounded, &targets, |p| {
        progress(u64::try_from(p).unwrap_or(0), total)
    })
    .await?;
    phases.end_at("bulk", applied_at);
    phases.end("settle");

    // The swap: the checkpoint rows first, then the tables, the order the live projectors
    // take them in, so the two never deadlock. Events committed since the bulk phase are
    // applied here, so the new tables are at least as new as the old ones.
    let mut tx = pool.begin().await?;
    tx.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        .await?;
    for projector in &projectors {
        checkpoint::lock(&mut tx, projector.name()).await?;
    }
    let tables: Vec<String> = projectors
        .iter()
        .flat_map(|p| p.tables().iter().map(|t| format!("{LIVE_SCHEMA}.{t}")))
        .collect();
    tx.execute(format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", tables.join(", ")).as_str())
        .await?;
    let mut position = built;
    loop {
        let page = store.read_log(position, PAGE).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        let page: Vec<civic_store::ProjectedEvent> = page.into_iter().map(Into::into).collect();
        for target in &targets {
            target
                .projector
                .apply_batch(&mut tx, &target.schema, &page)
                .await?;
        }
        position = last;
    }
    let mut swap = String::new();
    for projector in &projectors {
        let schema = format!("rebuild_{}", projector.name());
        for table in projector.tables() {
            swap.push_str(&format!(
                "DROP TABLE {LIVE_SCHEMA}.{table}; ALTER TABLE {schema}.{table} SET SCHEMA {LIVE_SCHEMA};"
            ));
        }
        swap.push_str(&format!("DROP SCHEMA {schema};"));
    }
    tx.execute(swap.as_str()).await?;
    for projector in &projectors {
        sqlx::query(
            "UPDATE read.checkpoints SET position = $2, version = $3, rebuilding_since = NULL, failed_position = NULL, \
             error = NULL, updated_at = now() WHERE projector = $1",
        )
        .bind(projector.name())
        .bind(position)
        .bind(projector.version())
        .execute(&mut *tx)
        .await?;
        // Waiters in running servers learn of the jump at the swap's commit.
        crate::wait::announce(&mut *tx, projector.name(), position).await?;
    }
    tx.commit().await?;
    phases.end("swap");
    Ok(RebuildReport {
        events: u64::try_from(position).unwrap_or(0),
        position,
        busy,
        phases: phases.done,
    })
}
