//! Reads of the account read models: accounts as they stand, and who held which access
//! over a community at a moment.

use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool};
use time::OffsetDateTime;

const ACCOUNT_COLUMNS: &str = "login, display_name, kind, status, role, communities";

/// Every account, by login; only those with a grant over `community` (or street-wide ones)
/// when it is given.
pub async fn accounts<R>(pool: &PgPool, community: Option<&str>) -> sqlx::Result<Vec<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM read.accounts \
         WHERE $1::text IS NULL OR $1 = ANY(communities) ORDER BY login"
    ))
    .bind(community)
    .fetch_all(pool)
    .await
}

/// One account.
pub async fn account<R>(pool: &PgPool, login: &str) -> sqlx::Result<Option<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM read.accounts WHERE login = $1"
    ))
    .bind(login)
    .fetch_optional(pool)
    .await
}

/// Who held a role over `community` at `at` (recorded time): the grants of that community
/// and the street-wide ones, open at that moment. Columns `login`, `display_name`, `role`,
/// `community_id` (empty for street-wide), `from_at`, `until_at`.
pub async fn access_as_of<R>(
    pool: &PgPool,
    at: OffsetDateTime,
    community: &str,
) -> sqlx::Result<Vec<R>>
where
    R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    sqlx::query_as(
        "SELECT g.login, a.display_name, g.role, g.community_id, g.from_at, g.until_at \
         FROM read.access_grants g JOIN read.accounts a USING (login) \
         WHERE g.community_id IN ($2, '') AND g.from_at <= $1 AND (g.until_at IS NULL OR g.until_at > $1) \
         ORDER BY g.role, g.login",
    )
    .bind(at)
    .bind(community)
    .fetch_all(pool)
    .await
}
