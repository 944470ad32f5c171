//! The projection benchmark: a full rebuild of every projector beside a plain sequential
//! scan of the same events, then live lag from commit to read model under load.

use std::collections::VecDeque;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use civic_projections::{all_projectors, rebuild, Runtime};
use civic_store::{EventStore, ExpectedVersion, StoreConfig};
use futures_util::TryStreamExt;
use serde::Serialize;
use tokio::sync::watch;

use super::cpu::{self, MachineTicks};
use super::dataset;
use super::scratch::Scratch;
use crate::database::Database;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct ProjectionsArgs {
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Events to load.
    #[arg(long, default_value_t = 200_000, value_parser = super::at_least_one)]
    events: usize,
    /// Seconds of live load for the lag measurement.
    #[arg(long, default_value_t = 5.0, value_parser = super::seconds)]
    seconds: f64,
    /// Full rebuilds to run one after another, each between two scans of the log (the scan
    /// after one is the scan before the next); the report's figures are the median run's.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    rebuilds: u32,
}

#[derive(Debug, Serialize)]
struct Report {
    events: u64,
    /// Every rebuild's seconds and ratio to the scans around it, in the order they ran; the
    /// figures below are those of the run with the median ratio.
    runs: Vec<RunFigures>,
    rebuild_seconds: f64,
    rebuild_eps: f64,
    /// The scan's rate over both of its runs, one just before the rebuild and one just after
    /// it: on a machine whose speed drifts, one scan alone moved the ratio more than a change
    /// to the rebuild did.
    baseline_scan_eps: f64,
    scan_before_eps: f64,
    scan_after_eps: f64,
    ratio: f64,
    /// Rows the rebuild wrote, in every read-model table.
    floor_rows: u64,
    /// Seconds PostgreSQL took to copy those rows, within the database, into empty tables
    /// of the same shape (indexes included), every table side by side: what writing the
    /// read models costs before anything is decoded or computed.
    floor_seconds: f64,
    /// Events per second at that cost, and its ratio to the scan: the most a rebuild
    /// that writes these rows could reach.
    floor_eps: f64,
    floor_ratio: f64,
    /// Each table's rows and the seconds its copy took alone, costliest first: where the
    /// floor's time goes.
    floor_tables: Vec<(String, u64, f64)>,
    /// Each projector's seconds spent applying pages during the rebuild (side by side).
    busy_seconds: Vec<(String, f64)>,
    /// The rebuild's phases and their seconds, in order.
    phase_seconds: Vec<(String, f64)>,
    /// CPU seconds during the rebuild: this process's (reading, decoding, applying) and the
    /// rest of the machine's (PostgreSQL, above all), and the share of the machine's CPU
    /// time left idle: where the rebuild's time goes, and whether it waited.
    rebuild_cpu_civic: f64,
    rebuild_cpu_rest: f64,
    rebuild_idle_share: f64,
    peak_append_rate: f64,
    live_append_rate: f64,
    lag_samples: usize,
    lag_p50_ms: f64,
    lag_p99_ms: f64,
    lag_max_ms: f64,
}

pub async fn run(args: ProjectionsArgs, db: &Database) -> anyhow::Result<ExitCode> {
    let scratch = Scratch::create(db, 40).await?;
    let outcome = measure(&args, &scratch).await;
    scratch.drop().await?;
    let report = outcome?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("events:                     {}", report.events);
        let ratios: Vec<String> = report
            .runs
            .iter()
            .map(|r| format!("{:.3}", r.ratio))
            .collect();
        println!(
            "rebuilds, ratio each:        {} (the median run below)",
            ratios.join(", ")
        );
        println!(
            "full rebuild ({} projectors): {:.1} s, {:.0} events/s",
            report.busy_seconds.len(),
            report.rebuild_seconds,
            report.rebuild_eps
        );
        println!(
            "baseline sequential scan:    {:.0} events/s (before the rebuild {:.0}, after it {:.0})",
            report.baseline_scan_eps, report.scan_before_eps, report.scan_after_eps
        );
        println!("ratio rebuild/scan:          {:.3}", report.ratio);
        println!(
            "write floor:                 {:.1} s to copy the rebuild's {} rows inside PostgreSQL \
             (tables side by side), {:.0} events/s, ratio to scan {:.3}",
            report.floor_seconds, report.floor_rows, report.floor_eps, report.floor_ratio
        );
        let tables: Vec<String> = report
            .floor_tables
            .iter()
            .take(4)
            .map(|(table, rows, s)| format!("{table} {rows} rows {s:.1} s"))
            .collect();
        println!("floor's costliest, alone:    {}", tables.join(", "));
        println!(
            "seconds applying, each:      {}",
            named_seconds(&report.busy_seconds, 1)
        );
        println!(
            "rebuild's phases, seconds:   {}",
            named_seconds(&report.phase_seconds, 2)
        );
        println!(
            "CPU during the rebuild:      civic {:.1} s, the rest of the machine {:.1} s, {:.0}% idle",
            report.rebuild_cpu_civic,
            report.rebuild_cpu_rest,
            report.rebuild_idle_share * 100.0
        );
        println!(
            "append peak / live rate:     {:.0} / {:.0} appends/s",
            report.peak_append_rate, report.live_append_rate
        );
        println!(
            "live lag commit→read model:  p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples)",
            report.lag_p50_ms, report.lag_p99_ms, report.lag_max_ms, report.lag_samples
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `name seconds` pairs on one line, the seconds to `digits` places.
fn named_seconds(pairs: &[(String, f64)], digits: usize) -> String {
    let named: Vec<String> = pairs
        .iter()
        .map(|(name, s)| format!("{name} {s:.digits$}"))
        .collect();
    named.join(", ")
}

async fn measure(args: &ProjectionsArgs, scratch: &Scratch) -> anyhow::Result<Report> {
    let store = EventStore::open(scratch.pool.clone(), StoreConfig::default()).await?;
    let streams = dataset::streams(20, args.events);
    let total: u64 = streams.iter().map(|(_, e)| e.len() as u64).sum();
    let bar = progress::bar(total, "loading");
    let bar_in = bar.clone();
    dataset::load(&store, streams, 16, move |n| bar_in.set_position(n)).await?;
    bar.finish_and_clear();
    // A log that has been running has statistics; one just loaded has none until autovacuum
    // comes by, and the scan's plan then sorts the whole log instead of following its key.
    sqlx::query("ANALYZE events").execute(&scratch.pool).await?;
    // The checkpoint the load started would otherwise flush its files during a rebuild (the
    // second of three, in eight runs of eight on one day).
    super::checkpoint(&scratch.pool).await;

    let mut scanned = scan(&scratch.pool).await?;
    let mut runs = Vec::new();
    for _ in 0..args.rebuilds {
        let run = rebuild_between_scans(&store, &scratch.pool, total, scanned).await?;
        scanned = run.scan_after;
        runs.push(run);
    }
    // The run with the median ratio (the upper of the two middle ones for an even count).
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|a, b| runs[*a].ratio().total_cmp(&runs[*b].ratio()));
    let median = &runs[order[runs.len() / 2]];
    let rebuild_seconds = median.rebuild_seconds;
    let (scanned_before, scan_before_seconds) = median.scan_before;
    let (scanned_after, scan_after_seconds) = median.scan_after;
    let baseline_scan_eps = median.scan_eps();
    let rebuild_eps = median.rebuild_eps();
    let (floor_rows, floor_seconds, floor_tables) = write_floor(&scratch.pool).await?;
    let floor_eps = per_second(total, floor_seconds);

    let (peak, live, lags) = live_lag(&store, &scratch.pool, args.seconds).await?;
    let mut sorted = lags.clone();
    sorted.sort_by(f64::total_cmp);
    let pct = |p: f64| super::percentile(&sorted, p);
    Ok(Report {
        events: total,
        runs: runs.iter().map(Run::figures).collect(),
        rebuild_seconds,
        rebuild_eps,
        baseline_scan_eps,
        scan_before_eps: per_second(scanned_before, scan_before_seconds),
        scan_after_eps: per_second(scanned_after, scan_after_seconds),
        ratio: median.ratio(),
        floor_rows,
        floor_seconds,
        floor_eps,
        floor_ratio: floor_eps / baseline_scan_eps.max(f64::MIN_POSITIVE),
        floor_tables,
        busy_seconds: median.busy_seconds.clone(),
        phase_seconds: median.phase_seconds.clone(),
        rebuild_cpu_civic: median.cpu_civic,
        rebuild_cpu_rest: median.cpu_rest,
        rebuild_idle_share: median.idle_share,
        peak_append_rate: peak,
        live_append_rate: live,
        lag_samples: sorted.len(),
        lag_p50_ms: pct(0.50),
        lag_p99_ms: pct(0.99),
        lag_max_ms: sorted.last().copied().unwrap_or(0.0),
    })
}

/// `count` per second over `seconds` (none taken counts as the least time there is).
fn per_second(count: u64, seconds: f64) -> f64 {
    count as f64 / seconds.max(f64::MIN_POSITIVE)
}

/// One full rebuild of every projector and the scans of the log just before and just after.
struct Run {
    events: u64,
    scan_before: (u64, f64),
    scan_after: (u64, f64),
    rebuild_seconds: f64,
    busy_seconds: Vec<(String, f64)>,
    phase_seconds: Vec<(String, f64)>,
    cpu_civic: f64,
    cpu_rest: f64,
    idle_share: f64,
}

/// A run's figures in the report.
#[derive(Debug, Serialize)]
struct RunFigures {
    rebuild_seconds: f64,
    scan_eps: f64,
    ratio: f64,
}

impl Run {
    fn rebuild_eps(&self) -> f64 {
        per_second(self.events, self.rebuild_seconds)
    }

    /// The rate of the two scans together (see `Report::baseline_scan_eps`).
    fn scan_eps(&self) -> f64 {
        per_second(
            self.scan_before.0 + self.scan_after.0,
            self.scan_before.1 + self.scan_after.1,
        )
    }

    fn ratio(&self) -> f64 {
        self.rebuild_eps() / self.scan_eps().max(f64::MIN_POSITIVE)
    }

    fn figures(&self) -> RunFigures {
        RunFigures {
            rebuild_seconds: self.rebuild_seconds,
            scan_eps: self.scan_eps(),
            ratio: self.ratio(),
        }
    }
}

/// Rebuilds every projector after the scan `scan_before`, then scans the log again.
async fn rebuild_between_scans(
    store: &EventStore,
    pool: &sqlx::PgPool,
    total: u64,
    scan_before: (u64, f64),
) -> anyhow::Result<Run> {
    let started = Instant::now();
    let (cpu_before, machine_before) = (cpu::process_seconds(), MachineTicks::now());
    let bar = progress::bar(total, "rebuilding");
    let rebuilt = rebuild(store, &all_projectors(), |n, _| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let rebuild_seconds = started.elapsed().as_secs_f64();
    let cpu_civic = cpu::process_seconds() - cpu_before;
    let machine = MachineTicks::now().since(machine_before);
    let named = |pairs: &[(&'static str, Duration)]| -> Vec<(String, f64)> {
        pairs
            .iter()
            .map(|(name, time)| ((*name).to_owned(), time.as_secs_f64()))
            .collect()
    };
    Ok(Run {
        events: total,
        scan_before,
        scan_after: scan(pool).await?,
        rebuild_seconds,
        busy_seconds: named(&rebuilt.busy),
        phase_seconds: named(&rebuilt.phases),
        cpu_civic,
        cpu_rest: (machine.busy_seconds() - cpu_civic).max(0.0),
        idle_share: machine.idle_share(),
    })
}

/// The baseline: reads every payload in position order, as a projector must; returns the
/// events read and the seconds it took.
async fn scan(pool: &sqlx::PgPool) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let mut rows = civic_store::log::payloads(pool);
    let mut scanned = 0u64;
    while rows.try_next().await?.is_some() {
        scanned += 1;
    }
    Ok((scanned, started.elapsed().as_secs_f64()))
}

/// Copies every read-model table the rebuild wrote into an empty table of the same shape
/// (`LIKE … INCLUDING ALL`: defaults, constraints and indexes), each in a transaction of its
/// own that does not wait for the WAL flush (as a rebuild's pages), all side by side;
/// returns the rows copied and the seconds it took. No client round trip, decoding or
/// computing: a floor under any rebuild that writes the same rows. Then copies each table
/// again alone, into a fresh copy, for its share of that floor.
async fn write_floor(pool: &sqlx::PgPool) -> anyhow::Result<(u64, f64, Vec<(String, u64, f64)>)> {
    let tables: Vec<&'static str> = all_projectors()
        .iter()
        .flat_map(|p| p.tables().iter().copied())
        .collect();
    sqlx::raw_sql("CREATE SCHEMA bench_floor")
        .execute(pool)
        .await?;
    for table in &tables {
        sqlx::raw_sql(&format!(
            "CREATE TABLE bench_floor.{table} (LIKE read.{table} INCLUDING ALL)"
        ))
        .execute(pool)
        .await?;
    }
    let started = Instant::now();
    let copies = tables.iter().map(|table| copy_table(pool, table));
    let rows: u64 = futures_util::future::try_join_all(copies)
        .await?
        .into_iter()
        .sum();
    let seconds = started.elapsed().as_secs_f64();
    let mut alone = Vec::new();
    for table in &tables {
        sqlx::raw_sql(&format!("TRUNCATE bench_floor.{table}"))
            .execute(pool)
            .await?;
        let started = Instant::now();
        let rows = copy_table(pool, table).await?;
        alone.push(((*table).to_owned(), rows, started.elapsed().as_secs_f64()));
    }
    alone.sort_by(|a, b| b.2.total_cmp(&a.2));
    sqlx::raw_sql("DROP SCHEMA bench_floor CASCADE")
        .execute(pool)
        .await?;
    Ok((rows, seconds, alone))
}

/// Copies `read.{table}` into `bench_floor.{table}` in a transaction of its own that does
/// not wait for the WAL flush; returns the rows copied.
async fn copy_table(pool: &sqlx::PgPool, table: &str) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    sqlx::raw_sql("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    let copied = sqlx::raw_sql(&format!(
        "INSERT INTO bench_floor.{table} SELECT * FROM read.{table}"
    ))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(copied)
}

/// Measures the peak rate of single-event appends, then appends at half of it while the
/// projectors run, and returns the lag of each append from its commit to the issues model.
async fn live_lag(
    store: &EventStore,
    pool: &sqlx::PgPool,
    seconds: f64,
) -> anyhow::Result<(f64, f64, Vec<f64>)> {
    let counter = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let peak_started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (store, counter) = (store.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            while peak_started.elapsed() < Duration::from_secs(1) {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (stream, events) = dataset::reported_issue(n);
                store
                    .append(
                        &stream,
                        ExpectedVersion::NoStream,
                        events,
                        dataset::metadata("grid_worker"),
                    )
                    .await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let peak = counter.load(std::sync::atomic::Ordering::Relaxed) as f64
        / peak_started.elapsed().as_secs_f64();

    // Projectors catch up first; lag is measured on the live path.
    let (stop, shutdown) = watch::channel(false);
    let runtime = Runtime::new(store.clone(), all_projectors()).spawn(shutdown);
    let head = store.head().await?.0;
    civic_projections::wait_for(pool, "issues", head, Duration::from_secs(120)).await?;

    let pending: Arc<Mutex<VecDeque<(i64, Instant)>>> = Arc::default();
    let lags: Arc<Mutex<Vec<f64>>> = Arc::default();
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (pending, lags, sampling, pool) = (
            pending.clone(),
            lags.clone(),
            sampling.clone(),
            pool.clone(),
        );
        tokio::spawn(async move {
            while sampling.load(std::sync::atomic::Ordering::Relaxed)
                || pending.lock().map(|p| !p.is_empty()).unwrap_or(false)
            {
                let reached: i64 = sqlx::query_scalar(
                    "SELECT position FROM read.checkpoints WHERE projector = 'issues'",
                )
                .fetch_one(&pool)
                .await?;
                let now = Instant::now();
                if let (Ok(mut pending), Ok(mut lags)) = (pending.lock(), lags.lock()) {
                    while pending.front().is_some_and(|(p, _)| *p <= reached) {
                        if let Some((_, at)) = pending.pop_front() {
                            lags.push(now.duration_since(at).as_secs_f64() * 1000.0);
                        }
                    }
                }
                tokio::time::sleep(Duration::from_micros(500)).await;
            }
            anyhow::Ok(())
        })
    };
    let rate = (peak / 2.0).max(1.0);
    let tick = Duration::from_millis(10);
    let per_tick = (rate * tick.as_secs_f64()).max(1.0) as u64;
    let started = Instant::now();
    let mut interval = tokio::time::interval(tick);
    let mut appended = 0u64;
    let mut inflight = Vec::new();
    while started.elapsed().as_secs_f64() < seconds {
        interval.tick().await;
        for _ in 0..per_tick {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (store, pending) = (store.clone(), pending.clone());
            inflight.push(tokio::spawn(async move {
                let (stream, events) = dataset::reported_issue(n);
                let result = store
                    .append(
                        &stream,
                        ExpectedVersion::NoStream,
                        events,
                        dataset::metadata("grid_worker"),
                    )
                    .await?;
                let committed = Instant::now();
                if let Ok(mut pending) = pending.lock() {
                    // Keep the queue in position order for the sampler.
                    let at = pending.partition_point(|(p, _)| *p < result.last_position);
                    pending.insert(at, (result.last_position, committed));
                }
                anyhow::Ok(())
            }));
            appended += 1;
        }
    }
    for task in inflight {
        task.await??;
    }
    let live = appended as f64 / started.elapsed().as_secs_f64();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    tokio::time::timeout(Duration::from_secs(60), sampler).await???;
    let _ = stop.send(true);
    for task in runtime {
        let _ = task.await;
    }
    let lags = lags.lock().map(|l| l.clone()).unwrap_or_default();
    Ok((peak, live, lags))
}
