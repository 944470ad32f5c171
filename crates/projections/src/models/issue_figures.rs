//! Each community's issue figures, kept as events arrive so that the dashboard is a lookup:
//! issues by status and category, reports and resolutions per week, and a summary of the
//! time to resolution (total and count for the mean, a fixed-bucket histogram for the p90),
//! and open issues by due date ("overdue" is then a sum over the dates before today, bounded
//! by the number of dates, not of issues).
//!
//! The issues projector diffs each row it touches (what the row counted for before the batch
//! against what it counts for after) and writes the sums of those differences in the same
//! transaction as its rows and checkpoint.
//!
//! **Histogram.** A resolution of `h` hours falls in bucket `⌊16 · log₂(1 + h)⌋`, so the
//! buckets are equal steps of `(1 + h)` by a factor `2^(1/16)`. The p90 is read as the
//! geometric middle of the bucket holding the order statistic of rank `⌈0.9 · (n − 1)⌉`
//! (0-based): it is within a factor `2^(1/32)` (2.2 %) of that statistic in `(1 + h)`.
//! PostgreSQL's `percentile_cont(0.9)` interpolates between that statistic and the one
//! below it, so the estimate is within the same bound of an exact value whenever those two
//! fall in one bucket, and otherwise between the two statistics' estimates.

use foldhash::HashMap;

use sqlx::PgConnection;
use time::{Date, OffsetDateTime, UtcOffset};

/// Buckets per doubling of `1 + hours`.
pub const BUCKETS_PER_DOUBLING: f64 = 16.0;

/// The histogram bucket of a resolution after `hours`.
pub fn bucket(hours: f64) -> i32 {
    (BUCKETS_PER_DOUBLING * (1.0 + hours.max(0.0)).log2()).floor() as i32
}

/// The hours a bucket stands for: its geometric middle.
pub fn bucket_hours(bucket: i32) -> f64 {
    ((f64::from(bucket) + 0.5) / BUCKETS_PER_DOUBLING).exp2() - 1.0
}

/// The Monday of the week (in China's time, UTC+8) of a moment.
pub fn week_of(at: OffsetDateTime) -> Date {
    let local = at
        .to_offset(UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC))
        .date();
    local - time::Duration::days(i64::from(local.weekday().number_days_from_monday()))
}

/// What one issue row counts for in its community's figures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Counted {
    pub community: String,
    pub status: String,
    pub category: String,
    /// Seconds from report to resolution, for a resolved (or closed) issue.
    pub resolution_seconds: Option<i64>,
    /// The due date of an open issue that has one.
    pub open_due: Option<Date>,
}

/// The changes a batch makes to the figures.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    counts: HashMap<(String, String, String), i64>,
    histogram: HashMap<(String, i32), i64>,
    totals: HashMap<String, (i64, i64)>,
    weeks: HashMap<(String, Date), (i64, i64)>,
    due: HashMap<(String, Date), i64>,
}

impl Figures {
    fn count(&mut self, row: &Counted, sign: i64) {
        *self
            .counts
            .entry((
                row.community.clone(),
                row.status.clone(),
                row.category.clone(),
            ))
            .or_default() += sign;
        if let Some(seconds) = row.resolution_seconds {
            let hours = seconds as f64 / 3600.0;
            *self
                .histogram
                .entry((row.community.clone(), bucket(hours)))
                .or_default() += sign;
            let totals = self.totals.entry(row.community.clone()).or_default();
            totals.0 += sign * seconds;
            totals.1 += sign;
        }
        if let Some(due) = row.open_due {
            *self.due.entry((row.community.clone(), due)).or_default() += sign;
        }
    }

    /// A row changed from `before` (absent for a new issue) to `after`.
    pub fn changed(&mut self, before: Option<&Counted>, after: &Counted) {
        if before == Some(after) {
            return;
        }
        if let Some(before) = before {
            self.count(before, -1);
        }
        self.count(after, 1);
    }

    /// An issue reported at `at`.
    pub fn reported(&mut self, community: &str, at: OffsetDateTime) {
        self.weeks
            .entry((community.to_owned(), week_of(at)))
            .or_default()
            .0 += 1;
    }

    /// An issue resolved at `at`.
    pub fn resolved(&mut self, community: &str, at: OffsetDateTime) {
        self.weeks
            .entry((community.to_owned(), week_of(at)))
            .or_default()
            .1 += 1;
    }

    /// Adds the batch's changes to the tables of schema `s`: one statement per table, its
    /// rows in key order.
    pub async fn write(self, conn: &mut PgConnection, s: &str) -> Result<(), sqlx::Error> {
        let counts = sorted(self.counts, |n| *n != 0);
        if !counts.is_empty() {
            let (keys, n): (Vec<_>, Vec<i64>) = counts.into_iter().unzip();
            let (communities, statuses, categories) = unzip3(keys);
            sqlx::query(&format!(
                "INSERT INTO {s}.issue_counts AS t (community_id, status, category, n) \
                 SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::bigint[]) \
                 ON CONFLICT (community_id, status, category) DO UPDATE SET n = t.n + EXCLUDED.n"
            ))
            .bind(&communities)
            .bind(&statuses)
            .bind(&categories)
            .bind(n)
            .execute(&mut *conn)
            .await?;
            // A figure back at zero leaves no row, as if it had never been counted: live
            // models and a rebuild (whose batches net out differently) hold the same rows.
            sqlx::query(&format!(
                "DELETE FROM {s}.issue_counts WHERE n = 0 AND (community_id, status, category) IN \
                 (SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]))"
            ))
            .bind(communities)
            .bind(statuses)
            .bind(categories)
            .execute(&mut *conn)
            .await?;
        }
        let histogram = sorted(self.histogram, |n| *n != 0);
        if !histogram.is_empty() {
            let (keys, n): (Vec<(String, i32)>, Vec<i64>) = histogram.into_iter().unzip();
            let (communities, buckets): (Vec<String>, Vec<i32>) = keys.into_iter().unzip();
            sqlx::query(&format!(
                "INSERT INTO {s}.resolution_histogram AS t (community_id, bucket, n) \
                 SELECT unnest($1::text[]), unnest($2::int[]), unnest($3::bigint[]) \
                 ON CONFLICT (community_id, bucket) DO UPDATE SET n = t.n + EXCLUDED.n"
            ))
            .bind(&communities)
            .bind(&buckets)
            .bind(n)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "DELETE FROM {s}.resolution_histogram WHERE n = 0 AND (community_id, bucket) IN \
                 (SELECT unnest($1::text[]), unnest($2::int[]))"
            ))
            .bind(communities)
            .bind(buckets)
            .execute(&mut *conn)
            .await?;
        }
        let totals = sorted(self.totals, |(seconds, n)| *seconds != 0 || *n != 0);
        if !totals.is_empty() {
            let (communities, sums): (Vec<String>, Vec<(i64, i64)>) = totals.into_iter().unzip();
            let (seconds, n): (Vec<i64>, Vec<i64>) = sums.into_iter().unzip();
            sqlx::query(&format!(
                "INSERT INTO {s}.resolution_totals AS t (community_id, seconds, n) \
                 SELECT unnest($1::text[]), unnest($2::bigint[]), unnest($3::bigint[]) \
                 ON CONFLICT (community_id) DO UPDATE SET seconds = t.seconds + EXCLUDED.seconds, n = t.n + EXCLUDED.n"
            ))
            .bind(&communities)
            .bind(seconds)
            .bind(n)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "DELETE FROM {s}.resolution_totals WHERE n = 0 AND community_id = ANY($1)"
            ))
            .bind(communities)
            .execute(&mut *conn)
            .await?;
        }
        let due = sorted(self.due, |n| *n != 0);
        if !due.is_empty() {
            let (keys, n): (Vec<(String, Date)>, Vec<i64>) = due.into_iter().unzip();
            let (communities, dates): (Vec<String>, Vec<Date>) = keys.into_iter().unzip();
            sqlx::query(&format!(
                "INSERT INTO {s}.open_due_dates AS t (community_id, due_by, n) \
                 SELECT unnest($1::text[]), unnest($2::date[]), unnest($3::bigint[]) \
                 ON CONFLICT (community_id, due_by) DO UPDATE SET n = t.n + EXCLUDED.n"
            ))
            .bind(&communities)
            .bind(&dates)
            .bind(n)
            .execute(&mut *conn)
            .await?;
            sqlx::query(&format!(
                "DELETE FROM {s}.open_due_dates WHERE n = 0 AND (community_id, due_by) IN \
                 (SELECT unnest($1::text[]), unnest($2::date[]))"
            ))
            .bind(communities)
            .bind(dates)
            .execute(&mut *conn)
            .await?;
        }
        let weeks = sorted(self.weeks, |_| true);
        if !weeks.is_empty() {
            type Week = (String, Date);
            let (keys, sums): (Vec<Week>, Vec<(i64, i64)>) = weeks.into_iter().unzip();
            let (communities, weeks): (Vec<String>, Vec<Date>) = keys.into_iter().unzip();
            let (reported, resolved): (Vec<i64>, Vec<i64>) = sums.into_iter().unzip();
            sqlx::query(&format!(
                "INSERT INTO {s}.issue_weeks AS t (community_id, week, reported, resolved) \
                 SELECT unnest($1::text[]), unnest($2::date[]), unnest($3::bigint[]), \
                        unnest($4::bigint[]) \
                 ON CONFLICT (community_id, week) DO UPDATE \
                 SET reported = t.reported + EXCLUDED.reported, resolved = t.resolved + EXCLUDED.resolved"
            ))
            .bind(communities)
            .bind(weeks)
            .bind(reported)
            .bind(resolved)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

/// The entries of `map` that `keep`, in key order. Every writer of the figures writes their
/// rows in this order, so that two transactions adding to the same rows (a replay's
/// workers, see `Projector::shards`) wait for each other and never deadlock.
fn sorted<K: Ord, V>(map: HashMap<K, V>, keep: impl Fn(&V) -> bool) -> Vec<(K, V)> {
    let mut entries: Vec<(K, V)> = map.into_iter().filter(|(_, v)| keep(v)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

fn unzip3(keys: Vec<(String, String, String)>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut a = Vec::with_capacity(keys.len());
    let mut b = Vec::with_capacity(keys.len());
    let mut c = Vec::with_capacity(keys.len());
    for (x, y, z) in keys {
        a.push(x);
        b.push(y);
        c.push(z);
    }
    (a, b, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_holds_its_middle_and_steps_by_a_sixteenth_of_a_doubling() {
        for hours in [0.0, 0.5, 3.0, 48.0, 700.0, 20_000.0] {
            let b = bucket(hours);
            let middle = bucket_hours(b);
            assert_eq!(bucket(middle), b, "{hours}");
            let ratio = (1.0 + middle) / (1.0 + hours);
            assert!((2f64.powf(-1.0 / 16.0)..=2f64.powf(1.0 / 16.0)).contains(&ratio));
        }
        assert_eq!(bucket(0.0), 0);
    }

    #[test]
    fn weeks_begin_on_monday_in_china() {
        // Sunday 2023-07-02 23:30 UTC is Monday 07:30 in China.
        let at = time::macros::datetime!(2023-07-02 23:30 UTC);
        assert_eq!(week_of(at), time::macros::date!(2023 - 07 - 03));
        let at = time::macros::datetime!(2023-07-09 09:00 +8);
        assert_eq!(week_of(at), time::macros::date!(2023 - 07 - 03));
    }
}
