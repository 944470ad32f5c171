//! Read SQL shared by every reader of the read models (the gateway, `audit replay`, the
//! benchmarks), so that each statement, what "open" means and how a community's statistics
//! are computed is written once.

pub mod access;
pub mod community;
pub mod figures;
pub mod issues;
pub mod report;
pub mod times;

use std::sync::LazyLock;

use civic_domain::issue::IssueStatus;
use serde::de::value::{Error as StoredError, StrDeserializer};
use serde::de::DeserializeOwned;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool};

use crate::models::enum_name;

/// The domain value of a unit enum stored by its serde name (`main_pipes_drilled`): the
/// inverse of what the projectors write.
pub fn stored<T: DeserializeOwned>(name: &str) -> Result<T, StoredError> {
    T::deserialize(StrDeserializer::<StoredError>::new(name))
}

/// The name a unit enum is stored under (its serde name).
pub fn stored_name<T: serde::Serialize>(value: &T) -> String {
    enum_name(value)
}

/// A row that carries the id of its parent (the community, the issue) in `owner`.
#[derive(Debug, sqlx::FromRow)]
struct Owned<T> {
    owner: String,
    #[sqlx(flatten)]
    row: T,
}

/// Runs `sql`, whose `$1` is a text array of parents, and pairs each row with its parent.
pub async fn owned<R>(pool: &PgPool, sql: &str, owners: &[String]) -> sqlx::Result<Vec<(String, R)>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let rows: Vec<Owned<R>> = sqlx::query_as(sql).bind(owners).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|o| (o.owner, o.row)).collect())
}

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
    // Every figure is a lookup of the community's rows in the tables the issues projector
    // keeps (see `models::issue_figures`); "overdue" depends on today, so it sums the
    // community's open issues per due date over the dates before today.
    format!(
        "SELECT c.owner, \
           (SELECT coalesce(sum(n), 0)::bigint FROM read.issue_counts \
              WHERE community_id = c.owner AND {open}) AS open, \
           (SELECT coalesce(sum(n), 0)::bigint FROM read.open_due_dates \
              WHERE community_id = c.owner AND due_by < current_date) AS overdue, \
           coalesce(t.n, 0) AS resolved, \
           CASE WHEN t.n > 0 THEN t.seconds::float8 / t.n / 3600 END AS mean_hours_to_resolve, \
           (SELECT 2 ^ ((h.bucket + 0.5) / {per}) - 1 FROM ( \
              SELECT bucket, sum(n) OVER (ORDER BY bucket) AS below FROM read.resolution_histogram \
              WHERE community_id = c.owner) h \
            WHERE h.below >= ceil(0.9 * (t.n - 1)) + 1 ORDER BY h.bucket LIMIT 1)::float8 AS p90_hours_to_resolve \
         FROM unnest($1::text[]) AS c(owner) \
         LEFT JOIN read.resolution_totals t ON t.community_id = c.owner \
         WHERE EXISTS (SELECT 1 FROM read.issue_counts k WHERE k.community_id = c.owner)",
        per = crate::models::issue_figures::BUCKETS_PER_DOUBLING,
    )
});

/// Each community's issue statistics, for the communities in `$1` (a text array): columns
/// `owner` (the community), `open`, `overdue`, `resolved`, `mean_hours_to_resolve`,
/// `p90_hours_to_resolve` (from the resolution histogram; see `models::issue_figures` for
/// its error bound). A lookup per community: its cost does not grow with its issues.
pub fn issue_stats() -> &'static str {
    &STATS
}

/// The exact figures by a scan of every issue of the communities in `$1`, with the columns
/// of [`issue_stats`]: what the kept figures are checked against.
pub fn issue_stats_by_scan() -> String {
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
}

#[cfg(test)]
mod tests {
    use civic_domain::heating::Milestone;

    #[test]
    fn a_stored_name_reads_back_as_its_value() {
        let name = super::stored_name(&Milestone::PressureTested);
        assert_eq!(name, "pressure_tested");
        assert_eq!(
            super::stored::<Milestone>(&name).ok(),
            Some(Milestone::PressureTested)
        );
        assert!(super::stored::<Milestone>("PRESSURE_TESTED").is_err());
    }

    #[test]
    fn open_means_reported_or_assigned() {
        assert_eq!(super::open_issue(), "status IN ('reported', 'assigned')");
    }
}
