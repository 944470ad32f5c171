//! Metrics on the `metrics` facade, exposed in Prometheus' text format by
//! `metrics-exporter-prometheus`. Every label value comes from a bounded set: GraphQL
//! requests are labelled by their operation's root field when the schema has it (else
//! `other`), never by the client's `operationName`.
//!
//! Recorded here: GraphQL requests and their latency. Recorded where they happen: appends
//! (`civic_append_*`, the store's writer), projector apply time and lag
//! (`civic_projector_*`, the projection runtime, which keeps the lag gauges current so a
//! scrape runs no query).

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds, from 0.5 ms to 10 s.
const SECONDS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Batch size buckets in events.
const EVENTS: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use; its handle renders the metrics.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS)
                .and_then(|b| b.set_buckets_for_metric(Matcher::Suffix("_events".into()), &EVENTS));
            let recorder = match builder {
                Ok(builder) => builder.build_recorder(),
                Err(_) => PrometheusBuilder::new().build_recorder(),
            };
            let handle = recorder.handle();
            // Fails only if another recorder was installed first (then ours stays empty).
            let _ = metrics::set_global_recorder(recorder);
            describe();
            // Built here, at start-up, rather than on the first request (it renders the SDL).
            LazyLock::force(&LABELS);
            handle
        })
        .clone()
}

/// Drains histogram samples into their buckets now and then (the exporter leaves it to us).
pub async fn upkeep(handle: PrometheusHandle) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        handle.run_upkeep();
    }
}

fn describe() {
    metrics::describe_counter!(
        "civic_graphql_direct_pages_total",
        "Issue board pages answered without the GraphQL executor (also counted in civic_graphql_requests_total)."
    );
    metrics::describe_counter!(
        "civic_graphql_requests_total",
        "GraphQL requests by operation and outcome."
    );
    metrics::describe_histogram!(
        "civic_graphql_request_seconds",
        metrics::Unit::Seconds,
        "GraphQL request latency by operation."
    );
    metrics::describe_counter!(
        "civic_events_appended_total",
        "Events appended by this process."
    );
    metrics::describe_histogram!("civic_append_batch_events", "Events per group commit.");
    metrics::describe_histogram!(
        "civic_append_commit_seconds",
        metrics::Unit::Seconds,
        "Time from a group commit's first statement to its commit."
    );
    metrics::describe_histogram!(
        "civic_append_order_wait_seconds",
        metrics::Unit::Seconds,
        "Time a group commit, its rows written, waits for the one before it to commit."
    );
    metrics::describe_histogram!(
        "civic_projector_apply_seconds",
        metrics::Unit::Seconds,
        "Time a projector spends applying one batch, commit included."
    );
    metrics::describe_gauge!("civic_projector_position", "Projector checkpoint.");
    metrics::describe_gauge!("civic_projector_lag_events", "Events behind the log head.");
    metrics::describe_gauge!(
        "civic_projector_lag_seconds",
        metrics::Unit::Seconds,
        "While behind: age of the last event applied."
    );
    metrics::describe_gauge!("civic_log_head", "Last log position known to this process.");
}

/// The schema's root fields, as `query.field`, `mutation.field`, `subscription.field`: the
/// only operation labels there are. Keyed by the operation's kind, then the field's name,
/// so that a request's field is looked up without making a key of its own.
static LABELS: LazyLock<HashMap<&'static str, HashMap<String, &'static str>>> =
    LazyLock::new(|| {
        let mut labels: HashMap<&'static str, HashMap<String, &'static str>> = HashMap::new();
        let Ok(document) = async_graphql::parser::parse_schema(crate::schema::sdl()) else {
            return labels;
        };
        for definition in document.definitions {
            let async_graphql::parser::types::TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let prefix = match ty.node.name.node.as_str() {
                "QueryRoot" => "query",
                "MutationRoot" => "mutation",
                "SubscriptionRoot" => "subscription",
                _ => continue,
            };
            if let async_graphql::parser::types::TypeKind::Object(object) = ty.node.kind {
                for field in object.fields {
                    let name = field.node.name.node.to_string();
                    // Leaked once per root field of the schema: a fixed, small set.
                    let label: &'static str =
                        Box::leak(format!("{prefix}.{name}").into_boxed_str());
                    labels.entry(prefix).or_default().insert(name, label);
                }
            }
        }
        labels
    });

/// The label of a request for `document` naming `operation_name`: its operation's first
/// root field, if the schema has it.
pub fn operation_label(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> &'static str {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    operation
        .and_then(|op| {
            let field =
                op.node
                    .selection_set
                    .node
                    .items
                    .iter()
                    .find_map(|item| match &item.node {
                        Selection::Field(field) => Some(field.node.name.node.as_str()),
                        _ => None,
                    })?;
            LABELS.get(kind(op.node.ty))?.get(field).copied()
        })
        .unwrap_or("other")
}

fn kind(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// One operation label's request metrics, each registered with the recorder on its first
/// use and kept: `counter!` and `histogram!` with labels build a key of the name and its
/// labels and look it up in the recorder's registry on every call, a few microseconds of
/// every request. Registered on first use rather than at start-up, so that `/metrics`
/// lists only the operations that were asked for.
#[derive(Default)]
struct Handles {
    ok: OnceLock<Counter>,
    error: OnceLock<Counter>,
    seconds: OnceLock<Histogram>,
}

/// Every label's handles (the schema's root fields and `other`), and the direct pages'
/// counter; made when the recorder is installed, as handles taken before it would record
/// nothing.
struct Registered {
    by_operation: HashMap<&'static str, Handles>,
    direct: OnceLock<Counter>,
}

static REGISTERED: OnceLock<Registered> = OnceLock::new();

/// The handles, once the recorder is installed.
fn registered() -> Option<&'static Registered> {
    HANDLE.get()?;
    Some(REGISTERED.get_or_init(|| {
        Registered {
            by_operation: LABELS
                .values()
                .flat_map(|fields| fields.values().copied())
                .chain(["other"])
                .map(|label| (label, Handles::default()))
                .collect(),
            direct: OnceLock::new(),
        }
    }))
}

/// Counts a board page answered directly ([`crate::direct`]).
pub(crate) fn record_direct() {
    match registered() {
        Some(registered) => registered
            .direct
            .get_or_init(|| metrics::counter!("civic_graphql_direct_pages_total"))
            .increment(1),
        None => metrics::counter!("civic_graphql_direct_pages_total").increment(1),
    }
}

/// How many board pages were answered directly, as `handle` renders the counter.
pub fn direct_pages(handle: &PrometheusHandle) -> u64 {
    handle
        .render()
        .lines()
        .find_map(|line| line.strip_prefix("civic_graphql_direct_pages_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Records one GraphQL request.
pub fn record(operation: &'static str, elapsed: Duration, failed: bool) {
    let outcome = if failed { "error" } else { "ok" };
    let seconds = elapsed.as_secs_f64();
    match registered().and_then(|r| r.by_operation.get(operation)) {
        Some(handles) => {
            let count = if failed { &handles.error } else { &handles.ok };
            count
                .get_or_init(|| requests(operation, outcome))
                .increment(1);
            handles
                .seconds
                .get_or_init(|| request_seconds(operation))
                .record(seconds);
        }
        None => {
            requests(operation, outcome).increment(1);
            request_seconds(operation).record(seconds);
        }
    }
}

fn requests(operation: &'static str, outcome: &'static str) -> Counter {
    metrics::counter!("civic_graphql_requests_total", "operation" => operation, "outcome" => outcome)
}

fn request_seconds(operation: &'static str) -> Histogram {
    metrics::histogram!("civic_graphql_request_seconds", "operation" => operation)
}
