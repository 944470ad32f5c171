//! A community's issue figures for the dashboard's charts: reports and resolutions per
//! week, open and overdue issues per category, and the distribution of time to resolution.
//! Each reads the figures the issues projector keeps (`models::issue_figures`), except
//! "overdue per category", which depends on today and reads the community's open issues
//! that are past their due date.

use sqlx::PgPool;
use time::Date;

use crate::models::issue_figures::BUCKETS_PER_DOUBLING;

/// Reports and resolutions in one week (weeks begin on Monday, China time).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Week {
    /// The Monday.
    pub week: Date,
    /// Issues reported in it.
    pub reported: i64,
    /// Issues resolved in it.
    pub resolved: i64,
}

/// Open and overdue issues of one category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    /// The category, e.g. 安全隐患.
    pub category: String,
    /// Issues that still need work.
    pub open: i64,
    /// Of those, past their due date.
    pub overdue: i64,
}

/// Resolved issues whose time to resolution fell in `[from_hours, to_hours)`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Bucket {
    /// Lower bound, in hours.
    pub from_hours: f64,
    /// Upper bound, in hours.
    pub to_hours: f64,
    /// Issues.
    pub count: i64,
}

/// Weeks with a report or a resolution, oldest first.
pub async fn weeks(pool: &PgPool, community: &str) -> sqlx::Result<Vec<Week>> {
    sqlx::query_as(
        "SELECT week, reported, resolved FROM read.issue_weeks \
         WHERE community_id = $1 AND (reported > 0 OR resolved > 0) ORDER BY week",
    )
    .bind(community)
    .fetch_all(pool)
    .await
}

/// Categories with open issues, most open first.
pub async fn categories(pool: &PgPool, community: &str) -> sqlx::Result<Vec<Category>> {
    let open = super::open_issue();
    sqlx::query_as(&format!(
        "SELECT o.category, o.open, coalesce(d.overdue, 0) AS overdue FROM ( \
           SELECT category, sum(n)::bigint AS open FROM read.issue_counts \
           WHERE community_id = $1 AND {open} GROUP BY category HAVING sum(n) > 0) o \
         LEFT JOIN ( \
           SELECT category, count(*) AS overdue FROM read.issues \
           WHERE community_id = $1 AND {open} AND due_by < current_date GROUP BY category) d \
         USING (category) ORDER BY o.open DESC, o.category"
    ))
    .bind(community)
    .fetch_all(pool)
    .await
}

/// The histogram of times to resolution, shortest first: buckets of 1/16 of a doubling of
/// (1 + hours).
pub async fn resolution_histogram(pool: &PgPool, community: &str) -> sqlx::Result<Vec<Bucket>> {
    sqlx::query_as(
        "SELECT 2 ^ (bucket / $2) - 1 AS from_hours, 2 ^ ((bucket + 1) / $2) - 1 AS to_hours, \
                n AS count \
         FROM read.resolution_histogram WHERE community_id = $1 AND n > 0 ORDER BY bucket",
    )
    .bind(community)
    .bind(BUCKETS_PER_DOUBLING)
    .fetch_all(pool)
    .await
}
