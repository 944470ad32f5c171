//! The append benchmark: the store beside plain INSERTs of the same rows, committed as they
//! come (the baseline) and committed one after another in the order they began (the ordered
//! baseline, held to the store's commit order and nothing else).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use civic_store::{EventStore, ExpectedVersion, NewEvent, StoreConfig};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::cpu::MachineTicks;
use super::scratch::Scratch;
use super::spread::{self, Spread};
use crate::database::Database;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct AppendArgs {
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Seconds to run each measurement (store, baseline and ordered baseline each get this
    /// long in all, in slices of 500 ms taken in turn).
    #[arg(long, default_value_t = 2.0, value_parser = super::seconds)]
    seconds: f64,
    /// Batch sizes to measure.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 10, 100], value_parser = super::at_least_one)]
    batch: Vec<usize>,
    /// Concurrency levels to measure.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 4, 16], value_parser = super::at_least_one)]
    concurrency: Vec<usize>,
}

#[derive(Debug, Serialize)]
struct Run {
    batch: usize,
    concurrency: usize,
    store_eps: f64,
    baseline_eps: f64,
    ratio: f64,
    /// The standard error of `ratio`, from the spread of each side's slices (`None` with
    /// fewer than two slices a side).
    ratio_error: Option<f64>,
    /// Plain INSERTs of the same rows whose transactions write side by side but commit one
    /// after another in the order they began, as the store's batches do: what committing
    /// in order leaves of the baseline, with no hashing, deciding or idempotency.
    ordered_baseline_eps: f64,
    /// The store's rate over the ordered baseline's.
    ordered_ratio: f64,
    /// The standard error of `ordered_ratio`.
    ordered_ratio_error: Option<f64>,
    /// Mean events per group commit of the store.
    events_per_commit: f64,
    /// The share of the store's batch time spent waiting, rows written, for the batch
    /// before to commit: what committing in position order costs.
    order_wait_share: f64,
    /// The share of the machine's CPU time (every core, PostgreSQL included) left idle while
    /// the store ran, the baseline ran and the ordered baseline ran: a side that leaves cores
    /// idle at the same load is waiting (for the batch before it, for a flush), not working.
    store_idle_share: f64,
    baseline_idle_share: f64,
    ordered_idle_share: f64,
    /// Mean milliseconds per store batch writing its rows, waiting, and committing.
    write_ms: f64,
    wait_ms: f64,
    commit_ms: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    runs: Vec<Run>,
    events_appended: u64,
    chain_verified: bool,
    gapless: bool,
}

pub async fn run(args: AppendArgs, db: &Database) -> anyhow::Result<ExitCode> {
    let scratch = Scratch::create(db, 40).await?;
    let outcome = measure(&args, &scratch.pool).await;
    scratch.drop().await?;
    let report = outcome?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report);
    }
    Ok(if report.chain_verified && report.gapless {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn measure(args: &AppendArgs, pool: &PgPool) -> anyhow::Result<Report> {
    sqlx::query("CREATE TABLE baseline_events (LIKE events INCLUDING ALL)")
        .execute(pool)
        .await?;
    sqlx::query("CREATE SEQUENCE baseline_position OWNED BY baseline_events.position")
        .execute(pool)
        .await?;
    sqlx::query(
        "ALTER TABLE baseline_events ALTER position SET DEFAULT nextval('baseline_position')",
    )
    .execute(pool)
    .await?;
    let store = EventStore::open(pool.clone(), StoreConfig::default()).await?;
    let (slice, rounds) = slicing(args.seconds);
    let turns = turns(rounds);
    let bar = progress::bar(
        (args.batch.len() * args.concurrency.len() * turns.len()) as u64,
        "measuring",
    );
    let mut runs = Vec::new();
    for (cell, (batch, concurrency)) in args
        .batch
        .iter()
        .flat_map(|b| args.concurrency.iter().map(move |c| (*b, *c)))
        .enumerate()
    {
        let mut store_side = Tally::default();
        let mut baseline_side = Tally::default();
        let mut ordered_side = Tally::default();
        let mut writer = civic_store::WriterTimes::default();
        for (part, turn) in turns.iter().copied().enumerate() {
            match turn {
                Side::Store => {
                    let before = store.writer_times();
                    store_side += drive(concurrency, slice, |worker| {
                        store_worker(
                            store.clone(),
                            format!("bench-{cell}-{part}-{worker}"),
                            batch,
                        )
                    })
                    .await?;
                    writer = writer.plus(&store.writer_times().since(&before));
                }
                Side::Baseline => {
                    baseline_side += drive(concurrency, slice, |worker| {
                        baseline_worker(
                            pool.clone(),
                            format!("base-{cell}-{part}-{worker}"),
                            batch,
                            None,
                        )
                    })
                    .await?;
                }
                Side::Ordered => {
                    let order = CommitOrder::new();
                    ordered_side += drive(concurrency, slice, |worker| {
                        baseline_worker(
                            pool.clone(),
                            format!("ordered-{cell}-{part}-{worker}"),
                            batch,
                            Some(order.clone()),
                        )
                    })
                    .await?;
                }
            }
            bar.inc(1);
        }
        let (store_eps, baseline_eps) = (store_side.rate(), baseline_side.rate());
        let ordered_baseline_eps = ordered_side.rate();
        let ratio = store_eps / baseline_eps.max(f64::MIN_POSITIVE);
        let ordered_ratio = store_eps / ordered_baseline_eps.max(f64::MIN_POSITIVE);
        runs.push(Run {
            batch,
            concurrency,
            store_eps,
            baseline_eps,
            ratio,
            ratio_error: spread::ratio_error(ratio, &store_side.spread, &baseline_side.spread),
            ordered_baseline_eps,
            ordered_ratio,
            ordered_ratio_error: spread::ratio_error(
                ordered_ratio,
                &store_side.spread,
                &ordered_side.spread,
            ),
            events_per_commit: writer.events_per_batch(),
            order_wait_share: writer.waiting_share(),
            store_idle_share: store_side.machine.idle_share(),
            baseline_idle_share: baseline_side.machine.idle_share(),
            ordered_idle_share: ordered_side.machine.idle_share(),
            write_ms: per_batch(writer.writing, writer.batches),
            wait_ms: per_batch(writer.waiting, writer.batches),
            commit_ms: per_batch(writer.committing, writer.batches),
        });
    }
    bar.finish_and_clear();
    let (head, _) = store.head().await?;
    let count = civic_store::log::count(pool).await?;
    let verified = civic_store::verify::verify_log(pool, 1, None, |_| {}).await;
    Ok(Report {
        runs,
        events_appended: u64::try_from(head).unwrap_or(0),
        chain_verified: verified.is_ok(),
        gapless: count == head,
    })
}

/// Which side a slice measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Store,
    Baseline,
    Ordered,
}

/// How long one side runs before the next side's turn. Each side gets its time in several
/// slices taken in turn, so that a stall of the machine (another tenant, a checkpoint,
/// autovacuum on the grown table) falls on every side alike instead of on one of them.
/// Every slice starts the store afresh (new streams to look up, the writer's lease taken
/// again, its batches filling up), which cost it a few percent in slices of 250 ms.
const SLICE: Duration = Duration::from_millis(500);

/// The length of each slice and the number of rounds for `seconds` per side: slices of
/// [`SLICE`], or shorter ones when a side has under two of them, and at least two rounds.
fn slicing(seconds: f64) -> (Duration, usize) {
    let total = seconds.max(0.1);
    let rounds = ((total / SLICE.as_secs_f64()).ceil() as usize).max(2);
    (Duration::from_secs_f64(total / rounds as f64), rounds)
}

/// The slices of a cell, in order: every round gives each side one slice, every other round
/// in the reverse order (store, baseline, ordered; then ordered, baseline, store), so no
/// side always runs just after another, and a steady drift cancels out.
fn turns(rounds: usize) -> Vec<Side> {
    const FORWARD: [Side; 3] = [Side::Store, Side::Baseline, Side::Ordered];
    (0..rounds)
        .flat_map(|round| {
            let mut sides = FORWARD;
            if round % 2 == 1 {
                sides.reverse();
            }
            sides
        })
        .collect()
}

/// The ordered baseline's turns: each transaction takes a ticket before it writes and
/// commits only once the transaction with the ticket before it has committed.
#[derive(Clone)]
struct CommitOrder {
    next: Arc<AtomicU64>,
    committed: Arc<tokio::sync::watch::Sender<u64>>,
}

impl CommitOrder {
    fn new() -> Self {
        CommitOrder {
            next: Arc::new(AtomicU64::new(0)),
            committed: Arc::new(tokio::sync::watch::Sender::new(0)),
        }
    }

    /// A place in the order, taken before the transaction writes.
    fn ticket(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// Waits until every transaction with an earlier ticket has committed (or failed).
    async fn turn(&self, ticket: u64) {
        let mut committed = self.committed.subscribe();
        // The sender lives in `self`, so the wait cannot end in an error.
        let _ = committed.wait_for(|done| *done >= ticket).await;
    }

    /// Lets the transaction after `ticket` commit.
    fn done(&self, ticket: u64) {
        self.committed.send_modify(|done| *done = ticket + 1);
    }
}

fn per_batch(total: Duration, batches: u64) -> f64 {
    total.as_secs_f64() * 1000.0 / batches.max(1) as f64
}

/// A worker appends batches until told to stop and returns the number of events written.
type Worker = std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<u64>> + Send>>;

/// Events written, the time it took and the machine's CPU meanwhile, over one or more slices,
/// and the spread of those slices' rates.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    events: u64,
    seconds: f64,
    machine: MachineTicks,
    spread: Spread,
}

impl Tally {
    fn rate(self) -> f64 {
        self.events as f64 / self.seconds.max(f64::MIN_POSITIVE)
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.events += other.events;
        self.seconds += other.seconds;
        self.machine += other.machine;
        self.spread += other.spread;
    }
}

async fn drive(
    concurrency: usize,
    duration: Duration,
    make: impl Fn(usize) -> Box<dyn FnMut() -> Worker + Send>,
) -> anyhow::Result<Tally> {
    let stop = Arc::new(AtomicBool::new(false));
    let total = Arc::new(AtomicU64::new(0));
    let machine = MachineTicks::now();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let mut step = make(worker);
        let stop = stop.clone();
        let total = total.clone();
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                total.fetch_add(step().await?, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    let events = total.load(Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    Ok(Tally {
        events,
        seconds,
        machine: MachineTicks::now().since(machine),
        spread: Spread::of(events as f64 / seconds.max(f64::MIN_POSITIVE)),
    })
}

/// A realistic event: an issue report with Chinese text, about 400 bytes of JSON.
fn payload(n: u64) -> serde_json::Value {
    serde_json::json!({
        "issue_id": format!("issue-{n}"),
        "category": "安全隐患",
        "title": "龙和华府小区大门口存在视线盲区",
        "description": "网格员在走访中发现,小区大门口存在视线盲区,居民出行存在安全隐患。",
        "location": "龙和华府小区大门口",
        "compound_id": "compound-longhe-huafu",
        "grid_id": "grid-3",
        "channel": "patrol",
        "sequence": n,
    })
}

fn store_worker(
    store: EventStore,
    stream: String,
    batch: usize,
) -> Box<dyn FnMut() -> Worker + Send> {
    let mut version = 0i64;
    Box::new(move || {
        let store = store.clone();
        let stream = stream.clone();
        let expected = ExpectedVersion::from_loaded(version);
        version += batch as i64;
        let first = version as u64;
        Box::pin(async move {
            let events = (0..batch as u64)
                .map(|i| NewEvent {
                    event_type: "IssueReported".into(),
                    schema_version: 1,
                    payload: payload(first + i),
                })
                .collect();
            let metadata = super::dataset::metadata("grid_worker");
            store.append(&stream, expected, events, metadata).await?;
            Ok(batch as u64)
        })
    })
}

/// Plain INSERTs of `batch` rows per transaction; with `order`, each transaction commits
/// only after the one that began before it.
fn baseline_worker(
    pool: PgPool,
    stream: String,
    batch: usize,
    order: Option<CommitOrder>,
) -> Box<dyn FnMut() -> Worker + Send> {
    let mut version = 0i64;
    Box::new(move || {
        let pool = pool.clone();
        let stream = stream.clone();
        let order = order.clone();
        let first = version + 1;
        version += batch as i64;
        Box::pin(async move {
            // The place in the order is taken before the rows are written.
            let turn = order.as_ref().map(|order| (order, order.ticket()));
            let n = batch;
            let event_ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
            let versions: Vec<i64> = (0..n as i64).map(|i| first + i).collect();
            let payloads: Vec<String> = versions
                .iter()
                .map(|v| payload(*v as u64).to_string())
                .collect();
            let streams = vec![stream; n];
            let correlation = vec![Uuid::now_v7(); n];
            let hashes = vec![vec![0u8; 32]; n];
            // One row per transaction for batch 1, one multi-row statement per transaction
            // otherwise: no hashing, deciding or idempotency, and no order unless `order`. The
            // arrays are unnested in the select list, as the store's statement for several
            // appends does (`writer/rows.rs` says why).
            let written = async {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "INSERT INTO baseline_events (event_id, stream_id, stream_version, event_type, \
                     schema_version, payload, actor_id, actor_role, correlation_id, recorded_at, hash) \
                     SELECT e, s, v, 'IssueReported', 1, p::jsonb, 'bench', 'grid_worker', c, now(), h \
                     FROM (SELECT unnest($1::uuid[]) AS e, unnest($2::text[]) AS s, unnest($3::bigint[]) AS v, \
                                  unnest($4::text[]) AS p, unnest($5::uuid[]) AS c, unnest($6::bytea[]) AS h) AS u",
                )
                .bind(&event_ids)
                .bind(&streams)
                .bind(&versions)
                .bind(&payloads)
                .bind(&correlation)
                .bind(&hashes)
                .execute(&mut *tx)
                .await?;
                anyhow::Ok(tx)
            }
            .await;
            // A transaction that failed still gives up its turn, or the ones after it
            // would wait for ever.
            if let Some((order, ticket)) = turn {
                order.turn(ticket).await;
                let committed = match written {
                    Ok(tx) => tx.commit().await.map_err(anyhow::Error::from),
                    Err(error) => Err(error),
                };
                order.done(ticket);
                committed?;
            } else {
                written?.commit().await?;
            }
            Ok(n as u64)
        })
    })
}

fn print_table(report: &Report) {
    println!(
        "{:>6} {:>12} {:>12} {:>14} {:>12} {:>13} {:>12} {:>14} {:>11} {:>23}   ms per commit: rows / wait / commit",
        "batch",
        "concurrency",
        "store ev/s",
        "baseline ev/s",
        "÷ base",
        "ordered ev/s",
        "÷ ordered",
        "events/commit",
        "order wait",
        "idle store/base/ordered",
    );
    for run in &report.runs {
        println!(
            "{:>6} {:>12} {:>12.0} {:>14.0} {:>12} {:>13.0} {:>12} {:>14.1} {:>10.1}% {:>6.1}% /{:>5.1}% /{:>5.1}%   {:.2} / {:.2} / {:.2}",
            run.batch,
            run.concurrency,
            run.store_eps,
            run.baseline_eps,
            spread::with_error(run.ratio, run.ratio_error),
            run.ordered_baseline_eps,
            spread::with_error(run.ordered_ratio, run.ordered_ratio_error),
            run.events_per_commit,
            run.order_wait_share * 100.0,
            run.store_idle_share * 100.0,
            run.baseline_idle_share * 100.0,
            run.ordered_idle_share * 100.0,
            run.write_ms,
            run.wait_ms,
            run.commit_ms
        );
    }
    println!();
    println!(
        "ordered: the baseline's INSERTs held to the store's commit order (written side by \
         side, each committed after the one begun before it); ÷ base, ÷ ordered: the store's \
         rate over each, ± its standard error from the spread of each side's slices"
    );
    println!(
        "order wait: the share of the store's batch time (rows, wait, commit) spent waiting, \
         rows written, for the batch before to commit"
    );
    println!(
        "idle: the share of the machine's CPU time (every core, PostgreSQL's too) left idle \
         while the store ran, the baseline ran and the ordered baseline ran"
    );
    println!();
    println!("events appended by the store: {}", report.events_appended);
    println!(
        "positions gapless:            {}",
        if report.gapless { "yes" } else { "NO" }
    );
    println!(
        "hash chain verified:          {}",
        if report.chain_verified { "yes" } else { "NO" }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_side_gets_its_time_in_slices_taken_in_turn() {
        let (slice, rounds) = slicing(2.0);
        assert_eq!((slice, rounds), (SLICE, 4));
        let order = turns(rounds);
        assert_eq!(order.len(), 12);
        for side in [Side::Store, Side::Baseline, Side::Ordered] {
            assert_eq!(order.iter().filter(|s| **s == side).count(), 4, "{side:?}");
        }
        assert_eq!(
            order[..6],
            [
                Side::Store,
                Side::Baseline,
                Side::Ordered,
                Side::Ordered,
                Side::Baseline,
                Side::Store
            ]
        );
        // A short run still measures every side twice, in shorter slices.
        let (slice, rounds) = slicing(0.3);
        assert_eq!(rounds, 2);
        assert_eq!(slice, Duration::from_millis(150));
    }
}
