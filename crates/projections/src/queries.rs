//! Read SQL shared by every reader of the issue read model (the gateway, `audit replay`, the
//! benchmarks), so that what "open" means and how a community's statistics are computed is
//! written once.

use std::sync::LazyLock;

use civic_domain::issue::IssueStatus;

use crate::models::enum_name;

static OPEN: LazyLock<String> = LazyLock::new(|| {
    let open: Vec<String> = IssueStatus::ALL
        .iter()
        .filter(|status| status.is_open())
        .map(|status| format!("'{}'", enum_name(status)))
        .collect();
    format!("status IN ({})", open.join(", "))
});

/// The SQL condition "the issue still needs work" on a row of `issues`, from
/// [`IssueStatus::is_open`].
pub fn open_issue() -> &'static str {
    &OPEN
}

static STATS: LazyLock<String> = LazyLock::new(|| {
    let open = open_issue();
    format!(
        "SELECT community_id AS owner, \
         count(*) FILTER (WHERE {open}) AS open, \
         count(*) FILTER (WHERE {open} AND due_by < current_date) AS overdue, \
         count(resolved_at) AS resolved, \
         avg(extract(epoch FROM resolved_at - reported_at) / 3600)::float8 AS mean_hours_to_resolve, \
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - reported_at) / 3600)::float8 \
             AS p90_hours_to_resolve \
         FROM read.issues WHERE community_id = ANY($1) GROUP BY community_id"
    )
});

/// Each community's issue statistics, for the communities in `$1` (a text array): columns
/// `owner` (the community), `open`, `overdue`, `resolved`, `mean_hours_to_resolve`,
/// `p90_hours_to_resolve`.
pub fn issue_stats() -> &'static str {
    &STATS
}

#[cfg(test)]
mod tests {
    #[test]
    fn open_means_reported_or_assigned() {
        assert_eq!(super::open_issue(), "status IN ('reported', 'assigned')");
    }
}
