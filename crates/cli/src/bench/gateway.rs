//! The gateway benchmark: GraphQL over HTTP beside a plain axum handler that runs the same
//! SQL and returns JSON, both served from this process on loopback, for each size of data
//! in a database of its own ([`Site`]).

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::routing::get;
use axum::{Json, Router};
use civic_commands::CommandHandler;
use civic_gateway::auth::{Claims, TokenKey};
use civic_gateway::schema::Services;
use civic_gateway::{build_schema, router, AppState, Limits};
use civic_projections::{all_projectors, Runtime};
use civic_store::{EventStore, StoreConfig};
use futures_util::future::BoxFuture;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::cpu::MachineTicks;
use super::dataset;
use super::scratch::Scratch;
use super::spread::{self, Spread};
use crate::database::Database;
use crate::progress;

#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Issues to load (across 20 communities, each story decided by the issue aggregate and
    /// appended whole); several sizes (comma-separated, e.g. 10000,100000,1000000) are each
    /// measured in a database of their own.
    #[arg(long, value_delimiter = ',', default_value = "10000", value_parser = super::at_least_one)]
    issues: Vec<usize>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16, value_parser = super::at_least_one)]
    concurrency: usize,
    /// Seconds per measurement: each side of a rate, and half of each size's latency at
    /// 500 req/s. At 3 s, runs of the same build on one day gave the board 0.82-1.04 of its
    /// plain handler's rate; at 10 s, 0.89-0.97.
    #[arg(long, default_value_t = 10.0, value_parser = super::seconds)]
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct Measure {
    /// Requests answered without error.
    answered: u64,
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    /// CPU time of this process (the clients and the server answering them, not PostgreSQL)
    /// per answered request: steadier than a rate on a shared machine.
    cpu_ms_per_request: f64,
    /// CPU time of the rest of the machine (PostgreSQL's backends above all, and the
    /// kernel's work not charged to this process) per answered request: where the two
    /// sides' statements differ in cost, it shows here rather than in `cpu_ms_per_request`.
    rest_cpu_ms_per_request: f64,
    /// The rates of its slices, for the standard error of a ratio (see [`spread`]).
    #[serde(skip)]
    spread: Spread,
}

#[derive(Debug, Serialize)]
struct Report {
    issues: usize,
    concurrency: usize,
    dashboard_gateway: Measure,
    dashboard_plain: Measure,
    ratio: f64,
    /// The standard error of `ratio`, from the spread of each side's slices.
    ratio_error: Option<f64>,
    /// What the gateway adds to each dashboard request (see [`extra_ms`]).
    extra_ms: f64,
    board_gateway: Measure,
    board_plain: Measure,
    board_ratio: f64,
    /// The standard error of `board_ratio`.
    board_ratio_error: Option<f64>,
    /// What the gateway adds to each board page (see [`extra_ms`]).
    board_extra_ms: f64,
    /// Board pages the gateway answered without the GraphQL executor (all of them, for the
    /// admin app's document: see `civic_gateway::direct`).
    board_direct_pages: u64,
    dashboard_at_500_rps: Measure,
    /// The dashboard at the benchmark's concurrency, closed loop, in the same alternating
    /// slices as `dashboard_at_500_rps` (see [`latency_across`]).
    dashboard_alternating: Measure,
    dashboard_p99_ms: f64,
    mutations_per_s: f64,
}

/// How long the dashboard's latency is measured on one size before the next size's turn
/// (see [`latency_across`]): short enough that the machine's stalls are shared out among
/// the sizes, long enough (125 requests at 500 req/s) that a slice is mostly requests, not
/// its start and drain.
const LATENCY_SLICE: Duration = Duration::from_millis(250);
/// How many times as long as each rate the dashboard's latency is measured on every size (see
/// [`latency_across`]): at the default 10 s, 10,000 requests at 500 req/s, so a p99 set by
/// the 100 slowest. A p99 is the 1% slowest requests: at 3,000 requests (twice 3 s, the
/// default before), one stall of the machine put one size's p99 at 1.53 times another's in
/// one run and 0.95 times in the next.
const LATENCY_TIMES: u32 = 2;
/// The street's dashboard, as the admin app's first screen asks for it: every community with
/// its figures.
const DASHBOARD: &str =
    "query Street { communities { id name households residents compounds merchants \
    issueStats { open overdue resolved meanHoursToResolve p90HoursToResolve } } }";
/// The issue board's first page, as the admin app's board screen asks for it: its `Board`
/// query in `web/src/gql`, word for word but for the spacing, with a community's filter and
/// a page of 50 in the variables.
const BOARD: &str = "query Board($filter: IssueFilter, $first: Int, $after: String, $last: Int, \
    $before: String, $atLeastPosition: Int) { issues(filter: $filter, first: $first, after: $after, \
    last: $last, before: $before, atLeastPosition: $atLeastPosition) { \
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } \
    nodes { id communityId title category status reportedAt assignee dueBy overdue escalated } } }";

/// The mutation measured: the admin app's `reportIssue`, selecting the position it was
/// appended at.
const REPORT_ISSUE: &str =
    "mutation ReportIssue($input: ReportIssueInput!) { reportIssue(input: $input) { position } }";

/// The read-model fields behind `BOARD`'s selection: the plain handler reads what the
/// gateway reads.
const BOARD_FIELDS: [&str; 7] = [
    "title",
    "category",
    "status",
    "assignee",
    "due_by",
    "overdue",
    "escalated",
];

pub async fn run(args: GatewayArgs, db: &Database) -> anyhow::Result<ExitCode> {
    // Every size stays loaded and served until the end, so that the dashboard's latency can
    // be measured at every size in alternating slices (see `latency_across`).
    let pool_size = pool_size(&args, &db.pool).await?;
    let mut sites = Vec::new();
    let mut outcome = Ok(Vec::new());
    for &issues in &args.issues {
        match Site::open_in_scratch(&args, db, issues, pool_size).await {
            Ok(site) => sites.push(site),
            Err(error) => {
                outcome = Err(error);
                break;
            }
        }
    }
    if outcome.is_ok() {
        outcome = measure(&args, &mut sites).await;
    }
    // Every scratch database is dropped, whatever failed: after its site has stopped, so
    // that nothing of it (the servers' followers of checkpoints and accounts) is left to
    // reconnect to a database that is gone.
    let mut dropped = Ok(());
    for (site, scratch) in sites {
        site.stop().await;
        let drop = scratch.drop().await;
        dropped = dropped.and(drop);
    }
    let reports = outcome?;
    dropped?;
    if args.json {
        match reports.as_slice() {
            [one] => println!("{}", serde_json::to_string(one)?),
            all => println!("{}", serde_json::to_string(all)?),
        }
        return Ok(ExitCode::SUCCESS);
    }
    for report in &reports {
        print(report);
    }
    if let [first, .., last] = reports.as_slice() {
        let load = format!("{} connections", first.concurrency);
        for (how, a, b) in [
            (
                "500 req/s",
                &first.dashboard_at_500_rps,
                &last.dashboard_at_500_rps,
            ),
            (
                load.as_str(),
                &first.dashboard_alternating,
                &last.dashboard_alternating,
            ),
        ] {
            for (what, at_first, at_last) in
                [("p50", a.p50_ms, b.p50_ms), ("p99", a.p99_ms, b.p99_ms)]
            {
                println!(
                    "street dashboard {what} at {how}, alternating: {at_first:.2} ms at {} issues, {at_last:.2} ms at {} issues ({:.2}×)",
                    first.issues,
                    last.issues,
                    at_last / at_first.max(f64::MIN_POSITIVE)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Connections a size holds outside its pool while another size is measured: those its
/// writer keeps open, and the listeners that follow the log (the store's, the read models'
/// positions).
fn idle_outside_pool() -> i64 {
    i64::from(civic_store::WRITER_KEPT_CONNECTIONS) + 2
}

/// And what the size being measured opens beside those: one connection per projector (each
/// holds its lock on one while it runs) and its writer's pool grown to its full size. One
/// size is measured at a time.
fn measured_outside_pool() -> i64 {
    i64::try_from(all_projectors().len()).unwrap_or(i64::MAX)
        + i64::from(civic_store::WRITER_CONNECTIONS - civic_store::WRITER_KEPT_CONNECTIONS)
}

/// Connections kept free beside the sizes': the command's own pool and the maintenance
/// connection that creates and drops the scratch databases.
const SPARE_CONNECTIONS: i64 = 2;

/// Each size's pool: its clients and the overlap of one side's turn with the next need the
/// concurrency and 16 more, within an even share of the connections the server still
/// accepts. Every size stays open until the end, holding what its pool has opened; three
/// sizes at 16 clients had asked a server of the default 100 `max_connections` for more
/// than it accepts, and requests waited 2.6-5.2 s for a connection in the middle of a
/// measurement while the projectors could not start.
async fn pool_size(args: &GatewayArgs, pool: &PgPool) -> anyhow::Result<u32> {
    let free: i64 = sqlx::query_scalar(
        "SELECT current_setting('max_connections')::bigint \
              - current_setting('superuser_reserved_connections')::bigint \
              - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')",
    )
    .fetch_one(pool)
    .await?;
    let sizes = i64::try_from(args.issues.len().max(1)).unwrap_or(i64::MAX);
    let clients = i64::try_from(args.concurrency).unwrap_or(i64::MAX);
    let share = (free - SPARE_CONNECTIONS - measured_outside_pool()) / sizes - idle_outside_pool();
    // At least a connection per client, and one more for the next side's first request.
    anyhow::ensure!(
        share > clients,
        "{sizes} sizes at {clients} clients need about {} connections, and the server \
         accepts {free} more (max_connections): measure fewer sizes in one run or fewer \
         clients, or raise max_connections",
        sizes
            .saturating_mul(clients.saturating_add(1 + idle_outside_pool()))
            .saturating_add(measured_outside_pool() + SPARE_CONNECTIONS),
    );
    let wanted = clients.saturating_add(16);
    let size = share.min(wanted);
    if size < wanted {
        tracing::info!(
            connections = size,
            "each size's pool is held to its share of the connections the server accepts"
        );
    }
    Ok(u32::try_from(size).unwrap_or(u32::MAX))
}

/// Every measurement of every size: the rates, size by size; the dashboard's latency at a
/// fixed rate, every size in short alternating slices; then the mutations, which write.
async fn measure(args: &GatewayArgs, sites: &mut [(Site, Scratch)]) -> anyhow::Result<Vec<Report>> {
    let duration = Duration::from_secs_f64(args.seconds);
    let mut rates = Vec::with_capacity(sites.len());
    for (site, _) in sites.iter_mut() {
        site.start_projectors().await?;
        rates.push(site.rates(args.concurrency, duration).await);
        site.stop_projectors().await;
    }
    let latencies = {
        let sites: Vec<&Site> = sites.iter().map(|(site, _)| site).collect();
        latency_across(&sites, duration, args.concurrency).await
    };
    let mut reports = Vec::with_capacity(sites.len());
    for (((site, _), rates), (dashboard_at_500_rps, dashboard_alternating)) in
        sites.iter_mut().zip(rates).zip(latencies)
    {
        site.start_projectors().await?;
        let mutations = site.mutations(args.concurrency, duration).await;
        site.stop_projectors().await;
        reports.push(Report {
            issues: site.issues,
            concurrency: args.concurrency,
            ratio: ratio(&rates.dashboard_gateway, &rates.dashboard_plain),
            ratio_error: ratio_error(&rates.dashboard_gateway, &rates.dashboard_plain),
            extra_ms: extra_ms(&rates.dashboard_gateway, &rates.dashboard_plain),
            board_ratio: ratio(&rates.board_gateway, &rates.board_plain),
            board_ratio_error: ratio_error(&rates.board_gateway, &rates.board_plain),
            board_extra_ms: extra_ms(&rates.board_gateway, &rates.board_plain),
            board_direct_pages: rates.board_direct_pages,
            dashboard_p99_ms: dashboard_at_500_rps.p99_ms,
            mutations_per_s: mutations.requests_per_s,
            dashboard_gateway: rates.dashboard_gateway,
            dashboard_plain: rates.dashboard_plain,
            board_gateway: rates.board_gateway,
            board_plain: rates.board_plain,
            dashboard_at_500_rps,
            dashboard_alternating,
        });
    }
    Ok(reports)
}

/// The gateway's rate as a share of the plain handler's.
fn ratio(gateway: &Measure, plain: &Measure) -> f64 {
    gateway.requests_per_s / plain.requests_per_s.max(f64::MIN_POSITIVE)
}

/// The standard error of [`ratio`], from the spread of the two sides' slices.
fn ratio_error(gateway: &Measure, plain: &Measure) -> Option<f64> {
    spread::ratio_error(ratio(gateway, plain), &gateway.spread, &plain.spread)
}

/// What the gateway adds to each request over the plain handler, in milliseconds of the
/// machine: with the clients keeping it busy, one request takes `1 / rate` of it. A ratio
/// also falls when the statement both sides run gets cheaper, with the gateway adding no
/// more than before; this figure does not, so it compares the gateway across such changes.
fn extra_ms(gateway: &Measure, plain: &Measure) -> f64 {
    let ms_each = |m: &Measure| 1000.0 / m.requests_per_s.max(f64::MIN_POSITIVE);
    ms_each(gateway) - ms_each(plain)
}

/// The dashboard at 500 req/s on every size, for [`LATENCY_TIMES`] times `duration` each
/// (rounded up to whole rounds), in short slices that take the sizes in turn, forward and
/// back (10,000, 100,000, 1,000,000, 1,000,000, 100,000, 10,000, and again): the sizes are
/// compared by their p99, which is the machine's slowest moments as much as the query's
/// cost. Measured apart, minutes after each other, the sizes were compared by the machine's
/// moments; measured in a few long slices, a stall of a second or two still fell on one
/// size. In slices of [`LATENCY_SLICE`], every size meets the same moments. Longer than
/// the rates, since a p99 is the 1% slowest and few requests at 500 req/s are among them.
/// Each slice at 500 req/s is followed by one of the same length at `concurrency`
/// connections, closed loop: the rates above are measured size after size, minutes apart,
/// and their latencies are not comparable across sizes.
async fn latency_across(
    sites: &[&Site],
    duration: Duration,
    concurrency: usize,
) -> Vec<(Measure, Measure)> {
    // Each round visits every size twice.
    let each = duration.as_secs_f64() * f64::from(LATENCY_TIMES) / 2.0;
    let rounds = (each / LATENCY_SLICE.as_secs_f64()).ceil().max(1.0) as usize;
    let slice = LATENCY_SLICE.min(duration);
    let there_and_back: Vec<usize> = (0..sites.len()).chain((0..sites.len()).rev()).collect();
    let requests: Vec<_> = sites.iter().map(|site| site.gql(DASHBOARD)).collect();
    let mut fixed: Vec<Samples> = sites.iter().map(|_| Samples::default()).collect();
    let mut loaded: Vec<Samples> = sites.iter().map(|_| Samples::default()).collect();
    for _ in 0..rounds {
        for &i in &there_and_back {
            fixed[i].add(open_loop(500.0, slice, requests[i].clone()).await);
            loaded[i].add(closed_loop(concurrency, slice, requests[i].clone()).await);
        }
    }
    fixed
        .into_iter()
        .zip(loaded)
        .map(|(fixed, loaded)| (fixed.summary(), loaded.summary()))
        .collect()
}

fn print(report: &Report) {
    let row = |what: &str, m: &Measure| {
        println!(
            "{what:<34} {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}  cpu {:.3} ms/req (rest {:.3})",
            m.requests_per_s, m.p50_ms, m.p99_ms, m.errors, m.cpu_ms_per_request, m.rest_cpu_ms_per_request
        )
    };
    println!(
        "{} issues, {} concurrent clients",
        report.issues, report.concurrency
    );
    row("street dashboard, GraphQL", &report.dashboard_gateway);
    row("street dashboard, plain", &report.dashboard_plain);
    println!(
        "{:<34} {:>9}",
        "ratio gateway/plain",
        spread::with_error(report.ratio, report.ratio_error)
    );
    println!(
        "{:<34} {:>9.3} ms",
        "gateway's extra time per request", report.extra_ms
    );
    row("issue board 50 rows, GraphQL", &report.board_gateway);
    row("issue board 50 rows, plain", &report.board_plain);
    println!(
        "{:<34} {:>9}",
        "ratio gateway/plain",
        spread::with_error(report.board_ratio, report.board_ratio_error)
    );
    println!(
        "{:<34} {:>9.3} ms",
        "gateway's extra time per page", report.board_extra_ms
    );
    println!(
        "{:<34} {:>9} of {}",
        "board pages answered directly", report.board_direct_pages, report.board_gateway.answered
    );
    row(
        "street dashboard at 500 req/s",
        &report.dashboard_at_500_rps,
    );
    println!(
        "{:<34} {:>9.0} mutations/s",
        "reportIssue", report.mutations_per_s
    );
}

/// One size: its database loaded and its read models built, served by the gateway and by
/// the plain handlers until the benchmark ends.
struct Site {
    issues: usize,
    client: reqwest::Client,
    /// Base URLs of the gateway and of the plain handlers.
    gateway: String,
    plain: String,
    token: String,
    /// The gateway's count of board pages answered without the executor, so far.
    direct_pages: Box<dyn Fn() -> u64 + Send + Sync>,
    store: EventStore,
    reached: civic_projections::Reached,
    /// Running only while the data may change (see [`Site::start_projectors`]).
    projectors: Option<(watch::Sender<bool>, Vec<JoinHandle<()>>)>,
    /// The gateway's and the plain handlers' servers.
    servers: [Served; 2],
}

/// A server of [`serve`]: what stops it, and its task.
struct Served {
    stop: tokio::sync::oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// What [`Site::rates`] measured.
struct Rates {
    dashboard_gateway: Measure,
    dashboard_plain: Measure,
    board_gateway: Measure,
    board_plain: Measure,
    board_direct_pages: u64,
}

impl Site {
    /// A site for `issues` in a scratch database of its own (dropped again if the site
    /// cannot be opened).
    async fn open_in_scratch(
        args: &GatewayArgs,
        db: &Database,
        issues: usize,
        pool_size: u32,
    ) -> anyhow::Result<(Site, Scratch)> {
        // Every size holds its connections until the end, so each pool gives back what it
        // does not use (the load and the rates need many, the latency slices a few) and
        // keeps a few open, which the latency slices would otherwise pay for in their
        // first requests.
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(pool_size)
            .min_connections(8.min(pool_size))
            .idle_timeout(Duration::from_secs(3));
        let scratch = Scratch::create_with(db, pool).await?;
        match Site::open(args, issues, &scratch.pool).await {
            Ok(site) => Ok((site, scratch)),
            Err(error) => {
                // The error that stopped the site is the one reported; a failed drop too is
                // logged, not put in its place.
                if let Err(dropped) = scratch.drop().await {
                    tracing::warn!(error = %dropped, "could not drop a scratch database");
                }
                Err(error)
            }
        }
    }

    async fn open(args: &GatewayArgs, issues: usize, pool: &PgPool) -> anyhow::Result<Site> {
        let store = EventStore::open(pool.clone(), StoreConfig::default()).await?;
        let handler = CommandHandler::new(store.clone());
        let bar = progress::bar(issues as u64, "loading issues");
        let bar_in = bar.clone();
        dataset::load_issues(&store, 20, issues, 8, move |n| bar_in.set_position(n)).await?;
        bar.finish_and_clear();
        // The read models are built as a rebuild builds them (one read of the log, every
        // projector side by side), much faster than each projector catching up on its own.
        let head = store.head().await?.0;
        let bar = progress::bar(u64::try_from(head).unwrap_or(0), "building the read models");
        let bar_in = bar.clone();
        civic_projections::rebuild(&store, &all_projectors(), move |n, _| {
            bar_in.set_position(n)
        })
        .await?;
        bar.finish_and_clear();
        // Measured as in service: autovacuum would otherwise visit the freshly written log and
        // tables during the measurements, and answers would wait for the visibility checks
        // that a vacuum makes unnecessary.
        sqlx::raw_sql("VACUUM (ANALYZE)").execute(pool).await?;
        // And the load's dirty pages written out now, or the large sizes alone would pay for
        // them during their measurements.
        super::checkpoint(pool).await;

        let reached = civic_projections::Reached::follow(pool).await?;

        crate::account::ensure_service(&handler, "bench", civic_commands::Role::StreetAdmin, &[])
            .await?;
        let accounts = civic_gateway::accounts::AccountView::follow(store.clone()).await?;
        let key = TokenKey::new(b"bench-secret-bench-secret-bench!");
        let signin = civic_gateway::signin::SignIn::new(
            Default::default(),
            key.clone(),
            accounts.clone(),
            handler.clone(),
        );
        let token = key.issue(&Claims::new(
            "bench",
            civic_commands::Role::StreetAdmin,
            vec![],
            24 * 3600,
        ));
        let limits = Limits::default();
        let metrics = civic_gateway::metrics::install();
        let schema = build_schema(Services {
            pool: pool.clone(),
            handler: handler.clone(),
            reached: reached.clone(),
            limits,
            accounts: accounts.clone(),
            sessions: signin.sessions().clone(),
        });
        let state = AppState {
            schema,
            key,
            pool: pool.clone(),
            limits,
            metrics: metrics.clone(),
            cors_origins: Vec::new(),
            metrics_here: true,
            accounts,
            signin,
        };
        let (gateway, gateway_served) = serve(router(state)).await?;
        let (plain, plain_served) = serve(plain_router(pool.clone())).await?;
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(args.concurrency)
            .build()?;
        Ok(Site {
            issues,
            client,
            gateway,
            plain,
            token,
            direct_pages: Box::new(move || civic_gateway::metrics::direct_pages(&metrics)),
            store,
            reached,
            projectors: None,
            servers: [gateway_served, plain_served],
        })
    }

    /// Stops its projectors and its servers, and lets go of its clients: once this returns,
    /// nothing of the site uses its database.
    async fn stop(mut self) {
        self.stop_projectors().await;
        let Site {
            client, servers, ..
        } = self;
        // The servers wait for their connections to close, which the client's idle ones do
        // when it is dropped; one still open after a while is cut.
        drop(client);
        for mut served in servers {
            let _ = served.stop.send(());
            if tokio::time::timeout(Duration::from_secs(10), &mut served.task)
                .await
                .is_err()
            {
                served.task.abort();
                let _ = served.task.await;
            }
        }
    }

    /// Starts the projectors and waits until every one has caught up with the log, so that
    /// none competes for the CPU with the requests (the plain handlers would suffer it as
    /// much, but not evenly).
    async fn start_projectors(&mut self) -> anyhow::Result<()> {
        let (stop, shutdown) = watch::channel(false);
        let tasks = Runtime::new(self.store.clone(), all_projectors())
            .with_reached(self.reached.clone())
            .spawn(shutdown);
        self.projectors = Some((stop, tasks));
        let head = self.store.head().await?.0;
        let names: Vec<&str> = all_projectors().iter().map(|p| p.name()).collect();
        self.reached
            .wait_for_all(&names, head, Duration::from_secs(600))
            .await?;
        Ok(())
    }

    /// Stops the projectors. While the data does not change they have nothing to do, and
    /// stopped they hold no connection (every size stays served until the end, and the
    /// server allows only so many) and poll nothing.
    async fn stop_projectors(&mut self) {
        if let Some((stop, tasks)) = self.projectors.take() {
            let _ = stop.send(true);
            for task in tasks {
                let _ = task.await;
            }
        }
    }

    /// A GraphQL request of `query`, for a board one community at a time (from the request's
    /// number). Each request's body is written before the clock starts, one per community,
    /// as the plain client's URLs are: what is measured is the server's work, and the client
    /// serializing a body per request would count against the gateway's side only.
    fn gql(
        &self,
        query: &'static str,
    ) -> impl Fn(u64) -> BoxFuture<'static, anyhow::Result<()>> + Clone + Send + 'static {
        let bodies: Arc<Vec<Bytes>> = Arc::new(
            (0..20)
                .map(|c| {
                    let body = if query.contains("$filter") {
                        json!({ "query": query, "variables": { "filter": { "communityId": format!("c{c:03}") }, "first": 50 } })
                    } else {
                        json!({ "query": query })
                    };
                    Bytes::from(body.to_string())
                })
                .collect(),
        );
        let (client, url, auth) = (
            self.client.clone(),
            format!("{}/graphql", self.gateway),
            format!("Bearer {}", self.token),
        );
        move |n: u64| {
            let request = client
                .post(&url)
                .header(header::AUTHORIZATION, &auth)
                .header(header::CONTENT_TYPE, "application/json")
                .body(bodies[(n % 20) as usize].clone());
            Box::pin(async move {
                let response: Value = request.send().await?.json().await?;
                anyhow::ensure!(
                    response.get("errors").is_none(),
                    "GraphQL errors: {response}"
                );
                Ok(())
            })
        }
    }

    /// A request to the plain handler at `path`, one community at a time.
    fn plain_get(
        &self,
        path: &'static str,
    ) -> impl Fn(u64) -> BoxFuture<'static, anyhow::Result<()>> + Clone + Send + 'static {
        let (client, base) = (self.client.clone(), self.plain.clone());
        move |n: u64| {
            let (client, url) = (client.clone(), format!("{base}{path}?id=c{:03}", n % 20));
            Box::pin(async move {
                client
                    .get(&url)
                    .send()
                    .await?
                    .error_for_status()?
                    .json::<Value>()
                    .await?;
                Ok(())
            })
        }
    }

    /// The dashboard and the board, each beside its plain handler.
    async fn rates(&self, concurrency: usize, duration: Duration) -> Rates {
        let (dashboard_gateway, dashboard_plain) = side_by_side(
            concurrency,
            duration,
            self.gql(DASHBOARD),
            self.plain_get("/dashboard"),
        )
        .await;
        let direct_before = (self.direct_pages)();
        let (board_gateway, board_plain) = side_by_side(
            concurrency,
            duration,
            self.gql(BOARD),
            self.plain_get("/board"),
        )
        .await;
        let board_direct_pages = (self.direct_pages)() - direct_before;
        Rates {
            dashboard_gateway,
            dashboard_plain,
            board_gateway,
            board_plain,
            board_direct_pages,
        }
    }

    /// `reportIssue` through GraphQL, each a new issue, sent as the admin app sends it: one
    /// fixed document whose input is a variable (a document per issue would be parsed and
    /// checked anew for every request, which no client of the app causes).
    async fn mutations(&self, concurrency: usize, duration: Duration) -> Measure {
        let counter = Arc::new(AtomicU64::new(0));
        let (client, url, token) = (
            self.client.clone(),
            format!("{}/graphql", self.gateway),
            self.token.clone(),
        );
        closed_loop(concurrency, duration, move |_| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            let n = counter.fetch_add(1, Ordering::Relaxed);
            async move {
                let input = json!({
                    "id": format!("m{n:07}"),
                    "communityId": format!("c{:03}", n % 20),
                    "category": "市容环境",
                    "title": "路灯不亮",
                    "description": "东门路灯不亮",
                    "location": "东门",
                    "channel": "RESIDENT",
                    "reporter": "居民",
                    "reportedAt": "2023-10-12T19:30:00+08:00",
                });
                let body = json!({ "query": REPORT_ISSUE, "variables": { "input": input } });
                let response: Value = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await?
                    .json()
                    .await?;
                anyhow::ensure!(
                    response.get("errors").is_none(),
                    "GraphQL errors: {response}"
                );
                Ok(())
            }
        })
        .await
        .summary()
    }
}

/// Serves `app` on a free port of the loopback until it is stopped; its base URL.
async fn serve(app: Router) -> anyhow::Result<(String, Served)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok((url, Served { stop, task }))
}

#[derive(serde::Deserialize)]
struct Id {
    id: String,
}

/// The baseline: the same SQL as the GraphQL resolvers, straight to JSON.
fn plain_router(pool: PgPool) -> Router {
    async fn dashboard(State(pool): State<PgPool>) -> Result<Json<Value>, String> {
        // The same two statements as the gateway: the communities, then one batch of
        // their figures.
        let communities: Value = sqlx::query_scalar(&format!(
            "SELECT coalesce(json_agg(c), '[]') FROM ({}) c",
            civic_projections::queries::community::communities_sql()
        ))
        .fetch_one(&pool)
        .await
        .map_err(|e| e.to_string())?;
        let ids: Vec<String> = communities
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect();
        let stats: Value = sqlx::query_scalar(&format!(
            "SELECT coalesce(json_agg(s), '[]') FROM ({}) s",
            civic_projections::queries::issue_stats()
        ))
        .bind(ids)
        .fetch_one(&pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(Json(
            json!({ "communities": communities, "issueStats": stats }),
        ))
    }
    async fn board(
        State(pool): State<PgPool>,
        Query(q): Query<Id>,
    ) -> Result<([(header::HeaderName, &'static str); 1], String), String> {
        // Exactly the statement the gateway runs for this page (51 rows: one more tells it
        // whether a next page exists), whose JSON goes out as PostgreSQL rendered it.
        let sql =
            civic_projections::queries::issues::community_board_json_sql(Some(&BOARD_FIELDS), 51);
        let rows: String = sqlx::query_scalar(&sql)
            .bind(&q.id)
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
        Ok((
            [(header::CONTENT_TYPE, "application/json")],
            format!("{{\"nodes\":{rows}}}"),
        ))
    }
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/board", get(board))
        .with_state(pool)
}

/// What one or more slices of a measurement collected.
#[derive(Default)]
struct Samples {
    /// Milliseconds of each answered request.
    latencies: Vec<f64>,
    /// Requests answered within their slice's time. Those still in flight when it ends are
    /// waited for, so that they do not load the next slice, and their latency is kept; but
    /// they are not counted in the rate, which is this count over `window`: dividing every
    /// answer by the time until the last one came put a slice's slowest request into its
    /// rate (at 500 req/s, slices of 250 ms had reached only 372-425 req/s in some runs).
    in_window: u64,
    /// The slices' time.
    window: Duration,
    errors: u64,
    /// CPU seconds this process used meanwhile, the wait for the last answers included
    /// (see [`super::cpu::process_seconds`]).
    cpu: f64,
    /// CPU seconds the whole machine was busy meanwhile (see [`super::cpu::MachineTicks`]).
    machine: f64,
    /// Each slice's rate (`in_window` over its `window`).
    spread: Spread,
}

impl Samples {
    fn add(&mut self, other: Samples) {
        self.latencies.extend(other.latencies);
        self.in_window += other.in_window;
        self.window += other.window;
        self.errors += other.errors;
        self.cpu += other.cpu;
        self.machine += other.machine;
        self.spread += other.spread;
    }

    fn summary(self) -> Measure {
        let mut sorted = self.latencies;
        sorted.sort_by(f64::total_cmp);
        let pct = |p: f64| super::percentile(&sorted, p);
        let ms_per_request = |seconds: f64| seconds * 1000.0 / (sorted.len().max(1) as f64);
        Measure {
            answered: sorted.len() as u64,
            requests_per_s: self.in_window as f64
                / self.window.as_secs_f64().max(f64::MIN_POSITIVE),
            p50_ms: pct(0.5),
            p99_ms: pct(0.99),
            errors: self.errors,
            cpu_ms_per_request: ms_per_request(self.cpu),
            rest_cpu_ms_per_request: ms_per_request((self.machine - self.cpu).max(0.0)),
            spread: self.spread,
        }
    }
}

/// What the requests of one slice share: their latencies, how many were answered within the
/// slice's time, and how many failed.
#[derive(Clone, Default)]
struct Answers {
    latencies: Arc<Mutex<Vec<f64>>>,
    in_window: Arc<AtomicU64>,
    errors: Arc<AtomicU64>,
}

impl Answers {
    /// Counts one request sent at `at`, `started` being the slice's start.
    fn count(&self, outcome: anyhow::Result<()>, at: Instant, started: Instant, window: Duration) {
        match outcome {
            Ok(()) => {
                if started.elapsed() <= window {
                    self.in_window.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut latencies) = self.latencies.lock() {
                    latencies.push(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
            Err(_) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The slice's samples, once every request has been answered.
    fn samples(self, window: Duration, cpu: f64, machine: MachineTicks) -> Samples {
        let in_window = self.in_window.load(Ordering::Relaxed);
        Samples {
            latencies: self.latencies.lock().map(|l| l.clone()).unwrap_or_default(),
            in_window,
            window,
            errors: self.errors.load(Ordering::Relaxed),
            cpu: super::cpu::process_seconds() - cpu,
            machine: MachineTicks::now().since(machine).busy_seconds(),
            spread: Spread::of(in_window as f64 / window.as_secs_f64().max(f64::MIN_POSITIVE)),
        }
    }
}

/// How long one side of [`side_by_side`] runs before the other's turn.
const RATE_SLICE: Duration = Duration::from_millis(500);

/// Measures `gateway` and its baseline `plain` for `duration` each, in slices of
/// [`RATE_SLICE`] taken in turn, gateway then plain, then plain then gateway, and again: on
/// a shared machine whose speed drifts or jumps during a run, measuring one whole and then
/// the other would put the drift into their ratio. In these slices a steady drift cancels
/// out and a jump falls on both. Slices alone did not narrow the spread of the board's
/// ratio between runs of 3 s a side (0.90-1.01 against 0.88-1.04 in two halves each); the
/// length did (see `GatewayArgs::seconds`).
async fn side_by_side<F, Fut, G, Gut>(
    concurrency: usize,
    duration: Duration,
    gateway: F,
    plain: G,
) -> (Measure, Measure)
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
    G: Fn(u64) -> Gut + Clone + Send + 'static,
    Gut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let slice = RATE_SLICE.min(duration / 2);
    let rounds = (duration.as_secs_f64() / slice.as_secs_f64())
        .round()
        .max(2.0) as usize;
    let (mut first, mut second) = (Samples::default(), Samples::default());
    for round in 0..rounds {
        if round % 2 == 0 {
            first.add(closed_loop(concurrency, slice, gateway.clone()).await);
            second.add(closed_loop(concurrency, slice, plain.clone()).await);
        } else {
            second.add(closed_loop(concurrency, slice, plain.clone()).await);
            first.add(closed_loop(concurrency, slice, gateway.clone()).await);
        }
    }
    (first.summary(), second.summary())
}

/// `concurrency` clients, each sending its next request when the last one answers.
async fn closed_loop<F, Fut>(concurrency: usize, duration: Duration, request: F) -> Samples
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let answers = Answers::default();
    let (cpu, machine) = (super::cpu::process_seconds(), MachineTicks::now());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (request, answers) = (request.clone(), answers.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = worker as u64;
            while started.elapsed() < duration {
                let at = Instant::now();
                answers.count(request(n).await, at, started, duration);
                n += concurrency as u64;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    answers.samples(duration, cpu, machine)
}

/// Requests sent at a fixed rate whatever the answers, to see latency at that load.
async fn open_loop<F, Fut>(rate: f64, duration: Duration, request: F) -> Samples
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let answers = Answers::default();
    let (cpu, machine) = (super::cpu::process_seconds(), MachineTicks::now());
    let started = Instant::now();
    let tick = Duration::from_millis(10);
    let per_tick = (rate * tick.as_secs_f64()).round().max(1.0) as u64;
    let mut interval = tokio::time::interval(tick);
    let mut tasks = Vec::new();
    let mut n = 0u64;
    loop {
        interval.tick().await;
        // Checked after the tick (the first is at once): a slice of 250 ms is 25 ticks.
        if started.elapsed() >= duration {
            break;
        }
        for _ in 0..per_tick {
            let (request, answers) = (request.clone(), answers.clone());
            tasks.push(tokio::spawn(async move {
                let at = Instant::now();
                answers.count(request(n).await, at, started, duration);
            }));
            n += 1;
        }
    }
    for task in tasks {
        let _ = task.await;
    }
    answers.samples(duration, cpu, machine)
}
