//! Statements over the read models of any schema (`read`, or the scratch schema of an
//! `audit replay`), for reports that show a community as it stood. Each takes the community
//! in `$1`.

use super::open_issue;

/// The communities of `schema` (only `$1` when it is not null), by id.
pub fn communities(schema: &str) -> String {
    format!(
        "SELECT community_id FROM {schema}.communities WHERE $1::text IS NULL OR community_id = $1 \
         ORDER BY community_id"
    )
}

/// A community's dashboard row.
pub fn dashboard(schema: &str) -> String {
    format!("SELECT * FROM {schema}.communities WHERE community_id = $1")
}

/// A community's open issues, oldest first, with whether each was overdue on `$2` (a date).
pub fn open_issues(schema: &str) -> String {
    format!(
        "SELECT issue_id, title, category, status, assignee, due_by, reported_at, \
            coalesce(due_by < $2, false) AS overdue \
         FROM {schema}.issues WHERE community_id = $1 AND {} ORDER BY reported_at, issue_id",
        open_issue()
    )
}

/// A community's compounds and their property companies.
pub fn property(schema: &str) -> String {
    format!(
        "SELECT compound_id, name, property_company, company_since FROM {schema}.compounds \
         WHERE community_id = $1 ORDER BY compound_id"
    )
}

/// A community's heating projects and their progress.
pub fn heating(schema: &str) -> String {
    format!(
        "SELECT project_id, compound_id, contractor, households, target_date, milestones_done, \
            current_milestone, households_done, commissioned_on, late \
         FROM {schema}.heating_projects WHERE community_id = $1 ORDER BY project_id"
    )
}

/// Who held a role over the community (or the whole street) at the end of the models'
/// history: the grants still open.
pub fn access(schema: &str) -> String {
    format!(
        "SELECT g.login, a.display_name, g.role, g.community_id, g.from_at \
         FROM {schema}.access_grants g JOIN {schema}.accounts a USING (login) \
         WHERE g.community_id IN ($1, '') AND g.until_position IS NULL ORDER BY g.role, g.login"
    )
}
