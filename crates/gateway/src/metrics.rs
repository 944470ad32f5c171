//! Prometheus text metrics: requests, latencies, appends, projector lag.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Events appended through this process.
pub static APPENDS: AtomicU64 = AtomicU64::new(0);

/// Per operation: (requests, errors, total microseconds).
static REQUESTS: Mutex<BTreeMap<String, (u64, u64, u64)>> = Mutex::new(BTreeMap::new());

/// Records one GraphQL request.
pub fn record(operation: &str, micros: u64, failed: bool) {
    if let Ok(mut map) = REQUESTS.lock() {
        let entry = map.entry(operation.to_owned()).or_default();
        entry.0 += 1;
        entry.1 += u64::from(failed);
        entry.2 += micros;
    }
}

/// Renders every metric, with projector status read from the database.
pub async fn render(pool: &sqlx::PgPool) -> String {
    let mut out = String::new();
    out.push_str("# HELP civic_graphql_requests_total GraphQL requests by operation.\n# TYPE civic_graphql_requests_total counter\n");
    let snapshot: Vec<(String, (u64, u64, u64))> = REQUESTS
        .lock()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
        .unwrap_or_default();
    for (op, (n, _, _)) in &snapshot {
        out.push_str(&format!(
            "civic_graphql_requests_total{{operation=\"{op}\"}} {n}\n"
        ));
    }
    out.push_str("# HELP civic_graphql_errors_total GraphQL requests answered with errors.\n# TYPE civic_graphql_errors_total counter\n");
    for (op, (_, e, _)) in &snapshot {
        out.push_str(&format!(
            "civic_graphql_errors_total{{operation=\"{op}\"}} {e}\n"
        ));
    }
    out.push_str("# HELP civic_graphql_request_seconds_sum Time spent per operation.\n# TYPE civic_graphql_request_seconds_sum counter\n");
    for (op, (_, _, us)) in &snapshot {
        out.push_str(&format!(
            "civic_graphql_request_seconds_sum{{operation=\"{op}\"}} {:.6}\n",
            *us as f64 / 1e6
        ));
    }
    out.push_str(&format!(
        "# HELP civic_events_appended_total Events appended by this process.\n# TYPE civic_events_appended_total counter\ncivic_events_appended_total {}\n",
        APPENDS.load(Ordering::Relaxed)
    ));
    if let Ok(status) = civic_projections::status(pool).await {
        out.push_str("# HELP civic_projector_position Projector checkpoint.\n# TYPE civic_projector_position gauge\n");
        for s in &status {
            out.push_str(&format!(
                "civic_projector_position{{projector=\"{}\"}} {}\n",
                s.name, s.position
            ));
        }
        out.push_str("# HELP civic_projector_lag_events Events behind the log head.\n# TYPE civic_projector_lag_events gauge\n");
        for s in &status {
            out.push_str(&format!(
                "civic_projector_lag_events{{projector=\"{}\"}} {}\n",
                s.name, s.lag_events
            ));
        }
        out.push_str("# HELP civic_projector_lag_seconds Seconds behind the log head.\n# TYPE civic_projector_lag_seconds gauge\n");
        for s in &status {
            out.push_str(&format!(
                "civic_projector_lag_seconds{{projector=\"{}\"}} {:.3}\n",
                s.name, s.lag_seconds
            ));
        }
        if let Some(head) = status.first().map(|s| s.head) {
            out.push_str(&format!("# HELP civic_log_head Last log position.\n# TYPE civic_log_head gauge\ncivic_log_head {head}\n"));
        }
    }
    out
}
